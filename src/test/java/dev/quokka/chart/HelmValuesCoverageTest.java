package dev.quokka.chart;

import com.google.gson.Gson;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every value in helm/quokka/values.yaml reaches the rendered manifests: for each leaf value, a
 * changed value (a flipped boolean, another number, another of the schema's choices, a new
 * string, a list or map with one more entry) is rendered by the real helm over a base values
 * file, and the manifests must differ from the base's. A value that changes nothing under any
 * base (one read by no template, or read only where no base enables it) fails the test. The
 * bases are the chart tests' own values files, which switch on each feature (replicas, Sentinel,
 * monitoring, TLS, network policy, existing Secrets and ConfigMaps). What each value does is
 * asserted in {@link HelmChartTest}; this test keeps a value from being left unwired.
 */
class HelmValuesCoverageTest {
    private static final Path CHART = Path.of("helm/quokka");
    private static final Path VALUES = Path.of("src/test/resources/chart-values");
    /** The bases, in the order tried: the defaults first, then the files that switch features on. */
    private static final List<String> BASES = List.of("", "operator-options.yaml", "sentinel.yaml", "metrics-on.yaml",
        "network-policy.yaml", "tls.yaml", "existing-secret.yaml", "acl-secret.yaml", "existing-claim.yaml",
        "persistence-off.yaml", "no-auth.yaml", "tuned.yaml", "replication.yaml");

    @Test
    void everyValueChangesTheRenderedChart() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = new Yaml().load(Files.readString(CHART.resolve("values.yaml")));
        @SuppressWarnings("unchecked")
        Map<String, Object> schema = new Gson().fromJson(Files.readString(CHART.resolve("values.schema.json")), Map.class);
        Map<List<String>, Object> leaves = new LinkedHashMap<>();
        flatten(List.of(), values, leaves);
        assertTrue(leaves.size() > 100, "values.yaml's leaves: " + leaves.size());

        Map<String, String> baseRenders = new ConcurrentHashMap<>();
        Path dir = Files.createTempDirectory("chart-values");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Map<String, Future<String>> results = new TreeMap<>();
            int n = 0;
            for (Map.Entry<List<String>, Object> leaf : leaves.entrySet()) {
                Path file = dir.resolve("m" + n++ + ".yaml");
                results.put(String.join(".", leaf.getKey()), pool.submit(
                    () -> whereItShows(leaf.getKey(), leaf.getValue(), schema, file, baseRenders)));
            }
            List<String> unwired = new ArrayList<>();
            StringBuilder report = new StringBuilder();
            for (Map.Entry<String, Future<String>> r : results.entrySet()) {
                String where = r.getValue().get();
                report.append(r.getKey()).append(" -> ").append(where == null ? "NO EFFECT" : where).append('\n');
                if (where == null) {
                    unwired.add(r.getKey());
                }
            }
            System.out.print(report);
            assertEquals(List.of(), unwired, "values that change nothing in the rendered chart under any base");
        } finally {
            pool.shutdownNow();
        }
    }

    /** The first base under which some changed value of this leaf changes the manifests, or null. */
    private static String whereItShows(List<String> path, Object value, Map<String, Object> schema, Path file,
                                       Map<String, String> baseRenders) throws Exception {
        for (String base : BASES) {
            String before = baseRenders.computeIfAbsent(base, HelmValuesCoverageTest::renderOrNull);
            if (before == null) {
                continue;
            }
            List<Object> candidates = changes(value, enumAt(schema, path));
            if (!base.isEmpty()) {
                candidates.add(value); // a base that sets this value: back to the default changes it
            }
            for (Object changed : candidates) {
                Files.writeString(file, new Yaml().dump(nest(path, changed)));
                String after;
                try {
                    after = base.isEmpty() ? render(file.toString()) : render(VALUES.resolve(base).toString(), file.toString());
                } catch (IllegalStateException refused) {
                    continue; // the schema or a template refuses this change under this base: try another
                }
                if (!after.equals(before)) {
                    return (base.isEmpty() ? "defaults" : base) + " with " + changed;
                }
            }
        }
        return null;
    }

    /** Values that differ from the default, of the same shape, the likeliest to be accepted first. */
    private static List<Object> changes(Object value, List<?> choices) {
        List<Object> out = new ArrayList<>();
        if (value instanceof Boolean b) {
            out.add(!b);
        } else if (value instanceof Integer i) {
            out.add(i + 1);
            out.add(i - 1);
            out.add(i + 1000);
        } else if (value instanceof String s) {
            if (choices != null) {
                choices.stream().filter(c -> !c.equals(s)).forEach(out::add);
            }
            out.add("mutated7");
            out.add("sha256:" + "7".repeat(64));
            out.add("7");
            out.add("");
        } else if (value instanceof List<?> l) {
            out.add(List.of(Map.of("name", "mutated7", "value", "x")));
            out.add(List.of("mutated7"));
            if (!l.isEmpty()) {
                out.add(List.of());
            }
        } else if (value instanceof Map<?, ?>) {
            out.add(Map.of("mutated7", "x"));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(List<String> path, Object v, Map<List<String>, Object> out) {
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                List<String> p = new ArrayList<>(path);
                p.add(e.getKey());
                flatten(p, e.getValue(), out);
            }
        } else {
            out.put(path, v);
        }
    }

    private static Map<String, Object> nest(List<String> path, Object leaf) {
        Object v = leaf;
        for (int i = path.size() - 1; i >= 0; i--) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(path.get(i), v);
            v = m;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> top = (Map<String, Object>) v;
        return top;
    }

    /** The schema's enum for this path, if it has one. */
    @SuppressWarnings("unchecked")
    private static List<?> enumAt(Map<String, Object> schema, List<String> path) {
        Map<String, Object> node = schema;
        for (String key : path) {
            Map<String, Object> props = (Map<String, Object>) node.get("properties");
            if (props == null || !props.containsKey(key)) {
                return null;
            }
            node = (Map<String, Object>) props.get(key);
        }
        return (List<?>) node.get("enum");
    }

    private static String renderOrNull(String base) {
        try {
            return base.isEmpty() ? render() : render(VALUES.resolve(base).toString());
        } catch (Exception e) {
            throw new AssertionError("base " + base + " does not render", e);
        }
    }

    /** helm template with these values files; the random password is the only part that varies, so it is masked. */
    private static String render(String... files) throws Exception {
        List<String> args = new ArrayList<>(List.of("template", "rel", CHART.toString(), "--namespace", "cache"));
        for (String f : files) {
            args.add("--values");
            args.add(f);
        }
        return HelmChartTest.helm(args.toArray(new String[0])).replaceAll("password: \"[A-Za-z0-9+/=]{32}\"", "password: <generated>");
    }
}
