package dev.quokka.ops;

import dev.quokka.command.Server;
import dev.quokka.command.acl.AclFile;
import dev.quokka.config.BuildInfo;
import dev.quokka.config.LaunchArguments;
import dev.quokka.config.MemoryLimits;
import dev.quokka.config.ServerConfig;
import dev.quokka.config.Setting;
import dev.quokka.config.Settings;
import dev.quokka.eviction.Evictor;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.persistence.AppendOnlyFile;
import dev.quokka.persistence.Effects;
import dev.quokka.persistence.EffectsStream;
import dev.quokka.replication.Primary;
import dev.quokka.persistence.RdbFile;
import dev.quokka.persistence.RdbSaves;
import dev.quokka.session.Blocking;
import dev.quokka.session.Client;
import dev.quokka.session.Clients;
import dev.quokka.session.Tracking;
import dev.quokka.session.Transactions;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The composition root: builds the configuration, keyspace, append-only file, evictor and the
 * {@link Server} on top of them, and subscribes each to the settings that change it. Everything
 * else receives what it needs from here; nothing below points back up.
 *
 * <p>The start-up configuration is every {@link Settings} parameter found as {@code quokka.<name>}
 * in Quarkus's configuration ({@code application.properties}, {@code -Dquokka.port}, the
 * environment's {@code QUOKKA_PORT}), then the launcher's redis-server style directives.
 */
@Singleton
public class ServerAssembly {
    private Server server;

    /** The assembled server, for the listener, the lifecycle jobs and the tests. */
    @Produces
    @Singleton
    Server server() {
        return server;
    }

    @PostConstruct
    void init() {
        Map<String, String> directives = new LinkedHashMap<>();
        Config mp = ConfigProvider.getConfig();
        for (Setting<?> s : Settings.all()) {
            mp.getOptionalValue("quokka." + s.name(), String.class).ifPresent(v -> directives.put(s.name(), v));
        }
        directives.putAll(LaunchArguments.directives());
        server = standalone(directives);
    }

