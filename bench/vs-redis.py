#!/usr/bin/env python3
"""Quokka against redis-server, side by side, with redis-benchmark.

Starts the packaged Quokka (target/quarkus-app/quarkus-run.jar) and Debian's redis-server on
free loopback ports, each in its own session (setsid: this kernel groups CPU shares by session,
and a server sharing the benchmark's session is starved), with persistence off on both. Runs
the same redis-benchmark rows against both, alternating, for several rounds (both servers started
afresh each round, Quokka then warmed), and prints per row the median over rounds of ops/s, p50
and p99 latency and the server's CPU time per request (user+sys of all its threads, from
/proc/PID/task/*/schedstat around each run) and redis-benchmark's own share of one CPU, then
the Quokka/redis ratio per row and the geometric mean of the ratios, and names the rows where
redis-benchmark (one thread) was busy 95% or more against the faster server: those rows measured
the client, not the servers.

  bench/vs-redis.py                 # the throughput/latency matrix
  bench/vs-redis.py --rounds 5 -n 500000
  bench/vs-redis.py --types         # lists, sets, hashes, sorted sets (-P 16)
  bench/vs-redis.py --cold --rounds 7 -n 100000   # short runs, no warm-up (docs/performance.md: yardsticks)
  bench/vs-redis.py --commands      # BITCOUNT of 1 MB, PFADD, PFCOUNT, GEOADD, GEOSEARCH, SORT of 100,
                                    # ZADD on a 1,000,000-member sorted set
  bench/vs-redis.py --scripts       # EVALSHA of a GET+INCR script (-P 1 and 16), of a 10,000-step loop
  bench/vs-redis.py --streams       # XADD (-P 1 and 16), XRANGE of 100, XREADGROUP > and XACK
  bench/vs-redis.py --stream-memory # bytes per entry for 1,000,000 entries of two small fields
  bench/vs-redis.py --zset-memory   # bytes per member of a 1,000,000-member sorted set
  bench/vs-redis.py --list-memory   # bytes per element of a 1,000,000-element list
  bench/vs-redis.py --memory        # bytes per key for 1,000,000 small keys (then half with TTLs)
  bench/vs-redis.py --start-time    # milliseconds from launch to the first PONG
  bench/vs-redis.py --aof always --rows "SET 50c P16"   # both servers appending, same disk
  bench/vs-redis.py --load-time 1024                     # seconds to load the same 1 GB AOF
  bench/vs-redis.py --bounded       # resident memory under sustained writes at maxmemory 100mb

Quokka is started through bin/quokka, so it runs with the launcher's flags. Environment:
QUOKKA_JAVA (java binary, as for bin/quokka), QUOKKA_JAVA_OPTS (extra JVM flags; default here
"-Xms1g -Xmx2g" so that runs on different machines use the same heap).
"""
import argparse
import glob
import math
import os
import random
import resource
import socket
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "quarkus-app", "quarkus-run.jar")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ping(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


LAUNCHER = os.path.join(ROOT, "bin", "quokka")
DEFAULT_OPTS = "-Xms1g -Xmx2g"
# The memory modes keep the launcher's heap sizing (its small initial heap, given back when idle):
# a fixed -Xms would hold the heap at that size, which is not what users run.
MEMORY_OPTS = "-Xmx2g"
MEMORY_MODE = False


def jvm_desc():
    java = os.environ.get("QUOKKA_JAVA", "java")
    version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    default = MEMORY_OPTS if MEMORY_MODE else DEFAULT_OPTS
    return f"{version}; bin/quokka flags + {os.environ.get('QUOKKA_JAVA_OPTS', default)}"


AOF_POLICY = None  # --aof: both servers append with this appendfsync policy


def persistence_args():
    if AOF_POLICY is None:
        return ["--appendonly", "no"]
    return ["--appendonly", "yes", "--appendfsync", AOF_POLICY]


def quokka_argv(port, *directives):
    """bin/quokka on `port` with these redis-server directives (default: those of --aof)."""
    return [LAUNCHER, "--port", str(port), *(directives or persistence_args())]


def redis_argv(port, *directives):
    """redis-server on loopback `port`, no RDB saves, AOF-format base files, then these directives
    (default: those of --aof)."""
    return ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--aof-use-rdb-preamble", "no",
            *(directives or persistence_args())]


def quokka_env():
    env = dict(os.environ)
    env.setdefault("QUOKKA_JAVA_OPTS", MEMORY_OPTS if MEMORY_MODE else DEFAULT_OPTS)
    env["QUOKKA_JAVA_OPTS"] += f" -Dquarkus.http.port={free_port()}"
    return env


