package dev.quokka.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Quokka's start-up configuration, under Redis's directive names: {@code quokka.port} in
 * {@code application.properties}, {@code QUOKKA_PORT} in the environment, {@code -Dquokka.port}
 * on the JVM, or {@code --port} to the launcher. Settings that Redis allows to change at run time
 * are also in {@link ServerConfig} for CONFIG GET/SET.
 */
@ConfigMapping(prefix = "quokka")
public interface QuokkaConfig {
    /** TCP port for RESP clients; 0 picks a free port. */
    @WithDefault("6379")
    int port();

    /** Address to listen on (Redis's {@code bind}); {@code 0.0.0.0} for every interface. */
    @WithDefault("127.0.0.1")
    String bind();

    /** Number of databases (SELECT 0..N-1). */
    @WithDefault("16")
    int databases();

    /** Working directory: where the append-only file lives. */
    @WithDefault(".")
    String dir();

    /** Whether the append-only file is on ({@code yes}/{@code no}). */
    @WithDefault("no")
    String appendonly();

    /** fsync policy of the append-only file: {@code always}, {@code everysec} or {@code no}. */
    @WithDefault("everysec")
    String appendfsync();

    /**
     * Memory limit for the dataset, with Redis's units ({@code 100mb}, {@code 1gb}); 0 for none.
     * Unset, it is 0, except in a container with a memory limit, where it is half the JVM heap.
     */
    Optional<String> maxmemory();

    /** What to do at {@code maxmemory}: {@code noeviction}, {@code allkeys-lru}, ... */
    @WithDefault("noeviction")
    String maxmemoryPolicy();

    /** Background task frequency: active expiry runs every 1000/hz ms (1..500). */
    @WithDefault("10")
    int hz();

    /** Password for the {@code default} user; unset means no AUTH is needed. */
    Optional<String> requirepass();

    /** Largest bulk string a client may send, with Redis's units. */
    @WithDefault("512mb")
    String protoMaxBulkLen();

    /** Most clients connected at once. */
    @WithDefault("10000")
    int maxclients();
}