    /**
     * A server built from {@code directives} (Redis parameter names and values) over the
     * defaults, with no listener: for benchmarks and pure-logic tests, and for {@link #init}.
     */
    public static Server standalone(Map<String, String> directives) {
        ServerConfig config = ServerConfig.of(directives);
        Keyspace keyspace = new Keyspace(config.getInt(Settings.DATABASES));
        AppendOnlyFile aof = new AppendOnlyFile(keyspace);
        EffectsStream effects = new EffectsStream();
        effects.add(aof);
        keyspace.onExpiredDeletion((db, key) -> effects.propagate(db, Effects.del(key)));
        aof.configure(Path.of(config.get(Settings.DIR)).resolve(config.get(Settings.APPENDDIRNAME)),
            config.get(Settings.APPENDFILENAME), config.get(Settings.APPENDFSYNC), config.get(Settings.AOF_LOAD_TRUNCATED));
        config.onChange(Settings.APPENDFSYNC, aof::fsync);
        config.onChange(Settings.AOF_LOAD_TRUNCATED, aof::loadTruncated);
        Evictor evictor = new Evictor(keyspace, aof, effects);
        MemoryLimits.apply(config, directives.containsKey(Settings.MAXMEMORY.name()));
        evictor.maxmemory(config.get(Settings.MAXMEMORY));
        evictor.policy(config.get(Settings.MAXMEMORY_POLICY));
        evictor.samples(config.getInt(Settings.MAXMEMORY_SAMPLES));
        // A lower limit evicts after the command, not inside it (Redis's startEvictionTimeProc): before
        // the next command, and on the expiry tick until under it (Evictor.evictPending), each DEL on its own.
        config.onChange(Settings.MAXMEMORY, evictor::maxmemory);
        config.onChange(Settings.MAXMEMORY_POLICY, evictor::policy);
        config.onChange(Settings.MAXMEMORY_SAMPLES, v -> evictor.samples(v.intValue()));
        applyLfu(config, keyspace);
        config.onChange(Settings.LFU_LOG_FACTOR, v -> applyLfu(config, keyspace));
        config.onChange(Settings.LFU_DECAY_TIME, v -> applyLfu(config, keyspace));
        if (config.get(Settings.APPENDONLY)) {
            // Nothing is served but -LOADING until the files are replayed (PersistenceLifecycle).
            keyspace.loading(true);
        }
        applyEncodings(config, keyspace);
        for (Setting<Long> p : List.of(Settings.HASH_MAX_LISTPACK_ENTRIES, Settings.HASH_MAX_LISTPACK_VALUE,
            Settings.SET_MAX_INTSET_ENTRIES, Settings.ZSET_MAX_LISTPACK_ENTRIES, Settings.ZSET_MAX_LISTPACK_VALUE,
            Settings.STREAM_NODE_MAX_BYTES, Settings.STREAM_NODE_MAX_ENTRIES)) {
            config.onChange(p, v -> applyEncodings(config, keyspace));
        }
        RdbSaves rdb = new RdbSaves(keyspace);
        Primary primary = new Primary(rdb);
        // A file records the replication history it belongs to, so that a restart can continue it.
        java.util.function.Supplier<RdbFile.Header> header = () -> primary.withHistory(
            RdbFile.Header.plain(BuildInfo.REDIS_VERSION, evictor.usedMemory()));
        Path dir = Path.of(config.get(Settings.DIR));
        rdb.file(dir, config.get(Settings.DBFILENAME));
        config.onChange(Settings.DBFILENAME, name -> rdb.file(Path.of(config.get(Settings.DIR)), name));
        config.onChange(Settings.DIR, d -> rdb.file(Path.of(d), config.get(Settings.DBFILENAME)));
        rdbOptions(config, rdb, aof, header);
        for (Setting<Boolean> p : List.of(Settings.RDBCOMPRESSION, Settings.RDBCHECKSUM, Settings.RDB_SAVE_INCREMENTAL_FSYNC)) {
            config.onChange(p, v -> rdbOptions(config, rdb, aof, header));
        }
        rdb.savePoints(config.get(Settings.SAVE));
        config.onChange(Settings.SAVE, rdb::savePoints);
        config.onChange(Settings.AOF_USE_RDB_PREAMBLE, v -> rdbOptions(config, rdb, aof, header));
        config.onChange(Settings.RDB_KEY_SAVE_DELAY, v -> rdbOptions(config, rdb, aof, header));
        if (!config.get(Settings.APPENDONLY) && Files.exists(rdb.path())) {
            // Nothing is served but -LOADING until dump.rdb is loaded (PersistenceLifecycle).
            keyspace.loading(true);
        }
        primary.dir(dir);
        config.onChange(Settings.DIR, d -> primary.dir(Path.of(d)));
        primary.backlogSize(config.get(Settings.REPL_BACKLOG_SIZE));
        config.onChange(Settings.REPL_BACKLOG_SIZE, primary::backlogSize);
        Runnable diskless = () -> primary.disklessSync(config.get(Settings.REPL_DISKLESS_SYNC),
            config.get(Settings.REPL_DISKLESS_SYNC_DELAY), config.get(Settings.REPL_DISKLESS_SYNC_MAX_REPLICAS));
        diskless.run();
        config.onChange(Settings.REPL_DISKLESS_SYNC, v -> diskless.run());
        config.onChange(Settings.REPL_DISKLESS_SYNC_DELAY, v -> diskless.run());
        config.onChange(Settings.REPL_DISKLESS_SYNC_MAX_REPLICAS, v -> diskless.run());
        primary.timeoutSeconds(config.get(Settings.REPL_TIMEOUT));
        config.onChange(Settings.REPL_TIMEOUT, primary::timeoutSeconds);
        primary.pendingLimit(config.get(Settings.CLIENT_OUTPUT_BUFFER_LIMIT).replica().hard());
        config.onChange(Settings.CLIENT_OUTPUT_BUFFER_LIMIT, l -> primary.pendingLimit(l.replica().hard()));
        effects.add(primary);
        Server server = new Server(config, keyspace, effects, aof, rdb, primary, evictor);
        evictor.clientsMemory(server.clients()::memory, server.clients()::replicaMemory);
        for (String line : LaunchArguments.renameLines()) {
            List<String> w = LaunchArguments.words(line);
            try {
                server.commands().rename(w.get(0), w.get(1));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(">>> 'rename-command \"" + w.get(0) + "\" \"" + w.get(1) + "\"'\n"
                    + e.getMessage(), e);
            }
        }
        AclFile.startup(server, LaunchArguments.userLines());
        java.util.function.Supplier<List<byte[]>> libraries = () -> server.scriptingIfStarted() == null
            ? List.of() : server.scriptingIfStarted().functions().codes();
        aof.functionLibraries(libraries);
        aof.otherJob(rdb::saving);
        rdb.sources(libraries, header, aof::rewriting);
        // The hooks run on every write: they hold the services they call, not the server to look them up in.
        Tracking tracking = server.tracking();
        Clients clients = server.clients();
        Transactions transactions = server.transactions();
        Blocking blocking = server.blocking();
        keyspace.onModified((db, key) -> {
            tracking.invalidate(key, clients.current());
            transactions.touch(db, key);
            if (blocking.anyWaiting()) {
                blocking.signal(db, key); // a deleted or overwritten stream ends its XREADGROUP waits
            }
        });
        keyspace.onWritable((db, key) -> {
            if (blocking.anyWaiting()) {
                blocking.signal(db, key);
            }
        });
        keyspace.notifications(config.get(Settings.NOTIFY_KEYSPACE_EVENTS), server.pubsub()::publish);
        config.onChange(Settings.NOTIFY_KEYSPACE_EVENTS, v -> keyspace.notifications(v, server.pubsub()::publish));
        // A new proto-max-bulk-len reaches the connections already open (new ones read it when accepted).
        config.onChange(Settings.PROTO_MAX_BULK_LEN, max -> {
            for (Client c : clients.all()) {
                c.parser.maxBulkLen(max);
            }
        });
        return server;
    }

