package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class StringCommandsTest extends QuokkaTest {
    @Test
    void setAndGet() throws Exception {
        assertEquals(OK, call("SET", "k", "v"));
        assertEquals(bulk("v"), call("GET", "k"));
        assertEquals(NIL, call("GET", "missing"));
    }

    @Test
    void binarySafeKeysAndValues() throws Exception {
        byte[] key = {0, 1, '\r', '\n', (byte) 0xff};
        byte[] value = new byte[256];
        for (int i = 0; i < 256; i++) {
            value[i] = (byte) i;
        }
        assertEquals("OK", jedis.set(key, value));
        assertTrue(java.util.Arrays.equals(value, jedis.get(key)));
    }

    @Test
    void setNxXxGet() throws Exception {
        assertEquals(NIL, call("SET", "k", "v", "XX"));
        assertEquals(OK, call("SET", "k", "v", "NX"));
        assertEquals(NIL, call("SET", "k", "w", "NX"));
        assertEquals(bulk("v"), call("SET", "k", "w", "XX", "GET"));
        assertEquals(bulk("w"), call("SET", "k", "x", "NX", "GET"));
        assertEquals(bulk("w"), call("GET", "k"));
        assertEquals(NIL, call("SET", "new", "x", "GET"));
        assertEquals(err("ERR syntax error"), call("SET", "k", "v", "NX", "XX"));
        assertEquals(err("ERR syntax error"), call("SET", "k", "v", "EX"));
        assertEquals(err("ERR syntax error"), call("SET", "k", "v", "EX", "10", "PX", "100"));
        assertEquals(err("ERR syntax error"), call("SET", "k", "v", "KEEPTTL", "EX", "10"));
    }

    @Test
    void setExpiryOptions() throws Exception {
        assertEquals(OK, call("SET", "k", "v", "EX", "100"));
        assertEquals(integer(100), call("TTL", "k"));
        assertEquals(OK, call("SET", "k", "v2", "KEEPTTL"));
        assertEquals(integer(100), call("TTL", "k"));
        assertEquals(OK, call("SET", "k", "v3"));
        assertEquals(integer(-1), call("TTL", "k"));
        long at = System.currentTimeMillis() / 1000 + 500;
        assertEquals(OK, call("SET", "k", "v", "EXAT", Long.toString(at)));
        assertEquals(integer(at), call("EXPIRETIME", "k"));
        assertEquals(err("ERR invalid expire time in 'set' command"), call("SET", "k", "v", "EX", "0"));
        assertEquals(err("ERR invalid expire time in 'set' command"), call("SET", "k", "v", "PX", "-5"));
        assertEquals(err("ERR value is not an integer or out of range"), call("SET", "k", "v", "EX", "ten"));
        assertEquals(err("ERR invalid expire time in 'setex' command"), call("SETEX", "k", "-1", "v"));
        assertEquals(OK, call("PSETEX", "p", "100000", "v"));
        long pttl = Long.parseLong(call("PTTL", "p").trim().substring(1));
        assertTrue(pttl > 99_000 && pttl <= 100_000, "pttl " + pttl);
    }

    @Test
    void getexGetdelGetset() throws Exception {
        call("SET", "k", "v");
        assertEquals(bulk("v"), call("GETEX", "k", "EX", "50"));
        assertEquals(integer(50), call("TTL", "k"));
        assertEquals(bulk("v"), call("GETEX", "k", "PERSIST"));
        assertEquals(integer(-1), call("TTL", "k"));
        assertEquals(err("ERR syntax error"), call("GETEX", "k", "PERSIST", "EX", "1"));
        assertEquals(bulk("v"), call("GETDEL", "k"));
        assertEquals(integer(0), call("EXISTS", "k"));
        assertEquals(NIL, call("GETSET", "k", "a"));
        call("EXPIRE", "k", "100");
        assertEquals(bulk("a"), call("GETSET", "k", "b"));
        assertEquals(integer(-1), call("TTL", "k"));
    }

    @Test
    void msetMgetMsetnx() throws Exception {
        assertEquals(OK, call("MSET", "a", "1", "b", "2"));
        assertEquals("*3\r\n" + bulk("1") + bulk("2") + NIL, call("MGET", "a", "b", "c"));
        assertEquals(err("ERR wrong number of arguments for 'mset' command"), call("MSET", "a", "1", "b"));
        assertEquals(integer(0), call("MSETNX", "c", "3", "a", "9"));
        assertEquals(NIL, call("GET", "c"));
        assertEquals(integer(1), call("MSETNX", "c", "3", "d", "4"));
    }

    @Test
    void incrFamily() throws Exception {
        assertEquals(integer(1), call("INCR", "n"));
        assertEquals(integer(11), call("INCRBY", "n", "10"));
        assertEquals(integer(10), call("DECR", "n"));
        assertEquals(integer(-5), call("DECRBY", "n", "15"));
        call("SET", "n", "9223372036854775807");
        assertEquals(err("ERR increment or decrement would overflow"), call("INCR", "n"));
        assertEquals(err("ERR decrement would overflow"), call("DECRBY", "n", "-9223372036854775808"));
        call("SET", "s", "abc");
        assertEquals(err("ERR value is not an integer or out of range"), call("INCR", "s"));
        call("SET", "s", " 1");
        assertEquals(err("ERR value is not an integer or out of range"), call("INCR", "s"));
        assertEquals(err("ERR value is not an integer or out of range"), call("INCRBY", "n", "1.5"));
    }

    @Test
    void incrbyfloat() throws Exception {
        assertEquals(bulk("10.5"), call("INCRBYFLOAT", "f", "10.5"));
        assertEquals(bulk("10.6"), call("INCRBYFLOAT", "f", "0.1"));
        // redis-server's long double arithmetic shows through at the 17th decimal
        assertEquals(bulk("5010.60000000000000009"), call("INCRBYFLOAT", "f", "5.0e3"));
        assertEquals(err("ERR value is not a valid float"), call("INCRBYFLOAT", "f", "abc"));
        assertEquals(err("ERR increment would produce NaN or Infinity"), call("INCRBYFLOAT", "f", "inf"));
        call("SET", "s", "x");
        assertEquals(err("ERR value is not a valid float"), call("INCRBYFLOAT", "s", "1"));
    }

    @Test
    void appendStrlenRanges() throws Exception {
        assertEquals(integer(5), call("APPEND", "s", "hello"));
        assertEquals(integer(11), call("APPEND", "s", " world"));
        assertEquals(integer(11), call("STRLEN", "s"));
        assertEquals(integer(0), call("STRLEN", "none"));
        assertEquals(bulk("hello"), call("GETRANGE", "s", "0", "4"));
        assertEquals(bulk("world"), call("GETRANGE", "s", "-5", "-1"));
        assertEquals(bulk(""), call("GETRANGE", "s", "5", "3"));
        assertEquals(bulk("hello world"), call("SUBSTR", "s", "0", "100"));
        assertEquals(integer(11), call("SETRANGE", "s", "6", "WORLD"));
        assertEquals(bulk("hello WORLD"), call("GET", "s"));
        assertEquals(integer(8), call("SETRANGE", "z", "5", "abc"));
        assertEquals(bulk("\0\0\0\0\0abc"), call("GET", "z"));
        assertEquals(err("ERR offset is out of range"), call("SETRANGE", "z", "-1", "x"));
        assertEquals(err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
            call("SETRANGE", "z", "536870912", "x"));
    }

    @Test
    void lcs() throws Exception {
        call("MSET", "key1", "ohmytext", "key2", "mynewtext");
        assertEquals(bulk("mytext"), call("LCS", "key1", "key2"));
        assertEquals(integer(6), call("LCS", "key1", "key2", "LEN"));
        assertEquals("*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
                + "*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n",
            call("LCS", "key1", "key2", "IDX", "WITHMATCHLEN"));
        assertEquals(err("ERR If you want both the length and indexes, please just use IDX."),
            call("LCS", "key1", "key2", "IDX", "LEN"));
    }

    @Test
    void pipelinedRepliesArriveInOrder() throws Exception {
        StringBuilder req = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            req.append(new String(RawClient.encode("INCR", "counter")));
        }
        raw.send(req.toString());
        for (int i = 1; i <= 1000; i++) {
            assertEquals(integer(i), raw.readReply());
        }
    }

    /**
     * SETRANGE, SETBIT and BITFIELD change a key's own string in place: never an array another key
     * (COPY), a stored SORT result, or a snapshot being written still holds.
     */
    @Test
    void inPlaceEditsNeverReachAnotherHolder() throws Exception {
        assertEquals(OK, call("SET", "s", "hello"));
        assertEquals(integer(5), call("SETRANGE", "s", "0", "J"));
        assertEquals(integer(5), call("SETRANGE", "s", "1", "E"));
        assertEquals(bulk("JEllo"), call("GET", "s"));
        assertEquals(integer(1), call("COPY", "s", "c"));
        assertEquals(integer(5), call("SETRANGE", "s", "0", "Y"));
        assertEquals(bulk("JEllo"), call("GET", "c"));
        assertEquals(bulk("YEllo"), call("GET", "s"));
        assertEquals(integer(7), call("SETRANGE", "s", "5", "!!"));
        assertEquals(integer(7), call("SETRANGE", "s", "6", "?"));
        assertEquals(bulk("YEllo!?"), call("GET", "s"));

        assertEquals(OK, call("RENAME", "s", "w1"));
        assertEquals(integer(7), call("SETRANGE", "w1", "0", "X"));
        assertEquals(integer(1), call("RPUSH", "l", "1"));
        assertEquals(integer(1), call("SORT", "l", "BY", "nosort", "GET", "w*", "STORE", "sorted"));
        assertEquals(integer(7), call("SETRANGE", "w1", "0", "Z"));
        assertEquals("*1\r\n" + bulk("XEllo!?"), call("LRANGE", "sorted", "0", "-1"));
        assertEquals(bulk("ZEllo!?"), call("GET", "w1"));

        assertEquals(integer(0), call("SETBIT", "b", "7", "1"));
        assertEquals(integer(0), call("SETBIT", "b", "6", "1"));
        assertEquals(integer(1), call("COPY", "b", "b2"));
        assertEquals(integer(0), call("SETBIT", "b", "1", "1"));
        assertEquals(bulk("\u0003"), call("GET", "b2"));
        assertEquals(bulk("C"), call("GET", "b"));
        assertEquals("*1\r\n" + integer(67), call("BITFIELD", "b", "SET", "u8", "0", "68"));
        assertEquals(bulk("\u0003"), call("GET", "b2"));
        assertEquals(bulk("D"), call("GET", "b"));
        assertEquals(bulk("raw"), call("OBJECT", "ENCODING", "b"));

        // A BGSAVE holds the string as it was when it started, whatever SETRANGE does meanwhile.
        assertEquals(OK, call("FLUSHALL"));
        assertEquals(OK, call("SET", "v", "plain"));
        assertEquals(integer(5), call("SETRANGE", "v", "0", "A"));
        assertEquals(integer(5), call("SETRANGE", "v", "1", "B"));
        String dir = call("CONFIG", "GET", "dir").split("\r\n")[4];
        String file = call("CONFIG", "GET", "dbfilename").split("\r\n")[4];
        try {
            assertEquals(OK, call("CONFIG", "SET", "rdb-key-save-delay", "300000"));
            assertEquals("+Background saving started\r\n", call("BGSAVE"));
            assertEquals(integer(5), call("SETRANGE", "v", "0", "Q"));
            assertEquals(1, info("rdb_bgsave_in_progress"), "the save was still running");
            long deadline = System.currentTimeMillis() + 10_000;
            while (info("rdb_bgsave_in_progress") == 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            call("CONFIG", "SET", "rdb-key-save-delay", "0");
        }
        String saved = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(dir, file)),
            java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(saved.contains("ABain"), "the snapshot kept the value of the save's start");
        assertEquals(bulk("QBain"), call("GET", "v"));
    }

    /** PFADD and PFCOUNT edit a HyperLogLog the key owns in place, never a COPY's. */
    @Test
    void hyperLogLogEditsInPlaceNeverReachACopy() throws Exception {
        String[] many = new String[2002];
        many[0] = "PFADD";
        many[1] = "h";
        for (int i = 0; i < 2000; i++) {
            many[i + 2] = "e" + i;
        }
        assertEquals(integer(1), call(many));
        assertEquals(bulk("raw"), call("OBJECT", "ENCODING", "h"));
        String before = call("PFCOUNT", "h");
        assertEquals(integer(1), call("PFADD", "h", "one more"));
        assertEquals(integer(1), call("COPY", "h", "copy"));
        String copied = call("GET", "copy");
        for (int i = 0; i < 200; i++) {
            call("PFADD", "h", "later" + i);
            call("PFCOUNT", "h");
        }
        assertEquals(copied, call("GET", "copy"), "the copy is as it was");
        assertTrue(!call("PFCOUNT", "h").equals(before), "the original grew");
        assertEquals(call("PFCOUNT", "copy"), call("PFCOUNT", "copy"));
    }
}
