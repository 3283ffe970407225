package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DUMP and RESTORE against redis-server 7.0.15: every type in its compact and its full encoding is
 * dumped by each server and restored by the other, then compared (value and OBJECT ENCODING);
 * where nothing is compressed or hashed, Quokka's payload is byte for byte redis-server's. Errors (bad checksum, bad data, BUSYKEY, options) as redis-server answers them.
 */
@QuarkusTest
class DumpRestoreTest extends QuokkaTest {
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisServerProcess();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    /** Commands that build one key of each type and encoding, on either server. */
    private static List<String[]> dataset() {
        List<String[]> cmds = new ArrayList<>();
        cmds.add(new String[] {"SET", "s:small", "hello"});
        cmds.add(new String[] {"SET", "s:int", "12345"});
        cmds.add(new String[] {"SET", "s:neg", "-7"});
        cmds.add(new String[] {"SET", "s:bigint", "123456789012"});
        cmds.add(new String[] {"SET", "s:long", "x".repeat(300)});
        cmds.add(new String[] {"SET", "s:bin", "a\u0000b\r\n"});
        cmds.add(new String[] {"RPUSH", "l:small", "a", "1", "-2", "300", "70000", "-5000000", "99999999999", "b".repeat(70)});
        List<String> big = new ArrayList<>(List.of("RPUSH", "l:big"));
        for (int i = 0; i < 3000; i++) {
            big.add("element-" + i);
        }
        cmds.add(big.toArray(new String[0]));
        cmds.add(new String[] {"SADD", "set:ints", "1", "5", "-3", "70000"});
        cmds.add(new String[] {"SADD", "set:big", "3000000000", "1"});
        cmds.add(new String[] {"SADD", "set:str", "a", "b", "c"});
        cmds.add(new String[] {"HSET", "h:small", "f1", "v1", "f2", "2", "f3", "c".repeat(100)});
        List<String> bigHash = new ArrayList<>(List.of("HSET", "h:big"));
        for (int i = 0; i < 200; i++) {
            bigHash.add("field" + i);
            bigHash.add("value" + i);
        }
        cmds.add(bigHash.toArray(new String[0]));
        cmds.add(new String[] {"ZADD", "z:small", "1", "a", "2.5", "b", "-3", "c", "inf", "d", "1e300", "e"});
        List<String> bigZ = new ArrayList<>(List.of("ZADD", "z:big"));
        for (int i = 0; i < 200; i++) {
            bigZ.add(Double.toString(i * 0.25));
            bigZ.add("member" + i);
        }
        cmds.add(bigZ.toArray(new String[0]));
        for (int i = 1; i <= 250; i++) {
            cmds.add(i % 50 == 0 ? new String[] {"XADD", "st", i + "-1", "other", "f" + i}
                : new String[] {"XADD", "st", i + "-1", "a", Integer.toString(i), "b", "v" + i});
        }
        cmds.add(new String[] {"XDEL", "st", "2-1", "100-1"});
        cmds.add(new String[] {"XGROUP", "CREATE", "st", "g", "0"});
        cmds.add(new String[] {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "st", ">"});
        cmds.add(new String[] {"XGROUP", "CREATECONSUMER", "st", "g", "bob"});
        cmds.add(new String[] {"XGROUP", "CREATE", "st", "g2", "$", "ENTRIESREAD", "5"});
        cmds.add(new String[] {"XADD", "st:empty", "1-1", "a", "b"});
        cmds.add(new String[] {"XDEL", "st:empty", "1-1"});
        return cmds;
    }

    private static final String[] KEYS = {"s:small", "s:int", "s:neg", "s:bigint", "s:long", "s:bin", "l:small", "l:big",
        "set:ints", "set:big", "set:str", "h:small", "h:big", "z:small", "z:big", "st", "st:empty"};

    /**
     * Keys whose payloads are the same bytes on both servers: those with no string Redis would
     * compress (LZF, over 20 bytes; Quokka writes without compression) and no hash table (whose
     * order is each server's own).
     */
    private static final java.util.Set<String> BYTE_FOR_BYTE = java.util.Set.of("s:small", "s:int", "s:neg", "s:bigint",
        "s:bin", "set:ints", "set:big");

