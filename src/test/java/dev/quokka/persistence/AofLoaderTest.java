package dev.quokka.persistence;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loader against every prefix of a small AOF (a torn write can stop anywhere), and against
 * corruption: what loads, where the file is cut, and what is refused.
 */
class AofLoaderTest {
    /** One item of the test file: a command, or an annotation line (argv null). */
    private record Item(byte[][] argv, byte[] bytes) {
    }

    private static Item cmd(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        CommandBuffer b = new CommandBuffer(64);
        b.command(argv);
        return new Item(argv, bytesOf(b));
    }

    private static byte[] bytesOf(CommandBuffer b) {
        try {
            Path f = Files.createTempFile("cb", ".bin");
            try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                b.writeTo(ch, 0);
            }
            byte[] out = Files.readAllBytes(f);
            Files.delete(f);
            return out;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final List<Item> ITEMS = List.of(
        cmd("SELECT", "0"),
        cmd("SET", "a", "1"),
        new Item(null, "#TS:1795600000\r\n".getBytes(StandardCharsets.US_ASCII)),
        cmd("MULTI"),
        cmd("SET", "b", "2"),
        cmd("INCR", "c"),
        cmd("EXEC"),
        cmd("SET", "bin", "x\r\ny\u0000z"),
        cmd("DEL", "a"),
        cmd("MULTI"),
        cmd("SET", "t", "1"));

    private static byte[] whole() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Item i : ITEMS) {
            out.writeBytes(i.bytes());
        }
        return out.toByteArray();
    }

    /** What a correct loader applies from the first {@code cut} bytes, and where it cuts the file. */
    private static Object[] expected(int cut) {
        List<byte[][]> applied = new ArrayList<>();
        List<byte[][]> multi = null;
        long valid = 0;
        long multiStart = -1;
        long pos = 0;
        for (Item i : ITEMS) {
            long end = pos + i.bytes().length;
            if (end > cut) {
                break;
            }
            if (i.argv() != null) {
                String name = new String(i.argv()[0], StandardCharsets.US_ASCII);
                if (name.equals("MULTI")) {
                    multi = new ArrayList<>();
                    multiStart = pos;
                } else if (name.equals("EXEC")) {
                    applied.addAll(multi);
                    multi = null;
                } else if (multi != null) {
                    multi.add(i.argv());
                } else {
                    applied.add(i.argv());
                }
            }
            pos = end;
            if (i.argv() != null) {
                valid = end; // as in Redis, an annotation alone does not move the valid offset
            }
        }
        if (multi != null) {
            valid = multiStart;
        } else if (pos == cut) {
            valid = cut; // a clean end: nothing to cut
        }
        return new Object[] {applied, valid};
    }

    private static final class Collect implements AofLoader.Applier {
        final List<byte[][]> got = new ArrayList<>();

        @Override
        public void apply(List<byte[][]> batch) {
            got.addAll(batch);
        }

        @Override
        public void records(List<RdbFile.Record> batch, boolean dropExpired) {
            throw new AssertionError("no RDB base here");
        }

        @Override
        public void await() {
        }
    }

    private static Manifest oneIncr(Path dir, byte[] content) throws Exception {
        Manifest m = new Manifest("appendonly.aof");
        m.base = m.newBase(false);
        Files.write(dir.resolve(m.base.name()), new byte[0]);
        Manifest.AofFile incr = m.newIncr();
        m.incrs.add(incr);
        Files.write(dir.resolve(incr.name()), content);
        return m;
    }

    private static AofLoader loader(Path dir, boolean truncated) {
        return new AofLoader(dir, new dev.quokka.keyspace.Keyspace(16), truncated, argv -> true);
    }

    @Test
    void everyPrefixLoadsTheCompleteCommandsBeforeTheCut() throws Exception {
        byte[] all = whole();
        for (int cut = 0; cut <= all.length; cut++) {
            Path dir = Files.createTempDirectory("aof-prefix");
            byte[] prefix = java.util.Arrays.copyOf(all, cut);
            Manifest m = oneIncr(dir, prefix);
            Object[] want = expected(cut);
            @SuppressWarnings("unchecked")
            List<byte[][]> wantApplied = (List<byte[][]>) want[0];
            long wantSize = (long) want[1];

            Collect c = new Collect();
            long size = loader(dir, true).load(m, c);
            assertEquals(wantSize, size, "size after loading a cut at " + cut);
            assertEquals(wantSize, Files.size(dir.resolve(m.incrs().get(0).name())), "file cut at " + cut);
            assertEquals(wantApplied.size(), c.got.size(), "commands applied from a cut at " + cut);
            for (int i = 0; i < wantApplied.size(); i++) {
                assertArrayEquals(wantApplied.get(i), c.got.get(i), "command " + i + " of a cut at " + cut);
            }

            // With aof-load-truncated no, only a cut between commands (outside a MULTI) loads.
            Path strict = Files.createTempDirectory("aof-prefix-strict");
            Manifest ms = oneIncr(strict, prefix);
            if (wantSize == cut) {
                assertEquals(cut, loader(strict, false).load(ms, new Collect()));
            } else {
                AofLoader.LoadException e = assertThrows(AofLoader.LoadException.class,
                    () -> loader(strict, false).load(ms, new Collect()), "cut at " + cut);
                assertTrue(e.getMessage().contains("Unexpected end of file reading the append only file "
                    + "appendonly.aof.1.incr.aof at byte offset " + wantSize + " of " + cut), e.getMessage());
                assertEquals(cut, Files.size(strict.resolve(ms.incrs().get(0).name())), "a refused file is left as it was");
            }
        }
    }

    @Test
    void corruptionInTheMiddleIsRefusedWithItsOffset() throws Exception {
        byte[] good = cmd("SET", "a", "1").bytes();
        byte[] bad = "*2\r\n$3\r\nDEL\r\n?1\r\na\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(good);
        out.writeBytes(bad);
        out.writeBytes(good);
        Path dir = Files.createTempDirectory("aof-corrupt");
        Manifest m = oneIncr(dir, out.toByteArray());
        AofLoader.LoadException e = assertThrows(AofLoader.LoadException.class, () -> loader(dir, true).load(m, new Collect()));
        int at = good.length + "*2\r\n$3\r\nDEL\r\n".length();
        assertTrue(e.getMessage().startsWith("Bad file format reading the append only file appendonly.aof.1.incr.aof "
            + "at byte offset " + at + ": expected '$' for argument 1"), e.getMessage());
        assertEquals(out.size(), Files.size(dir.resolve(m.incrs().get(0).name())), "nothing is cut from a corrupt file");
    }

    @Test
    void aTornFileThatIsNotTheLastIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("aof-torn-base");
        Manifest m = new Manifest("appendonly.aof");
        m.base = m.newBase(false);
        byte[] torn = java.util.Arrays.copyOf(cmd("SET", "a", "1").bytes(), 10);
        Files.write(dir.resolve(m.base.name()), torn);
        Manifest.AofFile incr = m.newIncr();
        m.incrs.add(incr);
        Files.write(dir.resolve(incr.name()), cmd("SET", "b", "2").bytes());
        AofLoader.LoadException e = assertThrows(AofLoader.LoadException.class, () -> loader(dir, true).load(m, new Collect()));
        assertTrue(e.getMessage().contains("appendonly.aof.1.base.aof") && e.getMessage().contains("is not the last file"),
            e.getMessage());
    }

    @Test
    void unknownCommandsAndTruncatedRdbPreamblesAreRefused() throws Exception {
        Path dir = Files.createTempDirectory("aof-unknown");
        Manifest m = oneIncr(dir, cmd("NOSUCH", "x").bytes());
        AofLoader.LoadException e = assertThrows(AofLoader.LoadException.class,
            () -> new AofLoader(dir, new dev.quokka.keyspace.Keyspace(16), true, argv -> false).load(m, new Collect()));
        assertTrue(e.getMessage().startsWith("Unknown command 'NOSUCH'"), e.getMessage());

        Path rdb = Files.createTempDirectory("aof-rdb");
        Manifest r = oneIncr(rdb, "REDIS0010\u00fa".getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(AofLoader.LoadException.class, () -> loader(rdb, true).load(r, new Collect()));
        assertTrue(e.getMessage().startsWith("Bad RDB base in the append only file appendonly.aof.1.incr.aof: Short read")
            && e.getMessage().contains("at byte 10"), e.getMessage());
    }

    /** A manifest is refused as aofLoadManifestFromFile refuses it, with its words. */
    @Test
    void badManifestsAreRefusedWithRedisWords() throws Exception {
        Path dir = Files.createTempDirectory("aof-manifest-bad");
        String good = "file appendonly.aof.1.base.aof seq 1 type b\n";
        String[][] cases = {
            {"", "Found an empty AOF manifest"},
            {good + "\n", "Invalid AOF manifest file format"},
            {good + "file appendonly.aof.1.incr.aof seq 1 type x\n", "Unknown AOF file type"},
            {good + "file appendonly.aof.1.incr.aof seq 1 type i " + "x".repeat(1024) + "\n",
                "The AOF manifest file contains too long line"},
            {"file appendonly.aof.1.base.aof seq 1 type b", "The AOF manifest file contains too long line"},
            {"file a/b seq 1 type b\n", "File can't be a path, just a filename"},
            {"file x seq 0 type b\n", "Invalid AOF manifest file format"},
            {"file x seq 1\n", "Invalid AOF manifest file format"},
            {good + good, "Found duplicate base file information"},
        };
        for (String[] c : cases) {
            Files.writeString(dir.resolve("appendonly.aof.manifest"), c[0]);
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> Manifest.load(dir, "appendonly.aof"));
            assertTrue(e.getMessage().endsWith(c[1]), c[0] + " -> " + e.getMessage());
        }
        // comments are skipped; names with blanks are quoted as Redis quotes them, and read back
        Manifest m = new Manifest("append only.aof");
        m.base = m.newBase(true);
        m.persist(dir);
        assertEquals("file \"append only.aof.1.base.rdb\" seq 1 type b\n",
            Files.readString(dir.resolve("append only.aof.manifest")));
        Files.writeString(dir.resolve("append only.aof.manifest"), "# a comment\n"
            + Files.readString(dir.resolve("append only.aof.manifest")));
        assertEquals("append only.aof.1.base.rdb", Manifest.load(dir, "append only.aof").base().name());
    }

    @Test
    void manifestRoundTripsRedisFormat() throws Exception {
        Path dir = Files.createTempDirectory("aof-manifest");
        Files.writeString(dir.resolve("appendonly.aof.manifest"),
            "file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\n"
                + "file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.3.incr.aof seq 3 type i\n");
        Manifest m = Manifest.load(dir, "appendonly.aof");
        assertEquals("appendonly.aof.2.base.aof", m.base().name());
        assertEquals(2, m.incrs().size());
        assertEquals("appendonly.aof.3.base.aof", m.newBase(false).name());
        assertEquals("appendonly.aof.4.incr.aof", m.newIncr().name());
        m.persist(dir);
        assertEquals("file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\n"
            + "file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.3.incr.aof seq 3 type i\n",
            Files.readString(dir.resolve("appendonly.aof.manifest")));
        Files.writeString(dir.resolve("appendonly.aof.manifest"), "file x seq one type b\n");
        assertThrows(java.io.IOException.class, () -> Manifest.load(dir, "appendonly.aof"));
    }
}
