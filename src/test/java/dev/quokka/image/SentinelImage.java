package dev.quokka.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code ./mvnw package -Dquokka.sentinelImage=REGISTRY/quokka-sentinel:TAG} (pom.xml, profile
 * sentinel-image): Redis's own Sentinel, unmodified, as a small image for the chart's
 * {@code sentinel.enabled}, made the way Quokka's image is made, with no Docker daemon: Debian's
 * packages of {@code redis-sentinel} (the {@code redis-check-rdb} binary it links to, from
 * {@code redis-tools}) and the shared libraries it loads, plus a static busybox for the chart's
 * {@code sh -c}, downloaded with {@code apt-get download} (the build machine must be Debian 12, as
 * this project's are), unpacked with {@code dpkg-deb -x} and pushed with Jib from scratch as one
 * layer: runs as uid 185, {@code /data} owned by it and a volume, entrypoint {@code redis-sentinel}.
 * Symbolic links are stored as copies of their targets (Jib writes regular files).
 */
public final class SentinelImage {
    /** What redis-sentinel 7.0.15 loads on Debian 12 (ldd), and busybox. */
    static final List<String> PACKAGES = List.of("redis-sentinel", "redis-tools", "libc6", "libatomic1", "libjemalloc2", "liblzf1",
        "libssl3", "libsystemd0", "libcap2", "libgcrypt20", "libgpg-error0", "liblzma5", "libzstd1", "liblz4-1",
        "libstdc++6", "libgcc-s1", "busybox-static");

    private SentinelImage() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || args[0].isBlank()) {
            throw new IllegalArgumentException("usage: SentinelImage REGISTRY/NAME:TAG");
        }
        ImageReference ref = ImageReference.parse(args[0]);
        Consumer<LogEvent> log = e -> {
            if (e.getLevel().compareTo(LogEvent.Level.LIFECYCLE) <= 0) {
                System.out.println("[sentinel image] " + e.getMessage());
            }
        };
        Path work = Files.createTempDirectory("quokka-sentinel-image");
        Path debs = Files.createDirectories(work.resolve("debs"));
        Path root = Files.createDirectories(work.resolve("root"));
        List<String> download = new ArrayList<>(List.of("apt-get", "download", "-q"));
        download.addAll(PACKAGES);
        run(debs, download);
        try (Stream<Path> files = Files.list(debs)) {
            for (Path deb : files.filter(f -> f.toString().endsWith(".deb")).sorted().toList()) {
                run(debs, List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
            }
        }
        for (String gone : List.of("usr/share/doc", "usr/share/man", "usr/share/locale", "usr/share/lintian",
                "usr/share/gdb", "usr/share/bash-completion", "etc/init.d", "etc/logrotate.d", "etc/default",
                "usr/lib/x86_64-linux-gnu/gconv")) {
            deleteTree(root.resolve(gone));
        }
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nsentinel:x:185:0:sentinel:/data:/bin/sh\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\n");

        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("redis-sentinel");
        Instant time = Instant.ofEpochSecond(1);
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted().toList()) {
                if (p.equals(root) || Files.isDirectory(p) || !Files.exists(p)) {
                    continue; // directories come with their files; a dangling link has nothing to copy
                }
                AbsoluteUnixPath at = AbsoluteUnixPath.get("/" + root.relativize(p).toString().replace('\\', '/'));
                layer.addEntry(new FileEntry(p, at, FilePermissions.fromPosixFilePermissions(
                    Files.getPosixFilePermissions(p)), time, "0:0"));
            }
        }
        Path busybox = root.resolve("bin/busybox");
        for (String applet : List.of("sh", "cp")) { // what the chart's command runs (copies: Jib writes no links)
            layer.addEntry(new FileEntry(busybox, AbsoluteUnixPath.get("/bin/" + applet),
                FilePermissions.fromOctalString("755"), time, "0:0"));
        }
        Path empty = Files.createDirectories(work.resolve("empty"));
        layer.addEntry(new FileEntry(empty, AbsoluteUnixPath.get("/data"), FilePermissions.fromOctalString("775"), time,
            "185:0"));
        layer.addEntry(new FileEntry(empty, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"), time,
            "0:0"));
        layer.addEntry(new FileEntry(empty, AbsoluteUnixPath.get("/proc"), FilePermissions.fromOctalString("555"), time,
            "0:0"));
        JibContainer image = Jib.fromScratch()
            .addFileEntriesLayer(layer.build())
            .setEntrypoint("redis-sentinel")
            .setUser("185")
            .setWorkingDirectory(AbsoluteUnixPath.get("/data"))
            .addVolume(AbsoluteUnixPath.get("/data"))
            .addEnvironmentVariable("PATH", "/usr/bin:/bin")
            .addExposedPort(com.google.cloud.tools.jib.api.buildplan.Port.tcp(26379))
            .containerize(Containerizer.to(DataVolumeLayer.withCredentials(RegistryImage.named(ref), ref, log))
                .setAllowInsecureRegistries(Boolean.getBoolean("quarkus.container-image.insecure"))
                .setToolName("quokka")
                .addEventHandler(LogEvent.class, log::accept));
        deleteTree(work);
        System.out.println("[sentinel image] pushed " + ref + " (redis-sentinel from Debian's packages): " + image.getDigest());
    }

    private static void run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (a Debian machine with apt is needed):\n" + out);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(p)) {
            for (Path f : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
