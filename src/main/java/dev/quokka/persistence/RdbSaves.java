package dev.quokka.persistence;

import dev.quokka.keyspace.Keyspace;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * RDB snapshots, as Redis's rdbSave, rdbSaveBackground and serverCron's save points: SAVE writes on
 * the keyspace context; BGSAVE copies the keyspace as the AOF rewrite does ({@link Snapshot}, the
 * same copy-on-write) and writes the copy on a background thread. One background job runs at a
 * time, as one child process does in Redis: a BGSAVE asked for during an AOF rewrite is refused or
 * scheduled, and the other way round. Everything here runs on the keyspace context except the
 * background write.
 */
public final class RdbSaves {
    private static final Logger LOG = Logger.getLogger(RdbSaves.class);
    /** CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, save points try again after 5 seconds. */
    private static final long RETRY_DELAY_MILLIS = 5000;

    /** What BGSAVE did. */
    public enum Start { STARTED, SCHEDULED, ALREADY_SAVING, OTHER_JOB, FAILED }

    private final Keyspace keyspace;
    private Executor onContext = Runnable::run;
    private Executor saveThread = Runnable::run;
    private Supplier<List<byte[]>> functionLibraries = List::of;
    private Supplier<RdbFile.Header> header = () -> RdbFile.Header.plain("7.0.15", 0);
    private BooleanSupplier otherJob = () -> false;

    private Path dir = Path.of(".");
    private String filename = "dump.rdb";
    private RdbFile.Options options = new RdbFile.Options(true, true, 0);
    private boolean incrementalFsync = true;
    private long[][] savePoints = new long[0][];

    private boolean saving;
    private boolean scheduled;
    private int generation;
    private Path bgTemp;
    private Snapshot bgSnapshot;
    private long bgStartMillis;
    private long dirtyBeforeBgsave;
    private long dirtyAtLastSave;
    private long lastSaveSeconds = System.currentTimeMillis() / 1000;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveTryMillis;
    private long lastBgsaveSeconds = -1;
    private long saves;
    private long lastLoadKeysLoaded;
    private long lastLoadKeysExpired;
    private volatile boolean shutdownHandled;

