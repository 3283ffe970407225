package dev.quokka.server;

import dev.quokka.command.CommandTable;
import dev.quokka.command.Commands;
import dev.quokka.command.Dispatcher;
import dev.quokka.command.pubsub.PubSub;
import dev.quokka.eviction.Evictor;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.ops.LaunchArguments;
import dev.quokka.ops.MemoryLimits;
import dev.quokka.ops.QuokkaConfig;
import dev.quokka.ops.ServerConfig;
import dev.quokka.persistence.AppendOnlyFile;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's shared state: configuration, keyspace, command table, connected clients and the
 * server-wide counters INFO prints. Only the keyspace context mutates it; metrics read its
 * counters from other threads (racy reads of monotonic counters are fine for gauges).
 */
@Singleton
public class ServerContext {
    /** The Redis version Quokka answers as (INFO redis_version, HELLO). */
    public static final String REDIS_VERSION = "7.0.15";

    @Inject
    QuokkaConfig startupConfig;

    private final ServerConfig config = new ServerConfig();
    private Keyspace keyspace;
    private final CommandTable commands = new CommandTable();
    private final PubSub pubsub = new PubSub();
    private final Tracking tracking = new Tracking(this);
    private final Blocking blocking = new Blocking();
    private final Transactions transactions = new Transactions();
    /** The client whose command is executing, or null (Redis's server.current_client). */
    private Client current;
    private Dispatcher dispatcher;
    private AppendOnlyFile aof;
    private Evictor evictor;
    private final Map<Long, Client> clients = new LinkedHashMap<>();
    private final long startMillis = System.currentTimeMillis();
    private final String runId;
    private long nextClientId = 1;
    private int boundPort;
    private String multiplexingApi = "nio";

    // INFO stats
    long totalConnections;
    long rejectedConnections;
    long netInputBytes;
    long netOutputBytes;
    long readsProcessed;
    long writesProcessed;
    private final InstantaneousMetrics instantaneous = new InstantaneousMetrics();
    private long totalCommands;
    private long totalErrorReplies;
    private final Map<String, long[]> errorStats = new LinkedHashMap<>();

    public ServerContext() {
        byte[] b = new byte[20];
        new SecureRandom().nextBytes(b);
        runId = HexFormat.of().formatHex(b);
    }

    /**
     * A server context outside CDI, with no listener, for benchmarks and pure-logic tests;
     * {@link #newClient} gives it connections that are not attached to sockets.
     */
    public static ServerContext standalone(QuokkaConfig config) {
        ServerContext s = new ServerContext();
        s.startupConfig = config;
        s.init();
        return s;
    }

    @PostConstruct
    void init() {
        config.applyStartup(startupConfig, LaunchArguments.directives());
        keyspace = new Keyspace(config.getInt("databases"));
        keyspace.onModified((db, key) -> {
            tracking.invalidate(key, current);
            transactions.touch(db, key);
        });
        keyspace.onWritable((db, key) -> {
            if (blocking.anyWaiting()) {
                blocking.signal(db, key);
            }
        });
        aof = new AppendOnlyFile(keyspace);
        aof.configure(Path.of(config.get("dir")).resolve(config.get("appenddirname")), config.get("appendfilename"),
            config.get("appendfsync"), config.getBool("aof-load-truncated"));
        config.onChange("appendfsync", aof::fsync);
        config.onChange("aof-load-truncated", v -> aof.loadTruncated("yes".equals(v)));
        evictor = new Evictor(keyspace, aof);
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
        applyEncodings();
        for (String p : new String[] {"hash-max-listpack-entries", "hash-max-listpack-value", "set-max-intset-entries",
            "zset-max-listpack-entries", "zset-max-listpack-value"}) {
            config.onChange(p, v -> applyEncodings());
        }
        applyNotifyFlags(config.get("notify-keyspace-events"));
        config.onChange("notify-keyspace-events", this::applyNotifyFlags);
        Commands.registerAll(commands);
        dispatcher = new Dispatcher(this);
    }

    /** The encoding thresholds, read by the data-type commands from the keyspace. */
    private void applyEncodings() {
        keyspace.hashMaxListpackEntries = config.getLong("hash-max-listpack-entries");
        keyspace.hashMaxListpackValue = config.getLong("hash-max-listpack-value");
        keyspace.setMaxIntsetEntries = config.getLong("set-max-intset-entries");
        keyspace.zsetMaxListpackEntries = config.getLong("zset-max-listpack-entries");
        keyspace.zsetMaxListpackValue = config.getLong("zset-max-listpack-value");
    }

