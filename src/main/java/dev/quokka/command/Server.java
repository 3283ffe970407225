package dev.quokka.command;

import dev.quokka.command.scripting.Scripting;
import dev.quokka.acl.Users;
import dev.quokka.command.acl.AclRules;
import dev.quokka.config.ServerConfig;
import dev.quokka.config.Settings;
import dev.quokka.eviction.Evictor;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.persistence.AppendOnlyFile;
import dev.quokka.persistence.EffectsStream;
import dev.quokka.replication.Failover;
import dev.quokka.replication.Primary;
import dev.quokka.replication.Upstream;
import dev.quokka.persistence.RdbSaves;
import dev.quokka.session.Blocking;
import dev.quokka.session.Client;
import dev.quokka.session.Clients;
import dev.quokka.session.LatencyMonitor;
import dev.quokka.session.Monitors;
import dev.quokka.session.PubSub;
import dev.quokka.session.ServerStats;
import dev.quokka.session.SlowLog;
import dev.quokka.session.Tracking;
import dev.quokka.session.Transactions;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The services a command may call: configuration, keyspace, append-only file, evictor, the
 * command table and dispatcher, and the session services (clients, pub/sub, tracking, blocking,
 * transactions, counters). It holds them; it builds none of the lower floors and wires no
 * listener: the composition root ({@code ops.ServerAssembly}) does. Only the keyspace context
 * uses it.
 */
public final class Server {
    private final ServerConfig config;
    private final Keyspace keyspace;
    private final EffectsStream effects;
    private final Primary primary;
    private final Upstream upstream = new Upstream();
    private final Failover failover = new Failover();
    private final AppendOnlyFile aof;
    private final RdbSaves rdb;
    private final Evictor evictor;
    private final CommandTable commands = new CommandTable();
    private final Clients clients = new Clients();
    private final ServerStats stats = new ServerStats();
    private final PubSub pubsub = new PubSub();
    private final Tracking tracking = new Tracking(clients);
    private final Blocking blocking = new Blocking();
    private final Transactions transactions = new Transactions();
    private final SlowLog slowLog = new SlowLog();
    private final Monitors monitors = new Monitors();
    private final LatencyMonitor latency = new LatencyMonitor();
    private final MigrateSockets migrateSockets = new MigrateSockets();
    private final Dispatcher dispatcher;
    private final Users users;
    private final AclRules aclRules;
    private volatile Scripting scripting;
    private Runnable whileBusy = () -> { };
    private final long startMillis = System.currentTimeMillis();
    private final String runId;
    private int port;
    private String multiplexingApi = "nio";

    public Server(ServerConfig config, Keyspace keyspace, EffectsStream effects, AppendOnlyFile aof, RdbSaves rdb,
                  Primary primary, Evictor evictor) {
        this.config = config;
        this.keyspace = keyspace;
        this.effects = effects;
        this.primary = primary;
        primary.upstream(upstream);
        keyspace.replicaRole(new Keyspace.ReplicaRole() {
            public boolean replica() {
                return upstream.replica();
            }

            public boolean readOnly() {
                return config.get(Settings.REPLICA_READ_ONLY);
            }
        });
        this.aof = aof;
        this.rdb = rdb;
        this.evictor = evictor;
        byte[] b = new byte[20];
        new SecureRandom().nextBytes(b);
        runId = HexFormat.of().formatHex(b);
        blocking.onPause(keyspace::paused);
        blocking.onUnblockedWithError(c -> {
            byte[][] request = c.blockedRequest();
            CommandSpec spec = request == null ? null : commands.resolve(request, request.length);
            if (spec != null) {
                spec.failedCalls++;
            }
        });
        Commands.registerAll(commands);
        java.util.List<CommandSpec> byId = commands.assignAclIds();
        users = new Users(byId.size());
        aclRules = new AclRules(commands, byId);
        users.defaultPassword(config.value(Settings.REQUIREPASS));
        config.onChange(Settings.REQUIREPASS, users::defaultPassword);
        dispatcher = new Dispatcher(this);
    }

    /** The ACL users and log. */
    public Users users() {
        return users;
    }

