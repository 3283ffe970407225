package dev.quokka.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code ../shared/tools/redis-suite} on some units and checks its table: every unit
 * complete, each with at least its floor of passes; the failed tests of the raw logs are printed.
 */
final class SuiteRun {
    private SuiteRun() {
    }

    /** Unit, floor, unit, floor ... as an ordered map (the order the units run in). */
    static Map<String, Integer> floors(Object... unitThenFloor) {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < unitThenFloor.length; i += 2) {
            m.put((String) unitThenFloor[i], (Integer) unitThenFloor[i + 1]);
        }
        return m;
    }

    /**
     * @param args     the helper's options (before the units)
     * @param floors   unit to minimum passes, in the order the units run
     * @param testsDir the checkout holding tests/ (REDIS_TESTS_DIR)
     * @param logs     where the helper keeps the raw logs
     * @param after    the helper's arguments after the units ({@code -- ...} for test_helper), or none
     */
    static void check(List<String> args, Map<String, Integer> floors, String testsDir, Path logs,
                      Map<String, String> env, List<String> after) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", System.getenv("REDIS_SUITE")));
        cmd.addAll(args);
        // The suite's no-progress watchdog: one test of unit/hyperloglog (the dense/sparse fuzzing)
        // takes 48 s against redis-server itself on a two-core machine, most of it the Tcl client.
        cmd.addAll(List.of("-n", "150", "--exit-zero", "--log-dir", logs.toString()));
        cmd.addAll(floors.keySet());
        cmd.addAll(after);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("REDIS_TESTS_DIR", testsDir);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.MINUTES));
        System.out.println(out);
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
        Map<String, Integer> passed = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 7 && floors.containsKey(f[0])) {
                passed.put(f[0], Integer.parseInt(f[1]));
                assertEquals("complete", f[6], line + "\n" + failures);
            }
        }
        for (Map.Entry<String, Integer> floor : floors.entrySet()) {
            Integer got = passed.get(floor.getKey());
            assertTrue(got != null && got >= floor.getValue(),
                floor.getKey() + " passed " + got + ", floor " + floor.getValue() + "\n" + out + "\n" + failures);
        }
    }
}