class Server:
    def __init__(self, name, argv, port, env=None):
        self.name, self.port = name, port
        self.dir = tempfile.mkdtemp(prefix=f"bench-{name}-")
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(argv, cwd=self.dir, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True, env=env)
        deadline = time.monotonic() + 60
        while not ping(port):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise SystemExit(f"{name} did not start; see {self.log.name}")
            time.sleep(0.01)
        self.startup_ms = (time.monotonic() - self.t0) * 1000

    def cpu_ns(self):
        total = 0
        for f in glob.glob(f"/proc/{self.proc.pid}/task/*/schedstat"):
            try:
                with open(f) as fh:
                    total += int(fh.read().split()[0])
            except OSError:
                pass
        return total

    def rss(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True).stdout

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_both():
    qport, rport = free_port(), free_port()
    quokka = Server("quokka", quokka_argv(qport), qport, quokka_env())
    redis = Server("redis", redis_argv(rport), rport)
    return quokka, redis


ROWS = [
    # label, tests, clients, pipeline, value size
    ("SET 50c", "set", 50, 1, 3),
    ("GET 50c", "get", 50, 1, 3),
    ("INCR 50c", "incr", 50, 1, 3),
    ("MSET10 50c", "mset", 50, 1, 3),
    ("SET 50c P16", "set", 50, 16, 3),
    ("GET 50c P16", "get", 50, 16, 3),
    ("INCR 50c P16", "incr", 50, 16, 3),
    ("MSET10 50c P16", "mset", 50, 16, 3),
    ("SET 1KiB 50c", "set", 50, 1, 1024),
    ("GET 1KiB 50c", "get", 50, 1, 1024),
    ("SET 1KiB P16", "set", 50, 16, 1024),
    ("GET 1KiB P16", "get", 50, 16, 1024),
    ("GET 1c (round trip)", "get", 1, 1, 3),
]

# --types: the collection commands of redis-benchmark's own tests (issue 7's row set), pipelined.
# SPOP pops from the set the SADD row filled; LRANGE_100 runs redis-benchmark's LPUSH fill first.
TYPE_ROWS = [(t.upper() + " P16", t, 50, 16, 3)
             for t in ("lpush", "lpop", "rpush", "rpop", "sadd", "hset", "spop", "zadd", "lrange_100")]


def send(server, *commands):
    """Sends RESP commands (lists of str/bytes) to a server and reads one reply each."""
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        f = s.makefile("rb")
        out = bytearray()
        for cmd in commands:
            out += b"*%d\r\n" % len(cmd)
            for a in cmd:
                a = a if isinstance(a, bytes) else str(a).encode()
                out += b"$%d\r\n%s\r\n" % (len(a), a)
        s.sendall(out)
        for _ in commands:
            line = f.readline()
            if line[:1] == b"$" and int(line[1:]) >= 0:
                f.read(int(line[1:]) + 2)
            elif line[:1] == b"-":
                raise SystemExit(f"{server.name}: {line!r}")


def setup_bits(server):
    send(server, ["SET", "bits", os.urandom(1 << 20)])


def setup_hll(server):
    for key in ("hll", "hll2"):
        send(server, *(["PFADD", key] + [f"{key}:{i}:{j}" for j in range(100)] for i in range(1000)))
    send(server, ["PFCOUNT", "hll"])


def setup_geo(server):
    import random
    rnd = random.Random(7)
    send(server, *(["GEOADD", "geo"] + [x for j in range(100) for x in
                                       (f"{rnd.uniform(12, 16):.6f}", f"{rnd.uniform(36, 39):.6f}", f"m:{i}:{j}")]
                   for i in range(100)))


def setup_sort(server):
    import random
    rnd = random.Random(7)
    send(server, ["DEL", "nums"], ["RPUSH", "nums"] + [str(rnd.randint(0, 1_000_000)) for _ in range(100)])


def setup_zbig(server):
    """One sorted set of 1,000,000 members m:0 ... m:999999 with random scores (ZADDs of 1,000)."""
    rnd = random.Random(11)
    for start in range(0, 1_000_000, 100_000):
        send(server, *(["ZADD", "zbig"] + [x for i in range(c, c + 1000) for x in (str(rnd.randint(0, 999_999)), f"m:{i}")]
                       for c in range(start, start + 100_000, 1000)))


