package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MONITOR, SLOWLOG, LATENCY and CLIENT PAUSE over real sockets, with Redis's formats and semantics. */
@QuarkusTest
class DiagnosticsTest extends QuokkaTest {
    @AfterEach
    void restore() throws Exception {
        raw.call("CLIENT", "UNPAUSE");
        raw.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
        raw.call("CONFIG", "SET", "latency-monitor-threshold", "0");
        raw.call("SLOWLOG", "RESET");
    }

    private static final Pattern LINE = Pattern.compile("\\+\\d+\\.\\d{6} \\[(\\d+) 127\\.0\\.0\\.1:\\d+\\] (.*)\\r\\n");

    private static String fed(String line) {
        var m = LINE.matcher(line);
        assertTrue(m.matches(), line);
        return m.group(1) + " " + m.group(2);
    }

    @Test
    void monitorFeedsExecutedCommandsQuotedAndRedacted() throws Exception {
        RawClient mon = newRaw();
        assertEquals(OK, mon.call("MONITOR"));
        raw.call("SET", "k", "a b\n\"q\"\u0001");
        raw.call("SELECT", "3");
        raw.call("GET", "k");
        raw.call("AUTH", "secret");
        raw.call("CONFIG", "GET", "maxmemory"); // admin: not shown
        raw.call("HELLO", "2", "AUTH", "default", "pw");
        raw.call("MULTI");
        raw.call("INCR", "n");
        raw.call("EXEC");
        assertEquals("0 \"SET\" \"k\" \"a b\\n\\\"q\\\"\\x01\"", fed(mon.readReply()));
        assertEquals("3 \"SELECT\" \"3\"", fed(mon.readReply())); // the database after the command, as Redis
        assertEquals("3 \"GET\" \"k\"", fed(mon.readReply()));
        assertEquals("3 \"AUTH\" \"(redacted)\"", fed(mon.readReply()));
        assertEquals("3 \"HELLO\" \"2\" \"AUTH\" \"(redacted)\" \"(redacted)\"", fed(mon.readReply()));
        assertEquals("3 \"MULTI\"", fed(mon.readReply()));
        assertEquals("3 \"INCR\" \"n\"", fed(mon.readReply()));
        assertEquals("3 \"EXEC\"", fed(mon.readReply()));
        assertTrue(raw.call("CLIENT", "LIST").contains("flags=O"));
        assertEquals("+RESET\r\n", mon.call("RESET"));
        assertFalse(raw.call("CLIENT", "LIST").contains("flags=O"));
    }

    @Test
    void slowlogKeepsTrimmedRedactedEntriesNewestFirst() throws Exception {
        raw.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
        raw.call("SLOWLOG", "RESET");
        raw.call("CLIENT", "SETNAME", "tester");
        String[] many = new String[40];
        many[0] = "SADD";
        many[1] = "s";
        for (int i = 2; i < many.length; i++) {
            many[i] = "m" + i;
        }
        raw.call(many);
        raw.call("SET", "k", "x".repeat(200));
        raw.call("CONFIG", "SET", "requirepass", "pw", "maxmemory", "0");
        raw.call("AUTH", "pw");
        raw.call("CONFIG", "SET", "requirepass", "");
        String get = raw.call("SLOWLOG", "GET", "3");
        assertTrue(get.startsWith("*3\r\n"), get);
        assertTrue(get.contains("*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$11\r\nrequirepass\r\n$10\r\n(redacted)\r\n"), get);
        assertTrue(get.contains("*6\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$11\r\nrequirepass\r\n$10\r\n(redacted)\r\n"
            + "$9\r\nmaxmemory\r\n$1\r\n0\r\n"), get);
        assertTrue(get.contains("*2\r\n$4\r\nAUTH\r\n$10\r\n(redacted)\r\n"), get);
        assertTrue(get.contains("$6\r\ntester\r\n"), get);
        String all = raw.call("SLOWLOG", "GET", "-1");
        assertTrue(all.contains("$" + (128 + " (72 more bytes)".length() + 3) + "\r\n" + "x".repeat(128) + "... (72 more bytes)\r\n"), all);
        assertTrue(all.contains("*32\r\n$4\r\nSADD\r\n$1\r\ns\r\n"), all);
        assertTrue(all.contains("$22\r\n... (9 more arguments)\r\n"), all);
        assertEquals(err("ERR count should be greater than or equal to -1"), raw.call("SLOWLOG", "GET", "-2"));
        assertEquals(OK, raw.call("SLOWLOG", "RESET"));
        assertEquals(integer(1), raw.call("SLOWLOG", "LEN")); // the RESET itself, logged after it ran
    }

