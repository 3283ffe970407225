package dev.quokka.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;


/**
 * Runs units of Redis 7.0.15's own Tcl suite against the packaged Quokka ({@code bin/quokka}, as
 * users run it) and checks that each unit completes and passes at least as many tests as Quokka
 * passed when these floors were set. The units run in two groups at once, each against its own
 * server (the suite changes configuration and flushes everything), each group in upstream's
 * order. Enabled when REDIS_TESTS_DIR and REDIS_SUITE are set, as .ci/run does; the floors only
 * ever go up.
 */
class RedisSuiteIT {
    /**
     * Minimum passes per unit, in the order the units run (redis-server 7.0.15 passes, in this
     * mode: string 75, incr 23, expire 58, keyspace 52, protocol 19, list 220, hash 72, set 95,
     * zset 308, the stream units 63 and 48, functions 86, scripting 186). unit/dump and
     * unit/querybuf run in spawn mode (RedisSuiteSpawnIT), where all their tests run.
     */
    private static final Map<String, Integer> FLOORS_A = SuiteRun.floors(
        "unit/type/string", 74,
        "unit/type/incr", 21,
        "unit/expire", 57,
        "unit/keyspace", 52,
        "unit/protocol", 14,
        "unit/info-command", 3,
        "unit/quit", 3,
        "unit/pubsub", 29,
        "unit/type/list", 219,
        "unit/type/list-2", 2,
        "unit/type/list-3", 11,
        "unit/type/hash", 71,
        "unit/type/set", 93,
        "unit/type/zset", 300);
    /** The second group, run at the same time as the first (about 170 and 210 s on a two-core machine). */
    private static final Map<String, Integer> FLOORS_B = SuiteRun.floors(
        "unit/type/stream", 62,
        "unit/type/stream-cgroups", 47,
        "unit/multi", 35,
        "unit/tracking", 48,
        "unit/scan", 16,
        "unit/sort", 51,
        "unit/other", 10,
        "unit/slowlog", 9,
        "unit/bitops", 43,
        "unit/bitfield", 15,
        "unit/geo", 57,
        "unit/hyperloglog", 15,
        "unit/pause", 13,
        "unit/introspection", 26,
        "unit/introspection-2", 37,
        "unit/functions", 84,
        "unit/scripting", 172);

    @TempDir
    Path dir;

    @Test
    void redisOwnSuiteUnits() throws Exception {
        String testsDir = SuiteRun.testsDir();
        // No maxmemory (the launcher's default is a share of the heap); a heap the units' large
        // values fit in.
        Map<String, String> env = Map.of("QUOKKA_JAVA_OPTS", "-Dquarkus.http.port=0 -Xmx1g");
        try (QuokkaProcess a = QuokkaProcess.start(Files.createDirectories(dir.resolve("server-a")), env, "--maxmemory", "0");
             QuokkaProcess b = QuokkaProcess.start(Files.createDirectories(dir.resolve("server-b")), env, "--maxmemory", "0")) {
            SuiteRun.copyTests(testsDir, dir.resolve("a"));
            SuiteRun.copyTests(testsDir, dir.resolve("b"));
            SuiteRun.check(
                new SuiteRun.Group(List.of("-p", Integer.toString(a.port)), FLOORS_A, dir.resolve("a").toString(),
                    Files.createDirectories(dir.resolve("logs-a")), Map.of(), List.of()),
                new SuiteRun.Group(List.of("-p", Integer.toString(b.port)), FLOORS_B, dir.resolve("b").toString(),
                    Files.createDirectories(dir.resolve("logs-b")), Map.of(), List.of()));
        }
    }
}