    public RdbSaves(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /** Where commands run, and the thread background saves write on. */
    public void attach(Executor onContext, Executor saveThread) {
        this.onContext = onContext;
        this.saveThread = saveThread;
    }

    /** The function libraries a save writes, the aux fields' values, and whether an AOF rewrite runs. */
    public void sources(Supplier<List<byte[]>> functionLibraries, Supplier<RdbFile.Header> header,
        BooleanSupplier aofRewriting) {
        this.functionLibraries = functionLibraries;
        this.header = header;
        this.otherJob = aofRewriting;
    }

    public void file(Path dir, String filename) {
        this.dir = dir;
        this.filename = filename;
    }

    public Path path() {
        return dir.resolve(filename);
    }

    public void options(RdbFile.Options options, boolean incrementalFsync) {
        this.options = options;
        this.incrementalFsync = incrementalFsync;
    }

    /**
     * The {@code save} parameter: pairs of seconds and changes ({@code 3600 1 300 100}); empty for
     * none. Returns false (nothing changed) when it is not such pairs.
     */
    public boolean savePoints(String spec) {
        String[] w = spec.trim().isEmpty() ? new String[0] : spec.trim().split("\\s+");
        if (w.length % 2 != 0) {
            return false;
        }
        long[][] points = new long[w.length / 2][];
        try {
            for (int i = 0; i < w.length; i += 2) {
                points[i / 2] = new long[] {Long.parseLong(w[i]), Long.parseLong(w[i + 1])};
                if (points[i / 2][0] < 1 || points[i / 2][1] < 0) {
                    return false;
                }
            }
        } catch (NumberFormatException e) {
            return false;
        }
        savePoints = points;
        return true;
    }

    public boolean hasSavePoints() {
        return savePoints.length > 0;
    }

    // ---------------------------------------------------------------- SAVE

    /** The SAVE command: a save counted in INFO's rdb_saves. */
    public String saveCommand() {
        saves++;
        return save();
    }

    /** rdbSave: writes the file now, on this thread. Returns null, or the error to reply. */
    public String save() {
        if (saving) {
            return "ERR Background save already in progress";
        }
        Snapshot snap = snapshot();
        Path temp = dir.resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
        try {
            write(temp, snap);
            LOG.info("DB saved on disk");
            saved(keyspace.dirty());
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Write error saving DB on disk: %s", e.getMessage());
            AppendOnlyFile.deleteQuietly(temp);
            return "ERR";
        } finally {
            snap.release(keyspace);
        }
    }

    private Snapshot snapshot() {
        return snapshot(true, true);
    }

    private Snapshot snapshot(boolean withKeys, boolean withFunctions) {
        Snapshot snap = withKeys ? Snapshot.take(keyspace) : Snapshot.noKeys(keyspace);
        snap.functions = withFunctions ? functionLibraries.get() : java.util.List.of();
        snap.header = header.get();
        return snap;
    }

    /** Writes the snapshot to {@code temp}, renames it to the file and syncs the directory. */
    private void write(Path temp, Snapshot snap) throws IOException {
        Files.createDirectories(dir);
        RdbFile.save(temp, snap, snap.header, options, incrementalFsync);
        Files.move(temp, path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a directory; the rename itself is done
        }
    }

    private void saved(long dirty) {
        dirtyAtLastSave = dirty;
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        lastBgsaveOk = true;
    }

    // ---------------------------------------------------------------- BGSAVE

    /** BGSAVE [SCHEDULE] (bgsaveCommand and rdbSaveBackground). */
    public Start bgsave(boolean schedule) {
        if (saving) {
            return Start.ALREADY_SAVING;
        }
        if (otherJob.getAsBoolean()) {
            if (schedule) {
                scheduled = true;
                return Start.SCHEDULED;
            }
            return Start.OTHER_JOB;
        }
        return startBgsave() ? Start.STARTED : Start.FAILED;
    }

    private boolean startBgsave() {
        scheduled = false;
        lastBgsaveTryMillis = System.currentTimeMillis();
        long t0 = System.nanoTime();
        Snapshot snap = snapshot();
        long pauseMicros = (System.nanoTime() - t0) / 1000;
        saving = true;
        saves++;
        bgStartMillis = System.currentTimeMillis();
        dirtyBeforeBgsave = keyspace.dirty();
        int gen = ++generation;
        Path temp = dir.resolve("temp-" + ProcessHandle.current().pid() + "-" + gen + ".rdb");
        bgTemp = temp;
        bgSnapshot = snap;
        LOG.infof("Background saving started; the snapshot paused commands for %d us", pauseMicros);
        try {
            saveThread.execute(() -> {
                Exception failure = null;
                try {
                    write(temp, snap);
                } catch (IOException | RuntimeException e) {
                    failure = e;
                    AppendOnlyFile.deleteQuietly(temp);
                }
                Exception f = failure;
                onContext.execute(() -> {
                    snap.release(keyspace);
                    finished(gen, f);
                });
            });
        } catch (RuntimeException e) { // the save thread is gone (shutting down)
            snap.release(keyspace);
            saving = false;
            lastBgsaveOk = false;
            LOG.errorf("Can't save in background: %s", e.getMessage());
            return false;
        }
        return true;
    }

    /**
     * A full resync's RDB (Redis's disk-based sync): the snapshot is taken now, on the keyspace
     * context, and written to {@code temp} on the save thread with the replication id and offset
     * in its aux fields; {@code done} runs on the context with null or the failure. Independent of
     * BGSAVE: each copy-on-write snapshot is its own.
     */
    public void saveForReplica(Path temp, String replId, long replOffset, java.util.function.Consumer<Exception> done) {
        forReplica(replId, replOffset, true, true, (snap, h) -> {
            Files.createDirectories(temp.getParent());
            RdbFile.save(temp, snap, h, options, false);
        }, done);
    }

    /** Where a diskless full resync's image goes: chunks handed over on the keyspace context. */
    public interface Chunks {
        /** The next chunk of the image; {@code taken} runs once it may count as sent (it frees room for more). */
        void chunk(byte[] bytes, Runnable taken);

        /** True once no replica wants the rest: the save thread stops. Read from the save thread. */
        boolean abandoned();
    }

    /**
     * A full resync's RDB sent as it is written (Redis's {@code repl-diskless-sync yes}): the same
     * snapshot and image as {@link #saveForReplica}, in chunks of 64 KiB handed to {@code chunks}
     * on the context, at most 16 of them not yet taken (so a slow replica slows the writer, not
     * the memory); {@code done} runs on the context after the last chunk. Without keys, or
     * without the function libraries, for a replica that filtered them out (REPLCONF
     * rdb-filter-only, always sent this way, as in Redis).
     */
    public void streamForReplica(String replId, long replOffset, boolean withKeys, boolean withFunctions, Chunks chunks,
        java.util.function.Consumer<Exception> done) {
        forReplica(replId, replOffset, withKeys, withFunctions, (snap, h) -> {
            try (java.io.OutputStream out = new ChunkStream(chunks)) {
                RdbFile.write(out, snap, h, options);
            }
        }, done);
    }

    private interface ImageWrite {
        void write(Snapshot snap, RdbFile.Header h) throws IOException;
    }

    private void forReplica(String replId, long replOffset, boolean withKeys, boolean withFunctions, ImageWrite write,
        java.util.function.Consumer<Exception> done) {
        Snapshot snap = snapshot(withKeys, withFunctions);
        replicaSaves++;
        RdbFile.Header plain = snap.header;
        RdbFile.Header h = new RdbFile.Header(plain.redisVersion(), plain.usedMemory(), false, replId, replOffset, 0);
        try {
            saveThread.execute(() -> {
                Exception failure = null;
                try {
                    write.write(snap, h);
                } catch (IOException | RuntimeException e) {
                    failure = e;
                }
                Exception f = failure;
                onContext.execute(() -> {
                    replicaSaves--;
                    snap.release(keyspace);
                    done.accept(f);
                });
            });
        } catch (RuntimeException e) { // the save thread is gone (shutting down)
            replicaSaves--;
            snap.release(keyspace);
            done.accept(e);
        }
    }

    /** The save thread's side of a diskless transfer: 64 KiB chunks, at most 16 in flight. */
    private final class ChunkStream extends java.io.OutputStream {
        private static final int CHUNK = 64 * 1024;
        private final Chunks chunks;
        private final java.util.concurrent.Semaphore room = new java.util.concurrent.Semaphore(16);
        private final byte[] buf = new byte[CHUNK];
        private int n;

        ChunkStream(Chunks chunks) {
            this.chunks = chunks;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int k = Math.min(len, CHUNK - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
                if (n == CHUNK) {
                    hand();
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (n > 0) {
                hand();
            }
        }

        private void hand() throws IOException {
            if (chunks.abandoned()) {
                throw new IOException("no replica is left to send the image to");
            }
            try {
                while (!room.tryAcquire(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    if (chunks.abandoned()) {
                        throw new IOException("no replica is left to send the image to");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            byte[] chunk = java.util.Arrays.copyOf(buf, n);
            n = 0;
            onContext.execute(() -> chunks.chunk(chunk, room::release));
        }
    }

    private void finished(int gen, Exception failure) {
        if (gen != generation) {
            return; // cancelled by a SAVE at shutdown, a FLUSHALL or DEBUG RELOAD
        }
        saving = false;
        bgTemp = null;
        bgSnapshot = null;
        lastBgsaveSeconds = (System.currentTimeMillis() - bgStartMillis) / 1000;
        if (failure == null) {
            LOG.info("Background saving terminated with success");
            saved(dirtyBeforeBgsave);
        } else {
            LOG.errorf("Background saving error: %s", failure.getMessage());
            lastBgsaveOk = false;
        }
    }

    /**
     * Stops a background save in progress (killRDBChild): its result is ignored and its temporary
     * file removed when its writer is done.
     */
    public void cancel() {
        if (!saving) {
            return;
        }
        generation++;
        saving = false;
        bgSnapshot.cancelled = true;
        bgSnapshot = null;
        Path temp = bgTemp;
        bgTemp = null;
        saveThread.execute(() -> AppendOnlyFile.deleteQuietly(temp));
        LOG.info("Background saving cancelled");
    }

    /**
     * Every 100 ms: a scheduled BGSAVE once no other job runs, else the first save point reached
     * (so many changes since the last save, so many seconds ago), not sooner than 5 seconds after
     * a failed try.
     */
    public void cron() {
        if (saving || otherJob.getAsBoolean()) {
            return;
        }
        if (scheduled) {
            startBgsave();
            return;
        }
        long now = System.currentTimeMillis();
        long changes = changesSinceLastSave();
        for (long[] p : savePoints) {
            if (changes >= p[1] && now / 1000 - lastSaveSeconds > p[0]
                && (now - lastBgsaveTryMillis > RETRY_DELAY_MILLIS || lastBgsaveOk)) {
                LOG.infof("%d changes in %d seconds. Saving...", p[1], p[0]);
                startBgsave();
                return;
            }
        }
    }

    /** SHUTDOWN has saved (or was told not to): the process's shutdown hook does not save again. */
    public void shutdownHandled() {
        shutdownHandled = true;
    }

    /**
     * At process shutdown (SIGTERM): the save Redis's prepareForShutdown makes when save points are
     * set, unless SHUTDOWN already decided. A failure is logged; the process still exits.
     */
    public void saveAtShutdown() {
        if (shutdownHandled || savePoints.length == 0) {
            return;
        }
        cancel();
        LOG.info("Saving the final RDB snapshot before exiting.");
        if (save() != null) {
            LOG.error("Error trying to save the DB before exiting");
        }
    }

    /** The next job may start: an AOF rewrite waits while this is saving. */
    public boolean saving() {
        return saving;
    }

    /** Images being written for full resyncs (INFO counts them in rdb_bgsave_in_progress, as Redis its child). */
    private int replicaSaves;

    public boolean savingForReplicas() {
        return replicaSaves > 0;
    }

    /** INFO's current_save_keys_processed and current_save_keys_total: the background save's progress. */
    public long[] progress() {
        Snapshot s = bgSnapshot;
        return s == null ? new long[] {0, 0} : new long[] {s.keysWritten, s.keys()};
    }

    public boolean scheduled() {
        return scheduled;
    }

    // ---------------------------------------------------------------- loading and INFO

    /** What the last load of an RDB image found (INFO's rdb_last_load_keys_*). */
    public void loaded(long keys, long expired) {
        lastLoadKeysLoaded = keys;
        lastLoadKeysExpired = expired;
    }

    /** After a load from this file: the dataset is what the file holds. */
    public void inSync() {
        dirtyAtLastSave = keyspace.dirty();
    }

    /**
     * The MISCONF refusal while the last background save failed, save points are set and {@code
     * stop-writes-on-bgsave-error} is on (writeCommandsDeniedByDiskError); else null.
     */
    public String writeError(boolean stopWritesOnError) {
        if (stopWritesOnError && savePoints.length > 0 && !lastBgsaveOk) {
            return "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. "
                + "Commands that may modify the data set are disabled, because this instance is configured to report "
                + "errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check "
                + "the Redis logs for details about the RDB error.";
        }
        return null;
    }

    public long changesSinceLastSave() {
        return keyspace.dirty() - dirtyAtLastSave;
    }

    public long lastSaveSeconds() {
        return lastSaveSeconds;
    }

    public boolean lastBgsaveOk() {
        return lastBgsaveOk;
    }

    public long lastBgsaveSeconds() {
        return lastBgsaveSeconds;
    }

    public long currentBgsaveSeconds() {
        return saving ? (System.currentTimeMillis() - bgStartMillis) / 1000 : -1;
    }

    public long saves() {
        return saves;
    }

    public long lastLoadKeysLoaded() {
        return lastLoadKeysLoaded;
    }

    public long lastLoadKeysExpired() {
        return lastLoadKeysExpired;
    }

}
