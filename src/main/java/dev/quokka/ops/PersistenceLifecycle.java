package dev.quokka.ops;

import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Server;
import dev.quokka.command.admin.ReplicationCommands;
import dev.quokka.config.Settings;
import dev.quokka.persistence.AofLoader;
import dev.quokka.persistence.AppendOnlyFile;
import dev.quokka.persistence.Effects;
import dev.quokka.persistence.Manifest;
import dev.quokka.persistence.PacedApplier;
import dev.quokka.persistence.RdbFile;
import dev.quokka.persistence.RdbSaves;
import dev.quokka.replication.Failover;
import dev.quokka.server.RespServer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The data on disk through the server's life: after the listener is bound, loads the append-only
 * file when it is on, else {@code dump.rdb} when it exists (Redis's loadDataFromDisk; clients get
 * {@code -LOADING} meanwhile); runs the 100 ms timer of both (AOF write retries, the everysec
 * fsync, automatic rewrites, save points) on the keyspace context; at shutdown saves the RDB file
 * when save points are set, then fsyncs and closes the AOF.
 */
@Singleton
public class PersistenceLifecycle {
    private static final Logger LOG = Logger.getLogger(PersistenceLifecycle.class);

    @Inject
    Vertx vertx;

    @Inject
    Server server;

    @Inject
    RespServer resp;

