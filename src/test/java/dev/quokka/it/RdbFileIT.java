package dev.quokka.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RDB files between Quokka and redis-server 7.0.15, both ways, with every type and encoding; the
 * saves users rely on (BGSAVE, save points, SHUTDOWN and SIGTERM, FLUSHALL); and bad files and a
 * failing disk, each side by side with redis-server.
 */
class RdbFileIT {
    /** Every type in every encoding redis-server 7.0 writes, in two databases, with a function library. */
    private static void fill(RawClient c) throws IOException {
        c.call("FLUSHALL");
        c.call("SET", "str", "hello");
        c.call("SET", "int8", "-12");
        c.call("SET", "int32", "1234567890");
        c.call("SET", "notint", "012");
        c.call("SET", "lzf", "abcdefgh".repeat(500)); // compressible: written LZF-compressed
        c.call("SET", "ttl", "v", "PX", "100050000"); // 1000 hundreds of seconds for the next 50
        c.call("SET", "bin", "\u0000\u00ff\r\n");
        c.call("RPUSH", "list:small", "a", "b", "1", "-100000", "9999999999");
        c.call("EVAL", "for i=1,5000 do redis.call('rpush', KEYS[1], 'element-' .. i) end", "1", "list:nodes");
        c.call("SADD", "set:intset", "1", "2", "-3", "70000", "5000000000");
        c.call("SADD", "set:hashtable", "a", "b", "c");
        c.call("EVAL", "for i=1,1000 do redis.call('sadd', KEYS[1], i) end", "1", "set:big");
        c.call("HSET", "hash:listpack", "f1", "v1", "f2", "2");
        c.call("EVAL", "for i=1,1000 do redis.call('hset', KEYS[1], 'f' .. i, 'v' .. i) end", "1", "hash:table");
        c.call("HSET", "hash:longvalue", "f", "x".repeat(100));
        c.call("ZADD", "zset:listpack", "1", "a", "2.5", "b", "-3", "c", "inf", "d");
        c.call("EVAL", "for i=1,500 do redis.call('zadd', KEYS[1], i * 1.5, 'm' .. i) end", "1", "zset:skiplist");
        c.call("XADD", "stream", "1-1", "a", "1", "b", "2");
        c.call("XADD", "stream", "2-1", "a", "3");
        c.call("EVAL", "for i=1,300 do redis.call('xadd', KEYS[1], '*', 'f', i) end", "1", "stream");
        c.call("XDEL", "stream", "2-1");
        c.call("XGROUP", "CREATE", "stream", "g1", "0");
        c.call("XGROUP", "CREATE", "stream", "g2", "$");
        c.call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "stream", ">");
        c.call("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "2", "STREAMS", "stream", ">");
        c.call("XADD", "stream:empty", "5-5", "x", "y");
        c.call("XDEL", "stream:empty", "5-5");
        c.call("SELECT", "7");
        c.call("SET", "in7", "seven");
        c.call("HSET", "h7", "a", "b");
        c.call("SELECT", "0");
        c.call("FUNCTION", "LOAD", "#!lua name=rdblib\nredis.register_function('rdbf', function() return 7 end)");
    }

