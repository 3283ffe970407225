package dev.quokka.ops;

import dev.quokka.command.Server;
import dev.quokka.config.LaunchArguments;
import dev.quokka.config.MemoryLimits;
import dev.quokka.config.QuokkaConfig;
import dev.quokka.config.ServerConfig;
import dev.quokka.eviction.Evictor;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.KeyspaceEvents;
import dev.quokka.persistence.AppendOnlyFile;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/**
 * The composition root: builds the configuration, keyspace, append-only file, evictor and the
 * {@link Server} on top of them, and subscribes each to the settings that change it. Everything
 * else receives what it needs from here; nothing below points back up.
 */
@Singleton
public class ServerAssembly {
    @Inject
    QuokkaConfig startupConfig;

    private Server server;

    /** The assembled server, for the listener, the lifecycle jobs and the tests. */
    @Produces
    @Singleton
    Server server() {
        return server;
    }

    /** A server outside CDI, with no listener, for benchmarks and pure-logic tests. */
    public static Server standalone(QuokkaConfig config) {
        return assemble(config);
    }

    @PostConstruct
    void init() {
        server = assemble(startupConfig);
    }

    private static Server assemble(QuokkaConfig startupConfig) {
        ServerConfig config = new ServerConfig();
        config.applyStartup(startupConfig, LaunchArguments.directives());
        Keyspace keyspace = new Keyspace(config.getInt("databases"));
        AppendOnlyFile aof = new AppendOnlyFile(keyspace);
        aof.configure(Path.of(config.get("dir")).resolve(config.get("appenddirname")), config.get("appendfilename"),
            config.get("appendfsync"), config.getBool("aof-load-truncated"));
        config.onChange("appendfsync", aof::fsync);
        config.onChange("aof-load-truncated", v -> aof.loadTruncated("yes".equals(v)));
        Evictor evictor = new Evictor(keyspace, aof);
        MemoryLimits.apply(config, LaunchArguments.directives().containsKey("maxmemory")
            || startupConfig.maxmemory().isPresent());
        evictor.maxmemory(config.getLong("maxmemory"));
        evictor.policy(config.get("maxmemory-policy"));
        evictor.samples(config.getInt("maxmemory-samples"));
        keyspace.lfu(config.getInt("lfu-log-factor"), config.getInt("lfu-decay-time"));
        config.onChange("maxmemory", v -> {
            // Like Redis's CONFIG SET maxmemory: a lower limit evicts at once.
            evictor.maxmemory(Long.parseLong(v));
            evictor.performEvictions();
        });
        config.onChange("maxmemory-policy", evictor::policy);
        config.onChange("maxmemory-samples", v -> evictor.samples(Integer.parseInt(v)));
        config.onChange("lfu-log-factor", v -> keyspace.lfu(Integer.parseInt(v), config.getInt("lfu-decay-time")));
        config.onChange("lfu-decay-time", v -> keyspace.lfu(config.getInt("lfu-log-factor"), Integer.parseInt(v)));
        if (config.getBool("appendonly")) {
            // Nothing is served but -LOADING until the files are replayed (Persistence).
            keyspace.loading(true);
        }
        applyEncodings(config, keyspace);
        for (String p : new String[] {"hash-max-listpack-entries", "hash-max-listpack-value", "set-max-intset-entries",
            "zset-max-listpack-entries", "zset-max-listpack-value"}) {
            config.onChange(p, v -> applyEncodings(config, keyspace));
        }
        Server server = new Server(config, keyspace, aof, evictor);
        keyspace.onModified((db, key) -> {
            server.tracking().invalidate(key, server.clients().current());
            server.transactions().touch(db, key);
        });
        keyspace.onWritable((db, key) -> {
            if (server.blocking().anyWaiting()) {
                server.blocking().signal(db, key);
            }
        });
        config.onChange("notify-keyspace-events",
            v -> keyspace.notifications(KeyspaceEvents.parse(v), server.pubsub()::publish));
        keyspace.notifications(KeyspaceEvents.parse(config.get("notify-keyspace-events")), server.pubsub()::publish);
        return server;
    }

    /** The encoding thresholds, read by the data-type commands from the keyspace. */
    private static void applyEncodings(ServerConfig config, Keyspace keyspace) {
        keyspace.hashMaxListpackEntries = config.getLong("hash-max-listpack-entries");
        keyspace.hashMaxListpackValue = config.getLong("hash-max-listpack-value");
        keyspace.setMaxIntsetEntries = config.getLong("set-max-intset-entries");
        keyspace.zsetMaxListpackEntries = config.getLong("zset-max-listpack-entries");
        keyspace.zsetMaxListpackValue = config.getLong("zset-max-listpack-value");
    }
}
