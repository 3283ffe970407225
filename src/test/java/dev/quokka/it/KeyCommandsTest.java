package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class KeyCommandsTest extends QuokkaTest {
    @Test
    void delExistsTouchType() throws Exception {
        call("MSET", "a", "1", "b", "2");
        assertEquals(integer(3), call("EXISTS", "a", "a", "b", "c"));
        assertEquals(integer(2), call("TOUCH", "a", "b", "c"));
        assertEquals("+string\r\n", call("TYPE", "a"));
        assertEquals("+none\r\n", call("TYPE", "c"));
        assertEquals(integer(2), call("DEL", "a", "b", "c"));
        assertEquals(integer(0), call("UNLINK", "a"));
    }

    @Test
    void renameKeepsTtl() throws Exception {
        assertEquals(err("ERR no such key"), call("RENAME", "nope", "x"));
        call("SET", "a", "1", "EX", "100");
        assertEquals(OK, call("RENAME", "a", "b"));
        assertEquals(integer(100), call("TTL", "b"));
        assertEquals(OK, call("RENAME", "b", "b"));
        call("SET", "c", "3");
        assertEquals(integer(0), call("RENAMENX", "b", "c"));
        assertEquals(integer(0), call("RENAMENX", "b", "b"));
        assertEquals(integer(1), call("RENAMENX", "b", "d"));
    }

    @Test
    void copyMoveSwapdb() throws Exception {
        call("SET", "a", "1", "EX", "100");
        assertEquals(integer(1), call("COPY", "a", "b"));
        assertEquals(integer(100), call("TTL", "b"));
        assertEquals(integer(0), call("COPY", "a", "b"));
        assertEquals(integer(1), call("COPY", "a", "b", "REPLACE"));
        assertEquals(err("ERR source and destination objects are the same"), call("COPY", "a", "a"));
        assertEquals(integer(1), call("COPY", "a", "a", "DB", "1"));
        assertEquals(err("ERR DB index is out of range"), call("COPY", "a", "x", "DB", "16"));
        assertEquals(integer(0), call("MOVE", "a", "1"));
        assertEquals(integer(1), call("MOVE", "b", "2"));
        assertEquals(err("ERR source and destination objects are the same"), call("MOVE", "a", "0"));
        assertEquals(OK, call("SWAPDB", "0", "2"));
        assertEquals(bulk("1"), call("GET", "b"));
        assertEquals(err("ERR invalid first DB index"), call("SWAPDB", "x", "1"));
        assertEquals(err("ERR DB index is out of range"), call("SWAPDB", "0", "99"));
        assertEquals(OK, call("SELECT", "1"));
        assertEquals(bulk("1"), call("GET", "a"));
        assertEquals(integer(1), call("DBSIZE"));
        assertEquals(OK, call("FLUSHDB"));
        assertEquals(integer(0), call("DBSIZE"));
    }

    @Test
    void keysAndGlobPatterns() throws Exception {
        call("MSET", "hello", "1", "hallo", "2", "hxllo", "3", "hllo", "4", "heeeello", "5", "h*llo", "6");
        assertEquals(Set.of("hello", "hallo"), jedis.keys("h[ae]llo"));
        assertEquals(Set.of("hallo", "hxllo", "h*llo"), jedis.keys("h[^e]llo")); // as redis-server answers
        assertEquals(Set.of("hello", "hallo", "hxllo", "h*llo"), jedis.keys("h?llo"));
        assertEquals(6, jedis.keys("*").size());
        assertEquals(Set.of("h*llo"), jedis.keys("h\\*llo"));
        assertEquals(Set.of("hallo", "hello"), jedis.keys("h[a-e]llo"));
    }

    /** SCAN returns every key present for the whole iteration at least once, while the table grows. */
    @Test
    void scanGuaranteeAcrossResizes() {
        for (int i = 0; i < 1000; i++) {
            jedis.set("key:" + i, "v");
        }
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int added = 0;
        do {
            ScanResult<String> r = jedis.scan(cursor, new ScanParams().count(20));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
            for (int j = 0; j < 50; j++) {
                jedis.set("extra:" + added++, "v"); // forces several grows mid-iteration
            }
        } while (!cursor.equals("0"));
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.contains("key:" + i), "missing key:" + i);
        }
    }

    @Test
    void scanOptions() throws Exception {
        for (int i = 0; i < 30; i++) {
            jedis.set("user:" + i, "v");
            jedis.set("item:" + i, "v");
        }
        Set<String> users = new HashSet<>();
        String cursor = "0";
        do {
            ScanResult<String> r = jedis.scan(cursor, new ScanParams().match("user:*").count(7));
            users.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        assertEquals(30, users.size());
        assertEquals(err("ERR invalid cursor"), call("SCAN", "abc"));
        assertEquals(err("ERR syntax error"), call("SCAN", "0", "COUNT", "0"));
        assertEquals(err("ERR syntax error"), call("SCAN", "0", "FOO"));
        assertTrue(call("SCAN", "0", "TYPE", "list").endsWith("\r\n*0\r\n")); // no key of another type
    }

    @Test
    void randomkeyAndObject() throws Exception {
        assertEquals(NIL, call("RANDOMKEY"));
        call("SET", "only", "1");
        assertEquals(bulk("only"), call("RANDOMKEY"));
        assertEquals(bulk("int"), call("OBJECT", "ENCODING", "only"));
        call("SET", "s", "hello");
        assertEquals(bulk("embstr"), call("OBJECT", "ENCODING", "s"));
        call("SET", "s", "x".repeat(45));
        assertEquals(bulk("raw"), call("OBJECT", "ENCODING", "s"));
        assertEquals(NIL, call("OBJECT", "ENCODING", "nope"));
        assertEquals(integer(0), call("OBJECT", "IDLETIME", "s"));
        assertTrue(call("OBJECT", "FREQ", "s").startsWith("-ERR An LFU maxmemory policy is not selected"));
        assertEquals(err("ERR unknown subcommand 'foo'. Try OBJECT HELP."), call("OBJECT", "foo", "s"));
    }
}
