package dev.quokka.bench;

import dev.quokka.config.QuokkaConfig;

import java.util.Optional;

/** The default configuration, for benchmarks and tests that build a server context without CDI. */
public final class BenchConfig implements QuokkaConfig {
    @Override public int port() { return 0; }
    @Override public String bind() { return "127.0.0.1"; }
    @Override public int databases() { return 16; }
    @Override public String dir() { return "."; }
    @Override public String appendonly() { return "no"; }
    @Override public String appendfsync() { return "everysec"; }
    @Override public Optional<String> maxmemory() { return Optional.of("0"); }
    @Override public String maxmemoryPolicy() { return "noeviction"; }
    @Override public int hz() { return 10; }
    @Override public Optional<String> requirepass() { return Optional.empty(); }
    @Override public String protoMaxBulkLen() { return "512mb"; }
    @Override public int maxclients() { return 10000; }
}