# --commands: (label, command, clients, pipeline, setup, share of -n[, keyspace]); the command runs
# as given, __rand_int__ replaced by redis-benchmark with a random number below -r (the row's
# keyspace, 100,000 unless given).
COMMAND_ROWS = [
    ("BITCOUNT 1MB", ["BITCOUNT", "bits"], 50, 1, setup_bits, 0.02),
    ("PFADD P16", ["PFADD", "hll:new", "e:__rand_int__"], 50, 16, None, 1),
    ("PFCOUNT (cached)", ["PFCOUNT", "hll"], 50, 1, setup_hll, 1),
    ("PFCOUNT 2 keys", ["PFCOUNT", "hll", "hll2"], 50, 1, setup_hll, 0.05),
    ("GEOADD P16", ["GEOADD", "geo:new", "13.361389", "38.115556", "m:__rand_int__"], 50, 16, None, 1),
    ("GEOSEARCH 200km", ["GEOSEARCH", "geo", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC", "COUNT", "10"],
     50, 1, setup_geo, 0.1),
    ("SORT 100", ["SORT", "nums"], 50, 1, setup_sort, 0.5),
    # redis-benchmark's ZADD (a random score for a random member) on a 1,000,000-member set.
    ("ZADD 1M members P16", ["ZADD", "zbig", "__rand_int__", "m:__rand_int__"], 50, 16, setup_zbig, 1, 1_000_000),
    # Reads of the same set: a random member's rank, and 10 members from a random score on.
    ("ZRANK 1M members P16", ["ZRANK", "zbig", "m:__rand_int__"], 50, 16, setup_zbig, 1, 1_000_000),
    ("ZRANGE BYSCORE 10 1M P16", ["ZRANGE", "zbig", "__rand_int__", "+inf", "BYSCORE", "LIMIT", "0", "10"],
     50, 16, setup_zbig, 0.5, 1_000_000),
]


# --scripts: EVALSHA of a small script (one GET, one INCR) and of a CPU-heavy one (10,000 steps of
# arithmetic), each loaded with SCRIPT LOAD first (the SHA1 is the same on both servers).
SMALL_SCRIPT = "redis.call('get', KEYS[1]) return redis.call('incr', KEYS[1])"
HEAVY_SCRIPT = "local x = 0 for i = 1, 10000 do x = x + (i * 2) % 7 end return x"


def sha1(text):
    import hashlib
    return hashlib.sha1(text.encode()).hexdigest()


def setup_scripts(server):
    send(server, ["SCRIPT", "LOAD", SMALL_SCRIPT], ["SCRIPT", "LOAD", HEAVY_SCRIPT])


SCRIPT_ROWS = [
    ("EVALSHA get+incr", ["EVALSHA", sha1(SMALL_SCRIPT), "1", "counter:__rand_int__"], 50, 1, setup_scripts, 1),
    ("EVALSHA get+incr P16", ["EVALSHA", sha1(SMALL_SCRIPT), "1", "counter:__rand_int__"], 50, 16, setup_scripts, 1),
    ("EVALSHA 10k steps", ["EVALSHA", sha1(HEAVY_SCRIPT), "0"], 50, 1, setup_scripts, 0.01),
]


# --streams: appends with generated ids, a range of 100 entries, and a consumer group's read and
# acknowledgement as two rows (redis-benchmark runs one command per row): XREADGROUP COUNT 1 > on a
# queue of 100,000 entries (ids 1-0..100000-0), then XACK of random ids of it after all were read.
def fill_stream(server, key, n, group=None):
    send(server, ["DEL", key])
    for start in range(1, n + 1, 1000):
        send(server, *(["XADD", key, f"{i}-0", "f1", f"v{i}", "f2", "x"] for i in range(start, min(n + 1, start + 1000))))
    if group:
        send(server, ["XGROUP", "CREATE", key, group, "0"])


def setup_xrange(server):
    fill_stream(server, "s100", 1000)


def setup_queue(server):
    fill_stream(server, "q", 100_000, "g")


def setup_acks(server):
    setup_queue(server)
    for _ in range(100):
        send(server, ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1000", "STREAMS", "q", ">"])


STREAM_ROWS = [
    ("XADD *", ["XADD", "s:new", "*", "f1", "v", "f2", "x"], 50, 1, None, 1),
    ("XADD * P16", ["XADD", "s:new", "*", "f1", "v", "f2", "x"], 50, 16, None, 1),
    ("XRANGE 100", ["XRANGE", "s100", "-", "+", "COUNT", "100"], 50, 1, setup_xrange, 0.2),
    ("XREADGROUP >", ["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "q", ">"], 50, 1, setup_queue, 0.08),
    ("XACK", ["XACK", "q", "g", "__rand_int__-0"], 50, 1, setup_acks, 0.2),
]


# redis-benchmark's share of one CPU at which a row is reported as the client's limit, not the servers'.
CLIENT_BOUND = 0.95


def bench(server, test, clients, pipeline, size, n, keyspace):
    before = server.cpu_ns()
    args = ["redis-benchmark", "-p", str(server.port), "-c", str(clients), "-P", str(pipeline), "-d", str(size),
            "-n", str(n), "-r", str(keyspace), "--csv"]
    if isinstance(test, str):
        args[3:3] = ["-t", test]
    else:
        args += list(test)
    # redis-benchmark is one thread: its share of one CPU over the run says whether the row
    # measured the server or the client (near 100%, the client could not ask any faster).
    client_before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    out = subprocess.run(args, capture_output=True, text=True).stdout
    cpu = server.cpu_ns() - before
    client_after, wall = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic() - started
    client = (client_after.ru_utime + client_after.ru_stime - client_before.ru_utime - client_before.ru_stime) / wall
    lines = [l for l in out.splitlines() if l.startswith('"') and not l.startswith('"test"')]
    if not lines:
        raise SystemExit(f"redis-benchmark gave no result against {server.name}:\n{out}")
    f = [x.strip('"') for x in lines[-1].split('","')]
    # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    return {"rps": float(f[1]), "p50": float(f[4]), "p99": float(f[6]), "cpu_us": cpu / 1000 / n,
            "client": client}


def warm(server, tests):
    """Runs each test until the JIT has settled, as a long-running server would have: a few
    seconds of each, pipelined and not, with both value sizes of the matrix (the first 200,000
    requests leave C2 still compiling; a first run with 1 KiB values, met cold, had twice the p99
    of the runs after it)."""
    for _ in range(2):
        for test in tests:
            for size in (1024, 3):
                bench(server, test, 50, 16, size, 500_000, 100_000)
                bench(server, test, 50, 1, size, 50_000, 100_000)
        # Start the rows from an empty keyspace, as redis-server does (the warm-up left 100,000
        # keys). Once per pass: the first FLUSHALL (a one-argument, lower-case request) takes
        # branches the rows never do, and the JIT's recompilation of the dispatch after it
        # (-Xlog:deoptimization) must happen in the warm-up, not in the first row.
        subprocess.run(["redis-cli", "-p", str(server.port), "flushall"], capture_output=True, check=True)


def command_matrix(args, rows=COMMAND_ROWS):
    """The --commands (or --scripts) rows: each server set up (the row's data) before each row's run."""
    if args.rows:
        rows = [r for r in rows if args.rows in r[0]]
    results = {(row[0], name): [] for row in rows for name in ("quokka", "redis")}
    for r in range(args.rounds):
        quokka, redis = start_both()
        try:
            for label, cmd, clients, pipeline, setup, share, *keyspace in rows:
                keyspace = keyspace[0] if keyspace else 100_000
                n = max(10_000, int(args.n * share * (2 if pipeline > 1 else 1)))
                if setup:
                    setup(quokka)
                # The JIT warms on the row itself first: a fifth of a run, results dropped.
                bench(quokka, cmd, clients, pipeline, 3, max(5_000, n // 5), keyspace)
                order = (quokka, redis) if r % 2 == 0 else (redis, quokka)
                for s in order:
                    if setup:
                        setup(s)
                    results[(label, s.name)].append(bench(s, cmd, clients, pipeline, 3, n, keyspace))
        finally:
            quokka.stop()
            redis.stop()
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    report(args, rows, results)


def report(args, rows, results):
    def med(label, name, key):
        return statistics.median(x[key] for x in results[(label, name)])

    print(f"JVM: {jvm_desc()}")
    print(f"rounds: {args.rounds} (fresh servers each), requests per run: {args.n} ({args.n * 2} pipelined); "
          "medians over rounds; ratio = quokka / redis")
    print(f"{'row':22} {'q ops/s':>10} {'r ops/s':>10} {'ratio':>6} | {'q p50':>6} {'r p50':>6} | "
          f"{'q p99':>6} {'r p99':>6} {'ratio':>6} | {'q cpu/req':>9} {'r cpu/req':>9} {'ratio':>6} | "
          f"{'q cli':>5} {'r cli':>5}")
    ratios = {"rps": [], "p99": [], "cpu": []}
    client_bound = []
    for label, *_ in rows:
        q = {k: med(label, "quokka", k) for k in ("rps", "p50", "p99", "cpu_us", "client")}
        r = {k: med(label, "redis", k) for k in ("rps", "p50", "p99", "cpu_us", "client")}
        rr, pr, cr = q["rps"] / r["rps"], q["p99"] / max(r["p99"], 0.001), q["cpu_us"] / max(r["cpu_us"], 1e-9)
        ratios["rps"].append(rr)
        ratios["p99"].append(pr)
        ratios["cpu"].append(cr)
        print(f"{label:22} {q['rps']:10.0f} {r['rps']:10.0f} {rr:6.2f} | {q['p50']:6.3f} {r['p50']:6.3f} | "
              f"{q['p99']:6.3f} {r['p99']:6.3f} {pr:6.2f} | {q['cpu_us']:8.2f}us {r['cpu_us']:8.2f}us {cr:6.2f} | "
              f"{q['client']:5.0%} {r['client']:5.0%}")
        if (q if rr >= 1 else r)["client"] >= CLIENT_BOUND:
            client_bound.append(label)
    gm = {k: math.exp(sum(map(math.log, v)) / len(v)) for k, v in ratios.items()}
    print(f"{'geometric mean':22} {'':10} {'':10} {gm['rps']:6.2f} | {'':13} | {'':13} {gm['p99']:6.2f} | "
          f"{'':21} {gm['cpu']:6.2f}")
    print(f"cli: redis-benchmark's share of one CPU during the run. Rows where it was {CLIENT_BOUND:.0%} or more "
          f"against the faster server measured the client, not the servers: {', '.join(client_bound) or 'none'}")


def matrix(args):
    global ROWS
    if args.types:
        ROWS = TYPE_ROWS
    if args.rows:
        ROWS = [r for r in ROWS if args.rows in r[0]]
    results = {(row[0], name): [] for row in ROWS for name in ("quokka", "redis")}
    # Each round starts both servers afresh: a JVM's JIT decisions and the heap's layout of the
    # keyspace differ from one start to the next (±15% CPU per request on GET -P 16 here), so
    # the median over rounds is a median over server starts, not over runs of one start.
    for r in range(args.rounds):
        quokka, redis = start_both()
        try:
            if not args.cold:
                warm(quokka, ("set", "get", "incr", "mset") if not args.types else [t[1] for t in TYPE_ROWS])
            for label, test, clients, pipeline, size in ROWS:
                # A run lasts about ten seconds either way: a 50-client run of 200,000 requests (2 s)
                # put its start (50 connects, the first replies) and any stray stall of the machine
                # into its p99, which then ranged 0.45-0.93 ms for redis-server alone.
                n = args.n * 2 if pipeline > 1 else args.n if clients > 1 else max(10_000, args.n // 20)
                order = (quokka, redis) if r % 2 == 0 else (redis, quokka)
                for s in order:
                    results[(label, s.name)].append(bench(s, test, clients, pipeline, size, n, 100_000))
        finally:
            quokka.stop()
            redis.stop()
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)

    report(args, ROWS, results)


def load_keys(server, count, ttl_every):
    """Loads count keys key:NNNNNNNNNNNN -> 'xxx' through redis-cli --pipe; every ttl_every-th with EX."""
    def gen():
        for i in range(count):
            key = f"key:{i:012d}"
            if ttl_every and i % ttl_every == 0:
                yield f"*5\r\n$3\r\nSET\r\n${len(key)}\r\n{key}\r\n$3\r\nxxx\r\n$2\r\nEX\r\n$5\r\n86400\r\n"
            else:
                yield f"*3\r\n$3\r\nSET\r\n${len(key)}\r\n{key}\r\n$3\r\nxxx\r\n"
    p = subprocess.Popen(["redis-cli", "-p", str(server.port), "--pipe"], stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL)
    buf = []
    for i, cmd in enumerate(gen()):
        buf.append(cmd)
        if len(buf) == 10000:
            p.stdin.write("".join(buf).encode())
            buf = []
    p.stdin.write("".join(buf).encode())
    p.stdin.close()
    p.wait()


def jvm_live_heap(server):
    """Heap in use after a full GC (jcmd GC.run, then GC.heap_info), or None if jcmd is missing."""
    java = os.environ.get("QUOKKA_JAVA", "java")
    jcmd = os.path.join(os.path.dirname(os.path.realpath(subprocess.run(["bash", "-c", f"command -v {java}"],
                                                                          capture_output=True, text=True).stdout.strip())), "jcmd")
    pid = str(server.proc.pid)  # bin/quokka execs java, so this is the JVM
    if not os.path.exists(jcmd):
        return None
    subprocess.run([jcmd, pid, "GC.run"], capture_output=True)
    info = subprocess.run([jcmd, pid, "GC.heap_info"], capture_output=True, text=True).stdout
    import re
    # G1/Parallel/Serial: "heap   total 1048576K, used 123K" (JDK 17), "total reserved ..K, committed ..K, used 123K" (25)
    m = re.search(r"heap\s+total[^\n]*?used (\d+)K", info)
    if m:
        return int(m.group(1)) * 1024
    m = re.search(r"ZHeap\s+used (\d+)M", info)  # ZGC reports megabytes
    return int(m.group(1)) * 1024 * 1024 if m else None


IDLE_SECONDS = 35  # longer than the launcher's G1PeriodicGCInterval


def measure_load(s, load, count):
    """Loads a server (load()), then returns (items as count() answers, resident bytes grown per item,
    live bytes per item: quokka's heap in use after a full GC, redis-server's used_memory).
    Resident memory is read after IDLE_SECONDS of idleness (what the server gives back by itself
    meanwhile, as the launcher's periodic collection does, counts) and before the full GC that
    measures the live heap (which no server runs by itself)."""
    time.sleep(1)
    base = s.rss()
    heap_base = jvm_live_heap(s) if s.name == "quokka" else None
    if heap_base is not None:
        base = s.rss()  # after the start's garbage is collected: the load's growth, not the start's
    load()
    time.sleep(IDLE_SECONDS)
    rss = s.rss()
    n = int(count().strip())
    if s.name == "quokka":
        after = jvm_live_heap(s)
        live = (after - heap_base) / n if after is not None and heap_base is not None else float("nan")
    else:
        used = int(next(l for l in s.cli("INFO", "memory").splitlines() if l.startswith("used_memory:")).split(":")[1])
        live = used / n  # redis: used_memory (allocator bytes) per item, the counterpart of live heap
    return n, (rss - base) / n, live


def memory(args):
    rows = []
    for label, ttl_every in (("1M keys, no TTL", 0), ("1M keys, half with TTL", 2)):
        quokka, redis = start_both()
        try:
            for s in (quokka, redis):
                n, per, heap = measure_load(s, lambda: load_keys(s, args.keys, ttl_every), lambda: s.cli("DBSIZE"))
                rows.append((label, s.name, n, per, s.rss(), heap))
        finally:
            quokka.stop()
            redis.stop()
    print(f"JVM: {jvm_desc()}")
    print("RSS bytes/key: growth of resident memory per key loaded. live bytes/key: quokka's heap in use")
    print("after a full GC, redis-server's used_memory, per key (steadier: no garbage, no allocator slack).")
    print(f"{'dataset':26} {'server':7} {'keys':>9} {'RSS bytes/key':>14} {'live bytes/key':>15} {'RSS total':>12}")
    for label, name, n, per, total, heap in rows:
        print(f"{label:26} {name:7} {n:9d} {per:14.1f} {heap:15.1f} {total / 1048576:10.1f}MiB")
    for label in ("1M keys, no TTL", "1M keys, half with TTL"):
        q = next(r for r in rows if r[0] == label and r[1] == "quokka")
        r = next(r for r in rows if r[0] == label and r[1] == "redis")
        print(f"{label}: quokka/redis RSS bytes per key = {q[3] / r[3]:.2f}, live bytes per key = {q[5] / r[5]:.2f}")


def one_key_memory(args, key, commands, count):
    """Bytes per element of one key filled by commands(start, end) in batches of 1000 elements."""
    rows = []
    quokka, redis = start_both()
    try:
        for s in (quokka, redis):
            def load(s=s):
                for start in range(0, args.keys, 1000):
                    send(s, *commands(start, min(args.keys, start + 1000)))
            n, per, live = measure_load(s, load, lambda: s.cli(count, key))
            usage = int(s.cli("MEMORY", "USAGE", key, "SAMPLES", "0").strip())
            rows.append((s.name, n, per, live, usage / n))
    finally:
        quokka.stop()
        redis.stop()
    print(f"JVM: {jvm_desc()}")
    print(f"{'server':7} {'elements':>9} {'RSS bytes/elem':>15} {'live bytes/elem':>16} {'MEMORY USAGE/elem':>18}")
    for name, n, rss, live, usage in rows:
        print(f"{name:7} {n:9d} {rss:15.1f} {live:16.1f} {usage:18.1f}")
    q, r = rows
    print(f"quokka/redis: RSS per element {q[2] / r[2]:.2f}, live per element {q[3] / r[3]:.2f}")


def stream_memory(args):
    """Bytes per entry of one stream of args.keys entries of two small fields (XADD key * f1 vN f2 x)."""
    one_key_memory(args, "stream", lambda a, b: (["XADD", "stream", "*", "f1", f"v{i}", "f2", "x"] for i in range(a, b)),
                   "XLEN")


def zset_memory(args):
    """Bytes per member of one sorted set of args.keys members m:N with random scores (ZADD, 100 members each)."""
    def commands(a, b):
        rnd = random.Random(a)  # the same scores for both servers
        for c in range(a, b, 100):
            cmd = ["ZADD", "zset"]
            for i in range(c, min(b, c + 100)):
                cmd += [repr(rnd.random() * 1e6), f"m:{i}"]
            yield cmd
    one_key_memory(args, "zset", commands, "ZCARD")


def list_memory(args):
    """Bytes per element of one list of args.keys elements e:N (RPUSH, 100 elements each)."""
    one_key_memory(args, "list", lambda a, b: (["RPUSH", "list"] + [f"e:{i}" for i in range(c, min(b, c + 100))]
                                               for c in range(a, b, 100)), "LLEN")


def write_aof(directory, megabytes, keys):
    """A base file of SET commands (100-byte values over `keys` keys) of about `megabytes` MB, and its manifest."""
    aof = os.path.join(directory, "appendonlydir")
    os.makedirs(aof)
    value = b"v" * 100
    target = megabytes * 1024 * 1024
    written, i = 0, 0
    with open(os.path.join(aof, "appendonly.aof.1.base.aof"), "wb", buffering=1 << 20) as f:
        while written < target:
            chunk = []
            for _ in range(10_000):
                k = b"key:%d" % (i % keys)
                chunk.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$100\r\n%s\r\n" % (len(k), k, value))
                i += 1
            data = b"".join(chunk)
            f.write(data)
            written += len(data)
    open(os.path.join(aof, "appendonly.aof.1.incr.aof"), "wb").close()
    with open(os.path.join(aof, "appendonly.aof.manifest"), "w") as f:
        f.write("file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n")
    return written, i


def load_time(args):
    """Seconds to load the same AOF: launch to the first PONG, and each server's own log line."""
    src = tempfile.mkdtemp(prefix="bench-aof-")
    size, commands = write_aof(src, args.load_time, 2_000_000)
    print(f"AOF: {size / 1e6:.0f} MB, {commands} SET commands over 2,000,000 keys; {jvm_desc()}")
    for name in ("quokka", "redis"):
        d = tempfile.mkdtemp(prefix=f"bench-load-{name}-")
        os.makedirs(os.path.join(d, "appendonlydir"))
        for f in os.listdir(os.path.join(src, "appendonlydir")):
            os.link(os.path.join(src, "appendonlydir", f), os.path.join(d, "appendonlydir", f))
        port = free_port()
        if name == "quokka":
            s = Server(name, quokka_argv(port, "--appendonly", "yes", "--dir", d), port, quokka_env())
        else:
            s = Server(name, redis_argv(port, "--appendonly", "yes", "--dir", d), port)
        keys = s.cli("DBSIZE").strip()
        s.stop()
        with open(s.log.name) as f:
            loaded = [l.strip() for l in f if "DB loaded from append only file" in l]
        print(f"{name:7} launch to PONG {s.startup_ms / 1000:6.2f} s, {keys} keys; log: {loaded[-1] if loaded else '?'}")
        shutil.rmtree(d)
    shutil.rmtree(src)


def bounded(args):
    """Resident memory under a sustained write load at maxmemory 100mb (allkeys-lru), both servers."""
    import threading
    n = args.n or 5_000_000
    print(f"{n} SETs of 100-byte values over 100,000,000 random keys (-P 16 -c 50), maxmemory 100mb allkeys-lru; "
          f"{jvm_desc()}")
    print(f"{'server':7} {'RSS start':>10} {'RSS max':>10} {'RSS end':>10} {'used_memory':>12} {'evicted':>10} {'keys':>9}")
    for name in ("quokka", "redis"):
        port = free_port()
        limits = ["--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru", "--appendonly", "no"]
        if name == "quokka":
            s = Server(name, quokka_argv(port, *limits), port, quokka_env())
        else:
            s = Server(name, redis_argv(port, *limits), port)
        start = s.rss()
        peak = [start]
        done = threading.Event()

        def sample():
            while not done.wait(0.5):
                peak[0] = max(peak[0], s.rss())
        t = threading.Thread(target=sample)
        t.start()
        subprocess.run(["redis-benchmark", "-p", str(port), "-t", "set", "-c", "50", "-P", "16", "-d", "100",
                        "-r", "100000000", "-n", str(n), "-q"], capture_output=True)
        done.set()
        t.join()
        end = s.rss()
        info = s.cli("INFO", "all")
        field = lambda f: next((l.split(":", 1)[1].strip() for l in info.splitlines() if l.startswith(f + ":")), "?")
        keys = s.cli("DBSIZE").strip()
        s.stop()
        mib = lambda b: f"{b / 1048576:.0f}MiB"
        print(f"{name:7} {mib(start):>10} {mib(max(peak[0], end)):>10} {mib(end):>10} "
              f"{mib(int(field('used_memory'))):>12} {field('evicted_keys'):>10} {keys:>9}")


def bgsave(args):
    """BGSAVE of --bgsave keys (DEBUG POPULATE): its time, the file, the load time of the file at the
    next start, and what 20 GET clients see meanwhile (redis-benchmark's latency percentiles), next to
    the same clients without a save."""
    import threading
    keys = args.bgsave
    print(f"BGSAVE of {keys:,} keys (DEBUG POPULATE, 10-byte values), 20 clients GETting random keys; {jvm_desc()}")
    print(f"{'server':7} {'BGSAVE s':>9} {'file MB':>8} {'load s':>7} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} "
          f"{'idle p99':>9} {'idle max':>9}")

    def latencies(port, n):
        out = subprocess.run(["redis-benchmark", "-p", str(port), "-t", "get", "-c", "20", "-r", str(keys),
                              "-n", str(n), "--precision", "3"], capture_output=True, text=True).stdout
        # the summary's second line: avg min p50 p95 p99 max
        lines = out.splitlines()
        for i, l in enumerate(lines):
            if "latency summary" in l:
                v = lines[i + 2].split()
                return float(v[2]), float(v[4]), float(v[5])
        return float("nan"), float("nan"), float("nan")

    for name in ("quokka", "redis"):
        port = free_port()
        d = tempfile.mkdtemp(prefix=f"bench-bgsave-{name}-")
        extra = ["--appendonly", "no", "--save", "", "--dir", d, "--enable-debug-command", "yes"]
        if name == "quokka":
            s = Server(name, quokka_argv(port, *extra), port, quokka_env())
        else:
            s = Server(name, redis_argv(port, *extra), port)
        s.cli("DEBUG", "POPULATE", str(keys))
        _, idle_p99, idle_max = latencies(port, 200_000)
        result = {}

        def clients():
            result["lat"] = latencies(port, 600_000)
        t = threading.Thread(target=clients)
        t.start()
        time.sleep(1)
        t0 = time.monotonic()
        s.cli("BGSAVE")
        while "rdb_bgsave_in_progress:1" in s.cli("INFO", "persistence"):
            time.sleep(0.05)
        took = time.monotonic() - t0
        t.join()
        size = os.path.getsize(os.path.join(d, "dump.rdb"))
        s.stop()
        t1 = time.monotonic()
        if name == "quokka":
            s2 = Server(name, quokka_argv(port, *extra), port, quokka_env())
        else:
            s2 = Server(name, redis_argv(port, *extra), port)
        while "loading:1" in s2.cli("INFO", "persistence"):
            time.sleep(0.05)
        load = time.monotonic() - t1
        s2.stop()
        p50, p99, mx = result["lat"]
        print(f"{name:7} {took:9.2f} {size / 1e6:8.0f} {load:7.2f} {p50:7.3f} {p99:7.3f} {mx:7.2f} {idle_p99:9.3f} "
              f"{idle_max:9.2f}")
        shutil.rmtree(d)


def start_time(args):
    times = []
    for _ in range(args.rounds):
        port = free_port()
        s = Server("quokka", quokka_argv(port), port, quokka_env())
        times.append(s.startup_ms)
        s.stop()
    print(f"launch to first PONG: median {statistics.median(times):.0f} ms over {len(times)} starts "
          f"(min {min(times):.0f}, max {max(times):.0f})")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("-n", type=int,
                    help="requests per run of a 50-client row, default 1,000,000 (pipelined rows: 2x, "
                         "1-client rows: 1/20); --bounded: SETs, default 5,000,000")
    ap.add_argument("--memory", action="store_true")
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--start-time", action="store_true")
    ap.add_argument("--rows", help="only the rows whose label contains this text")
    ap.add_argument("--cold", action="store_true",
                    help="no warm-up: each round's rows meet a JVM just started (the yardstick of short "
                         "redis-benchmark runs against fresh servers, e.g. --cold --rounds 7 -n 100000)")
    ap.add_argument("--types", action="store_true",
                    help="the collection rows: lpush, lpop, rpush, rpop, sadd, hset, spop, zadd, lrange_100 with -P 16")
    ap.add_argument("--commands", action="store_true",
                    help="BITCOUNT of 1 MB, PFADD, PFCOUNT, GEOADD, GEOSEARCH BYRADIUS, SORT of 100 numbers")
    ap.add_argument("--scripts", action="store_true",
                    help="EVALSHA of a GET+INCR script (50 clients, -P 1 and 16) and of a 10,000-step loop")
    ap.add_argument("--streams", action="store_true",
                    help="XADD * (-P 1 and 16), XRANGE of 100 entries, XREADGROUP COUNT 1 >, XACK")
    ap.add_argument("--stream-memory", action="store_true",
                    help="bytes per entry of a stream of --keys entries with two small fields")
    ap.add_argument("--zset-memory", action="store_true",
                    help="bytes per member of a sorted set of --keys members with random scores")
    ap.add_argument("--list-memory", action="store_true",
                    help="bytes per element of a list of --keys small elements")
    ap.add_argument("--aof", choices=["always", "everysec", "no"],
                    help="both servers with appendonly yes and this appendfsync (files in their temp dirs)")
    ap.add_argument("--bounded", action="store_true",
                    help="resident memory under a sustained write load at maxmemory 100mb")
    ap.add_argument("--bgsave", type=int, metavar="KEYS",
                    help="BGSAVE of this many keys: its time and the latency clients see meanwhile")
    ap.add_argument("--load-time", type=int, metavar="MB",
                    help="seconds to load the same AOF of this many MB in each server")
    args = ap.parse_args()
    global AOF_POLICY, MEMORY_MODE
    AOF_POLICY = args.aof
    MEMORY_MODE = args.memory or args.stream_memory or args.zset_memory or args.list_memory
    if not os.path.exists(JAR):
        raise SystemExit("build first: ./mvnw -B -q package -DskipTests")
    if args.memory:
        memory(args)
    elif args.load_time:
        load_time(args)
    elif args.bgsave:
        bgsave(args)
    elif args.bounded:
        bounded(args)
    elif args.start_time:
        start_time(args)
    elif args.commands:
        args.n = args.n or 1_000_000
        command_matrix(args)
    elif args.scripts:
        args.n = args.n or 1_000_000
        command_matrix(args, SCRIPT_ROWS)
    elif args.streams:
        args.n = args.n or 1_000_000
        command_matrix(args, STREAM_ROWS)
    elif args.stream_memory:
        stream_memory(args)
    elif args.list_memory:
        list_memory(args)
    elif args.zset_memory:
        zset_memory(args)
    else:
        args.n = args.n or 1_000_000
        matrix(args)


if __name__ == "__main__":
    main()
