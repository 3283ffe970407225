package dev.quokka.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis 7.0.15's own suite in its normal ("spawn") mode, with the packaged Quokka as the server
 * it starts: a copy of the suite's tests whose {@code src/redis-server} is a two-line script that
 * execs {@code bin/quokka "$@"}, so the harness starts Quokka with its generated config file and
 * {@code --name value} arguments, waits for its logo's PID and "Ready to accept connections", and
 * restarts it with other configs (ACL files, user lines, requirepass) as it does redis-server.
 * Each unit must complete with at least its floor of passes. Enabled when REDIS_TESTS_DIR and
 * REDIS_SUITE are set, as .ci/run does.
 */
class RedisSuiteSpawnIT {
    /**
     * Minimum passes per unit (redis-server 7.0.15 in the same mode: auth 10, acl 90, limits 1,
     * pubsubshard 11, querybuf 2).
     */
    private static final Map<String, Integer> FLOORS = new LinkedHashMap<>();

    static {
        FLOORS.put("unit/auth", 9);
        FLOORS.put("unit/acl", 85);
        FLOORS.put("unit/limits", 1);
        FLOORS.put("unit/pubsubshard", 10);
        FLOORS.put("unit/querybuf", 2);
    }

    @TempDir
    Path dir;

    @Test
    void redisOwnSuiteSpawnsQuokka() throws Exception {
        String testsDir = System.getenv("REDIS_TESTS_DIR");
        String suite = System.getenv("REDIS_SUITE");
        Assumptions.assumeTrue(testsDir != null && suite != null,
            "REDIS_TESTS_DIR and REDIS_SUITE are not set (.ci/run sets them)");
        Path root = dir.resolve("redis");
        copy(Path.of(testsDir).resolve("tests"), root.resolve("tests"));
        Path src = Files.createDirectories(root.resolve("src"));
        Path server = src.resolve("redis-server");
        Files.writeString(server, "#!/bin/sh\nexec " + System.getProperty("quokka.launcher") + " \"$@\"\n");
        Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwxr-xr-x"));
        // The harness runs the Redis tools it needs from src/ (redis-cli in some units).
        for (String tool : List.of("redis-cli", "redis-benchmark", "redis-check-aof", "redis-check-rdb")) {
            for (String d : System.getenv("PATH").split(":")) {
                Path p = Path.of(d, tool);
                if (Files.isExecutable(p)) {
                    Files.createSymbolicLink(src.resolve(tool), p);
                    break;
                }
            }
        }
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> cmd = new ArrayList<>(List.of("bash", suite, "--spawn", "-n", "60", "--exit-zero", "--log-dir",
            logs.toString()));
        cmd.addAll(FLOORS.keySet());
        // Four test clients rather than the suite's sixteen: each spawned server is a JVM starting
        // up, and sixteen at once on a two-core machine make the harness's timeouts the test.
        cmd.addAll(List.of("--", "--clients", "4"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("REDIS_TESTS_DIR", root.toString());
        // Each spawned server is a JVM: a small heap each, as several run at once.
        pb.environment().put("QUOKKA_JAVA_OPTS", "-Xmx256m");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.MINUTES));
        System.out.println(out);
        Map<String, Integer> passed = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 7 && FLOORS.containsKey(f[0])) {
                passed.put(f[0], Integer.parseInt(f[1]));
            }
        }
        StringBuilder failures = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : (Iterable<Path>) files::iterator) {
                for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
                    if (line.startsWith("[err]") || line.startsWith("[exception]") || line.contains("Expected ")) {
                        failures.append(log.getFileName()).append(": ").append(line).append('\n');
                    }
                }
            }
        }
        System.out.println(failures);
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 7 && FLOORS.containsKey(f[0])) {
                assertEquals("complete", f[6], line + "\n" + failures);
            }
        }
        for (Map.Entry<String, Integer> floor : FLOORS.entrySet()) {
            Integer got = passed.get(floor.getKey());
            assertTrue(got != null && got >= floor.getValue(),
                floor.getKey() + " passed " + got + ", floor " + floor.getValue() + "\n" + out + "\n" + failures);
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
