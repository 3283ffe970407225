package dev.quokka.persistence;

import dev.quokka.config.AppendFsync;
import dev.quokka.keyspace.Keyspace;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The append-only file (Redis 7.0's multi-part AOF): effects of commands are appended to an
 * in-memory buffer while the event loop runs them, written to the current incremental file once
 * per event-loop turn, and fsynced as {@code appendfsync} says:
 *
 * <ul>
 * <li>{@code always}: group commit. The turn's buffer is written and fsynced once, and the
 *     replies of that turn are held ({@link #hold}) until it is, so no reply acknowledges a
 *     write that is not on disk.</li>
 * <li>{@code everysec}: written before the turn's replies leave; fsynced from a one-second timer
 *     on a background thread, whether or not more writes come.</li>
 * <li>{@code no}: written before the replies leave; the kernel decides when it reaches the disk.</li>
 * </ul>
 *
 * <p>A failed write or fsync keeps the unwritten effects, truncates the file back to its last
 * good size, refuses writes with {@code -MISCONF} ({@link #writeError}) and retries from the
 * timer; writes resume once the disk takes them again. Everything but the background fsync and
 * the rewrite's file writing runs on the keyspace context.
 */
public final class AppendOnlyFile implements EffectsStream.Sink {
    private static final Logger LOG = Logger.getLogger(AppendOnlyFile.class);

    /** Redis's aof_state. */
    public enum State { OFF, ON, WAIT_REWRITE }

    private final Keyspace keyspace;
    private Path dir;
    private String appendFilename = "appendonly.aof";
    private State state = State.OFF;
    private AppendFsync fsync = AppendFsync.EVERYSEC;
    private boolean loadTruncated = true;
    private Manifest manifest;

    private FileChannel incr;
    /** Bytes of the current incremental file that are written (where the next write goes). */
    private long incrWritten;
    /** Bytes of the current incremental file known to be fsynced. */
    private long incrSynced;
    private final CommandBuffer buffer = new CommandBuffer(64 * 1024);
    private int selectedDb = -1;
    private long appended;

    private final ReplyGate gate = new ReplyGate();
    private Executor onContext = Runnable::run;
    private Executor fsyncThread = Runnable::run;
    private Executor rewriteThread = Runnable::run;

    // status, as INFO persistence prints it
    private String writeError;
    private long baseSize;
    private long otherIncrSize;
    private long delayedFsync;
    private final AtomicBoolean fsyncRunning = new AtomicBoolean();
    private long lastFsyncMillis;
    private long fsyncs;
    private long fsyncNanos;

    // rewrite
    private boolean rewriting;
    private int rewriteGeneration;
    private boolean rewriteScheduled;
    private BooleanSupplier otherJob = () -> false;
    private long rewriteStartMillis;
    private long firstIncrSeqAfterRewrite;
    private long rewrites;
    private String lastRewriteStatus = "ok";
    private long consecutiveRewriteFailures;
    private long lastRewriteSeconds = -1;
    private Path tempIncr;
    private long lastSnapshotMicros;

    /** The code of the function libraries, which a rewrite's base loads first; none until set. */
    private java.util.function.Supplier<java.util.List<byte[]>> functionLibraries = java.util.List::of;

    /** Where a rewrite finds the function libraries to persist (FUNCTION LOAD in the new base). */
    public void functionLibraries(java.util.function.Supplier<java.util.List<byte[]>> source) {
        this.functionLibraries = source;
    }

    private boolean rdbBase;
    private java.util.function.Supplier<RdbFile.Header> rdbHeader = () -> RdbFile.Header.plain("7.0.15", 0);
    private RdbFile.Options rdbOptions = new RdbFile.Options(true, true, 0);

    /**
     * {@code aof-use-rdb-preamble}: new base files are RDB images ({@code .base.rdb}, Redis 7's
     * default) written with these aux fields and options, else commands ({@code .base.aof}).
     */
    public void rdbBase(boolean on, java.util.function.Supplier<RdbFile.Header> header, RdbFile.Options options) {
        this.rdbBase = on;
        this.rdbHeader = header;
        this.rdbOptions = options;
    }

    /** Writes a new base file from a snapshot, in the format {@code aof-use-rdb-preamble} asks for. */
    private void writeBase(Path temp, Snapshot snap) throws IOException {
        if (rdbBase) {
            RdbFile.Header h = rdbHeader.get();
            // An AOF base records no replication info (Redis saves its preamble without it).
            RdbFile.save(temp, snap, new RdbFile.Header(h.redisVersion(), h.usedMemory(), true, null, 0, 0), rdbOptions,
                true);
        } else {
            BaseFile.write(temp, snap);
        }
    }

    public AppendOnlyFile(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /** Where files go and how: the directory ({@code dir/appenddirname}), names and policies. */
    public void configure(Path dir, String appendFilename, AppendFsync fsyncPolicy, boolean loadTruncated) {
        this.dir = dir;
        this.appendFilename = appendFilename;
        fsync(fsyncPolicy);
        this.loadTruncated = loadTruncated;
    }

    /**
     * How this file reaches the event loop: {@code turnScheduler} runs {@link #turnEnd} after
     * the current turn's I/O, {@code onContext} runs a task on the keyspace context, and the two
     * threads do fsyncs and rewrites off it.
     */
    public void attach(Runnable turnScheduler, Executor onContext, Executor fsyncThread, Executor rewriteThread) {
        gate.attach(turnScheduler);
        this.onContext = onContext;
        this.fsyncThread = fsyncThread;
        this.rewriteThread = rewriteThread;
    }

    public void fsync(AppendFsync policy) {
        fsync = policy;
    }

    public void loadTruncated(boolean on) {
        loadTruncated = on;
    }

    public State state() {
        return state;
    }

    public Path dir() {
        return dir;
    }

    // ------------------------------------------------------------------ propagation

    @Override
    public boolean active() {
        return state != State.OFF;
    }

    /** One effect of the stream: appended to the buffer, written at the turn's end. */
    @Override
    public void command(int db, byte[][] argv) {
        appended++;
        select(db);
        buffer.command(argv, argv.length);
        gate.scheduleTurn();
    }

    private void select(int db) {
        if (db != selectedDb) {
            buffer.command(Effects.SELECT, Effects.number(db));
            selectedDb = db;
        }
    }

    // ------------------------------------------------------------------ writing

    /** Effects appended so far (a counter: a connection compares it around its read batch). */
    public long appended() {
        return appended;
    }

    /**
     * Whether a batch of replies must wait for {@link #turnEnd}: when it is {@code own} (its
     * commands appended effects, or its connection's earlier replies wait: order), or, while the
     * disk works, when anything is pending (a read does not see a write before it is durable).
     * While writes fail, replies to connections that wrote nothing go out: reads go on.
     */
    public boolean holdReplies(boolean own) {
        if (state == State.OFF) {
            return false;
        }
        if (own) {
            return true;
        }
        return writeError == null && (buffer.length() > 0 || gate.holding()
            || (fsync == AppendFsync.ALWAYS && incrWritten > incrSynced));
    }

    /**
     * Keeps a batch of replies until the effects before them are written (and fsynced if always);
     * {@code own} as for {@link #holdReplies}.
     */
    public void hold(Runnable release, boolean own) {
        gate.hold(release, own);
    }

    /** End of an event-loop turn: write (and with always, fsync) the turn's effects, then release its replies. */
    public void turnEnd() {
        gate.turnEnded();
        if (flush()) {
            gate.releaseAll();
        } else {
            gate.releaseReads();
        }
    }

    /**
     * Writes the buffer (and fsyncs it under always). On failure nothing is lost: the buffer is
     * kept, the file is cut back to its last good size, and writes are refused until a retry
     * succeeds.
     */
    boolean flush() {
        if (incr == null) {
            buffer.clear();
            return true;
        }
        boolean always = fsync == AppendFsync.ALWAYS;
        if (buffer.length() == 0 && (!always || incrSynced == incrWritten) && writeError == null) {
            return true;
        }
        try {
            if (writeError != null && incr.size() != incrWritten) {
                incr.truncate(incrWritten); // a torn write from the failed attempt
            }
            int n = buffer.length();
            buffer.writeTo(incr, incrWritten);
            if (always) {
                long t = System.nanoTime();
                incr.force(false);
                countFsync(t);
                incrSynced = incrWritten + n;
            }
            incrWritten += n;
            buffer.clear();
            buffer.trim(1 << 20);
            if (writeError != null) {
                LOG.warn("AOF write error looks solved, Quokka can write again.");
                writeError = null;
            }
            return true;
        } catch (IOException e) {
            writeFailed(e);
            try {
                incr.truncate(incrWritten);
            } catch (IOException ignored) {
                // retried before the next write
            }
            return false;
        }
    }

    private void writeFailed(IOException e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        if (writeError == null) {
            LOG.errorf("Error writing to the AOF file: %s", reason);
        }
        writeError = reason;
    }

    private void countFsync(long startNanos) {
        fsyncs++;
        fsyncNanos += System.nanoTime() - startNanos;
        lastFsyncMillis = System.currentTimeMillis();
    }

    /**
     * The reason writes are refused ({@code -MISCONF Errors writing to the AOF file: <reason>}),
     * or null when the last write succeeded.
     */
    public String writeError() {
        return state == State.OFF ? null : writeError;
    }

    /** Every 100 ms on the keyspace context: retries, the everysec fsync, the automatic rewrite. */
    public void cron(long rewritePercentage, long rewriteMinSize) {
        if (rewriteScheduled && !rewriting && !otherJob.getAsBoolean()) {
            rewriteScheduled = false;
            String err = rewrite();
            if (err != null) {
                LOG.error(err);
            }
        }
        if (state == State.OFF) {
            return;
        }
        if (buffer.length() > 0 || writeError != null || gate.holding()) {
            turnEnd();
        }
        long now = System.currentTimeMillis();
        if (fsync == AppendFsync.EVERYSEC && incrWritten > incrSynced && now - lastFsyncMillis >= 1000) {
            backgroundFsync();
        }
        if (state == State.ON && !rewriting && !otherJob.getAsBoolean() && rewritePercentage > 0
            && currentSize() > rewriteMinSize) {
            long base = baseSize == 0 ? 1 : baseSize;
            long growth = currentSize() * 100 / base - 100;
            if (growth >= rewritePercentage) {
                LOG.infof("Starting automatic rewriting of AOF on %d%% growth", growth);
                rewrite();
            }
        }
    }

    private void backgroundFsync() {
        if (!fsyncRunning.compareAndSet(false, true)) {
            // The previous fsync has not finished within a second: the disk is slow.
            delayedFsync++;
            return;
        }
        FileChannel ch = incr;
        long target = incrWritten;
        lastFsyncMillis = System.currentTimeMillis();
        fsyncThread.execute(() -> {
            long t = System.nanoTime();
            IOException failure = null;
            try {
                ch.force(false);
            } catch (ClosedChannelException e) {
                // the file was switched meanwhile; it was fsynced when it was closed
            } catch (IOException e) {
                failure = e;
            }
            IOException f = failure;
            onContext.execute(() -> {
                fsyncRunning.set(false);
                if (f != null) {
                    writeFailed(f);
                } else {
                    countFsync(t);
                    if (ch == incr) {
                        incrSynced = Math.max(incrSynced, target);
                    }
                }
            });
        });
    }

    // ------------------------------------------------------------------ opening and closing

    /** Reads the manifest from disk (null when there is none). */
    /**
     * Redis 7.0's upgrade from a single-file AOF (aofUpgradePrepare): when {@code dir/<appendfilename>}
     * exists beside no usable manifest (no AOF directory, a manifest listing nothing, or one listing
     * only that file as its base while it is not in the AOF directory yet), the file becomes the
     * base of a new manifest and moves into the AOF directory. Returns whether it did.
     */
    public boolean upgradeOldFile() throws IOException {
        Path old = dir.toAbsolutePath().getParent().resolve(appendFilename);
        if (!Files.isRegularFile(old)) {
            return false;
        }
        Manifest m = Files.isDirectory(dir) ? readManifest() : null;
        boolean upgrade = m == null || (m.base == null && m.incrs.isEmpty())
            || (m.base != null && m.incrs.isEmpty() && m.base.name().equals(appendFilename)
                && !Files.exists(dir.resolve(appendFilename)));
        if (!upgrade) {
            return false;
        }
        Files.createDirectories(dir);
        Manifest fresh = new Manifest(appendFilename);
        fresh.base = new Manifest.AofFile(appendFilename, 1, 'b');
        fresh.persist(dir);
        Files.move(old, dir.resolve(appendFilename), StandardCopyOption.ATOMIC_MOVE);
        LOG.infof("Successfully migrated an old-style AOF file (%s) into the AOF directory (%s).", appendFilename,
            dir.getFileName());
        return true;
    }

    public Manifest readManifest() throws IOException {
        return Manifest.load(dir, appendFilename);
    }

    /** The manifest the data was loaded from (null when there was none). */
    public void useManifest(Manifest m) {
        manifest = m;
    }

    /**
     * Starts appending after loading (or on an empty directory): creates the directory, an empty
     * base and the first incremental file when there is no manifest, as Redis 7.0 does, or opens
     * the manifest's last incremental file (a new one if it lists none).
     */
    public void open() throws IOException {
        Files.createDirectories(dir);
        if (manifest == null) {
            manifest = readManifest();
        }
        if (manifest == null) {
            manifest = new Manifest(appendFilename);
            Manifest.AofFile base = manifest.newBase(rdbBase);
            Snapshot empty = Snapshot.take(keyspace);
            try {
                writeBase(dir.resolve(base.name()), empty);
            } finally {
                empty.release(keyspace);
            }
            LOG.infof("Creating AOF base file %s on server start", base.name());
            manifest.base = base;
        }
        deleteHistory();
        if (manifest.incrs.isEmpty()) {
            Manifest.AofFile f = manifest.newIncr();
            manifest.incrs.add(f);
            LOG.infof("Creating AOF incr file %s on server start", f.name());
        } else {
            LOG.infof("Opening AOF incr file %s on server start", manifest.incrs.get(manifest.incrs.size() - 1).name());
        }
        Manifest.AofFile last = manifest.incrs.get(manifest.incrs.size() - 1);
        openIncr(dir.resolve(last.name()));
        manifest.persist(dir);
        baseSize = manifest.base == null ? 0 : Files.size(dir.resolve(manifest.base.name()));
        otherIncrSize = 0;
        for (int i = 0; i < manifest.incrs.size() - 1; i++) {
            otherIncrSize += Files.size(dir.resolve(manifest.incrs.get(i).name()));
        }
        state = State.ON;
        writeError = null;
    }

    private void openIncr(Path p) throws IOException {
        incr = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        incrWritten = incr.size();
        incrSynced = incrWritten;
        selectedDb = -1;
    }

    private void deleteHistory() throws IOException {
        for (Manifest.AofFile h : manifest.history) {
            LOG.infof("Removing the history file %s", h.name());
            Files.deleteIfExists(dir.resolve(h.name()));
        }
        manifest.history.clear();
    }

    /** Writes and fsyncs what is pending and closes the file (shutdown, CONFIG SET appendonly no). */
    public void close() {
        if (state == State.OFF) {
            return;
        }
        flush();
        gate.releaseAll();
        closeIncr();
        if (tempIncr != null) {
            deleteQuietly(tempIncr);
            tempIncr = null;
        }
        state = State.OFF;
        rewriting = false;
        rewriteGeneration++;
    }

    private void closeIncr() {
        if (incr == null) {
            return;
        }
        try {
            long t = System.nanoTime();
            incr.force(false);
            countFsync(t);
            incr.close();
        } catch (IOException e) {
            LOG.errorf("Error closing the AOF file: %s", e.getMessage());
        }
        incr = null;
    }

    /** CONFIG SET appendonly yes: writes a base from the dataset first, then appends (Redis's startAppendOnly). */
    public String turnOn() {
        if (state != State.OFF) {
            return null;
        }
        try {
            Files.createDirectories(dir);
            manifest = readManifest();
            if (manifest == null) {
                manifest = new Manifest(appendFilename);
            }
        } catch (IOException e) {
            return "ERR Can't open the append-only file: " + e.getMessage();
        }
        state = State.WAIT_REWRITE;
        if (otherJob.getAsBoolean()) {
            LOG.info("AOF was enabled but there is already another background operation. An AOF background was "
                + "scheduled to start when possible.");
            rewriteScheduled = true;
            return null;
        }
        return rewrite();
    }

    /** BGREWRITEAOF while a background save runs: the rewrite starts when it is done. */
    public void scheduleRewrite() {
        rewriteScheduled = true;
    }

    public boolean rewriteScheduled() {
        return rewriteScheduled;
    }

    /** Whether another background job (a BGSAVE) runs, which a rewrite waits for. */
    public void otherJob(BooleanSupplier running) {
        this.otherJob = running;
    }

    // ------------------------------------------------------------------ rewrite

    /**
     * BGREWRITEAOF: switches appends to a new incremental file, copies the keyspace (references
     * only, on the keyspace context), and writes the copy as the new base on a background
     * thread; {@link #finishRewrite} then switches the manifest. Returns null when started,
     * else Redis's error.
     */
    public String rewrite() {
        if (rewriting) {
            return "ERR Background append only file rewriting already in progress";
        }
        try {
            Files.createDirectories(dir);
            if (manifest == null) {
                manifest = readManifest();
                if (manifest == null) {
                    manifest = new Manifest(appendFilename);
                }
            }
            if (state == State.ON) {
                if (!flush()) {
                    return "ERR Background append only file rewriting failed: " + writeError;
                }
                long before = currentSize();
                closeIncr();
                Manifest.AofFile next = manifest.newIncr();
                manifest.incrs.add(next);
                openIncr(dir.resolve(next.name()));
                otherIncrSize = before - baseSize;
                manifest.persist(dir);
                firstIncrSeqAfterRewrite = next.seq();
                LOG.infof("Creating AOF incr file %s on background rewrite", next.name());
            } else if (state == State.WAIT_REWRITE) {
                // Turning the AOF on: appends go to a temporary file until the base exists.
                tempIncr = dir.resolve("temp-" + appendFilename + ".incr");
                Files.deleteIfExists(tempIncr);
                openIncr(tempIncr);
                firstIncrSeqAfterRewrite = Long.MAX_VALUE;
            }
        } catch (IOException e) {
            rewriteFailed(e);
            return "ERR Background append only file rewriting failed: " + e.getMessage();
        }
        long t0 = System.nanoTime();
        Snapshot snap = Snapshot.take(keyspace);
        snap.functions = functionLibraries.get();
        lastSnapshotMicros = (System.nanoTime() - t0) / 1000;
        rewriting = true;
        rewriteStartMillis = System.currentTimeMillis();
        int generation = ++rewriteGeneration;
        Path temp = dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
        LOG.infof("Background append only file rewriting started (%s); the snapshot paused commands for %d us",
            temp.getFileName(), lastSnapshotMicros);
        rewriteThread.execute(() -> {
            IOException failure = null;
            try {
                writeBase(temp, snap);
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e);
            }
            IOException f = failure;
            onContext.execute(() -> {
                snap.release(keyspace);
                finishRewrite(generation, temp, f);
            });
        });
        return null;
    }

    private void finishRewrite(int generation, Path temp, IOException failure) {
        if (generation != rewriteGeneration) {
            deleteQuietly(temp); // cancelled (CONFIG SET appendonly no, or a newer rewrite)
            return;
        }
        rewriting = false;
        if (failure != null) {
            deleteQuietly(temp);
            rewriteFailed(failure);
            if (state == State.WAIT_REWRITE) {
                closeIncr();
                deleteQuietly(tempIncr);
                tempIncr = null;
                state = State.OFF;
                LOG.error("The append-only file stays off because its first rewrite failed");
            }
            return;
        }
        try {
            Manifest.AofFile base = manifest.newBase(rdbBase);
            Files.move(temp, dir.resolve(base.name()), StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("Successfully renamed the temporary AOF base file %s into %s", temp.getFileName(), base.name());
            if (manifest.base != null) {
                manifest.history.add(new Manifest.AofFile(manifest.base.name(), manifest.base.seq(), 'h'));
            }
            manifest.base = base;
            List<Manifest.AofFile> keep = new ArrayList<>();
            for (Manifest.AofFile f : manifest.incrs) {
                if (state == State.ON && f.seq() >= firstIncrSeqAfterRewrite) {
                    keep.add(f);
                } else {
                    manifest.history.add(new Manifest.AofFile(f.name(), f.seq(), 'h'));
                }
            }
            manifest.incrs.clear();
            manifest.incrs.addAll(keep);
            if (state == State.WAIT_REWRITE) {
                Manifest.AofFile f = manifest.newIncr();
                flush();
                Files.move(tempIncr, dir.resolve(f.name()), StandardCopyOption.ATOMIC_MOVE);
                tempIncr = null;
                manifest.incrs.add(f);
            }
            List<Manifest.AofFile> history = new ArrayList<>(manifest.history);
            manifest.history.clear();
            manifest.persist(dir);
            baseSize = Files.size(dir.resolve(base.name()));
            otherIncrSize = 0;
            for (Manifest.AofFile f : manifest.incrs) {
                if (incr == null || f != manifest.incrs.get(manifest.incrs.size() - 1)) {
                    otherIncrSize += Files.size(dir.resolve(f.name()));
                }
            }
            if (state == State.WAIT_REWRITE) {
                state = State.ON;
            }
            rewrites++;
            lastRewriteStatus = "ok";
            consecutiveRewriteFailures = 0;
            lastRewriteSeconds = (System.currentTimeMillis() - rewriteStartMillis) / 1000;
            rewriteThread.execute(() -> {
                for (Manifest.AofFile h : history) {
                    deleteQuietly(dir.resolve(h.name()));
                }
            });
            LOG.info("Background AOF rewrite finished successfully");
        } catch (IOException e) {
            deleteQuietly(temp);
            rewriteFailed(e);
        }
    }

    private void rewriteFailed(IOException e) {
        lastRewriteStatus = "err";
        consecutiveRewriteFailures++;
        LOG.errorf("Background AOF rewrite failed: %s", e.getMessage());
    }

    /** Removes a file if it is there; a failure is a warning (a temporary file left behind). */
    static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warnf("Can't remove %s: %s", p, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ INFO

    private volatile AofLoader loader;
    private volatile long loadingStartMillis;

    /** The replay in progress, for INFO's loading fields. */
    public void loading(AofLoader l, long startMillis) {
        loader = l;
        loadingStartMillis = startMillis;
    }

    /** The replay in progress, or null. */
    public AofLoader loader() {
        return loader;
    }

    public long loadingStartMillis() {
        return loadingStartMillis;
    }

    public boolean rewriting() {
        return rewriting;
    }

    public long currentRewriteSeconds() {
        return rewriting ? (System.currentTimeMillis() - rewriteStartMillis) / 1000 : -1;
    }

    public long lastRewriteSeconds() {
        return lastRewriteSeconds;
    }

    public String lastRewriteStatus() {
        return lastRewriteStatus;
    }

    public long rewrites() {
        return rewrites;
    }

    public long consecutiveRewriteFailures() {
        return consecutiveRewriteFailures;
    }

    /** aof_current_size: the base and every incremental file, as written. */
    public long currentSize() {
        return baseSize + otherIncrSize + incrWritten;
    }

    public long baseSize() {
        return baseSize;
    }

    public long bufferLength() {
        return buffer.length();
    }

    public boolean fsyncPending() {
        return fsyncRunning.get();
    }

    public long delayedFsync() {
        return delayedFsync;
    }

    public long fsyncs() {
        return fsyncs;
    }

    public long fsyncNanos() {
        return fsyncNanos;
    }

    /** Whether the loader should truncate a torn tail. */
    public boolean loadTruncated() {
        return loadTruncated;
    }
}
