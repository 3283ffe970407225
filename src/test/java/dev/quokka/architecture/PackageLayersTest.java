package dev.quokka.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package graph of {@code src/main/java} points one way (docs/architecture.md): each
 * top-level package under {@code dev.quokka} may use only the packages below it in {@link #LAYERS}.
 * Uses are read from the sources (imports and fully qualified names, comments left out), so an
 * arrow pointing up, and with it any circle, fails here with the file that draws it.
 */
class PackageLayersTest {
    /** Bottom to top. */
    static final List<String> LAYERS = List.of("config", "protocol", "keyspace", "persistence", "eviction", "acl",
        "session", "replication", "command", "server", "ops");

    private static final Pattern PACKAGE = Pattern.compile("^package dev\\.quokka\\.(\\w+)", Pattern.MULTILINE);
    private static final Pattern USE = Pattern.compile("\\bdev\\.quokka\\.(\\w+)\\.");

    @Test
    void everyArrowPointsDown() throws IOException {
        Map<String, Integer> edges = new TreeMap<>();
        List<String> upward = new ArrayList<>();
        Path root = Path.of("src/main/java/dev/quokka");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path f : files) {
            String src = Files.readString(f);
            Matcher pm = PACKAGE.matcher(src);
            assertTrue(pm.find(), f + " has no dev.quokka package");
            String from = pm.group(1);
            assertTrue(LAYERS.contains(from), "package " + from + " is in no layer: add it to LAYERS and the docs");
            String code = src.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
            Matcher m = USE.matcher(code);
            while (m.find()) {
                String to = m.group(1);
                if (to.equals(from)) {
                    continue;
                }
                edges.merge(from + " -> " + to, 1, Integer::sum);
                if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) {
                    upward.add(root.relativize(f) + " uses " + to);
                }
            }
        }
        System.out.println("package graph (uses per arrow): " + edges);
        assertEquals(List.of(), upward, "arrows pointing up");
    }
}
