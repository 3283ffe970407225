package dev.quokka.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RespParserTest {
    private static final String PIPELINE =
        "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nhello\r\n"
            + "GET key\r\n"
            + "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"
            + "*0\r\n"
            + "\r\n"
            + "set \"a b\" 'c\\'d' \"\\x41\\n\"\n"
            + "*1\r\n$4\r\nPING\r\n";

    private static final List<String> EXPECTED = List.of(
        "[SET, key, hello]", "[GET, key]", "[ECHO, ]", "[set, a b, c'd, A\n]", "[PING]");

    private static List<String> drain(RespParser p) throws ProtocolException {
        List<String> out = new ArrayList<>();
        while (p.next()) {
            List<String> args = new ArrayList<>();
            for (int i = 0; i < p.argc(); i++) {
                args.add(new String(p.argv()[i], StandardCharsets.UTF_8));
            }
            out.add(args.toString());
        }
        return out;
    }

    @Test
    void wholePipelineAtOnce() throws Exception {
        RespParser p = new RespParser();
        byte[] b = PIPELINE.getBytes(StandardCharsets.UTF_8);
        p.feed(b, 0, b.length);
        assertEquals(EXPECTED, drain(p));
        assertEquals(0, p.pending());
    }

    /**
     * A connection that is not executing (a blocked client) past a megabyte of unread input: the
     * next reads are kept as chunks, counted in the request bytes and in qbuf, and parsed in order
     * once the requests before them are consumed, the buffer never holding them all.
     */
    @Test
    void inputKeptForLaterIsParsedInOrderWithoutGrowingTheBuffer() throws Exception {
        RespParser p = new RespParser();
        byte[] set = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1000\r\n".concat("x".repeat(1000)).concat("\r\n")
            .getBytes(StandardCharsets.UTF_8);
        int requests = 0;
        while (!p.holdsLater(set.length, false)) {
            byte[] dst = p.reserve(set.length);
            System.arraycopy(set, 0, dst, p.writeIndex(), set.length);
            p.advance(set.length);
            requests++;
        }
        assertFalse(p.holdsLater(set.length, true), "an executing connection reads into the buffer");
        long before = p.requestBytes();
        int capacity = p.capacity();
        // 4 MB more, split mid-request as reads split it.
        byte[] more = new byte[set.length * 4096];
        for (int i = 0; i < 4096; i++) {
            System.arraycopy(set, 0, more, i * set.length, set.length);
        }
        for (int off = 0; off < more.length; off += 65_000) {
            assertTrue(p.holdsLater(65_000, false), "once some input waits, the rest follows it");
            int end = Math.min(more.length, off + 65_000);
            for (int from = off; from < end; ) {
                byte[] room = p.laterRoom();
                int k = Math.min(end - from, room.length - p.laterEnd());
                System.arraycopy(more, from, room, p.laterEnd(), k);
                p.laterWritten(k);
                from += k;
            }
        }
        long chunks = (more.length + RespParser.LATER_CHUNK - 1) / RespParser.LATER_CHUNK;
        assertEquals(before + chunks * RespParser.LATER_CHUNK, p.requestBytes(), "the chunks' capacity counts");
        assertEquals((long) requests * set.length + more.length, p.pending());
        int parsed = 0;
        while (p.next()) {
            assertEquals("SET", new String(p.argv()[0], StandardCharsets.UTF_8));
            assertEquals(1000, p.argv()[2].length);
            parsed++;
            assertTrue(p.capacity() <= capacity + RespParser.LATER_CHUNK, "the buffer grew from " + capacity + " to " + p.capacity());
        }
        assertEquals(requests + 4096, parsed);
        assertEquals(0, p.pending());
        assertFalse(p.holdsLater(set.length, false));
    }

    /** As the server reads: a release after every read batch, even with a request half read. */
    @Test
    void oneByteAtATimeReleasingAfterEachRead() throws Exception {
        assertEquals(EXPECTED, byteAtATime(true));
    }

    /**
     * The argument array is reused from request to request and a repeated command name is shared,
     * but the arguments a caller kept (a copy of the array, as MULTI's queue makes) stay intact.
     */
    @Test
    void keptArgumentsSurviveTheNextRequests() throws Exception {
        RespParser p = new RespParser();
        byte[] b = "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n"
            .getBytes(StandardCharsets.UTF_8);
        p.feed(b, 0, b.length);
        assertTrue(p.next());
        byte[][] kept = java.util.Arrays.copyOf(p.argv(), p.argc());
        assertTrue(p.next());
        assertTrue(kept[0] == p.argv()[0], "the repeated name is one array");
        p.release();
        assertEquals("[SET, a, 1]", java.util.Arrays.stream(kept).map(String::new).toList().toString());
        assertTrue(p.argv()[0] == null && p.argv()[2] == null, "released");
    }

    /**
     * The keys of the complete requests waiting, for prefetching: the second and third argument of
     * each multibulk request, nothing consumed; it stops at an inline or incomplete request.
     */
    @Test
    void peekKeysFindsTheWaitingRequestsSecondAndThirdArguments() throws Exception {
        RespParser p = new RespParser();
        String requests = "*2\r\n$3\r\nGET\r\n$3\r\nabc\r\n"
            + "*1\r\n$4\r\nPING\r\n"
            + "*3\r\n$3\r\nSET\r\n$2\r\nxy\r\n$5\r\nhello\r\n"
            + "PING\r\n"
            + "*2\r\n$3\r\nGET\r\n$3\r\nzzz\r\n";
        byte[] b = requests.getBytes(StandardCharsets.UTF_8);
        p.feed(b, 0, b.length);
        int[] slices = new int[4 * 16];
        int n = p.peekKeys(slices, 16);
        assertEquals(2, n, "stops at the inline request");
        assertEquals("abc", new String(p.buffer(), slices[0], slices[1], StandardCharsets.UTF_8));
        assertEquals(-1, slices[3], "GET has no third argument");
        assertEquals("xy", new String(p.buffer(), slices[4], slices[5], StandardCharsets.UTF_8));
        assertEquals("hello", new String(p.buffer(), slices[6], slices[7], StandardCharsets.UTF_8));
        assertEquals(1, p.peekKeys(slices, 1), "at most max requests");
        assertEquals(List.of("[GET, abc]", "[PING]", "[SET, xy, hello]", "[PING]", "[GET, zzz]"), drain(p));

        RespParser partial = new RespParser();
        byte[] half = "*2\r\n$3\r\nGET\r\n$3\r\nabc\r\n*2\r\n$3\r\nGET\r\n$3\r\nab".getBytes(StandardCharsets.UTF_8);
        partial.feed(half, 0, half.length);
        assertEquals(1, partial.peekKeys(slices, 16), "the incomplete request is left out");

        RespParser huge = new RespParser(); // a bulk length near the largest long must not wrap around
        byte[] h = "*2\r\n$3\r\nGET\r\n$9223372036854775807\r\nabc\r\n".getBytes(StandardCharsets.UTF_8);
        huge.feed(h, 0, h.length);
        assertEquals(0, huge.peekKeys(slices, 16));
    }

    @Test
    void oneByteAtATime() throws Exception {
        assertEquals(EXPECTED, byteAtATime(false));
    }

    /** The pipeline fed one byte per read; {@code release}: as the server does after each read. */
    private static List<String> byteAtATime(boolean release) throws ProtocolException {
        RespParser p = new RespParser();
        byte[] b = PIPELINE.getBytes(StandardCharsets.UTF_8);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            p.feed(b, i, 1);
            got.addAll(drain(p));
            if (release) {
                p.release();
            }
        }
        return got;
    }

    @Test
    void randomSplitPoints() throws Exception {
        Random rnd = new Random(42);
        byte[] b = PIPELINE.getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 2000; round++) {
            RespParser p = new RespParser();
            List<String> got = new ArrayList<>();
            int pos = 0;
            while (pos < b.length) {
                int n = Math.min(b.length - pos, 1 + rnd.nextInt(12));
                p.feed(b, pos, n);
                pos += n;
                got.addAll(drain(p));
            }
            assertEquals(EXPECTED, got, "round " + round);
        }
    }

    @Test
    void largeBulkArrivingInPieces() throws Exception {
        byte[] value = new byte[1 << 20];
        new Random(1).nextBytes(value);
        byte[] head = ("*2\r\n$4\r\nECHO\r\n$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        RespParser p = new RespParser();
        p.feed(head, 0, head.length);
        assertFalse(p.next());
        for (int i = 0; i < value.length; i += 4096) {
            p.feed(value, i, Math.min(4096, value.length - i));
            assertFalse(p.next());
        }
        p.feed("\r\n".getBytes(StandardCharsets.US_ASCII), 0, 2);
        assertTrue(p.next());
        assertEquals(2, p.argc());
        assertTrue(java.util.Arrays.equals(value, p.argv()[1]));
    }

    private static String errorOf(String input) {
        RespParser p = new RespParser();
        byte[] b = input.getBytes(StandardCharsets.ISO_8859_1);
        p.feed(b, 0, b.length);
        ProtocolException e = assertThrows(ProtocolException.class, () -> drain(p));
        return e.getMessage();
    }

    @Test
    void redisProtocolErrors() {
        assertEquals("Protocol error: invalid multibulk length", errorOf("*abc\r\n"));
        // Redis 7.0 takes counts up to INT_MAX (the query buffer limit bounds the memory).
        assertEquals("Protocol error: invalid multibulk length", errorOf("*2147483648\r\n"));
        assertEquals("Protocol error: expected '$', got 'x'", errorOf("*1\r\nx\r\n"));
        assertEquals("Protocol error: invalid bulk length", errorOf("*1\r\n$-1\r\n"));
        assertEquals("Protocol error: invalid bulk length", errorOf("*1\r\n$abc\r\n"));
        assertEquals("Protocol error: invalid bulk length", errorOf("*1\r\n$536870913\r\n"));
        assertEquals("Protocol error: unbalanced quotes in request", errorOf("set \"a\r\n"));
        assertEquals("Protocol error: unbalanced quotes in request", errorOf("set \"a\"b\r\n"));
        assertEquals("Protocol error: too big inline request", errorOf("x".repeat(65 * 1024)));
        assertEquals("Protocol error: too big mbulk count string", errorOf("*" + "1".repeat(65 * 1024)));
        assertEquals("Protocol error: too big bulk count string", errorOf("*1\r\n$" + "1".repeat(65 * 1024)));
    }

    @Test
    void limitsBeforeAuth() {
        RespParser p = new RespParser();
        p.authenticated(false);
        byte[] b = "*11\r\n".getBytes(StandardCharsets.US_ASCII);
        p.feed(b, 0, b.length);
        assertEquals("Protocol error: unauthenticated multibulk length",
            assertThrows(ProtocolException.class, p::next).getMessage());
        RespParser q = new RespParser();
        q.authenticated(false);
        byte[] c = "*1\r\n$16385\r\n".getBytes(StandardCharsets.US_ASCII);
        q.feed(c, 0, c.length);
        assertEquals("Protocol error: unauthenticated bulk length",
            assertThrows(ProtocolException.class, q::next).getMessage());
    }

    /** 100,000 random byte strings: commands or protocol errors, never any other exception. */
    @Test
    void randomGarbageOnlyYieldsCommandsOrProtocolErrors() {
        Random rnd = new Random(7);
        byte[] alphabet = "*$\r\n0123456789-abcXYZ \"'\\x".getBytes(StandardCharsets.US_ASCII);
        int errors = 0;
        int commands = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] b = new byte[rnd.nextInt(64)];
            for (int k = 0; k < b.length; k++) {
                b[k] = rnd.nextInt(4) == 0 ? (byte) rnd.nextInt(256) : alphabet[rnd.nextInt(alphabet.length)];
            }
            RespParser p = new RespParser();
            p.feed(b, 0, b.length);
            try {
                while (p.next()) {
                    commands++;
                    assertTrue(p.argc() > 0);
                }
            } catch (ProtocolException e) {
                assertTrue(e.getMessage().startsWith("Protocol error: "), e.getMessage());
                errors++;
            }
        }
        assertTrue(errors > 1000, "errors: " + errors);
        assertTrue(commands > 1000, "commands: " + commands);
    }
}
