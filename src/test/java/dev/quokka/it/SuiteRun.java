package dev.quokka.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * Runs {@code ../shared/tools/redis-suite} on some units and checks its table: every unit
 * complete, each with at least its floor of passes; the failed tests of the raw logs are printed.
 * Several groups of units can run at once (the helper runs one unit after another, and most of a
 * unit's time is the Tcl client or its waits): each group in its own copy of the tests, whose
 * harness cleans its own {@code tests/tmp}, against its own server.
 */
final class SuiteRun {
    private SuiteRun() {
    }

    /**
     * One run of the helper.
     *
     * @param args     the helper's options (before the units)
     * @param floors   unit to minimum passes, in the order the units run
     * @param testsDir the checkout holding tests/ (REDIS_TESTS_DIR)
     * @param logs     where the helper keeps the raw logs
     * @param env      more environment variables for the helper
     * @param after    the helper's arguments after the units ({@code -- ...} for test_helper), or none
     */
    record Group(List<String> args, Map<String, Integer> floors, String testsDir, Path logs,
                 Map<String, String> env, List<String> after) {
    }

    /** Unit, floor, unit, floor ... as an ordered map (the order the units run in). */
    static Map<String, Integer> floors(Object... unitThenFloor) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < unitThenFloor.length; i += 2) {
            m.put((String) unitThenFloor[i], (Integer) unitThenFloor[i + 1]);
        }
        return m;
    }

    /** REDIS_TESTS_DIR, the test skipped unless it and REDIS_SUITE are set (as .ci/run sets them). */
    static String testsDir() {
        String testsDir = System.getenv("REDIS_TESTS_DIR");
        org.junit.jupiter.api.Assumptions.assumeTrue(testsDir != null && System.getenv("REDIS_SUITE") != null,
            "REDIS_TESTS_DIR and REDIS_SUITE are not set (.ci/run sets them)");
        return testsDir;
    }

    /** Copies the suite's tests/ into {@code root}/tests (a checkout of its own for one group). */
    static void copyTests(String testsDir, Path root) throws Exception {
        Path from = Path.of(testsDir).resolve("tests");
        Path to = root.resolve("tests");
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

    /** Runs the groups at once and checks every unit of each. */
    static void check(Group... groups) throws Exception {
        List<Process> running = new ArrayList<>();
        List<Path> summaries = new ArrayList<>();
        for (Group g : groups) {
            List<String> cmd = new ArrayList<>(List.of("bash", System.getenv("REDIS_SUITE")));
            cmd.addAll(g.args());
            // The suite's no-progress watchdog: one test of unit/hyperloglog (the dense/sparse fuzzing)
            // takes 48 s against redis-server itself on a two-core machine, most of it the Tcl client.
            cmd.addAll(List.of("-n", "150", "--exit-zero", "--log-dir", g.logs().toString()));
            cmd.addAll(g.floors().keySet());
            cmd.addAll(g.after());
            Path summary = g.logs().resolveSibling(g.logs().getFileName() + ".summary");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(summary.toFile());
            pb.environment().put("REDIS_TESTS_DIR", g.testsDir());
            pb.environment().putAll(g.env());
            running.add(pb.start());
            summaries.add(summary);
        }
        StringBuilder out = new StringBuilder();
        StringBuilder failures = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            assertTrue(running.get(i).waitFor(20, TimeUnit.MINUTES), "the suite did not end");
            out.append(Files.readString(summaries.get(i), StandardCharsets.ISO_8859_1));
            try (Stream<Path> files = Files.list(groups[i].logs())) {
                for (Path log : (Iterable<Path>) files::iterator) {
                    for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
                        if (line.startsWith("[err]") || line.startsWith("[exception]") || line.contains("Expected ")) {
                            failures.append(log.getFileName()).append(": ").append(line).append('\n');
                        }
                    }
                }
            }
        }
        System.out.println(out);
        System.out.println(failures);
        Map<String, Integer> floors = new LinkedHashMap<>();
        for (Group g : groups) {
            floors.putAll(g.floors());
        }
        Map<String, Integer> passed = new HashMap<>();
        for (String line : out.toString().split("\n")) {
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
