package dev.quokka.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad scripts against the packaged server (512 MB heap) side by side with redis-server: an
 * endless loop (BUSY for old and new connections, SCRIPT KILL, nothing lost), a script that wrote
 * then runs long (UNKILLABLE until it ends), deep recursion, a 100 MB body, a syntax error, and a
 * script that allocates until the heap would run out (Quokka stops it; redis-server would grow
 * without bound, so that one runs on Quokka only). After each, the server goes on serving.
 */
class ScriptHardeningIT {
    @TempDir
    static Path dir;
    private static QuokkaProcess quokka;
    private static RedisServerProcess redis;

    @BeforeAll
    static void start() throws Exception {
        quokka = QuokkaProcess.start(Files.createDirectories(dir.resolve("quokka")));
        redis = new RedisServerProcess(Files.createDirectories(dir.resolve("redis")), "--appendonly", "no");
    }

    @AfterAll
    static void stop() throws Exception {
        quokka.close();
        redis.close();
    }

    private static int[] ports() {
        return new int[] {quokka.port, redis.port()};
    }

    @Test
    void endlessLoopIsAnsweredBusyAndKilled() throws Exception {
        for (int port : ports()) {
            try (RawClient admin = new RawClient(port); RawClient runner = new RawClient(port)) {
                admin.call("set", "kept", "before");
                admin.call("config", "set", "busy-reply-threshold", "100");
                runner.send(RawClient.encode("eval", "while true do end", "0"));
                Thread.sleep(400);
                assertEquals("-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n",
                    admin.call("ping"), "port " + port);
                try (RawClient late = new RawClient(port)) {
                    // A connection opened while the script runs is served too.
                    assertEquals("-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n",
                        late.call("get", "kept"));
                    // FUNCTION KILL cannot stop an EVAL: Redis points to SCRIPT KILL.
                    assertEquals("-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n",
                        late.call("function", "kill"));
                    assertEquals("+OK\r\n", late.call("script", "kill"));
                }
                assertEquals("-ERR Script killed by user with SCRIPT KILL... script: 694a5fe1ddb97a4c6a1bf299d9537c7d3d0f84e7, "
                    + "on @user_script:1.\r\n", runner.readReply());
                assertEquals("$6\r\nbefore\r\n", admin.call("get", "kept"));
                assertEquals("-NOTBUSY No scripts in execution right now.\r\n", admin.call("script", "kill"));
                assertEquals("+PONG\r\n", runner.call("ping"));
                admin.call("config", "set", "busy-reply-threshold", "5000");
            }
        }
    }

    @Test
    void scriptThatWroteCannotBeKilled() throws Exception {
        String script = "redis.call('set', 'written', '1') local t0 = redis.call('time')[1] "
            + "while redis.call('time')[1] - t0 < 2 do end return 'done'";
        for (int port : ports()) {
            try (RawClient admin = new RawClient(port); RawClient runner = new RawClient(port)) {
                admin.call("del", "written");
                admin.call("config", "set", "busy-reply-threshold", "100");
                runner.send(RawClient.encode("eval", script, "0"));
                Thread.sleep(400);
                assertTrue(admin.call("script", "kill").startsWith("-UNKILLABLE Sorry the script already executed write commands"),
                    "port " + port);
                assertEquals("$4\r\ndone\r\n", runner.readReply());
                assertEquals("$1\r\n1\r\n", admin.call("get", "written"));
                admin.call("config", "set", "busy-reply-threshold", "5000");
            }
        }
    }

