package dev.quokka.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replication's inputs under attack, Quokka and Debian's redis-server 7.0.15 side by side (fresh
 * servers per probe): a replica that never reads what its primary sends, and a primary (a scripted
 * fake on a loopback port) that declares a huge RDB and vanishes, sends garbage in its stream, or
 * floods keepalive newlines; PSYNC requests with absurd offsets. Each asserts what Redis does: the
 * replica closed at its output limit, the link dropped and retried with the data kept, the
 * server answering others meanwhile, memory bounded. Figures are printed as {@code [hardening]} lines.
 */
class ReplicationHardeningIT {
    @TempDir
    Path dir;
    QuokkaProcess quokka;
    RedisServerProcess redis;

    @BeforeEach
    void start() throws Exception {
        quokka = QuokkaProcess.start(Files.createDirectories(dir.resolve("quokka")));
        redis = new RedisServerProcess(Files.createDirectories(dir.resolve("redis")), "--appendonly", "no");
    }

    @AfterEach
    void stop() throws Exception {
        String log = "";
        if (quokka != null) {
            quokka.close();
            log = quokka.log();
        }
        if (redis != null) {
            redis.close();
        }
        assertFalse(log.contains("OutOfMemoryError"), log);
    }

    List<HardeningIT.Target> targets() {
        return List.of(new HardeningIT.Target("redis", redis.port(), redis.pid()),
            new HardeningIT.Target("quokka", quokka.port, quokka.process().pid()));
    }

    private static long field(String info, String name) {
        Matcher m = Pattern.compile(name + ":(-?\\d+)").matcher(info);
        assertTrue(m.find(), name + " in " + info);
        return Long.parseLong(m.group(1));
    }