    private final ExecutorService fsyncThread = Executors.newSingleThreadExecutor(r -> daemon(r, "quokka-aof-fsync"));
    private final ExecutorService rewriteThread = Executors.newSingleThreadExecutor(r -> daemon(r, "quokka-aof-rewrite"));
    private final ExecutorService saveThread = Executors.newSingleThreadExecutor(r -> daemon(r, "quokka-rdb-save"));
    private long timer = -1;

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** After {@link RespServer} has bound the listener (default priority 2500). */
    void start(@Observes @Priority(2800) StartupEvent ev) {
        Context ctx = resp.context();
        AppendOnlyFile aof = server.aof();
        RdbSaves rdb = server.rdb();
        // Replicas get a turn's stream after the AOF has written it: this turn end is queued after the AOF's.
        server.primary().attach(() -> ctx.runOnContext(v -> server.primary().turnEnd()));
        aof.attach(() -> ctx.runOnContext(v -> aof.turnEnd()), task -> ctx.runOnContext(v -> task.run()),
            fsyncThread, rewriteThread);
        rdb.attach(task -> ctx.runOnContext(v -> task.run()), saveThread);
        server.config().onChange(Settings.APPENDONLY, on -> {
            if (on) {
                String err = aof.turnOn();
                if (err != null) {
                    LOG.error(err);
                }
            } else {
                aof.close();
            }
        });
        ctx.runOnContext(v -> timer = vertx.setPeriodic(100, id -> {
            if (server.busyScript() == null && !server.keyspace().loading()) {
                // no snapshot of a script's half-done writes, nor of a dataset still loading
                aof.cron(server.config().get(Settings.AUTO_AOF_REWRITE_PERCENTAGE),
                    server.config().get(Settings.AUTO_AOF_REWRITE_MIN_SIZE));
                rdb.cron();
                // Replication's cron shares this tick: the PING that keeps replicas' links and offsets alive.
                server.primary().cron(server.config().get(Settings.REPL_PING_REPLICA_PERIOD),
                    server.failover().state() != Failover.State.NONE);
                ReplicationCommands.updateFailover(server);
            }
        }));
        if (server.config().get(Settings.APPENDONLY)) {
            Thread t = new Thread(() -> load(ctx, aof), "quokka-aof-load");
            t.setDaemon(true);
            t.start();
        } else if (Files.exists(rdb.path())) {
            Thread t = new Thread(() -> loadRdb(ctx, rdb), "quokka-rdb-load");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * An I/O error as the OS says it, with its path: Java's file exceptions carry the path alone as
     * their message ("/data"), which says nothing of a missing directory or a permission.
     */
    static String describe(Throwable t) {
        if (t instanceof java.nio.file.NoSuchFileException e) {
            return e.getFile() + ": No such file or directory";
        }
        if (t instanceof java.nio.file.AccessDeniedException e) {
            return e.getFile() + ": Permission denied";
        }
        if (t instanceof java.nio.file.FileSystemException e && e.getReason() != null) {
            return e.getFile() + ": " + e.getReason();
        }
        return String.valueOf(t.getMessage());
    }

    /**
     * Stops the process on data it cannot load, as redis-server does: the reason is the last line
     * of the log (tools that start redis-server read it there), so it waits for Quarkus's start-up
     * lines, logs, and halts without the shutdown's lines; nothing has been written yet.
     */
    private static void fatal(String reason) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && !startedUp) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            Thread.sleep(300); // Quarkus's "started in" line follows the last observer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.error(reason);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }

    private static volatile boolean startedUp;

    /** After every other start-up observer: Quarkus logs "started in" right after them. */
    void started(@Observes @Priority(Integer.MAX_VALUE) StartupEvent ev) {
        startedUp = true;
    }

    /** Loads dump.rdb (AOF off): keys whose time has passed are dropped, as a primary does. */
    private void loadRdb(Context ctx, RdbSaves rdb) {
        long start = System.currentTimeMillis();
        Path file = rdb.path();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ContextApplier applier = new ContextApplier(ctx);
            // A replica keeps keys whose time has passed: its primary deletes them (Redis's rdbLoad, iAmMaster).
            boolean replica = !server.config().value(Settings.REPLICAOF).isBlank();
            RdbFile.Loaded loaded = RdbFile.load(in, server.keyspace(), server.keyspace().databases(), true, !replica,
                server.config().get(Settings.KEY_LOAD_DELAY), applier);
            applier.await();
            LOG.infof("Loading RDB produced by version %s", loaded.aux.getOrDefault("redis-ver", "unknown"));
            if (loaded.emptyKeysSkipped > 0) {
                LOG.warnf("Done loading RDB, keys loaded: %d, keys expired: %d, empty keys skipped: %d.",
                    applier.loadedKeys, applier.expiredKeys, loaded.emptyKeysSkipped);
            } else {
                LOG.infof("Done loading RDB, keys loaded: %d, keys expired: %d.", applier.loadedKeys, applier.expiredKeys);
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            ctx.runOnContext(v -> {
                if (restoreHistory(loaded.aux) && !replica) {
                    // The replicas continuing this history still have the keys that expired meanwhile (RDBFLAGS_FEED_REPL).
                    for (Object[] dropped : applier.expiredAtLoad) {
                        server.primary().command((Integer) dropped[0], Effects.del((byte[]) dropped[1]));
                    }
                }
                applier.expiredAtLoad.clear();
                rdb.loaded(applier.loadedKeys, applier.expiredKeys);
                rdb.inSync();
                server.keyspace().loading(false);
                LOG.info("Ready to accept connections");
                done.complete(null);
            });
            done.get(60, TimeUnit.SECONDS);
            LOG.infof("DB loaded from disk: %.3f seconds", (System.currentTimeMillis() - start) / 1000.0);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            fatal(String.format("Fatal error loading the DB (%s): %s. Exiting.", file, describe(cause)));
        }
    }

    private void load(Context ctx, AppendOnlyFile aof) {
        long loadingStartMillis = System.currentTimeMillis();
        try {
            aof.upgradeOldFile();
            Manifest m = aof.readManifest();
            if (m != null) {
                CommandTable table = server.commands();
                AofLoader l = new AofLoader(aof.dir(), server.keyspace(), aof.loadTruncated(),
                    argv -> table.resolve(argv, argv.length) != null);
                aof.loading(l, loadingStartMillis);
                l.load(m, new ContextApplier(ctx));
                LOG.infof("DB loaded from append only file: %.3f seconds, %d commands",
                    (System.currentTimeMillis() - loadingStartMillis) / 1000.0, l.commands());
            }
            CompletableFuture<Void> opened = new CompletableFuture<>();
            ctx.runOnContext(v -> {
                try {
                    aof.useManifest(m);
                    aof.open();
                    server.keyspace().loading(false);
                    LOG.info("Ready to accept connections");
                    opened.complete(null);
                } catch (Exception e) {
                    opened.completeExceptionally(e);
                }
            });
            opened.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            fatal("Can't load the append only file: " + describe(cause));
        }
    }

    /**
     * The replication history dump.rdb recorded (repl-id, repl-offset, repl-stream-db), continued
     * so that a restarted replica or primary can resynchronise partially, as Redis does.
     */
    private boolean restoreHistory(java.util.Map<String, String> aux) {
        String id = aux.get("repl-id");
        String offset = aux.get("repl-offset");
        String db = aux.get("repl-stream-db");
        if (id == null || offset == null || db == null || db.equals("-1")) {
            return false;
        }
        try {
            server.primary().restoreHistory(id, Long.parseLong(offset), Integer.parseInt(db));
            LOG.infof("Replication history restored from the RDB file: %s:%s", id, offset);
            return true;
        } catch (NumberFormatException e) {
            LOG.warnf("Replication history in the RDB file ignored: repl-offset %s, repl-stream-db %s", offset, db);
            return false;
        }
    }

    /** Runs loaded batches on the keyspace context, at most a few ahead of the reader. */
    private final class ContextApplier extends PacedApplier {
        private final CommandContext loading = server.loadingContext();
        long loadedKeys;
        long expiredKeys;
        /** The keys dropped as expired (database, key): a primary that continues its history sends their DELs. */
        final List<Object[]> expiredAtLoad = new java.util.ArrayList<>();

        ContextApplier(Context ctx) {
            super(work -> ctx.runOnContext(v -> work.run()));
        }

        @Override
        public void apply(List<byte[][]> batch) throws InterruptedException {
            paced(() -> {
                server.keyspace().tick();
                for (byte[][] argv : batch) {
                    server.dispatcher().replay(loading, argv);
                }
            });
        }

        @Override
        public void records(List<RdbFile.Record> batch, boolean dropExpired) throws InterruptedException {
            paced(() -> {
                server.keyspace().tick();
                for (RdbFile.Record r : batch) {
                    if (RdbFile.install(server.keyspace(), r, dropExpired)) {
                        loadedKeys++;
                    } else {
                        expiredKeys++;
                        expiredAtLoad.add(new Object[] {r.db(), r.key()});
                    }
                }
                server.keyspace().settle();
            });
        }
    }

    /** After {@link RespServer} has finished the replies in flight and closed the listener. */
    void stop(@Observes @Priority(3000) ShutdownEvent ev) throws Exception {
        if (resp.context() == null) {
            return;
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        resp.context().runOnContext(v -> {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            if (!server.keyspace().loading()) {
                server.rdb().saveAtShutdown();
            }
            server.aof().close();
            closed.complete(null);
        });
        closed.get(120, TimeUnit.SECONDS); // a final RDB save of a large dataset takes a while
        fsyncThread.shutdown();
        rewriteThread.shutdown();
        saveThread.shutdown();
    }
}
