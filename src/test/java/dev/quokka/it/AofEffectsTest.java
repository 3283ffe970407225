package dev.quokka.it;

import dev.quokka.command.Server;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Effects, not requests: the same commands sent to Quokka and to a real redis-server (both with
 * appendonly yes) must leave the same commands in their incremental AOF files, with relative
 * TTLs made absolute. Absolute times differ between the two runs by a few milliseconds, so
 * 13-digit timestamps are compared for closeness, everything else exactly.
 */
@QuarkusTest
class AofEffectsTest extends QuokkaTest {
    @Inject
    Server context;

    private static final String[][] SCRIPT = {
        {"SET", "a", "1", "EX", "100"},
        {"SET", "b", "2"},
        {"SELECT", "3"},
        {"SET", "c", "3", "PX", "100000"},
        {"SELECT", "0"},
        {"INCRBYFLOAT", "f", "1.5"},
        {"INCRBYFLOAT", "f", "0.1"},
        {"GETEX", "a", "PX", "5000"},
        {"EXPIRE", "a", "50", "GT"},
        {"SETEX", "s", "100", "v"},
        {"GETDEL", "f"},
        {"GETDEL", "f"},
        {"SET", "k", "v", "EXAT", "1"},
        {"GET", "k"},
        {"GETSET", "s", "x"},
        {"MSET", "m1", "1", "m2", "2"},
        {"SET", "k2", "v", "NX", "EX", "10"},
        {"SET", "k2", "v2", "XX", "PX", "10000", "GET"},
        {"SET", "k3", "v", "KEEPTTL"},
        {"SET", "k4", "v", "PXAT", "99999999999000"},
        {"PEXPIRE", "k2", "99999"},
        {"EXPIREAT", "k2", "99999999999"},
        {"PERSIST", "k2"},
        {"GETEX", "k2", "PERSIST"},
        {"GETEX", "k2"},
        {"GETEX", "k2", "EX", "100"},
        {"GETEX", "k2", "PERSIST"},
        {"PSETEX", "p", "1000", "v"},
        {"PEXPIREAT", "p", "1"},
        {"PERSIST", "nokey"},
        {"DEL", "nokey"},
        {"INCR", "n"},
        {"DECRBY", "n", "5"},
        {"SETNX", "m1", "1"},
        {"APPEND", "m1", "x"},
        {"SETRANGE", "m1", "0", "zz"},
        {"SETBIT", "bits", "7", "1"},
        {"COPY", "m1", "c2"},
        {"RENAME", "c2", "c3"},
        {"MOVE", "c3", "1"},
        {"EXPIRE", "b", "-1"},
        {"EXPIRE", "b", "10"},
        {"SWAPDB", "0", "1"},
        {"UNLINK", "m2", "m1"},
        {"RPUSH", "l", "a", "b", "c", "d", "e"},
        {"LPUSH", "l", "z"},
        {"BLPOP", "none", "l", "0"},
        {"BRPOP", "l", "1.5"},
        {"LMPOP", "2", "none", "l", "RIGHT", "COUNT", "1"},
        {"BLMPOP", "0", "1", "l", "LEFT", "COUNT", "1"},
        {"RPOPLPUSH", "l", "l2"},
        {"RPUSH", "l", "x", "y"},
        {"BRPOPLPUSH", "l", "l2", "0"},
        {"BLMOVE", "l", "l2", "LEFT", "RIGHT", "0"},
        {"LMOVE", "l2", "l", "LEFT", "LEFT"},
        {"LPOP", "none"},
        {"HSET", "h", "f", "1", "g", "2"},
        {"HINCRBYFLOAT", "h", "f", "0.5"},
        {"HINCRBY", "h", "g", "3"},
        {"HDEL", "h", "f", "nope"},
        {"SADD", "s", "m"},
        {"SPOP", "s"},
        {"SADD", "s", "1", "2", "3"},
        {"SPOP", "s", "5"},
        {"SADD", "s1", "a", "b"},
        {"SADD", "s2", "b", "c"},
        {"SINTERSTORE", "s3", "s1", "s2"},
        {"SMOVE", "s1", "s2", "a"},
        {"ZADD", "z", "1", "a", "2.5", "b", "3", "c"},
        {"ZADD", "z", "INCR", "0.1", "a"},
        {"ZINCRBY", "z", "1", "c"},
        {"BZPOPMIN", "none", "z", "0"},
        {"BZPOPMAX", "z", "0"},
        {"ZMPOP", "1", "z", "MIN"},
        {"ZADD", "z", "1", "a", "2", "b"},
        {"BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"},
        {"ZADD", "z1", "1", "a"},
        {"ZUNIONSTORE", "z2", "1", "z1", "WEIGHTS", "2"},
        {"ZREMRANGEBYSCORE", "z2", "-inf", "+inf"},
        {"MULTI"},
        {"RPUSH", "tx", "1"},
        {"SADD", "tx2", "1"},
        {"GET", "tx3"},
        {"EXEC"},
        {"MULTI"},
        {"RPUSH", "tx", "2"},
        {"EXEC"},
        {"EVAL", "redis.call('set', 'e1', '1') redis.call('expire', 'e1', 100) return redis.call('incr', 'e2')", "0"},
        {"EVAL", "return redis.call('get', 'e1')", "0"},
        {"EVAL", "return redis.call('set', 'single', '1')", "0"},
        {"EVAL", "redis.set_repl(redis.REPL_NONE) redis.call('set', 'norepl', '1') redis.set_repl(redis.REPL_ALL) "
            + "redis.call('set', 'repl', '1')", "0"},
        {"EVAL", "redis.call('set', 'partial', '1') return redis.call('incr', 'e1') + redis.call('lpush', 'e1', 'x')", "0"},
        {"FUNCTION", "LOAD", "#!lua name=aoflib\nredis.register_function('aoff', function(k, a) return redis.call('set', k[1], a[1]) end)"},
        {"FCALL", "aoff", "1", "fk", "fv"},
        {"FUNCTION", "DELETE", "aoflib"},
        {"FLUSHDB"},
        {"SET", "after", "flush"},
        {"FLUSHALL"},
    };