    @Test
    void recursionBodySizeAndSyntax() throws Exception {
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        big.writeBytes("return 1 --".getBytes(StandardCharsets.US_ASCII));
        big.writeBytes("x".repeat(100 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII));
        byte[] body = big.toByteArray();
        for (int port : ports()) {
            try (RawClient c = new RawClient(port)) {
                String overflow = c.call("eval", "local function f(n) return 1 + f(n + 1) end return f(1)", "0");
                assertTrue(overflow.startsWith("-ERR user_script:1: stack overflow script: "), "port " + port + ": " + overflow);
                assertEquals(":1000\r\n", c.call("eval", "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end "
                    + "return f(1000)", "0"));
                assertEquals(":1\r\n", new String(c.callBytes("eval".getBytes(StandardCharsets.US_ASCII), body,
                    "0".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII));
                String syntax = c.call("eval", "return (", "0");
                assertTrue(syntax.startsWith("-ERR Error compiling script (new function): user_script:1: "), syntax);
                assertEquals("+PONG\r\n", c.call("ping"));
            }
        }
    }

    /**
     * Functions and scripts' effects survive kill -9 under appendfsync always: a library loaded
     * before a rewrite comes back from the new base (FUNCTION LOAD first), one loaded after it from
     * the incremental file, and the writes of EVAL and FCALL (logged as their commands) are there.
     */
    @Test
    void functionsAndScriptWritesSurviveKill9() throws Exception {
        Path data = Files.createDirectories(dir.resolve("kill9"));
        String[] args = {"--appendonly", "yes", "--appendfsync", "always", "--dir", data.toString()};
        QuokkaProcess q = QuokkaProcess.start(data, args);
        try (RawClient c = new RawClient(q.port)) {
            assertEquals("$6\r\nbefore\r\n", c.call("function", "load",
                "#!lua name=before\nredis.register_function('put', function(k, a) return redis.call('set', k[1], a[1]) end)"));
            assertEquals("+OK\r\n", c.call("fcall", "put", "1", "f1", "v1"));
            assertEquals(":2\r\n", c.call("eval", "redis.call('incr', KEYS[1]) return redis.call('incr', KEYS[1])", "1", "n"));
            assertTrue(c.call("bgrewriteaof").startsWith("+Background append only file rewriting"));
            long deadline = System.currentTimeMillis() + 10_000;
            while (!c.call("info", "persistence").contains("aof_rewrite_in_progress:0")) {
                assertTrue(System.currentTimeMillis() < deadline, "rewrite did not finish");
                Thread.sleep(20);
            }
            assertEquals("$5\r\nafter\r\n", c.call("function", "load",
                "#!lua name=after\nredis.register_function('get2', function(k) return redis.call('get', k[1]) end)"));
            assertEquals("+OK\r\n", c.call("fcall", "put", "1", "f2", "v2"));
            assertEquals(":3\r\n", c.call("eval", "return redis.call('incr', KEYS[1])", "1", "n"));
        }
        q.kill();
        try (QuokkaProcess again = QuokkaProcess.start(data, args); RawClient c = new RawClient(again.port)) {
            assertEquals("$2\r\nv1\r\n", c.call("fcall", "get2", "1", "f1"));
            assertEquals("$2\r\nv2\r\n", c.call("fcall", "get2", "1", "f2"));
            // A function without the no-writes flag cannot run as FCALL_RO, after a restart as before.
            assertEquals("-ERR Can not execute a script with write flag using *_ro command.\r\n", c.call("fcall_ro", "get2", "1", "f2"));
            assertEquals("$1\r\n3\r\n", c.call("get", "n"));
            assertEquals("+OK\r\n", c.call("fcall", "put", "1", "f3", "v3"));
        }
    }

    @Test
    void scriptFillingTheHeapIsStopped() throws Exception {
        try (RawClient c = new RawClient(quokka.port); RawClient other = new RawClient(quokka.port)) {
            c.call("set", "kept", "yes");
            String reply = c.call("eval", "local t = {} local i = 0 while true do i = i + 1 "
                + "t[i] = string.rep('x', 65536) .. i end", "0");
            assertTrue(reply.startsWith("-ERR ") && reply.contains("not enough memory"), reply);
            assertEquals("$3\r\nyes\r\n", other.call("get", "kept"));
            assertEquals(":2\r\n", c.call("eval", "return 1 + 1", "0"));
            // What the stopped script held is garbage now: a script long enough to meet the memory
            // check runs (the check used to read the heap as the stopped script left it, and
            // refused every script until a collection happened to run).
            assertEquals(":5000050000\r\n", c.call("eval", "local x = 0 for i = 1, 100000 do x = x + i end return x", "0"));
        }
    }
}
