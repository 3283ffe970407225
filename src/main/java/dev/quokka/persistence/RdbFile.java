package dev.quokka.persistence;

import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RDB files, format version 10 (Redis 7.0's rdbSaveRio and rdbLoadRio): the magic {@code REDIS0010},
 * aux fields, the function libraries, per database a SELECTDB and a RESIZEDB, per key its expiry,
 * its LRU idle time or LFU counter, its type, name and value ({@link RdbValues}), then EOF and the
 * CRC64 of everything before it (zero when {@code rdbchecksum} is off).
 */
public final class RdbFile {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RdbFile.class);
    static final int OPCODE_FUNCTION2 = 245;
    static final int OPCODE_FUNCTION_PRE_GA = 246;
    static final int OPCODE_MODULE_AUX = 247;
    static final int OPCODE_IDLE = 248;
    static final int OPCODE_FREQ = 249;
    static final int OPCODE_AUX = 250;
    static final int OPCODE_RESIZEDB = 251;
    static final int OPCODE_EXPIRETIME_MS = 252;
    static final int OPCODE_EXPIRETIME = 253;
    static final int OPCODE_SELECTDB = 254;
    static final int OPCODE_EOF = 255;

    private static final int FLUSH_BYTES = 1 << 20;
    private static final long AUTOSYNC_BYTES = 4 * 1024 * 1024;

    private RdbFile() {
    }

    /**
     * What a file records besides the data: the aux fields Redis writes (redis-ver, redis-bits,
     * ctime, used-mem, the replication fields when {@code replId} is set, aof-base).
     */
    public record Header(String redisVersion, long usedMemory, boolean aofBase, String replId, long replOffset,
        int replStreamDb) {
        public static Header plain(String redisVersion, long usedMemory) {
            return new Header(redisVersion, usedMemory, false, null, 0, 0);
        }
    }

    /**
     * How to write: compressed strings ({@code rdbcompression}), the CRC64 ({@code rdbchecksum}),
     * and a pause after each key for tests ({@code rdb-key-save-delay}, microseconds).
     */
    public record Options(boolean compress, boolean checksum, long keyDelayMicros) {
    }

    /**
     * Redis's debugDelay: sleeps {@code micros}; a negative value sleeps one microsecond once in
     * {@code -micros} calls.
     */
    static void debugDelay(long micros) {
        if (micros < 0) {
            micros = java.util.concurrent.ThreadLocalRandom.current().nextLong(-micros) == 0 ? 1 : 0;
        }
        if (micros > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(micros * 1000);
        }
    }

    // ---------------------------------------------------------------- writing

    /** Writes the file at {@code path} (created or truncated) and fsyncs it, incrementally every 4 MiB when asked. */
    static void save(Path path, Snapshot snap, Header h, Options o, boolean incrementalFsync) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new OutputStream() {
                private long sinceSync;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    sinceSync += len;
                    if (incrementalFsync && sinceSync >= AUTOSYNC_BYTES) {
                        ch.force(false);
                        sinceSync = 0;
                    }
                }
            };
            write(out, snap, h, o);
            ch.force(true);
        }
    }

    /** Writes a whole RDB image of the snapshot to {@code sink}. */
    static void write(OutputStream sink, Snapshot snap, Header h, Options o) throws IOException {
        Writer w = new Writer(sink, o);
        RdbStrings.Output out = w.buffer;
        out.writeBytes(("REDIS" + String.format("%04d", RdbValues.VERSION)).getBytes(StandardCharsets.US_ASCII));
        aux(out, "redis-ver", h.redisVersion());
        aux(out, "redis-bits", "64");
        aux(out, "ctime", Long.toString(snap.takenAt / 1000));
        aux(out, "used-mem", Long.toString(h.usedMemory()));
        if (h.replId() != null) {
            aux(out, "repl-stream-db", Integer.toString(h.replStreamDb()));
            aux(out, "repl-id", h.replId());
            aux(out, "repl-offset", Long.toString(h.replOffset()));
        }
        aux(out, "aof-base", h.aofBase() ? "1" : "0");
        for (byte[] code : snap.functions) {
            out.write(OPCODE_FUNCTION2);
            RdbStrings.writeString(out, code);
        }
        for (int d = 0; d < snap.dbIds.length; d++) {
            byte[][] keys = snap.keys[d];
            long[] expires = snap.expires[d];
            int[] access = snap.access == null ? null : snap.access[d];
            out.write(OPCODE_SELECTDB);
            RdbStrings.writeLength(out, snap.dbIds[d]);
            long withExpiry = 0;
            for (long at : expires) {
                if (at != Entry.NO_EXPIRE) {
                    withExpiry++;
                }
            }
            out.write(OPCODE_RESIZEDB);
            RdbStrings.writeLength(out, keys.length);
            RdbStrings.writeLength(out, withExpiry);
            for (int i = 0; i < keys.length; i++) {
                if (snap.cancelled) {
                    throw new IOException("cancelled");
                }
                snap.keysWritten++; // one writer thread; INFO reads it racily, as a child's report
                if (expires[i] != Entry.NO_EXPIRE) {
                    out.write(OPCODE_EXPIRETIME_MS);
                    Listpack.little(out, expires[i], 8);
                }
                if (access != null && snap.accessMode == Keyspace.Access.LRU) {
                    out.write(OPCODE_IDLE);
                    RdbStrings.writeLength(out, access[i]);
                } else if (access != null) {
                    out.write(OPCODE_FREQ);
                    out.write(access[i]);
                }
                RdbValues.writeObject(out, keys[i], snap.values[d][i]);
                w.maybeFlush();
                if (o.keyDelayMicros() != 0) {
                    w.flush(); // what is written so far reaches the file, as a child's writes do
                    debugDelay(o.keyDelayMicros());
                }
            }
        }
        out.write(OPCODE_EOF);
        w.flush();
        long crc = o.checksum() ? w.crc : 0;
        Listpack.little(out, crc, 8);
        w.flush();
    }

    private static void aux(RdbStrings.Output out, String key, String value) {
        out.write(OPCODE_AUX);
        RdbValues.writeString(out, key.getBytes(StandardCharsets.US_ASCII));
        RdbValues.writeString(out, value.getBytes(StandardCharsets.US_ASCII));
    }

    /** A buffer drained into the sink each megabyte, with the CRC64 of what it drained. */
    private static final class Writer {
        final RdbStrings.Output buffer;
        final OutputStream sink;
        long crc;

        Writer(OutputStream sink, Options o) {
            this.sink = sink;
            this.buffer = new RdbStrings.Output(FLUSH_BYTES + 64 * 1024, o.compress());
        }

        void maybeFlush() throws IOException {
            if (buffer.size() >= FLUSH_BYTES) {
                flush();
            }
        }

        void flush() throws IOException {
            crc = Crc64.crc(crc, buffer.buffer(), 0, buffer.size());
            sink.write(buffer.buffer(), 0, buffer.size());
            buffer.reset();
        }
    }

    // ---------------------------------------------------------------- reading

    /** Where a loaded file's contents go, in file order. */
    public interface Sink {
        /** A function library's code (FUNCTION LOAD's argument). */
        void function(byte[] code) throws IOException;

        /** A key. */
        void entry(Record r) throws IOException;
    }

    /**
     * A loaded key: its database, name, value, expiry time ({@link Entry#NO_EXPIRE} for none), LFU
     * counter and LRU idle seconds (-1 when the file has none).
     */
    public record Record(int db, byte[] key, Object value, long expireAt, int lfuFreq, long lruIdle) {
    }

    /**
     * Stores a loaded key in the keyspace (on its context), as rdbLoadRio does: a key whose time has
     * passed is dropped when {@code dropExpired} (a primary loading its own file; not a replica, not
     * an AOF base); a key already present is replaced, with a warning (Redis stops there). Returns
     * false when the key was dropped as expired.
     */
    public static boolean install(Keyspace ks, Record r, boolean dropExpired) {
        return install(ks, ks.db(r.db()), r, dropExpired);
    }

    /** {@link #install(Keyspace, Record, boolean)} into {@code db}, which may be one being loaded aside (a replica's swapdb). */
    public static boolean install(Keyspace ks, dev.quokka.keyspace.Database db, Record r, boolean dropExpired) {
        if (dropExpired && r.expireAt() != Entry.NO_EXPIRE && r.expireAt() < ks.now()) {
            return false;
        }
        if (db.find(r.key()) != null) {
            LOG.warnf("RDB has duplicated key '%s' in DB %d; the later one is kept",
                new String(r.key(), StandardCharsets.ISO_8859_1), r.db());
            db.remove(r.key());
        }
        Entry e = ks.add(db, r.key(), r.value());
        if (r.expireAt() != Entry.NO_EXPIRE) {
            db.setExpire(e, r.expireAt());
        }
        ks.restoreAccess(e, r.lfuFreq(), r.lruIdle());
        return true;
    }

    /** A file that is not a valid RDB image, with Redis's words for why. */
    public static final class FormatException extends IOException {
        FormatException(String message) {
            super(message);
        }
    }

    /** What loading found besides the keys: the aux fields, and the keys skipped as empty. */
    public static final class Loaded {
        public final Map<String, String> aux = new LinkedHashMap<>();
        public long emptyKeysSkipped;
        public long bytes;
        /** What a streamed input held after the image (read ahead): a replica's end mark, and what follows it. */
        public byte[] unread = new byte[0];
    }

    /**
     * Reads an RDB image from {@code in} into {@code sink}: every opcode Redis 7.0 writes, the
     * value encodings of {@link RdbValues} (ziplist-era ones too), the CRC64 checked when the file
     * has one and {@code verifyChecksum}. Module data is refused, as redis-server without the module
     * refuses it.
     */
    public static Loaded load(InputStream in, Keyspace ks, int databases, boolean verifyChecksum, long keyDelayMicros,
        Sink sink) throws IOException {
        RdbStrings.Reader r = new RdbStrings.Reader(in);
        Loaded loaded = new Loaded();
        try {
            byte[] magic = new byte[9];
            for (int i = 0; i < 9; i++) {
                magic[i] = (byte) r.readByte();
            }
            String m = new String(magic, StandardCharsets.US_ASCII);
            if (!m.startsWith("REDIS")) {
                throw new FormatException("Wrong signature trying to load DB from file");
            }
            int version = atoi(m.substring(5));
            if (version < 1 || version > RdbValues.VERSION) {
                throw new FormatException("Can't handle RDB format version " + version);
            }
            int db = 0;
            long expireAt = Entry.NO_EXPIRE;
            int freq = -1;
            long idle = -1;
            while (true) {
                int type = r.readByte();
                switch (type) {
                    case OPCODE_EXPIRETIME -> {
                        expireAt = (int) r.littleEndian(4) * 1000L;
                        continue;
                    }
                    case OPCODE_EXPIRETIME_MS -> {
                        expireAt = r.littleEndian(8);
                        continue;
                    }
                    case OPCODE_FREQ -> {
                        freq = r.readByte();
                        continue;
                    }
                    case OPCODE_IDLE -> {
                        idle = r.readLength();
                        continue;
                    }
                    case OPCODE_SELECTDB -> {
                        long id = r.readLength();
                        if (id >= databases) {
                            throw new FormatException("FATAL: Data file was created with a Redis server configured to "
                                + "handle more than " + databases + " databases.");
                        }
                        db = (int) id;
                        continue;
                    }
                    case OPCODE_RESIZEDB -> {
                        r.readLength();
                        r.readLength();
                        continue;
                    }
                    case OPCODE_AUX -> {
                        String key = new String(r.readString(), StandardCharsets.ISO_8859_1);
                        String value = new String(r.readString(), StandardCharsets.ISO_8859_1);
                        loaded.aux.put(key, value);
                        continue;
                    }
                    case OPCODE_MODULE_AUX -> throw new FormatException(
                        "The RDB file contains AUX module data I can't load: no matching module");
                    case OPCODE_FUNCTION_PRE_GA -> throw new FormatException(
                        "Failed loading library, Pre-GA function format not supported");
                    case OPCODE_FUNCTION2 -> {
                        sink.function(r.readString());
                        continue;
                    }
                    case OPCODE_EOF -> {
                    }
                    default -> {
                        if (type == 6 || type == 7) {
                            throw new FormatException("The RDB file contains module data I can't load: no matching module");
                        }
                        byte[] key = r.readString();
                        Object value;
                        try {
                            value = RdbValues.readObject(r, type, ks);
                        } catch (RdbValues.EmptyValue empty) {
                            loaded.emptyKeysSkipped++;
                            expireAt = Entry.NO_EXPIRE;
                            freq = -1;
                            idle = -1;
                            continue;
                        }
                        sink.entry(new Record(db, key, value, expireAt, freq, idle));
                        if (keyDelayMicros != 0) {
                            debugDelay(keyDelayMicros); // key-load-delay, for tests of loading
                        }
                        expireAt = Entry.NO_EXPIRE;
                        freq = -1;
                        idle = -1;
                        continue;
                    }
                }
                break; // EOF
            }
            if (version >= 5) {
                long expected = r.crc();
                long stored = r.littleEndian(8);
                if (verifyChecksum && stored != 0 && stored != expected) {
                    throw new FormatException(String.format(
                        "Wrong RDB checksum expected: (%x) but got (%x). Aborting now. (RDB CRC error)", expected, stored));
                }
            }
            loaded.bytes = r.offset();
            loaded.unread = r.unread();
            return loaded;
        } catch (IllegalArgumentException e) {
            throw new FormatException("Short read or OOM loading DB. Unrecoverable error, aborting now. (at byte "
                + r.offset() + ": " + e.getMessage() + ")");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static final int BATCH = 1024;

    /**
     * Loads an RDB image through an applier (on the keyspace context, while this thread reads on):
     * keys in batches ({@link AofLoader.Applier#records}, expired ones dropped when {@code dropExpired}), function libraries as FUNCTION LOAD
     * commands, in file order. Returns after every batch has been handed over, not run.
     */
    public static Loaded load(InputStream in, Keyspace ks, int databases, boolean verifyChecksum, boolean dropExpired,
        long keyDelayMicros, AofLoader.Applier applier) throws IOException, InterruptedException {
        java.util.List<Record>[] batch = new java.util.List[] {new java.util.ArrayList<Record>(BATCH)};
        try {
            Loaded loaded = load(in, ks, databases, verifyChecksum, keyDelayMicros, new Sink() {
                @Override
                public void function(byte[] code) {
                    flush();
                    interruptibly(() -> applier.apply(java.util.List.<byte[][]>of(new byte[][] {FUNCTION, LOAD, code})));
                }

                @Override
                public void entry(Record r) {
                    batch[0].add(r);
                    if (batch[0].size() == BATCH) {
                        flush();
                    }
                }

                private void flush() {
                    if (!batch[0].isEmpty()) {
                        java.util.List<Record> full = batch[0];
                        batch[0] = new java.util.ArrayList<>(BATCH);
                        interruptibly(() -> applier.records(full, dropExpired));
                    }
                }
            });
            if (!batch[0].isEmpty()) {
                applier.records(batch[0], dropExpired);
            }
            return loaded;
        } catch (Interrupted e) {
            throw (InterruptedException) e.getCause();
        }
    }

    private static final byte[] FUNCTION = "FUNCTION".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOAD = "LOAD".getBytes(StandardCharsets.US_ASCII);

    private interface Blocking {
        void run() throws InterruptedException;
    }

    private static final class Interrupted extends RuntimeException {
        Interrupted(InterruptedException e) {
            super(e);
        }
    }

    private static void interruptibly(Blocking b) {
        try {
            b.run();
        } catch (InterruptedException e) {
            throw new Interrupted(e);
        }
    }

    /** C's atoi on the four version digits: leading digits, 0 when there are none. */
    private static int atoi(String s) {
        int v = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
