package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;


/**
 * Runs units of Redis 7.0.15's own Tcl suite against an in-process Quokka (its own app instance,
 * because the suite changes configuration) and checks that each unit completes and passes at
 * least as many tests as Quokka passed when these floors were set. Enabled when REDIS_TESTS_DIR
 * and REDIS_SUITE are set, as .ci/run does; the floors only ever go up.
 */
@QuarkusTest
@TestProfile(RedisSuiteTest.OwnInstance.class)
class RedisSuiteTest extends QuokkaTest {
    /** A separate app instance: the suite's CONFIG SET calls must not leak into other tests. */
    public static class OwnInstance implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "suite";
        }
    }

    /**
     * Minimum passes per unit, in the order the units run (redis-server 7.0.15 passes, in this
     * mode: string 75, incr 23, expire 58, keyspace 52, protocol 19, list 220, hash 72, set 95,
     * zset 308, the stream units 63 and 48, functions 86, scripting 186). unit/dump and
     * unit/querybuf run in spawn mode (RedisSuiteSpawnIT), where all their tests run.
     */
    private static final Map<String, Integer> FLOORS = SuiteRun.floors(
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
        "unit/type/zset", 300,
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


    @Test
    void redisOwnSuiteUnits() throws Exception {
        String testsDir = System.getenv("REDIS_TESTS_DIR");
        String suite = System.getenv("REDIS_SUITE");
        Assumptions.assumeTrue(testsDir != null && suite != null,
            "REDIS_TESTS_DIR and REDIS_SUITE are not set (.ci/run sets them)");
        SuiteRun.check(List.of("-p", Integer.toString(port())), FLOORS, testsDir,
            java.nio.file.Files.createTempDirectory("redis-suite-logs"), Map.of(), List.of());
    }
}
