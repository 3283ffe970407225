#!/usr/bin/env bash
# Builds Quokka's container image for real with no Docker daemon, then runs it and talks to it
# (../shared/tools/PACKAGING.md, Appendix B): a loopback registry (Debian's docker-registry), a
# JRE base image made here (jlink of Temurin 25 + glibc/zlib/busybox .debs, as OCI with umoci)
# in the shape of the base the image ships on (eclipse-temurin:25-jre, which Docker Hub serves and
# this machine cannot pull): runs as root, no /data, no home or passwd entry for uid 185. Then the
# build as users run it (./mvnw package -Dquokka.image=...: Quarkus Jib pushes the application,
# DataVolumeLayer adds /data), skopeo pulling it back, umoci unpacking it, and the image's own
# entrypoint, user, working directory and environment started in a chroot with its own pid and
# mount namespaces. Then: /data a VOLUME owned by 185, redis-cli PING/SET/GET and the AOF under
# /data, /q/health/ready and /q/metrics, the user id; and the Sentinel image the same build makes
# (SentinelImage: Debian's redis-sentinel) run the same way, watching that server. Prints "image
# e2e: OK" at the end.
#
# Needs root and: docker-registry skopeo umoci jq redis-tools curl (Debian), Temurin 25.
# Run from the project root: src/test/image/image-e2e.sh
set -euo pipefail
JDK="${IMAGE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
WORK="${WORK:-$(mktemp -d /tmp/quokka-image.XXXXXX)}"
REG=127.0.0.1:${REGISTRY_PORT:-5055}
HTTP_PORT=${HTTP_PORT:-18091}
RESP_PORT=${RESP_PORT:-16391}
t() { printf '[image %4ss] %s\n' "$SECONDS" "$*"; }
cleanup() {
  if [ -n "${APP_PID:-}" ]; then kill $(pgrep -P "$APP_PID") 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  if [ -n "${SENTINEL_PID:-}" ]; then kill $(pgrep -P "$SENTINEL_PID") "$SENTINEL_PID" 2>/dev/null || true; fi
  if [ -n "${REG_PID:-}" ]; then kill "$REG_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

t "1. loopback registry on $REG"
mkdir -p "$WORK/reg"
printf 'version: 0.1\nlog: {level: warn}\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: %s}\n' "$WORK/reg/data" "$REG" > "$WORK/reg/config.yml"
docker-registry serve "$WORK/reg/config.yml" > "$WORK/reg/log" 2>&1 & REG_PID=$!
for _ in $(seq 100); do curl -sf "http://$REG/v2/" >/dev/null && break; sleep 0.1; done

t "2. base image: jlink'd Temurin 25 + glibc, zlib, busybox, as eclipse-temurin is laid out"
"$JDK/bin/jlink" --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.unsupported,jdk.management,jdk.crypto.ec,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --output "$WORK/jre"
mkdir -p "$WORK/debs"
(cd "$WORK/debs" && apt-get download -q libc6 libgcc-s1 libstdc++6 zlib1g busybox-static >/dev/null 2>&1) \
  || { apt-get update -qq && (cd "$WORK/debs" && apt-get download -q libc6 libgcc-s1 libstdc++6 zlib1g busybox-static >/dev/null 2>&1); }
umoci init --layout "$WORK/oci" && umoci new --image "$WORK/oci:base"
umoci unpack --image "$WORK/oci:base" "$WORK/b" >/dev/null
R="$WORK/b/rootfs"; for d in "$WORK"/debs/*.deb; do dpkg-deb -x "$d" "$R"; done
rm -rf "$R/usr/share/doc" "$R/usr/share/locale" "$R/usr/share/man"
mkdir -p "$R/opt" "$R/tmp" "$R/etc" "$R/proc" "$R/root" && chmod 1777 "$R/tmp" && cp -a "$WORK/jre" "$R/opt/java"
for a in sh ls cat env; do ln -sf busybox "$R/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$R/etc/passwd"
printf 'root:x:0:\n' > "$R/etc/group"
umoci repack --image "$WORK/oci:base" "$WORK/b"
umoci config --image "$WORK/oci:base" --config.env JAVA_HOME=/opt/java --config.env PATH=/opt/java/bin:/bin:/usr/bin --config.user 0
skopeo copy -q --dest-tls-verify=false "oci:$WORK/oci:base" "docker://$REG/quokka/jre:25"

t "3. the build as the README gives it: ./mvnw package -Dquokka.image=..."
./mvnw -B -q package -DskipTests -Dquokka.image=$REG/quokka/quokka:e2e -Dquarkus.container-image.insecure=true \
  -Dquokka.sentinelImage=$REG/quokka/quokka-sentinel:e2e \
  -Dquarkus.jib.base-jvm-image=$REG/quokka/jre:25 > "$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log"; exit 1; }
grep -q "pushed .* with /data" "$WORK/build.log" || { tail -40 "$WORK/build.log"; echo "no data volume step"; exit 1; }
grep -q "pushed .*quokka-sentinel:e2e" "$WORK/build.log" || { tail -40 "$WORK/build.log"; echo "no Sentinel image"; exit 1; }

t "4. pull it back (skopeo), unpack (umoci)"
skopeo copy -q --src-tls-verify=false "docker://$REG/quokka/quokka:e2e" "oci:$WORK/pulled:e2e"
umoci unpack --image "$WORK/pulled:e2e" "$WORK/run" >/dev/null
C="$WORK/run/config.json"
vols=$(skopeo inspect --config --tls-verify=false "docker://$REG/quokka/quokka:e2e" | jq -c '.config.Volumes')
[ "$vols" = '{"/data":{}}' ] || { echo "the image's volumes: $vols (want /data)"; exit 1; }
owner=$(stat -c %u:%g "$WORK/run/rootfs/data")
[ "$owner" = 185:0 ] && [ "$(stat -c %a "$WORK/run/rootfs/data")" = 775 ] || { echo "/data is owned by $owner (want 185:0, mode 775)"; exit 1; }
U=$(jq -r '"\(.process.user.uid):\(.process.user.gid)"' "$C")
[ "${U%%:*}" != 0 ] || { echo "the image runs as root"; exit 1; }

t "5. start the image's entrypoint as $U in a chroot"
ARGS=$(jq -r '.process.args|map(@sh)|join(" ")' "$C"); CWD=$(jq -r .process.cwd "$C"); ENVS=$(jq -r '.process.env|join(" ")' "$C")
unshare --mount --pid --fork --kill-child --mount-proc="$WORK/run/rootfs/proc" \
  chroot --userspec="$U" "$WORK/run/rootfs" /bin/env -i $ENVS QUOKKA_BIND=127.0.0.1 QUOKKA_PORT=$RESP_PORT \
  QUOKKA_APPENDONLY=yes QUOKKA_MAXMEMORY=64mb QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$HTTP_PORT \
  /bin/sh -c "cd $CWD && exec $ARGS" > "$WORK/app.log" 2>&1 & APP_PID=$!
for _ in $(seq 240); do curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null && break; sleep 0.25; done
t "ready"

fail() { echo "FAILED: $*"; tail -30 "$WORK/app.log"; exit 1; }
[ "$(redis-cli -p $RESP_PORT PING)" = PONG ] || fail "PING"
[ "$(redis-cli -p $RESP_PORT SET greeting hello)" = OK ] || fail "SET"
[ "$(redis-cli -p $RESP_PORT GET greeting)" = hello ] || fail "GET"
[ "$(redis-cli -p $RESP_PORT CONFIG GET maxmemory | tail -1)" = 67108864 ] || fail "maxmemory from the environment"
sleep 0.3
[ -f "$WORK/run/rootfs/data/appendonlydir/appendonly.aof.manifest" ] || fail "no AOF under /data"
grep -q greeting "$WORK/run/rootfs/data/appendonlydir/appendonly.aof.1.incr.aof" || fail "the write is not in the AOF"
ready=$(curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" || true)
grep -q '"status": "UP"' <<<"$ready" || fail "readiness: $ready"
metrics=$(curl -sf "http://127.0.0.1:$HTTP_PORT/q/metrics" || true)
grep -q '^quokka_up 1.0' <<<"$metrics" || fail "metrics"
grep -q '^quokka_db_keys{db="db0"} 1.0' <<<"$metrics" || fail "metrics: keys"
java_pid=$(pgrep -P "$(pgrep -P "$APP_PID")" || pgrep -P "$APP_PID")
uid=$(awk '/^Uid:/ {print $2}' "/proc/$java_pid/status")
[ "$uid" = 185 ] || fail "the server runs as uid $uid"
grep -q "UseCompactObjectHeaders" "/proc/$java_pid/cmdline" || fail "the launcher's JVM flags are not in the entrypoint"

t "6. the image as the chart's helm test runs it: its entrypoint with --check HOST PORT"
check=$(unshare --mount --pid --fork --kill-child --mount-proc="$WORK/run/rootfs/proc" \
  chroot --userspec="$U" "$WORK/run/rootfs" /bin/env -i $ENVS \
  /bin/sh -c "cd $CWD && exec $ARGS --check 127.0.0.1 $RESP_PORT" 2>&1) || fail "--check: $check"
grep -q "^all checks passed" <<<"$check" || fail "--check: $check"
t "7. the Sentinel image (Debian's redis-sentinel): it watches the Quokka server above, as the chart runs it"
SENTINEL_PORT=${SENTINEL_PORT:-16392}
skopeo copy -q --src-tls-verify=false "docker://$REG/quokka/quokka-sentinel:e2e" "oci:$WORK/sentinel:e2e"
umoci unpack --image "$WORK/sentinel:e2e" "$WORK/srun" >/dev/null
SC="$WORK/srun/config.json"
SU=$(jq -r '"\(.process.user.uid):\(.process.user.gid)"' "$SC")
[ "${SU%%:*}" = 185 ] || { echo "the Sentinel image runs as $SU"; exit 1; }
[ "$(stat -c %u "$WORK/srun/rootfs/data")" = 185 ] || { echo "the Sentinel image's /data is not uid 185's"; exit 1; }
printf 'port %s\nbind 127.0.0.1\nsentinel monitor group 127.0.0.1 %s 1\n' "$SENTINEL_PORT" "$RESP_PORT" > "$WORK/srun/rootfs/tmp/sentinel.conf"
chmod 644 "$WORK/srun/rootfs/tmp/sentinel.conf"
SARGS=$(jq -r '.process.args|map(@sh)|join(" ")' "$SC"); SENVS=$(jq -r '.process.env|join(" ")' "$SC")
env -i $SENVS "$(command -v unshare)" --mount --pid --fork --kill-child --mount-proc="$WORK/srun/rootfs/proc" \
  "$(command -v chroot)" --userspec="$SU" "$WORK/srun/rootfs" /bin/sh -c "[ -f /data/sentinel.conf ] || cp /tmp/sentinel.conf /data/sentinel.conf; cd /data && exec $SARGS /data/sentinel.conf" \
  > "$WORK/sentinel.log" 2>&1 & SENTINEL_PID=$!
addr=""
for _ in $(seq 100); do
  addr=$( (redis-cli -p "$SENTINEL_PORT" SENTINEL GET-MASTER-ADDR-BY-NAME group 2>/dev/null || true) | tr '\n' ' ')
  flags=$( (redis-cli -p "$SENTINEL_PORT" SENTINEL MASTER group 2>/dev/null || true) | sed -n '/^flags$/{n;p}')
  [ "$addr" = "127.0.0.1 $RESP_PORT " ] && [ "$flags" = master ] && break
  sleep 0.2
done
kill $(pgrep -P "$SENTINEL_PID") "$SENTINEL_PID" 2>/dev/null || true
[ "$addr" = "127.0.0.1 $RESP_PORT " ] && [ "$flags" = master ] || { echo "Sentinel: '$addr' '$flags'"; cat "$WORK/sentinel.log"; exit 1; }
grep -q "Sentinel ID is" "$WORK/sentinel.log" || { cat "$WORK/sentinel.log"; exit 1; }

t "image e2e: OK (uid $uid, $(du -sh "$WORK/run/rootfs" | cut -f1) unpacked)"