    private static String state(RawClient c, String key) throws Exception {
        String type = c.call("TYPE", key);
        String v = switch (type) {
            case "+string\r\n" -> c.call("GET", key);
            case "+list\r\n" -> c.call("LRANGE", key, "0", "-1");
            case "+set\r\n" -> String.join("|", new java.util.TreeSet<>(List.of(c.call("SMEMBERS", key).split("\r\n"))));
            case "+hash\r\n" -> String.join("|", new java.util.TreeSet<>(List.of(c.call("HGETALL", key).split("\r\n"))));
            case "+zset\r\n" -> c.call("ZRANGE", key, "0", "-1", "WITHSCORES");
            // the inner node count of Redis's radix tree is Quokka's estimate (docs/compatibility.md)
            case "+stream\r\n" -> c.call("XINFO", "STREAM", key, "FULL", "COUNT", "0")
                .replaceAll("radix-tree-nodes\r\n:\\d+", "radix-tree-nodes");
            default -> "?" + type;
        };
        return type + v + c.call("OBJECT", "ENCODING", key); // DUMP carries no TTL: RESTORE's argument gives it
    }

    @Test
    void payloadsMoveBothWays() throws Exception {
        try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
            for (RawClient c : new RawClient[] {q, r}) {
                c.call("FLUSHALL");
                // Redis 7.0's defaults, whatever a test before this one set
                c.call("CONFIG", "SET", "hash-max-listpack-entries", "512", "hash-max-listpack-value", "64",
                    "zset-max-listpack-entries", "128", "zset-max-listpack-value", "64", "set-max-intset-entries", "512");
            }
            for (String[] cmd : dataset()) {
                q.call(cmd);
                r.call(cmd);
            }
            for (String key : KEYS) {
                byte[] fromQuokka = dumpBytes(q, key);
                byte[] fromRedis = dumpBytes(r, key);
                // each server restores the other's payload under a new name
                assertEquals("+OK\r\n", new String(q.callBytes(b("RESTORE"), b("copy:" + key), b("0"), fromRedis)), key);
                assertEquals("+OK\r\n", new String(r.callBytes(b("RESTORE"), b("copy:" + key), b("0"), fromQuokka)), key);
                assertEquals(state(r, key), state(q, "copy:" + key), "redis's DUMP of " + key + " restored in quokka");
                assertEquals(state(q, key), state(r, "copy:" + key), "quokka's DUMP of " + key + " restored in redis");
                if (BYTE_FOR_BYTE.contains(key)) {
                    assertArrayEquals(fromRedis, fromQuokka, "payload of " + key);
                }
            }
        }
    }

    /**
     * MIGRATE from Quokka to redis-server and back, each key checked on the other side as it was;
     * KEYS, COPY, REPLACE, AUTH, a target's error and NOKEY answered as redis-server answers them. (The
     * target's errors are its own; which server is the target only changes where the keys go.)
     */
    @Test
    void migrateMovesKeysBothWays() throws Exception {
        try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
            for (RawClient c : new RawClient[] {q, r}) {
                c.call("FLUSHALL");
            }
            for (String[] cmd : dataset()) {
                q.call(cmd);
            }
            java.util.Map<String, String> before = new java.util.LinkedHashMap<>();
            for (String key : KEYS) {
                before.put(key, state(q, key));
            }
            q.call("PEXPIRE", "s:small", "100000");
            // one key alone, then the rest with KEYS, into database 0 of redis-server
            assertEquals("+OK\r\n", q.call("MIGRATE", "127.0.0.1", Integer.toString(redis.port()), "s:small", "0", "5000"));
            List<String> rest = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(redis.port()), "", "0", "5000",
                "KEYS"));
            rest.addAll(List.of(KEYS).subList(1, KEYS.length));
            rest.add("no:such:key");
            assertEquals("+OK\r\n", q.call(rest.toArray(new String[0])));
            assertEquals(":0\r\n", q.call("DBSIZE"), "the keys left Quokka");
            for (String key : KEYS) {
                assertEquals(before.get(key), state(r, key), key + " in redis-server");
            }
            long ttl = Long.parseLong(r.call("PTTL", "s:small").substring(1).trim());
            assertTrue(ttl > 90_000 && ttl <= 100_000, "TTL carried: " + ttl);
            assertEquals("+NOKEY\r\n", q.call("MIGRATE", "127.0.0.1", Integer.toString(redis.port()), "s:small", "0", "5000"));

            // and back, as a copy, into database 3 of Quokka (redis-server's MIGRATE, Quokka's RESTORE)
            List<String> back = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(port()), "", "3", "5000",
                "COPY", "KEYS"));
            back.addAll(List.of(KEYS));
            assertEquals("+OK\r\n", r.call(back.toArray(new String[0])));
            q.call("SELECT", "3");
            for (String key : KEYS) {
                assertEquals(before.get(key), state(q, key), key + " back in Quokka");
            }
            // the target already has them: BUSYKEY from either target, unless REPLACE
            for (RawClient[] pair : new RawClient[][] {{r, q}, {q, r}}) {
                int target = pair[1] == q ? port() : redis.port();
                String db = pair[1] == q ? "3" : "0";
                pair[0].call("SELECT", pair[0] == q ? "3" : "0");
                assertEquals("-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n",
                    pair[0].call("MIGRATE", "127.0.0.1", Integer.toString(target), "h:big", db, "5000", "COPY"));
                assertEquals("+OK\r\n", pair[0].call("MIGRATE", "127.0.0.1", Integer.toString(target), "h:big", db, "5000",
                    "COPY", "REPLACE"));
            }
            // AUTH: a wrong password is the target's error, a right one moves the key
            r.call("CONFIG", "SET", "requirepass", "sesame");
            try {
                r.call("AUTH", "sesame");
                assertEquals("+OK\r\n", q.call("MIGRATE", "127.0.0.1", Integer.toString(redis.port()), "l:small", "5", "5000",
                    "COPY", "AUTH2", "default", "sesame"));
                r.call("SELECT", "5");
                assertEquals(before.get("l:small"), state(r, "l:small"));
                String wrong = q.call("MIGRATE", "127.0.0.1", Integer.toString(redis.port()), "l:small", "5", "5000",
                    "REPLACE", "AUTH", "nope");
                assertTrue(wrong.startsWith("-ERR Target instance replied with error: WRONGPASS"), wrong);
            } finally {
                r.call("CONFIG", "SET", "requirepass", "");
                r.call("SELECT", "0");
                q.call("SELECT", "0");
            }
            // arguments refused as redis-server refuses them
            for (String[] bad : new String[][] {
                {"MIGRATE", "127.0.0.1", "1", "k", "0", "10", "KEYS", "a"},
                {"MIGRATE", "127.0.0.1", "1", "k", "0", "10", "BOGUS"},
                {"MIGRATE", "127.0.0.1", "1", "k", "0", "10", "AUTH"},
                {"MIGRATE", "127.0.0.1", "1", "k", "x", "10"},
                {"MIGRATE", "127.0.0.1", "1", "k", "0", "x"}}) {
                assertEquals(r.call(bad), q.call(bad), String.join(" ", bad));
            }
            q.call("SET", "k", "v");
            assertEquals("-IOERR error or timeout connecting to the client\r\n",
                q.call("MIGRATE", "127.0.0.1", Integer.toString(RedisServerProcess.freePort()), "k", "0", "200"));
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A DUMP payload of these bytes with the RDB version and a correct CRC64 after them. */
    private static byte[] payload(int... body) {
        byte[] p = new byte[body.length + 10];
        for (int i = 0; i < body.length; i++) {
            p[i] = (byte) body[i];
        }
        p[body.length] = 10;
        long crc = dev.quokka.persistence.Crc64.crc(0, p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }

    private static byte[] dumpBytes(RawClient c, String key) throws Exception {
        byte[] reply = c.callBytes(b("DUMP"), b(key));
        int crlf = 0;
        while (reply[crlf] != '\r') {
            crlf++;
        }
        int len = Integer.parseInt(new String(reply, 1, crlf - 1, java.nio.charset.StandardCharsets.US_ASCII));
        return java.util.Arrays.copyOfRange(reply, crlf + 2, crlf + 2 + len);
    }

    @Test
    void errorsAndOptionsAsRedis() throws Exception {
        try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
            List<String> replies = new ArrayList<>();
            for (RawClient c : new RawClient[] {r, q}) {
                c.call("FLUSHALL");
                c.call("SET", "k", "v");
                byte[] good = dumpBytes(c, "k");
                byte[] badCrc = good.clone();
                badCrc[badCrc.length - 1] ^= 1;
                byte[] badData = good.clone();
                badData[1] = 0x7f; // a string length past the payload, with the checksum fixed below
                long crc = dev.quokka.persistence.Crc64.crc(0, badData, 0, badData.length - 8);
                for (int i = 0; i < 8; i++) {
                    badData[badData.length - 8 + i] = (byte) (crc >>> (8 * i));
                }
                StringBuilder sb = new StringBuilder();
                sb.append(new String(c.callBytes(b("RESTORE"), b("k"), b("0"), good)));
                sb.append(new String(c.callBytes(b("RESTORE"), b("k2"), b("0"), badCrc)));
                sb.append(new String(c.callBytes(b("RESTORE"), b("k2"), b("0"), badData)));
                sb.append(new String(c.callBytes(b("RESTORE"), b("k2"), b("-1"), good)));
                sb.append(new String(c.callBytes(b("RESTORE"), b("k2"), b("x"), good)));
                sb.append(new String(c.callBytes(b("RESTORE"), b("k2"), b("0"), good, b("IDLETIME"), b("-1"))));
                sb.append(new String(c.callBytes(b("RESTORE"), b("k2"), b("0"), good, b("FREQ"), b("256"))));
                sb.append(new String(c.callBytes(b("RESTORE"), b("k2"), b("0"), good, b("IDLETIME"), b("5"), b("FREQ"), b("5"))));
                sb.append(new String(c.callBytes(b("RESTORE"), b("k2"), b("0"), good, b("FOO"))));
                sb.append(new String(c.callBytes(b("RESTORE"), b("k"), b("0"), good, b("REPLACE"), b("IDLETIME"), b("100"))));
                sb.append(c.call("OBJECT", "IDLETIME", "k"));
                sb.append(new String(c.callBytes(b("RESTORE"), b("k"), b("1"), good, b("REPLACE"), b("ABSTTL"))));
                sb.append(c.call("EXISTS", "k"));
                sb.append(new String(c.callBytes(b("RESTORE"), b("k3"), b("100000"), good)));
                sb.append(c.call("TTL", "k3"));
                sb.append(new String(c.callBytes(b("RESTORE"), b("k4"), b("0"), b("short"))));
                // hostile declarations with a valid footer: counts and lengths far beyond the bytes sent
                sb.append(new String(c.callBytes(b("RESTORE"), b("k5"), b("0"),
                    payload(1, 0x80, 0xff, 0xff, 0xff, 0xff, 1, 'a')))); // a list of 2^32-1 elements, one present
                sb.append(new String(c.callBytes(b("RESTORE"), b("k5"), b("0"),
                    payload(0, 0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'a')))); // a string of 2^63-1 bytes
                sb.append(new String(c.callBytes(b("RESTORE"), b("k5"), b("0"),
                    payload(18, 0x80, 0xff, 0xff, 0xff, 0xff, 2, 0x80, 0xff, 0xff, 0xff, 0xff, 0)))); // quicklist, huge node
                sb.append(new String(c.callBytes(b("RESTORE"), b("k5"), b("0"),
                    payload(11, 0x0c, 8, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0)))); // intset claiming 2^31-1 members
                sb.append(c.call("EXISTS", "k5"));
                sb.append(c.call("PING"));
                sb.append(c.call("DUMP", "nosuch"));
                replies.add(sb.toString());
            }
            assertEquals(replies.get(0), replies.get(1));
        }
    }
}
