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
            return "file " + name + " seq " + seq + " type " + type + "\n";
        }
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
        int lineNo = 0;
        for (String raw : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            String name = null;
            long seq = -1;
            char type = 0;
            for (int i = 0; i + 1 < f.length; i += 2) {
                switch (f[i]) {
                    case "file" -> name = f[i + 1];
                    case "seq" -> seq = parseSeq(f[i + 1], p, lineNo);
                    case "type" -> type = f[i + 1].length() == 1 ? f[i + 1].charAt(0) : 0;
                    default -> { }
                }
            }
            if (f.length % 2 != 0 || name == null || seq < 0 || (type != 'b' && type != 'i' && type != 'h')) {
                throw new IOException("Invalid AOF manifest file format: " + p + " line " + lineNo + ": " + raw);
            }
            AofFile file = new AofFile(name, seq, type);
            switch (type) {
                case 'b' -> {
                    if (m.base != null) {
                        throw new IOException("Found duplicate base file information in " + p + " line " + lineNo);
                    }
                    m.base = file;
                }
                case 'i' -> {
                    if (!m.incrs.isEmpty() && seq <= m.incrs.get(m.incrs.size() - 1).seq()) {
                        throw new IOException("Found a non-monotonic sequence number in " + p + " line " + lineNo);
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

    private static long parseSeq(String s, Path p, int lineNo) throws IOException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException("Invalid AOF manifest file format: " + p + " line " + lineNo + ": seq " + s);
        }
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
