package dev.quokka.persistence;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Replays the files of a {@link Manifest} (Redis's {@code loadAppendOnlyFiles}): streams each
 * file through a fixed buffer, hands complete commands to an {@link Applier} in batches (which
 * runs them on the keyspace context while this thread reads on), applies a {@code MULTI} ...
 * {@code EXEC} block only once its {@code EXEC} is read, and handles the tail like Redis 7.0:
 *
 * <ul>
 * <li>a file that ends inside a command (a torn write) is loaded up to the last complete
 *     command and, when it is the last file and {@code aof-load-truncated} is on, truncated
 *     there; otherwise loading fails;</li>
 * <li>a {@code MULTI} without its {@code EXEC} at the end is dropped the same way;</li>
 * <li>anything else that is not a command (corruption in the middle) fails, naming the file
 *     and the byte offset.</li>
 * </ul>
 */
public final class AofLoader {
    private static final Logger LOG = Logger.getLogger(AofLoader.class);
    private static final int BATCH = 1024;

    /** Runs commands on the keyspace context. */
    public interface Applier {
        /** Runs a batch of commands in order; may return before they have run. */
        void apply(List<byte[][]> batch) throws InterruptedException;

        /** Stores a batch of keys loaded from an RDB image (a base in RDB format, a dump.rdb); may return before. */
        void records(List<RdbFile.Record> batch, boolean dropExpired) throws InterruptedException;

        /** Waits until every batch given so far has run. */
        void await() throws InterruptedException;
    }

    /** Loading cannot go on: the message names the file and the byte offset. */
    public static final class LoadException extends IOException {
        LoadException(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final dev.quokka.keyspace.Keyspace keyspace;
    private final boolean loadTruncated;
    private final Predicate<byte[][]> knownCommand;
    private volatile long loadedBytes;
    private volatile long totalBytes;
    private long commands;

    /**
     * @param knownCommand whether a command's name and arity are valid (an unknown command stops
     *                     loading, as in Redis)
     */
    public AofLoader(Path dir, dev.quokka.keyspace.Keyspace keyspace, boolean loadTruncated, Predicate<byte[][]> knownCommand) {
        this.dir = dir;
        this.keyspace = keyspace;
        this.loadTruncated = loadTruncated;
        this.knownCommand = knownCommand;
    }

    public long loadedBytes() {
        return loadedBytes;
    }

    public long totalBytes() {
        return totalBytes;
    }

    public long commands() {
        return commands;
    }

    /** Loads every data file of the manifest in order; returns the total size after any truncation. */
    public long load(Manifest m, Applier applier) throws IOException, InterruptedException {
        List<Manifest.AofFile> files = m.dataFiles();
        long total = 0;
        for (Manifest.AofFile f : files) {
            Path p = dir.resolve(f.name());
            if (!Files.exists(p)) {
                throw new LoadException("Fatal error: can't open the append log file " + f.name()
                    + " for reading: No such file or directory (it is listed in the manifest)");
            }
            total += Files.size(p);
        }
        totalBytes = total;
        long before = 0;
        long size = 0;
        for (int i = 0; i < files.size(); i++) {
            long start = System.nanoTime();
            long fileSize = loadFile(files.get(i).name(), i == files.size() - 1, applier, before);
            before += Files.size(dir.resolve(files.get(i).name()));
            size += fileSize;
            LOG.infof("DB loaded from %s file %s: %.3f seconds", files.get(i).type() == 'b' ? "base" : "incr",
                files.get(i).name(), (System.nanoTime() - start) / 1e9);
        }
        applier.await();
        loadedBytes = totalBytes;
        return size;
    }

    /** Loads one file; returns its size after any truncation. */
    long loadFile(String name, boolean last, Applier applier, long progressBase) throws IOException, InterruptedException {
        Path p = dir.resolve(name);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long start = 0;
            if (ch.size() >= 5) {
                ByteBuffer magic = ByteBuffer.allocate(5);
                ch.read(magic, 0);
                if (new String(magic.array(), StandardCharsets.US_ASCII).equals("REDIS")) {
                    // An RDB base (aof-use-rdb-preamble), or a 6.x file's RDB preamble with commands after it.
                    LOG.infof("Reading RDB base file on AOF loading...");
                    RdbFile.Loaded l;
                    try {
                        l = RdbFile.load(java.nio.channels.Channels.newInputStream(ch), keyspace,
                            keyspace.databases(), true, false, 0, applier);
                    } catch (RdbFile.FormatException e) {
                        throw new LoadException("Bad RDB base in the append only file " + name + ": " + e.getMessage());
                    }
                    start = l.bytes;
                    ch.position(start);
                    loadedBytes = progressBase + start;
                    if (start == ch.size()) {
                        return start;
                    }
                    LOG.info("Reading the remaining AOF tail...");
                }
            }
            Reader r = new Reader(ch, start);
            List<byte[][]> batch = new ArrayList<>(BATCH);
            List<byte[][]> multi = null;
            long multiStart = -1;
            long validUpTo = start; // the end of the last complete command, as Redis's valid_up_to
            while (true) {
                byte[][] argv;
                try {
                    argv = r.next();
                } catch (Truncated t) {
                    flush(applier, batch);
                    return truncated(p, name, last, ch.size(), multi != null ? multiStart : validUpTo, multi != null);
                } catch (Corrupt c) {
                    throw new LoadException("Bad file format reading the append only file " + name + " at byte offset "
                        + c.offset + ": " + c.getMessage() + ". Make a backup of the file; docs/persistence.md says "
                        + "how to repair it (redis-check-aof --fix, or truncating it at that offset)");
                }
                if (argv == null) {
                    if (multi != null) {
                        // A MULTI without its EXEC at the very end: drop it like a torn tail.
                        LOG.infof("Revert incomplete MULTI/EXEC transaction in AOF file %s", name);
                        flush(applier, batch);
                        return truncated(p, name, last, ch.size(), multiStart, true);
                    }
                    flush(applier, batch);
                    return ch.size();
                }
                long cmdStart = r.commandStart;
                validUpTo = r.offset();
                if (is(argv[0], "MULTI")) {
                    multi = new ArrayList<>();
                    multiStart = cmdStart;
                    continue;
                }
                if (is(argv[0], "EXEC")) {
                    if (multi != null) {
                        batch.addAll(multi);
                        multi = null;
                    }
                    continue;
                }
                if (!knownCommand.test(argv)) {
                    throw new LoadException("Unknown command '" + new String(argv[0], StandardCharsets.UTF_8)
                        + "' reading the append only file " + name + " at byte offset " + cmdStart
                        + " (or a wrong number of arguments)");
                }
                commands++;
                if (multi != null) {
                    multi.add(argv);
                } else {
                    batch.add(argv);
                    if (batch.size() >= BATCH) {
                        loadedBytes = progressBase + r.offset();
                        flush(applier, batch);
                        batch = new ArrayList<>(BATCH);
                    }
                }
            }
        }
    }

    private static void flush(Applier applier, List<byte[][]> batch) throws InterruptedException {
        if (!batch.isEmpty()) {
            applier.apply(batch);
        }
    }

    private long truncated(Path p, String name, boolean last, long size, long validUpTo, boolean multi)
        throws IOException {
        if (!last) {
            throw new LoadException("Fatal error: the truncated file " + name + " (valid up to byte offset "
                + validUpTo + " of " + size + ") is not the last file of the manifest");
        }
        if (!loadTruncated) {
            throw new LoadException("Unexpected end of file reading the append only file " + name + " at byte offset "
                + validUpTo + " of " + size + ". Set aof-load-truncated yes to load it anyway, or see "
                + "docs/persistence.md");
        }
        LOG.warnf("!!! Warning: short read while loading the AOF file %s!!!", name);
        LOG.warnf("!!! Truncating the AOF %s at offset %d (of %d bytes%s) !!!", name, validUpTo, size,
            multi ? ", dropping an unfinished MULTI" : "");
        try (FileChannel w = FileChannel.open(p, StandardOpenOption.WRITE)) {
            w.truncate(validUpTo);
            w.force(true);
        }
        LOG.warnf("AOF %s loaded anyway because aof-load-truncated is enabled", name);
        return validUpTo;
    }

    private static boolean is(byte[] a, String word) {
        if (a.length != word.length()) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Character.toUpperCase((char) a[i]) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The file ended inside a command. */
    private static final class Truncated extends Exception {
        Truncated() {
            super(null, null, false, false);
        }
    }

    /** Bytes that cannot be a command. */
    private static final class Corrupt extends Exception {
        final long offset;

        Corrupt(long offset, String message) {
            super(message, null, false, false);
            this.offset = offset;
        }
    }

    /** Streams a file through a 1 MiB buffer and reads {@code *n $len ...} commands. */
    private static final class Reader {
        private static final long MAX_ARGS = 1024 * 1024 * 1024L;
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        private long base;
        private boolean eof;
        /** Where the command last returned by {@link #next} began. */
        long commandStart;

        Reader(FileChannel ch, long start) {
            this.ch = ch;
            this.base = start;
            buf.limit(0);
        }

        long offset() {
            return base + buf.position();
        }

        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            base += buf.position();
            buf.compact();
            int n = ch.read(buf);
            buf.flip();
            if (n < 0) {
                eof = true;
            }
            return n > 0 || buf.hasRemaining();
        }

        private int read() throws IOException, Truncated {
            if (!buf.hasRemaining() && !fill()) {
                throw new Truncated();
            }
            return buf.get() & 0xff;
        }

        /** The next command, or null at a clean end of file. */
        byte[][] next() throws IOException, Truncated, Corrupt {
            while (true) {
                if (!buf.hasRemaining() && !fill()) {
                    return null;
                }
                long start = offset();
                int b = read();
                if (b == '#') {
                    // An annotation line (aof-timestamp-enabled): skipped.
                    while (read() != '\n') {
                        // skip
                    }
                    continue;
                }
                if (b != '*') {
                    throw new Corrupt(start, "expected '*', found byte " + b);
                }
                commandStart = start;
                long argc = number(start);
                if (argc < 1 || argc > MAX_ARGS) {
                    throw new Corrupt(start, "invalid argument count " + argc);
                }
                byte[][] argv = new byte[(int) argc][];
                for (int i = 0; i < argc; i++) {
                    long at = offset();
                    if (read() != '$') {
                        throw new Corrupt(at, "expected '$' for argument " + i);
                    }
                    long len = number(at);
                    if (len < 0 || len > Integer.MAX_VALUE - 16) {
                        throw new Corrupt(at, "invalid bulk length " + len);
                    }
                    byte[] a = new byte[(int) len];
                    int got = 0;
                    while (got < len) {
                        if (!buf.hasRemaining() && !fill()) {
                            throw new Truncated();
                        }
                        int n = Math.min(buf.remaining(), (int) len - got);
                        buf.get(a, got, n);
                        got += n;
                    }
                    long crlf = offset();
                    if (read() != '\r' || read() != '\n') {
                        throw new Corrupt(crlf, "expected CRLF after argument " + i);
                    }
                    argv[i] = a;
                }
                return argv;
            }
        }

        /** Digits up to CRLF. */
        private long number(long start) throws IOException, Truncated, Corrupt {
            long n = 0;
            int digits = 0;
            boolean negative = false;
            while (true) {
                int b = read();
                if (b == '\r') {
                    if (read() != '\n') {
                        throw new Corrupt(start, "expected LF");
                    }
                    if (digits == 0) {
                        throw new Corrupt(start, "missing number");
                    }
                    return negative ? -n : n;
                }
                if (b == '-' && digits == 0 && !negative) {
                    negative = true;
                    continue;
                }
                if (b < '0' || b > '9' || digits >= 18) {
                    throw new Corrupt(start, "invalid number");
                }
                n = n * 10 + (b - '0');
                digits++;
            }
        }
    }
}