    @AfterEach
    void aofOff() throws Exception {
        raw.call("CONFIG", "SET", "appendonly", "no");
        raw.call("CONFIG", "SET", "aof-use-rdb-preamble", "yes");
    }

    @Test
    void sameEffectsAsRedis() throws Exception {
        Path redisDir = Files.createTempDirectory("redis-aof");
        List<String> redisLog;
        try (RedisServerProcess redis = new RedisServerProcess(redisDir, "--appendonly", "yes",
            "--aof-use-rdb-preamble", "no");
             RawClient r = new RawClient(redis.port())) {
            for (String[] cmd : SCRIPT) {
                r.call(cmd);
            }
        }
        // Read once redis-server has stopped (SIGTERM writes and fsyncs the AOF): under everysec it
        // may postpone a write while a slow fsync runs, so its file can lag its replies (a CI run
        // read it short of its last five commands).
        redisLog = AofFiles.commands(AofFiles.lastIncr(redisDir.resolve("appendonlydir")));

        assertEquals("+OK\r\n", raw.call("CONFIG", "SET", "appendonly", "yes"));
        awaitAofOn(context);
        for (String[] cmd : SCRIPT) {
            raw.call(cmd);
        }
        raw.call("PING"); // the previous replies left after their effects were written
        Path aofDir = context.aof().dir();
        List<String> ours = AofFiles.commands(AofFiles.lastIncr(aofDir));

        assertTrue(redisLog.size() >= 40, "redis logged " + redisLog);
        assertEquals(normalize(redisLog), normalize(ours));
        List<Long> theirs = timestamps(redisLog);
        List<Long> mine = timestamps(ours);
        for (int i = 0; i < theirs.size(); i++) {
            assertTrue(Math.abs(theirs.get(i) - mine.get(i)) < 10_000,
                "absolute expiry " + i + ": redis " + theirs.get(i) + ", quokka " + mine.get(i));
        }
    }

    @Test
    void turningOnWritesTheDatasetAsABaseThenRewritesOnGrowth() throws Exception {
        raw.call("CONFIG", "SET", "aof-use-rdb-preamble", "no"); // a base of commands, to read here
        raw.call("SET", "before", "on");
        raw.call("SET", "ttl", "v", "PXAT", "99999999999000");
        raw.call("SELECT", "2");
        raw.call("SET", "two", "2");
        raw.call("SELECT", "0");
        raw.call("FUNCTION", "LOAD", "#!lua name=baselib\nredis.register_function('bf', function() return 1 end)");
        assertEquals("+OK\r\n", raw.call("CONFIG", "SET", "appendonly", "yes"));
        awaitAofOn(context);
        Path aofDir = context.aof().dir();
        List<Path> files = AofFiles.dataFiles(aofDir);
        List<String> base = AofFiles.commands(files.get(0));
        assertTrue(base.contains("SET before on") && base.contains("PEXPIREAT ttl 99999999999000")
            && base.contains("SET two 2"), base.toString());
        // Functions are part of the dataset: the base loads them first, as Redis's rewriteFunctions does.
        assertEquals("FUNCTION LOAD #!lua name=baselib\nredis.register_function('bf', function() return 1 end)", base.get(0));
        raw.call("FUNCTION", "DELETE", "baselib");
        String info = raw.call("INFO", "persistence");
        assertTrue(info.contains("aof_enabled:1\r\n") && info.contains("aof_base_size:" + Files.size(files.get(0))),
            info);

        // Automatic rewrite: once the files are over the minimum size and 100% bigger than the base.
        long rewrites = context.aof().rewrites();
        raw.call("CONFIG", "SET", "auto-aof-rewrite-min-size", "1kb");
        for (int i = 0; i < 100; i++) {
            raw.call("SET", "grow:" + i, "x".repeat(50));
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (context.aof().rewrites() == rewrites || context.aof().rewriting()) {
            assertTrue(System.currentTimeMillis() < deadline, "no automatic rewrite");
            Thread.sleep(20);
        }
        raw.call("CONFIG", "SET", "auto-aof-rewrite-min-size", "64mb");
        List<Path> after = AofFiles.dataFiles(aofDir);
        assertTrue(AofFiles.commands(after.get(0)).contains("SET grow:0 " + "x".repeat(50)), "the new base has the writes");
        List<String> all = new ArrayList<>();
        for (Path f : after) {
            all.addAll(AofFiles.commands(f));
        }
        assertTrue(all.contains("SET grow:99 " + "x".repeat(50)));
    }

    private static List<String> normalize(List<String> cmds) {
        List<String> out = new ArrayList<>();
        for (String c : cmds) {
            out.add(c.replaceAll("\\b17\\d{11}\\b", "<ms>"));
        }
        return out;
    }

    private static List<Long> timestamps(List<String> cmds) {
        List<Long> out = new ArrayList<>();
        for (String c : cmds) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b17\\d{11}\\b").matcher(c);
            while (m.find()) {
                out.add(Long.parseLong(m.group()));
            }
        }
        return out;
    }
}
