package dev.quokka.bench;

import java.util.Map;

/** The configuration of benchmarks and tests that build a server without CDI: defaults, a free port, no maxmemory. */
public final class BenchConfig {
    /** Directives over Redis's defaults ({@code maxmemory 0} given, so no container default applies). */
    public static final Map<String, String> DIRECTIVES = Map.of("port", "0", "maxmemory", "0");

    private BenchConfig() {
    }
}