    @Test
    void latencyMonitorSamplesSlowCommands() throws Exception {
        raw.call("CONFIG", "SET", "latency-monitor-threshold", "1");
        raw.call("LATENCY", "RESET");
        raw.call("PFSELFTEST"); // ten million HLL insertions: well over a millisecond
        String latest = raw.call("LATENCY", "LATEST");
        assertTrue(latest.startsWith("*1\r\n*4\r\n$7\r\ncommand\r\n:"), latest);
        assertTrue(raw.call("LATENCY", "HISTORY", "command").startsWith("*1\r\n*2\r\n:"));
        assertEquals("*0\r\n", raw.call("LATENCY", "HISTORY", "nothing"));
        // One sample: Redis's sparkline puts it on the bottom row, labelled "0s" downwards.
        String graph = raw.call("LATENCY", "GRAPH", "command");
        assertTrue(Pattern.compile("\\$\\d+\r\ncommand - high (\\d+) ms, low \\1 ms \\(all time high \\1 ms\\)\n-{80}\n"
            + " \n \n \n_\n \n0\ns\n\r\n").matcher(graph).matches(), graph);
        assertEquals(err("ERR No samples available for event 'nothing'"), raw.call("LATENCY", "GRAPH", "nothing"));
        assertEquals(integer(1), raw.call("LATENCY", "RESET"));
        raw.call("CONFIG", "RESETSTAT");
        raw.call("SET", "a", "b");
        raw.call("SET", "c", "d");
        String histogram = raw.call("LATENCY", "HISTOGRAM", "set", "nosuchcommand");
        assertTrue(histogram.startsWith("*2\r\n$3\r\nset\r\n*4\r\n$5\r\ncalls\r\n:2\r\n$14\r\nhistogram_usec\r\n"), histogram);
    }

    @Test
    void clientPauseWriteHoldsWritesUntilUnpause() throws Exception {
        raw.call("SET", "k", "v");
        raw.call("SET", "ttl", "v", "PX", "50");
        RawClient writer = newRaw();
        String writerId = writer.call("CLIENT", "ID").substring(1).trim();
        assertEquals(OK, raw.call("CLIENT", "PAUSE", "60000", "WRITE"));
        writer.send(RawClient.encode("SET", "k", "w"));
        RawClient reader = newRaw();
        assertEquals(bulk("v"), reader.call("GET", "k"));
        awaitBlocked(1);
        assertEquals(integer(0), raw.call("CLIENT", "UNBLOCK", writerId)); // a paused request is not a blocking command
        Thread.sleep(100);
        // An expired key reads as missing but is not deleted while paused.
        assertEquals(NIL, reader.call("GET", "ttl"));
        assertEquals(integer(2), raw.call("DBSIZE"));
        assertEquals(OK, raw.call("CLIENT", "UNPAUSE"));
        assertEquals(OK, writer.readReply());
        assertEquals(bulk("w"), raw.call("GET", "k"));
        assertEquals(err("ERR CLIENT PAUSE mode must be WRITE or ALL"), raw.call("CLIENT", "PAUSE", "10", "FOO"));
        assertEquals(err("ERR timeout is negative"), raw.call("CLIENT", "PAUSE", "-1"));
    }

    private void awaitBlocked(int n) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        while (!raw.call("INFO", "clients").contains("blocked_clients:" + n + "\r\n")) {
            assertTrue(System.currentTimeMillis() < deadline, "blocked_clients never reached " + n);
            Thread.sleep(10);
        }
    }
}