    private void applyNotifyFlags(String value) {
        keyspace.notifications(dev.quokka.keyspace.KeyspaceEvents.parse(value), pubsub::publish);
    }

    public ServerConfig config() {
        return config;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public Evictor evictor() {
        return evictor;
    }

    public AppendOnlyFile aof() {
        return aof;
    }

    /** A client for replaying the append-only file: not listed by CLIENT LIST, replies discarded. */
    public Client loadingClient() {
        Client c = new Client(this, -1, "", "");
        c.reply.enabled(false);
        c.reply.onError(text -> { });
        return c;
    }

    public CommandTable commands() {
        return commands;
    }

    public Tracking tracking() {
        return tracking;
    }

    /** Marks the start and end of a command's execution (null when none runs). */
    public void current(Client c) {
        current = c;
    }

    /** After a command ran: remember keys it read for tracking, then its own invalidations, after its reply. */
    public void afterCommand(Client c, dev.quokka.command.CommandSpec spec, boolean inExec) {
        if (c.tracking) {
            if (spec.has(dev.quokka.command.CommandFlags.READONLY)) {
                tracking.remember(c, c.argv, spec.keyPositions(c.argv, c.argc));
            }
            if (!spec.fullName().startsWith("client|")) {
                c.trackingCaching = false;
            }
            if (!inExec) {
                tracking.sendPending(c); // inside EXEC the invalidations follow EXEC's reply
            }
        }
    }

    public Transactions transactions() {
        return transactions;
    }

    public Blocking blocking() {
        return blocking;
    }

    public PubSub pubsub() {
        return pubsub;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public boolean requiresPass() {
        return !config.get("requirepass").isEmpty();
    }

    public Map<Long, Client> clients() {
        return clients;
    }

    /** Registers a new connection's state. */
    public Client newClient(String addr, String laddr) {
        Client c = new Client(this, nextClientId++, addr, laddr);
        clients.put(c.id(), c);
        totalConnections++;
        return c;
    }

    void removeClient(Client c) {
        clients.remove(c.id());
        transactions.unwatchAll(c);
        tracking.disable(c);
    }

    public long startMillis() {
        return startMillis;
    }

    public String runId() {
        return runId;
    }

    public int port() {
        return boundPort;
    }

    void port(int p) {
        boundPort = p;
    }

    /** {@code epoll} when Netty's native transport is in use, {@code nio} otherwise (INFO multiplexing_api). */
    public String multiplexingApi() {
        return multiplexingApi;
    }

    void multiplexingApi(String api) {
        multiplexingApi = api;
    }

    public void countCommand() {
        totalCommands++;
    }

    /** Counts an error reply under its code (the first word), for INFO errorstats. */
    public void countError(String text) {
        totalErrorReplies++;
        int sp = text.indexOf(' ');
        String code = sp < 0 ? text : text.substring(0, sp);
        errorStats.computeIfAbsent(code, k -> new long[1])[0]++;
    }

    public long totalCommands() {
        return totalCommands;
    }

    public long totalErrorReplies() {
        return totalErrorReplies;
    }

    public Map<String, long[]> errorStats() {
        return errorStats;
    }

    public long totalConnections() {
        return totalConnections;
    }

    public long rejectedConnections() {
        return rejectedConnections;
    }

    public long netInputBytes() {
        return netInputBytes;
    }

    public long netOutputBytes() {
        return netOutputBytes;
    }

    public long readsProcessed() {
        return readsProcessed;
    }

    public long writesProcessed() {
        return writesProcessed;
    }

    public InstantaneousMetrics instantaneous() {
        return instantaneous;
    }

    /** Samples the instantaneous metrics (every {@link InstantaneousMetrics#PERIOD_MS}, on the keyspace context). */
    public void sampleInstantaneous() {
        instantaneous.sample(totalCommands, netInputBytes, netOutputBytes);
    }

    /** CONFIG RESETSTAT. */
    public void resetStats() {
        totalCommands = 0;
        totalErrorReplies = 0;
        errorStats.clear();
        totalConnections = 0;
        rejectedConnections = 0;
        netInputBytes = 0;
        netOutputBytes = 0;
        readsProcessed = 0;
        writesProcessed = 0;
        keyspace.resetStats();
        evictor.resetStats();
        commands.resetStats();
    }
}
