package dev.quokka.it;

import dev.quokka.differential.DifferentialRun;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generative differential test ({@link DifferentialRun}) against the packaged server and
 * redis-server 7.0.15, both started here with {@code enable-debug-command yes}. In the build: a
 * short run with a fixed seed, failing when any family's share of identical replies falls below
 * its floor. On demand, a long run with a random seed:
 * {@code ./mvnw verify -Dtest=none -Dit.test=GenerativeDifferentialIT -Ddifferential.commands=200000 -Ddifferential.seed=random}.
 * The report (per-family percentages and the first differences of each kind) is printed and
 * written to {@code target/differential-report.txt}.
 */
class GenerativeDifferentialIT {
    /** Every family of commands Quokka implements, in the build's seeded run. */
    private static final double FLOOR = 99.9;
    /** Families whose floor is lower, and why. */
    private static final Map<String, Double> FLOORS = Map.of();

    @Test
    void repliesMatchRedis() throws Exception {
        String seedProperty = System.getProperty("differential.seed", "20261204");
        long seed = seedProperty.equals("random") ? new java.util.Random().nextLong() : Long.parseLong(seedProperty);
        long commands = Long.getLong("differential.commands", 30_000);
        QuokkaProcess q = QuokkaProcess.start(Files.createTempDirectory("quokka-generative"),
            "--enable-debug-command", "yes");
        DifferentialRun.Result result;
        try (RedisServerProcess r = new RedisServerProcess(Files.createTempDirectory("redis-generative"),
                "--enable-debug-command", "yes")) {
            result = DifferentialRun.run(q.port, r.port(), seed, commands);
        } finally {
            q.close();
        }
        System.out.print(result.report());
        Files.writeString(Path.of("target", "differential-report.txt"), result.report());
        for (String family : result.families().keySet()) {
            double floor = FLOORS.getOrDefault(family, FLOOR);
            assertTrue(result.percent(family) >= floor, family + ": " + String.format("%.3f", result.percent(family))
                + "% of replies identical, below the floor of " + floor + "% (seed " + seed + "):\n" + result.report());
        }
    }
}