    /** Reads one RESP line (without CRLF) from a fake primary's peer, or null at EOF. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            if (b.size() > 1 << 20) {
                throw new IOException("line too long");
            }
        }
        return null;
    }

    /** Reads one command (a RESP array of bulk strings) and returns its words, or null at EOF. */
    private static List<String> command(InputStream in) throws IOException {
        String head = line(in);
        if (head == null) {
            return null;
        }
        if (!head.startsWith("*")) {
            return List.of(head.split(" ")); // an inline command
        }
        int n = Integer.parseInt(head.substring(1));
        List<String> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = Integer.parseInt(line(in).substring(1));
            byte[] w = in.readNBytes(len + 2);
            words.add(new String(w, 0, len, StandardCharsets.ISO_8859_1));
        }
        return words;
    }

    /** What a fake primary does once a replica's PSYNC has arrived. */
    interface AfterPsync {
        void run(OutputStream out, InputStream in) throws Exception;
    }

    /**
     * A primary that answers the replica handshake (PING, AUTH, REPLCONF) and runs a script after
     * PSYNC, for every connection; it records each connection's PSYNC.
     */
    static final class FakePrimary implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0);
        final List<String> psyncs = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor;

        FakePrimary(AfterPsync script) throws IOException {
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        connections.incrementAndGet();
                        Thread t = new Thread(() -> serve(s, script));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve(Socket s, AfterPsync script) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                List<String> cmd;
                while ((cmd = command(in)) != null) {
                    String name = cmd.get(0).toUpperCase();
                    if (name.equals("PING")) {
                        out.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else if (name.equals("PSYNC") || name.equals("SYNC")) {
                        psyncs.add(String.join(" ", cmd));
                        script.run(out, in);
                        return;
                    } else {
                        out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                }
            } catch (Exception e) {
                // the replica closed the link: what the probes provoke
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** An RDB of version 10 with no keys and the checksum left out (zero, which Redis accepts). */
    static byte[] emptyRdb() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("REDIS0010".getBytes(StandardCharsets.US_ASCII));
        b.write(0xFF);
        b.writeBytes(new byte[8]);
        return b.toByteArray();
    }

    private static void awaitTrue(java.util.concurrent.Callable<Boolean> condition, long millis, String what)
        throws Exception {
        long end = System.currentTimeMillis() + millis;
        while (!condition.call()) {
            assertTrue(System.currentTimeMillis() < end, what);
            Thread.sleep(50);
        }
    }

    // ------------------------------------------------------------------ a replica that never reads

    @Test
    void replicaThatNeverReadsIsClosedAtItsOutputLimit() throws Exception {
        String value = "v".repeat(64 * 1024);
        for (HardeningIT.Target t : targets()) {
            assertEquals("+OK\r\n", t.call("CONFIG", "SET", "client-output-buffer-limit", "replica 4mb 0 0"));
            long rssBefore = t.rssBytes();
            try (Socket replica = HardeningIT.connect(t.port()); RawClient writer = new RawClient(t.port());
                 HardeningIT.PingProbe probe = new HardeningIT.PingProbe(t.port(), null)) {
                InputStream replicaIn = new BufferedInputStream(replica.getInputStream());
                replica.getOutputStream().write(RawClient.encode("REPLCONF", "listening-port", "1"));
                assertEquals("+OK", line(replicaIn)); // PSYNC with a reply pending is refused
                replica.getOutputStream().write(RawClient.encode("PSYNC", "?", "-1"));
                awaitTrue(() -> field(writer.call("INFO", "replication"), "connected_slaves") == 1, 10_000,
                    t.name() + " takes the replica");
                int written = 0;
                long end = System.currentTimeMillis() + 30_000;
                while (field(writer.call("INFO", "replication"), "connected_slaves") == 1
                    && System.currentTimeMillis() < end) {
                    for (int i = 0; i < 16; i++) {
                        assertEquals("+OK\r\n", writer.call("SET", "k" + (written++ % 256), value));
                    }
                }
                probe.close();
                long growth = t.rssBytes() - rssBefore;
                HardeningIT.report("replica that never reads", t, "dropped after " + written + " writes of 64 KB ("
                    + written / 16 + " MB); RSS growth " + growth / (1 << 20) + " MB; " + probe.summary());
                assertEquals(0, field(writer.call("INFO", "replication"), "connected_slaves"),
                    t.name() + " drops the replica at its output limit");
                assertTrue(HardeningIT.closed(replica, 10_000), t.name() + " closed the replica's connection");
                assertTrue(written < 30 * 16 * 4, t.name() + " dropped it within a few times its 4 MB limit: " + written);
                assertTrue(growth < 256L << 20, t.name() + " resident memory grew " + growth);
                assertEquals("+PONG\r\n", writer.call("PING"));
            }
        }
    }

    // ------------------------------------------------------------------ primaries that misbehave

    /**
     * A primary that promises a 1 TB RDB, sends a little of it and vanishes: the replica keeps
     * its data (the transfer goes to a file; nothing is reserved for the declared length), keeps
     * serving, and connects again.
     */
    @Test
    void primaryDeclaringAHugeRdbThenVanishingLeavesTheDataAndIsRetried() throws Exception {
        try (FakePrimary fake = new FakePrimary((out, in) -> {
            out.write(("+FULLRESYNC " + "a".repeat(40) + " 0\r\n$1099511627776\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write("REDIS0010".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1 << 20]);
            out.flush();
            Thread.sleep(300);
        })) {
            for (HardeningIT.Target t : targets()) {
                int before = fake.connections.get();
                assertEquals("+OK\r\n", t.call("SET", "kept", "1"));
                assertEquals("+OK\r\n", t.call("REPLICAOF", "127.0.0.1", Integer.toString(fake.port())));
                awaitTrue(() -> fake.connections.get() >= before + 2, 15_000, t.name() + " connects again");
                assertEquals("$1\r\n1\r\n", t.call("GET", "kept"), t.name() + " keeps its data");
                assertEquals("+PONG\r\n", t.call("PING"));
                assertEquals("+OK\r\n", t.call("REPLICAOF", "NO", "ONE"));
                HardeningIT.report("primary declaring a 1 TB RDB, then gone", t, "retried ("
                    + (fake.connections.get() - before) + " connections), data kept");
            }
        }
    }

    /**
     * A primary whose stream turns to garbage after a valid full resync: the replica keeps what it
     * applied, drops the link on the protocol error and connects again asking for a full resync
     * (Redis does not continue a stream that broke its protocol), serving clients throughout.
     */
    @Test
    void garbageInThePrimaryStreamDropsTheLinkAndIsRetried() throws Exception {
        String id = "b".repeat(40);
        try (FakePrimary fake = new FakePrimary((out, in) -> {
            byte[] rdb = emptyRdb();
            out.write(("+FULLRESYNC " + id + " 100\r\n$" + rdb.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(rdb);
            out.write(RawClient.encode("SET", "from-primary", "1"));
            out.write("*2\r\n$3\r\nSET\r\n$x\r\n\u0001\u0002garbage\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(5_000);
        })) {
            for (HardeningIT.Target t : targets()) {
                int before = fake.psyncs.size();
                assertEquals("+OK\r\n", t.call("REPLICAOF", "127.0.0.1", Integer.toString(fake.port())));
                awaitTrue(() -> fake.psyncs.size() >= before + 2, 15_000, t.name() + " connects again: " + fake.psyncs);
                String again = fake.psyncs.get(before + 1);
                assertEquals("PSYNC ? -1", again, t.name() + " asks for a full resync: a stream that broke its "
                    + "protocol is not continued");
                assertEquals("$1\r\n1\r\n", t.call("GET", "from-primary"));
                assertEquals("+PONG\r\n", t.call("PING"));
                assertEquals("+OK\r\n", t.call("REPLICAOF", "NO", "ONE"));
                HardeningIT.report("garbage in the primary's stream", t, "link dropped, then " + again);
            }
        }
    }

    /**
     * A primary that answers PSYNC with a stream of keepalive newlines (4 MB: redis-server reads
     * them a byte at a time, one line per event-loop turn): the
     * replica skips them without buffering, keeps serving, and its memory stays flat.
     */
    @Test
    void keepaliveNewlineFloodIsSkippedWithoutBuffering() throws Exception {
        byte[] newlines = new byte[1 << 20];
        java.util.Arrays.fill(newlines, (byte) '\n');
        AtomicInteger sentMb = new AtomicInteger();
        try (FakePrimary fake = new FakePrimary((out, in) -> {
            for (int i = 0; i < 4; i++) {
                out.write(newlines);
                sentMb.incrementAndGet();
            }
            out.flush();
            Thread.sleep(1_000);
        })) {
            for (HardeningIT.Target t : targets()) {
                sentMb.set(0);
                long rssBefore = t.rssBytes();
                int before = fake.psyncs.size();
                try (HardeningIT.PingProbe probe = new HardeningIT.PingProbe(t.port(), null)) {
                    assertEquals("+OK\r\n", t.call("REPLICAOF", "127.0.0.1", Integer.toString(fake.port())));
                    awaitTrue(() -> fake.psyncs.size() > before && sentMb.get() == 4, 60_000,
                        t.name() + " reads the newlines (" + sentMb.get() + " MB sent)");
                    probe.close();
                    long growth = t.rssBytes() - rssBefore;
                    HardeningIT.report("4 MB of keepalive newlines", t, "RSS growth " + growth / (1 << 20) + " MB; "
                        + probe.summary());
                    assertTrue(growth < 64L << 20, t.name() + " did not buffer the newlines: RSS grew " + growth);
                    assertTrue(probe.percentile(0.99) < 500_000, t.name() + " kept answering: " + probe.summary());
                }
                assertEquals("+OK\r\n", t.call("REPLICAOF", "NO", "ONE"));
            }
        }
    }

    // ------------------------------------------------------------------ PSYNC requests

    /** PSYNC with offsets and ids no backlog holds: the same first line as redis-server's. */
    @Test
    void absurdPsyncRequestsGetRedisAnswers() throws Exception {
        String[][] requests = {{"PSYNC", "?", "abc"}, {"PSYNC", "?", "99999999999999999999"},
            {"PSYNC", "0000000000000000000000000000000000000000", "-9223372036854775808"},
            {"PSYNC", "x".repeat(100_000), "1"}, {"PSYNC", "?", "9223372036854775807"}};
        for (String[] request : requests) {
            List<String> firstWords = new ArrayList<>();
            for (HardeningIT.Target t : targets()) {
                try (Socket s = HardeningIT.connect(t.port())) {
                    s.getOutputStream().write(RawClient.encode(request));
                    s.setSoTimeout(10_000);
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    String first;
                    do {
                        first = line(in); // a primary waiting for its snapshot sends newlines first
                    } while (first != null && first.isEmpty());
                    firstWords.add(first.split(" ")[0]);
                }
                assertEquals("+PONG\r\n", t.call("PING"));
            }
            assertEquals(firstWords.get(0), firstWords.get(1), String.join(" ", request).substring(0,
                Math.min(60, String.join(" ", request).length())));
        }
    }
}
