package dev.quokka.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis 7.0's AOF manifest ({@code appendonly.aof.manifest} in {@code appenddirname}): one line
 * per file, {@code file <name> seq <n> type <b|i|h>}, the base first, then the incremental files
 * in order; history files ({@code h}) are waiting to be deleted. Files are named
 * {@code <appendfilename>.<seq>.base.aof} (or {@code .base.rdb}, an RDB image) and {@code <appendfilename>.<seq>.incr.aof}.
 */
public final class Manifest {
    /** One file of the manifest. */
    public record AofFile(String name, long seq, char type) {
        String line() {
            return "file " + repr(name) + " seq " + seq + " type " + type + "\n";
        }
    }

    /** A file name as Redis writes it (sdscatrepr when sdsneedsrepr): quoted with C escapes when it needs them. */
    static String repr(String name) {
        boolean needs = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' || c == '"' || c <= ' ' || c >= 127) {
                needs = true;
                break;
            }
        }
        if (!needs) {
            return name;
        }
        StringBuilder sb = new StringBuilder();
        dev.quokka.protocol.InlineSplitter.repr(sb, name.getBytes(StandardCharsets.UTF_8));
        return sb.toString();
    }

    private final String prefix;
    AofFile base;
    final List<AofFile> incrs = new ArrayList<>();
    final List<AofFile> history = new ArrayList<>();

    Manifest(String appendFilename) {
        this.prefix = appendFilename;
    }

    public AofFile base() {
        return base;
    }

    public List<AofFile> incrs() {
        return incrs;
    }

    String manifestName() {
        return prefix + ".manifest";
    }

    AofFile newBase(boolean rdb) {
        long seq = base == null ? 1 : base.seq() + 1;
        return new AofFile(prefix + "." + seq + ".base." + (rdb ? "rdb" : "aof"), seq, 'b');
    }

    AofFile newIncr() {
        long seq = ++lastIncrSeq;
        return new AofFile(prefix + "." + seq + ".incr.aof", seq, 'i');
    }

    /** The highest incremental sequence number in the manifest (Redis's {@code curr_incr_file_seq}). */
    long lastIncrSeq;

    /** Every file the data is in, in loading order. */
    List<AofFile> dataFiles() {
        List<AofFile> all = new ArrayList<>();
        if (base != null) {
            all.add(base);
        }
        all.addAll(incrs);
        return all;
    }

    String format() {
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            sb.append(base.line());
        }
        for (AofFile h : history) {
            sb.append(h.line());
        }
        for (AofFile i : incrs) {
            sb.append(i.line());
        }
        return sb.toString();
    }

    /** Reads {@code dir/<appendfilename>.manifest}; null when there is none. */
    static Manifest load(Path dir, String appendFilename) throws IOException {
        Manifest m = new Manifest(appendFilename);
        Path p = dir.resolve(m.manifestName());
        if (!Files.exists(p)) {
            return null;
        }
        byte[] content = Files.readAllBytes(p);
        if (content.length == 0) {
            throw new IOException(manifestError(p, 0, "", "Found an empty AOF manifest"));
        }
        int lineNo = 0;
        int at = 0;
        while (at < content.length) {
            int nl = at;
            while (nl < content.length && content[nl] != '\n') {
                nl++;
            }
            lineNo++;
            String raw = new String(content, at, Math.min(nl, content.length) - at, StandardCharsets.UTF_8);
            boolean hasNewline = nl < content.length;
            int lineFrom = at;
            at = nl + 1;
            if (raw.startsWith("#")) {
                continue;
            }
            if (nl - lineFrom + 1 > MAX_LINE || !hasNewline) {
                throw new IOException(manifestError(p, lineNo, raw, "The AOF manifest file contains too long line"));
            }
            String line = raw.strip();
            byte[][] f = line.isEmpty() ? null : dev.quokka.protocol.InlineSplitter.split(content, lineFrom, nl);
            if (f == null || f.length < 6 || f.length % 2 != 0) {
                throw new IOException(manifestError(p, lineNo, raw, "Invalid AOF manifest file format"));
            }
            String name = null;
            long seq = 0;
            char type = 0;
            for (int i = 0; i < f.length; i += 2) {
                String key = new String(f[i], StandardCharsets.UTF_8);
                String value = new String(f[i + 1], StandardCharsets.UTF_8);
                if (key.equalsIgnoreCase("file")) {
                    name = value;
                    if (name.contains("/")) {
                        throw new IOException(manifestError(p, lineNo, raw, "File can't be a path, just a filename"));
                    }
                } else if (key.equalsIgnoreCase("seq")) {
                    seq = atoll(value);
                } else if (key.equalsIgnoreCase("type")) {
                    type = value.isEmpty() ? 0 : value.charAt(0);
                }
            }
            if (name == null || seq == 0 || type == 0) {
                throw new IOException(manifestError(p, lineNo, raw, "Invalid AOF manifest file format"));
            }
            if (type != 'b' && type != 'i' && type != 'h') {
                throw new IOException(manifestError(p, lineNo, raw, "Unknown AOF file type"));
            }
            AofFile file = new AofFile(name, seq, type);
            switch (type) {
                case 'b' -> {
                    if (m.base != null) {
                        throw new IOException(manifestError(p, lineNo, raw, "Found duplicate base file information"));
                    }
                    m.base = file;
                }
                case 'i' -> {
                    if (!m.incrs.isEmpty() && seq <= m.incrs.get(m.incrs.size() - 1).seq()) {
                        throw new IOException(manifestError(p, lineNo, raw, "Found a non-monotonic sequence number"));
                    }
                    m.incrs.add(file);
                }
                default -> m.history.add(file);
            }
            if (type == 'i') {
                m.lastIncrSeq = Math.max(m.lastIncrSeq, seq);
            }
        }
        return m;
    }

    /** MANIFEST_MAX_LINE: a line (with its newline) longer than this is refused. */
    private static final int MAX_LINE = 1024;

    /** Redis's words for a bad manifest, with the line it stopped at. */
    private static String manifestError(Path p, int lineNo, String line, String err) {
        return "*** FATAL AOF MANIFEST FILE ERROR *** Reading the manifest file " + p + ", at line " + lineNo + ": >>> '"
            + line.strip() + "': " + err;
    }

    /** C's atoll: an optional sign and leading digits, 0 when there are none. */
    private static long atoll(String s) {
        int i = 0;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        for (; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return neg ? -v : v;
    }

    /**
     * Writes the manifest atomically: a temporary file, fsynced, renamed over the manifest, then
     * the directory fsynced so that the rename itself is durable.
     */
    void persist(Path dir) throws IOException {
        Path tmp = dir.resolve("temp-" + manifestName());
        byte[] bytes = format().getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(manifestName()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(dir);
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