    /** The keys of every database with their type, encoding and TTL in seconds, and the digest. */
    private static Map<String, String> describe(RawClient c) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("digest", c.call("DEBUG", "DIGEST"));
        out.put("functions", c.call("FUNCTION", "LIST", "WITHCODE"));
        for (int db : new int[] {0, 7}) {
            c.call("SELECT", Integer.toString(db));
            for (String key : new String[] {"str", "int8", "int32", "notint", "lzf", "ttl", "bin", "list:small", "list:nodes",
                "set:intset", "set:hashtable", "set:big", "hash:listpack", "hash:table", "hash:longvalue",
                "zset:listpack", "zset:skiplist", "stream", "stream:empty", "in7", "h7"}) {
                String ttl = c.call("TTL", key);
                long seconds = Long.parseLong(ttl.substring(1).trim());
                out.put(db + "/" + key, c.call("OBJECT", "ENCODING", key) + " ttl " + (seconds > 0 ? seconds / 100 : seconds));
            }
            out.put(db + "/dbsize", c.call("DBSIZE"));
        }
        c.call("SELECT", "0");
        // radix-tree-nodes is Quokka's estimate of Redis's rax (docs/compatibility.md)
        out.put("xinfo", c.call("XINFO", "STREAM", "stream", "FULL").replaceFirst("radix-tree-nodes\r\n:\\d+", ""));
        return out;
    }

    private static String checkRdb(Path file) throws Exception {
        Process p = new ProcessBuilder("redis-check-rdb", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void redisLoadsWhatQuokkaSaved() throws Exception {
        Path dir = Files.createTempDirectory("rdb-quokka-to-redis");
        Map<String, String> before;
        try (QuokkaProcess q = QuokkaProcess.start(dir, "--dir", dir.toString(), "--enable-debug-command", "yes");
             RawClient c = new RawClient(q.port)) {
            fill(c);
            before = describe(c);
            assertEquals("+OK\r\n", c.call("SAVE"));
        }
        String check = checkRdb(dir.resolve("dump.rdb"));
        assertTrue(check.contains("RDB looks OK") && check.contains("21 keys read"), check);
        try (RedisServerProcess redis = new RedisServerProcess(dir, "--enable-debug-command", "yes");
             RawClient c = new RawClient(redis.port())) {
            assertEquals(before, describe(c));
        }
    }

    /**
     * REPLCONF rdb-filter-only, as redis-cli uses it, against Quokka and redis-server: {@code
     * --functions-rdb} saves an image of the function libraries alone (redis-server loads it: no
     * keys, the same libraries), {@code --replica} gets an empty image and then the stream; bad
     * filters and a filtered SYNC without {@code capa eof} get Redis's errors.
     */
    @Test
    void redisCliFunctionsRdbAndReplicaAsWithRedisServer() throws Exception {
        Map<String, List<String>> seen = new LinkedHashMap<>();
        Path qdir = Files.createTempDirectory("rdb-filter-quokka");
        try (QuokkaProcess q = QuokkaProcess.start(qdir, "--dir", qdir.toString())) {
            seen.put("quokka", filteredImages(q.port, qdir));
        }
        Path rdir = Files.createTempDirectory("rdb-filter-redis");
        try (RedisServerProcess r = new RedisServerProcess(rdir)) {
            seen.put("redis", filteredImages(r.port(), rdir));
        }
        assertEquals(seen.get("redis"), seen.get("quokka"));
    }

    private static List<String> filteredImages(int port, Path dir) throws Exception {
        List<String> seen = new ArrayList<>();
        try (RawClient c = new RawClient(port)) {
            fill(c);
            String functions = c.call("FUNCTION", "LIST", "WITHCODE");
            seen.add(c.call("REPLCONF", "rdb-filter-only", "functions keys"));
            seen.add(c.call("REPLCONF", "rdb-filter-only", "\"functions"));
            try (RawClient s = new RawClient(port)) {
                seen.add(s.call("REPLCONF", "rdb-filter-only", "functions"));
                seen.add(s.call("SYNC"));
            }
            Path image = dir.resolve("functions.rdb");
            Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "--functions-rdb", image.toString())
                .redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes());
            assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, cli.exitValue(), out);
            Path load = Files.createTempDirectory("rdb-filter-load");
            Files.copy(image, load.resolve("dump.rdb"));
            try (RedisServerProcess redis = new RedisServerProcess(load); RawClient l = new RawClient(redis.port())) {
                seen.add(l.call("DBSIZE"));
                assertEquals(functions, l.call("FUNCTION", "LIST", "WITHCODE"));
            }
            // --replica: an empty image (rdb-filter-only ""), then the commands of the stream, printed.
            Path printed = dir.resolve("replica.out");
            Process replica = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "--replica")
                .redirectErrorStream(true).redirectOutput(printed.toFile()).start();
            try {
                long deadline = System.currentTimeMillis() + 30_000;
                while (!Files.readString(printed).contains("Logging commands from master")) {
                    assertTrue(System.currentTimeMillis() < deadline, Files.readString(printed));
                    Thread.sleep(20);
                }
                c.call("SET", "streamed", "value");
                while (!Files.readString(printed).contains("\"streamed\"")) {
                    assertTrue(System.currentTimeMillis() < deadline, Files.readString(printed));
                    Thread.sleep(20);
                }
                String text = Files.readString(printed);
                seen.add(text.lines().filter(l -> l.contains("streamed")).findFirst().orElseThrow());
                seen.add(text.replaceAll("\\d+ bytes", "N bytes").lines().limit(2).toList().toString());
            } finally {
                replica.destroy();
                replica.waitFor();
            }
        }
        return seen;
    }

    @Test
    void quokkaLoadsWhatRedisSaved() throws Exception {
        Path dir = Files.createTempDirectory("rdb-redis-to-quokka");
        Map<String, String> before;
        try (RedisServerProcess redis = new RedisServerProcess(dir, "--enable-debug-command", "yes");
             RawClient c = new RawClient(redis.port())) {
            fill(c);
            before = describe(c);
            c.call("SET", "gone", "v", "PX", "300");
            assertEquals("+OK\r\n", c.call("SAVE"));
        }
        Thread.sleep(400); // "gone" has expired in the file: a primary does not load it
        try (QuokkaProcess q = QuokkaProcess.start(dir, "--dir", dir.toString(), "--enable-debug-command", "yes");
             RawClient c = new RawClient(q.port)) {
            assertEquals(before, describe(c));
            String info = c.call("INFO", "persistence");
            assertTrue(info.contains("rdb_last_load_keys_loaded:21\r\n") && info.contains("rdb_last_load_keys_expired:1\r\n"),
                info);
            // DEBUG RELOAD: saved, emptied and loaded back, the same dataset.
            assertEquals("+OK\r\n", c.call("DEBUG", "RELOAD"));
            assertEquals(before, describe(c));
        }
    }

    @Test
    void backgroundSavesSavePointsAndShutdownKeepTheData() throws Exception {
        Path dir = Files.createTempDirectory("rdb-saves");
        long lastsave;
        try (QuokkaProcess q = QuokkaProcess.start(dir, "--dir", dir.toString(), "--save", "1 3");
             RawClient c = new RawClient(q.port)) {
            lastsave = Long.parseLong(c.call("LASTSAVE").substring(1).trim());
            c.call("SET", "a", "1");
            c.call("SET", "b", "2");
            assertTrue(c.call("INFO", "persistence").contains("rdb_changes_since_last_save:2\r\n"));
            Thread.sleep(2500); // two changes are under the save point's three: no save
            assertFalse(Files.exists(dir.resolve("dump.rdb")));
            c.call("SET", "c", "3");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!c.call("INFO", "persistence").contains("rdb_changes_since_last_save:0\r\n")) {
                assertTrue(System.currentTimeMillis() < deadline, c.call("INFO", "persistence"));
                Thread.sleep(50);
            }
            String info = c.call("INFO", "persistence");
            assertTrue(info.contains("rdb_saves:1\r\n") && info.contains("rdb_last_bgsave_status:ok\r\n"), info);
            assertTrue(Long.parseLong(c.call("LASTSAVE").substring(1).trim()) > lastsave);
            assertTrue(q.log().contains("3 changes in 1 seconds. Saving..."), q.log());

            assertEquals("+Background saving started\r\n", c.call("BGSAVE"));
            String second = c.call("BGSAVE");
            assertTrue(second.equals("-ERR Background save already in progress\r\n")
                || second.equals("+Background saving started\r\n"), second); // the first may be done already
            c.call("SET", "d", "4");
            q.kill(); // kill -9: "d" is after the last save
        }
        try (QuokkaProcess q = QuokkaProcess.start(dir, "--dir", dir.toString(), "--save", "3600 1");
             RawClient c = new RawClient(q.port)) {
            assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", sorted(c, "KEYS", "*"));
            c.call("SET", "e", "5");
            assertTrue(q.terminate(30)); // SIGTERM saves with save points set
        }
        try (QuokkaProcess q = QuokkaProcess.start(dir, "--dir", dir.toString(), "--save", "3600 1");
             RawClient c = new RawClient(q.port)) {
            assertEquals("$1\r\n5\r\n", c.call("GET", "e"));
            c.call("SET", "f", "6");
            c.send(RawClient.encode("SHUTDOWN", "NOSAVE"));
            assertTrue(c.closedByServer());
            assertTrue(q.process().waitFor(30, TimeUnit.SECONDS));
        }
        try (QuokkaProcess q = QuokkaProcess.start(dir, "--dir", dir.toString(), "--save", "");
             RawClient c = new RawClient(q.port)) {
            assertEquals("$-1\r\n", c.call("GET", "f"), "SHUTDOWN NOSAVE saved nothing");
            c.call("SET", "g", "7");
            c.send(RawClient.encode("SHUTDOWN", "SAVE"));
            assertTrue(c.closedByServer());
            assertTrue(q.process().waitFor(30, TimeUnit.SECONDS));
        }
        try (QuokkaProcess q = QuokkaProcess.start(dir, "--dir", dir.toString(), "--save", "3600 1");
             RawClient c = new RawClient(q.port)) {
            assertEquals("$1\r\n7\r\n", c.call("GET", "g"), "SHUTDOWN SAVE saved without save points");
            assertEquals("+OK\r\n", c.call("FLUSHALL")); // with save points: an empty file at once
            q.kill();
        }
        try (QuokkaProcess q = QuokkaProcess.start(dir, "--dir", dir.toString());
             RawClient c = new RawClient(q.port)) {
            assertEquals(":0\r\n", c.call("DBSIZE"));
        }
    }

    private static String sorted(RawClient c, String... cmd) throws IOException {
        String reply = c.call(cmd);
        String[] lines = reply.split("\r\n");
        List<String> items = new ArrayList<>();
        for (int i = 1; i < lines.length; i += 2) {
            items.add(lines[i] + "\r\n" + lines[i + 1] + "\r\n");
        }
        items.sort(null);
        return lines[0] + "\r\n" + String.join("", items);
    }

    /** Runs a server on {@code dir} and returns its exit code and output once it exits (or fails the test). */
    private static String[] refusedStart(List<String> cmd, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("QUOKKA_JAVA_OPTS", "-Dquarkus.http.port=0 -Xmx256m");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    @Test
    void badFilesAreRefusedAsRedisRefusesThem() throws Exception {
        Path source = Files.createTempDirectory("rdb-bad-source");
        try (RedisServerProcess redis = new RedisServerProcess(source, "--rdbcompression", "no");
             RawClient c = new RawClient(redis.port())) {
            c.call("SET", "k", "v");
            c.call("RPUSH", "l", "a", "b");
            c.call("SAVE");
        }
        byte[] good = Files.readAllBytes(source.resolve("dump.rdb"));
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("truncated", java.util.Arrays.copyOf(good, good.length - 12));
        byte[] crc = good.clone();
        crc[crc.length - 1] ^= 1;
        cases.put("wrong CRC", crc);
        byte[] version = good.clone();
        version[8] = '9';
        version[7] = '9'; // REDIS0099
        cases.put("newer version", version);
        byte[] type = good.clone();
        int at = indexOf(good, new byte[] {0, 1, 'k'}); // the string "k"'s type byte
        type[at] = 42;
        cases.put("unknown type", type);
        cases.put("not RDB", "REDIX0010".getBytes());
        for (Map.Entry<String, byte[]> e : cases.entrySet()) {
            Path q = Files.createTempDirectory("rdb-bad-quokka");
            Path r = Files.createTempDirectory("rdb-bad-redis");
            Files.write(q.resolve("dump.rdb"), e.getValue());
            Files.write(r.resolve("dump.rdb"), e.getValue());
            int port = RedisServerProcess.freePort();
            String[] redis = refusedStart(List.of("redis-server", "--port", Integer.toString(port), "--dir", r.toString()), r);
            String[] quokka = refusedStart(List.of(Path.of(System.getProperty("quokka.launcher", "bin/quokka")).toAbsolutePath()
                .toString(), "--port", Integer.toString(port), "--dir", q.toString()), q);
            assertNotEquals("0", redis[0], e.getKey() + ": redis-server refuses it too\n" + redis[1]);
            assertEquals("1", quokka[0], e.getKey() + "\n" + quokka[1]);
            assertTrue(quokka[1].contains("Fatal error loading the DB"), e.getKey() + "\n" + quokka[1]);
            if (e.getKey().equals("wrong CRC")) {
                assertTrue(quokka[1].contains("Wrong RDB checksum") && redis[1].contains("Wrong RDB checksum"),
                    quokka[1] + "\n" + redis[1]);
            }
            assertTrue(Files.exists(q.resolve("dump.rdb")), "the file is kept");
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void aFailedBackgroundSaveStopsWritesAsInRedis() throws Exception {
        Path qdir = Files.createTempDirectory("rdb-misconf-quokka");
        Path rdir = Files.createTempDirectory("rdb-misconf-redis");
        try (QuokkaProcess q = QuokkaProcess.start(qdir, "--dir", qdir.toString(), "--save", "3600 1");
             RedisServerProcess redis = new RedisServerProcess(rdir, "--save", "3600 1");
             RawClient qc = new RawClient(q.port);
             RawClient rc = new RawClient(redis.port())) {
            // The file's name is taken by a directory with something in it: the final rename fails.
            Files.createDirectories(qdir.resolve("dump.rdb").resolve("x"));
            Files.createDirectories(rdir.resolve("dump.rdb").resolve("x"));
            for (RawClient c : new RawClient[] {qc, rc}) {
                c.call("SET", "a", "1");
                assertEquals("+Background saving started\r\n", c.call("BGSAVE"));
                long deadline = System.currentTimeMillis() + 10_000;
                while (!c.call("INFO", "persistence").contains("rdb_last_bgsave_status:err")) {
                    assertTrue(System.currentTimeMillis() < deadline, c.call("INFO", "persistence"));
                    Thread.sleep(50);
                }
            }
            for (String[] cmd : new String[][] {{"SET", "b", "2"}, {"PING"}, {"GET", "a"}, {"SAVE"}}) {
                assertEquals(rc.call(cmd), qc.call(cmd), String.join(" ", cmd));
            }
            assertTrue(qc.call("SET", "b", "2").startsWith("-MISCONF Redis is configured to save RDB snapshots"));
            // Writes come back once a save succeeds.
            for (Path d : new Path[] {qdir, rdir}) {
                Files.delete(d.resolve("dump.rdb").resolve("x"));
                Files.delete(d.resolve("dump.rdb"));
            }
            assertEquals(rc.call("SAVE"), qc.call("SAVE"));
            assertEquals("+OK\r\n", qc.call("SET", "b", "2"));
            assertEquals("+OK\r\n", rc.call("SET", "b", "2"));
        }
    }
}