    /** ACL rules against this server's command table. */
    public AclRules aclRules() {
        return aclRules;
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

    /** Replication, this server's side as a replica: the primary it follows and the link's state. */
    /** FAILOVER's state (its steps: ReplicationCommands). */
    public Failover failover() {
        return failover;
    }

    public Upstream upstream() {
        return upstream;
    }

    /**
     * A replica whose link to its primary is down, set not to serve stale data
     * (replica-serve-stale-data no): only commands flagged STALE run.
     */
    public boolean servesNoStaleData() {
        return upstream.replica() && upstream.state() != Upstream.LinkState.CONNECTED
            && !config.get(Settings.REPLICA_SERVE_STALE_DATA);
    }

    /**
     * Redis's checkGoodReplicasStatus: with min-replicas-to-write and min-replicas-max-lag set, a
     * primary takes writes only while that many replicas acknowledged within the lag.
     */
    public boolean enoughGoodReplicas() {
        long min = config.get(Settings.MIN_REPLICAS_TO_WRITE);
        long lag = config.get(Settings.MIN_REPLICAS_MAX_LAG);
        return upstream.replica() || min == 0 || lag == 0 || primary.goodReplicas(lag) >= min;
    }

    /** Whether this server evicts keys now: not a replica under replica-ignore-maxmemory (its primary evicts). */
    public boolean evicting() {
        return evictor.active() && !(upstream.replica() && config.get(Settings.REPLICA_IGNORE_MAXMEMORY));
    }

    /** Replication, this server's side as a primary. */
    public Primary primary() {
        return primary;
    }

    /** The effects of commands, to the AOF and replicas. */
    public EffectsStream effects() {
        return effects;
    }

    public AppendOnlyFile aof() {
        return aof;
    }

    /** MIGRATE's cached connections to target servers. */
    public MigrateSockets migrateSockets() {
        return migrateSockets;
    }

    /** SAVE, BGSAVE, the save points and dump.rdb. */
    public RdbSaves rdb() {
        return rdb;
    }

    /**
     * Why writes (and PING) are refused because the disk can't be written (writeCommandsDeniedByDiskError):
     * a failed background save first, then the AOF; null when they are not.
     */
    public String diskWriteError() {
        String rdbError = rdb.writeError(config.get(Settings.STOP_WRITES_ON_BGSAVE_ERROR));
        if (rdbError != null) {
            return rdbError;
        }
        String aofError = aof.writeError();
        return aofError == null ? null : "MISCONF Errors writing to the AOF file: " + aofError;
    }

    public CommandTable commands() {
        return commands;
    }

    /** The scripting engine (EVAL's cache, the function libraries), made on first use. */
    public Scripting scripting() {
        if (scripting == null) {
            scripting = new Scripting(this);
        }
        return scripting;
    }

    /** What the listener does, besides reading its connections, while a long script runs (its queued tasks). */
    public void whileBusy(Runnable r) {
        this.whileBusy = r;
    }

    public void runWhileBusy() {
        whileBusy.run();
    }

    /** The scripting engine if a scripting command made it already, else null (for other threads and INFO). */
    public Scripting scriptingIfStarted() {
        return scripting;
    }

    /** The script running past busy-reply-threshold, which other clients are answered BUSY for, or null. */
    public ScriptRun busyScript() {
        ScriptRun run = scripting == null ? null : scripting.current();
        return run != null && run.timedOut ? run : null;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public Clients clients() {
        return clients;
    }

    public ServerStats stats() {
        return stats;
    }

    public PubSub pubsub() {
        return pubsub;
    }

    public Tracking tracking() {
        return tracking;
    }

    public Blocking blocking() {
        return blocking;
    }

    public Transactions transactions() {
        return transactions;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public Monitors monitors() {
        return monitors;
    }

    public LatencyMonitor latency() {
        return latency;
    }

    /** Whether a new connection must authenticate first: the default user has a password or is off. */
    public boolean requiresPass() {
        return users.authRequired();
    }

    /** Registers a new connection's state. */
    public Client newClient(String addr, String laddr) {
        Client c = new Client(clients.nextId(), addr, laddr, keyspace, transactions, !requiresPass(),
            stats::errorReplied);
        c.user(users.defaultUser());
        clients.add(c);
        stats.connectionAccepted();
        return c;
    }

    /** Forgets a closed connection everywhere it may be registered. */
    public void disconnect(Client c) {
        blocking.forget(c);
        pubsub.forget(c);
        monitors.remove(c);
        clients.remove(c);
        transactions.unwatchAll(c);
        tracking.disable(c);
        primary.disconnected(c);
    }

    /**
     * Loads an RDB image into the dataset, here on the keyspace context (DEBUG RELOAD, a replica's
     * full resync): keys installed as they are read (a key already present is an error unless
     * {@code allowDuplicates}), then the function libraries, replacing the loaded ones when the
     * dataset was emptied first ({@code flushed}). A replica keeps keys whose time has passed
     * ({@code dropExpired} false): its primary deletes them.
     */
    public void loadRdb(java.io.InputStream in, boolean allowDuplicates, boolean flushed, boolean dropExpired)
        throws java.io.IOException {
        java.util.List<byte[]> functions = new java.util.ArrayList<>();
        dev.quokka.persistence.RdbFile.load(in, keyspace, keyspace.databases(), true, 0,
            new dev.quokka.persistence.RdbFile.Sink() {
                @Override
                public void function(byte[] code) {
                    functions.add(code);
                }

                @Override
                public void entry(dev.quokka.persistence.RdbFile.Record r) throws java.io.IOException {
                    if (!allowDuplicates && keyspace.db(r.db()).find(r.key()) != null) {
                        throw new java.io.IOException("Duplicated key found in RDB file");
                    }
                    dev.quokka.persistence.RdbFile.install(keyspace, r, dropExpired);
                    keyspace.settle();
                }
            });
        String err = reloadFunctions(functions, flushed);
        if (err != null) {
            throw new java.io.IOException(err);
        }
    }

    /**
     * The function libraries of a loaded RDB image replace the ones here ({@code flushed}: the data
     * was emptied first, so libraries the image lacks go too); null, or why they could not load.
     */
    public String reloadFunctions(java.util.List<byte[]> functions, boolean flushed) {
        boolean anyLoaded = scriptingIfStarted() != null;
        return functions.isEmpty() && !(flushed && anyLoaded) ? null : scripting().functions().reload(functions);
    }

    /** A load in progress outside the AOF (a replica's full resync), for INFO's loading_* fields. */
    public record LoadProgress(long startMillis, long totalBytes, java.util.function.LongSupplier loadedBytes) {
    }

    private volatile LoadProgress loadProgress;
    private boolean asyncLoading;

    /**
     * A replica loads its primary's image aside while serving the old data (Redis's async_loading,
     * {@code repl-diskless-load swapdb} within one replication history): only commands flagged
     * no-async-loading are refused.
     */
    public boolean asyncLoading() {
        return asyncLoading;
    }

    public void asyncLoading(boolean on) {
        asyncLoading = on;
    }

    public LoadProgress loadProgress() {
        return loadProgress;
    }

    public void loadProgress(LoadProgress progress) {
        this.loadProgress = progress;
    }

    /** A context for running commands for {@code c}. */
    public CommandContext context(Client c) {
        return new CommandContext(this, c);
    }

    /** A context for replaying the append-only file: its client is not listed by CLIENT LIST, its replies are dropped. */
    public CommandContext loadingContext() {
        Client c = new Client(-1, "", "", keyspace, transactions, true, text -> { });
        c.reply.enabled(false);
        return context(c);
    }

    public long startMillis() {
        return startMillis;
    }

    public String runId() {
        return runId;
    }

    public int port() {
        return port;
    }

    /** {@code epoll} when Netty's native transport is in use, {@code nio} otherwise (INFO multiplexing_api). */
    public String multiplexingApi() {
        return multiplexingApi;
    }

    /** Records where the listener is bound and its I/O multiplexing (INFO, HELLO). */
    public void listening(int port, String multiplexingApi) {
        this.port = port;
        this.multiplexingApi = multiplexingApi;
    }

    /** CONFIG RESETSTAT. */
    /** Client eviction (Redis's evictClients), when {@code maxmemory-clients} is set: before each command and on each tick. */
    public void evictClients() {
        long maxmemoryClients = config.get(dev.quokka.config.Settings.MAXMEMORY_CLIENTS);
        if (maxmemoryClients != 0) {
            clients.evict(maxmemoryClients, evictor.maxmemory());
        }
    }

    public void resetStats() {
        stats.reset();
        keyspace.resetStats();
        evictor.resetStats();
        clients.resetStats();
        commands.resetStats();
        primary.resetStats();
    }
}