    private static void rdbOptions(ServerConfig config, RdbSaves rdb, AppendOnlyFile aof,
        java.util.function.Supplier<RdbFile.Header> header) {
        RdbFile.Options options = new RdbFile.Options(config.get(Settings.RDBCOMPRESSION), config.get(Settings.RDBCHECKSUM),
            config.get(Settings.RDB_KEY_SAVE_DELAY));
        rdb.options(options, config.get(Settings.RDB_SAVE_INCREMENTAL_FSYNC));
        aof.rdbBase(config.get(Settings.AOF_USE_RDB_PREAMBLE), header, options);
    }

    private static void applyLfu(ServerConfig config, Keyspace keyspace) {
        keyspace.lfu(config.getInt(Settings.LFU_LOG_FACTOR), config.getInt(Settings.LFU_DECAY_TIME));
    }

    /** The encoding thresholds, read by the data-type commands from the keyspace. */
    private static void applyEncodings(ServerConfig config, Keyspace keyspace) {
        keyspace.hashMaxListpackEntries = config.get(Settings.HASH_MAX_LISTPACK_ENTRIES);
        keyspace.hashMaxListpackValue = config.get(Settings.HASH_MAX_LISTPACK_VALUE);
        keyspace.setMaxIntsetEntries = config.get(Settings.SET_MAX_INTSET_ENTRIES);
        keyspace.zsetMaxListpackEntries = config.get(Settings.ZSET_MAX_LISTPACK_ENTRIES);
        keyspace.zsetMaxListpackValue = config.get(Settings.ZSET_MAX_LISTPACK_VALUE);
        keyspace.streamNodeMaxBytes = config.get(Settings.STREAM_NODE_MAX_BYTES);
        keyspace.streamNodeMaxEntries = config.get(Settings.STREAM_NODE_MAX_ENTRIES);
    }
}
