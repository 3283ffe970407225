package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EVAL, EVALSHA, SCRIPT, FCALL and FUNCTION against redis-server 7.0.15: each request runs on
 * both servers over RESP and the raw replies (errors included, with their script SHA1 and line)
 * must be identical, in RESP2 and RESP3; then the scripts of real client libraries (redis-py's
 * Lock, a token-bucket rate limiter) through Jedis.
 */
@QuarkusTest
class ScriptingTest extends QuokkaTest {
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisServerProcess();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    /** Requests whose replies must be byte-identical. */
    private static final String[][] SAME = {
        {"flushall"},
        {"function", "flush"},
        {"script", "flush"},
        {"eval", "return 'hello'", "0"},
        {"eval", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v"},
        {"eval", "return redis.call('get', KEYS[1])", "1", "k"},
        {"eval", "return {1, 2, 3, 'x', nil, 4}", "0"},
        {"eval", "return {1, {2, {3, 'deep'}}, {}}", "0"},
        {"eval", "return 3.99", "0"},
        {"eval", "return -3.99", "0"},
        {"eval", "return true", "0"},
        {"eval", "return false", "0"},
        {"eval", "return nil", "0"},
        {"eval", "return {err='My Error'}", "0"},
        {"eval", "return {ok='fine'}", "0"},
        {"eval", "return redis.status_reply('FINE')", "0"},
        {"eval", "return redis.error_reply('MY err')", "0"},
        {"eval", "return redis.error_reply('-CUSTOM with code')", "0"},
        {"eval", "return a", "0"},
        {"eval", "a = 10", "0"},
        {"eval", "return redis.call('incr', 'k')", "0"},
        {"eval", "return redis.pcall('incr', 'k')", "0"},
        {"eval", "local ok, e = pcall(function() return redis.call('incr', 'k') end) return e", "0"},
        {"eval", "return redis.pcall('incr', 'k')['err']", "0"},
        {"eval", "error('boom')", "0"},
        {"eval", "error({err='TABLE raised'})", "0"},
        {"eval", "return redis.call('nosuch')", "0"},
        {"eval", "return redis.call('get')", "0"},
        {"eval", "redis.call('multi')", "0"},
        {"eval", "return redis.call()", "0"},
        {"eval", "return redis.call('set', 'x', {})", "0"},
        {"eval", "return tostring(10/3) .. ' ' .. tostring(1/0) .. ' ' .. tostring(0.1)", "0"},
        {"eval", "return string.format('%5.2f|%d|%x|%X|%o|%e|%g|%g|%s|%-5s|%05d|%+d|%q', 3.14159, 7, 255, 255, 8, 12345.678, 0.0001, 1e20, 'z', 'ab', 42, 5, 'a\\nb')", "0"},
        {"eval", "return string.rep('ab', 3) .. '|' .. string.rep('ab', -1) .. '|' .. string.rep('ab', 2.7) .. '|' .. string.rep(12, '2') .. '|' .. ('ab'):rep('0x10') .. '|' .. string.rep('', 5)", "0"},
        {"eval", "return #string.rep('xyz', 100001) .. string.sub(string.rep('xyz', 100001), 299990)", "0"},
        {"eval", "return string.rep({}, 2)", "0"},
        {"eval", "return string.rep('x')", "0"},
        {"eval", "return string.rep()", "0"},
        {"eval", "return string.rep('ab', 'z')", "0"},
        {"eval", "return redis.call('set', 'n', 3.5)", "0"},
        {"eval", "return redis.call('get', 'n')", "0"},
        {"eval", "return redis.call('set', 'n', 1/3)", "0"},
        {"eval", "return redis.call('get', 'n')", "0"},
        {"eval", "return cjson.encode({1, 2, {a = 1}, 'x/y', 1.5})", "0"},
        {"eval", "return cjson.encode({})", "0"},
        {"eval", "local t = cjson.decode('{\"a\":[1,2,{\"b\":null}],\"c\":\"d\"}') return {t.a[2], t.c, tostring(t.a[3].b == cjson.null)}", "0"},
        {"eval", "return cmsgpack.unpack(cmsgpack.pack({1, 2, 'x', {a = 1}, 1.5, -100, 70000}))", "0"},
        {"eval", "return cmsgpack.pack({1, 2, 'x'}, 300, -1, 'str', true)", "0"},
        {"eval", "return struct.pack('>I2<i4BHc3', 258, -2, 7, 513, 'abc')", "0"},
        {"eval", "return {struct.unpack('>I2<i4', struct.pack('>I2<i4', 258, -2))}", "0"},
        {"eval", "return {bit.band(7, 3), bit.bor(1, 2, 4), bit.bxor(5, 1), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-16, 2), bit.tohex(255), bit.tohex(-1, -4), bit.bnot(0)}", "0"},
        {"eval", "return redis.sha1hex('Pizza & Mandolino')", "0"},
        {"eval", "return {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM}", "0"},
        {"eval", "return loadstring(string.dump(function() return 1 end))()", "0"},
        {"eval", "setmetatable(_G, {})", "0"},
        {"eval", "redis.call = function() return 1 end", "0"},
        {"eval", "cjson.encode = function() return 1 end", "0"},
        {"eval", "return {KEYS[1], KEYS[2], ARGV[1], #ARGV}", "2", "a", "b", "c"},
        {"eval", "return 1", "-1"},
        {"eval", "return 1", "3", "a"},
        {"eval", "return 1", "x"},
        {"eval", "return redis.call('blpop', 'nolist', 0)", "0"},
        {"eval", "redis.setresp(3); return redis.call('hgetall', 'nohash')", "0"},
        {"hset", "h", "f", "v"},
        {"eval", "redis.setresp(3); return redis.call('hgetall', 'h')", "0"},
        {"eval", "redis.setresp(3); local t = redis.call('hgetall', 'h') return t['map']['f']", "0"},
        {"eval", "redis.setresp(4)", "0"},
        {"eval_ro", "return redis.call('set', 'a', 'b')", "0"},
        {"eval_ro", "return redis.call('get', 'k')", "0"},
        {"eval", "#!lua flags=no-writes\nreturn redis.call('set', 'a', 'b')", "0"},
        {"eval", "#!lua flags=no-writes\nreturn redis.call('get', 'k')", "0"},
        {"eval", "#!lua flags=bogus\nreturn 1", "0"},
        {"eval", "#!other\nreturn 1", "0"},
        {"script", "load", "return 'loaded'"},
        {"evalsha", "e2b1b0e5b6b8f0c4c0f7bdbf9d5b5d6fb0d0a3bc", "0"},
        {"script", "exists", "a42059b356c875f0717db19a51f6aaca9ae659ea", "ffffffffffffffffffffffffffffffffffffffff"},
        {"evalsha", "short", "0"},
        {"function", "load", "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return redis.call('get', keys[1]) end)"},
        {"fcall", "myfunc", "1", "k"},
        {"function", "load", "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return 1 end)"},
        {"function", "load", "#!lua name=lib2\nredis.register_function{function_name='ro', callback=function(keys, args) return args[1] end, flags={'no-writes'}, description='echo'}"},
        {"function", "list", "libraryname", "mylib"},
        {"function", "list", "withcode", "libraryname", "lib*"},
        {"fcall_ro", "ro", "0", "echoed"},
        {"fcall", "nosuch", "0"},
        {"function", "load", "#!lua name=bad\nreturn 1"},
        {"function", "load", "#!lua name=bad\nredis.call('get', 'x')"},
        {"function", "load", "#!lua name=bad\nlocal s = string.format('%d', 1)"},
        {"function", "load", "#!lua\nredis.register_function('f', function() end)"},
        {"function", "load", "#!lua name=b-d\nredis.register_function('f', function() end)"},
        {"function", "stats"},
        {"function", "delete", "lib2"},
        {"function", "delete", "lib2"},
        {"script", "kill"},
        {"function", "kill"},
        {"eval", "return redis.call('lpush', 'l', 'a') + redis.call('rpush', 'l', 'b')", "0"},
        {"lrange", "l", "0", "-1"},
    };

    @Test
    void repliesMatchRedisServer() throws Exception {
        List<String> differences = new ArrayList<>();
        try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
            for (int resp : new int[] {2, 3}) {
                q.call("hello", Integer.toString(resp));
                r.call("hello", Integer.toString(resp));
                for (String[] request : SAME) {
                    String expected = r.call(request);
                    String actual = q.call(request);
                    if (!expected.equals(actual)) {
                        differences.add("RESP" + resp + " " + String.join(" ", request) + "\n  redis:  " + expected + "\n  quokka: " + actual);
                    }
                }
            }
        }
        assertEquals(List.of(), differences, String.join("\n", differences));
        try (RawClient q = new RawClient(port())) {
            // The pure-Java Lua words syntax errors in its own way after Lua's position prefix.
            String compileError = q.call("eval", "return 'unterminated", "0");
            assertEquals(true, compileError.startsWith("-ERR Error compiling script (new function): user_script:1: unfinished string"),
                compileError);
        }
    }

    /** FUNCTION DUMP of either server restores on the other (Redis compresses long libraries with LZF). */
    @Test
    void functionDumpsMoveBothWays() throws Exception {
        String lib = "#!lua name=moved\nredis.register_function('moved_f', function(keys, args) return 'moved " + "x".repeat(200)
            + "' end)";
        String lib2 = "#!lua name=moved2\nredis.register_function{function_name='moved_ro', callback=function() return 1 end, "
            + "flags={'no-writes'}, description='read only'}";
        try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
            for (RawClient[] fromTo : new RawClient[][] {{r, q}, {q, r}}) {
                RawClient from = fromTo[0];
                RawClient to = fromTo[1];
                from.call("function", "flush");
                to.call("function", "flush");
                from.call("function", "load", lib);
                from.call("function", "load", lib2);
                byte[] dump = from.callBytes("function".getBytes(), "dump".getBytes());
                int start = new String(dump, 0, 20, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\r\n") + 2;
                byte[] payload = java.util.Arrays.copyOfRange(dump, start, dump.length - 2);
                assertEquals("+OK\r\n", new String(to.callBytes("function".getBytes(), "restore".getBytes(), payload)));
                // One library each: FUNCTION LIST's order of libraries and functions is each server's own.
                assertEquals(from.call("function", "list", "withcode", "libraryname", "moved"),
                    to.call("function", "list", "withcode", "libraryname", "moved"));
                assertEquals(from.call("function", "list", "withcode", "libraryname", "moved2"),
                    to.call("function", "list", "withcode", "libraryname", "moved2"));
                assertEquals(from.call("fcall_ro", "moved_ro", "0"), to.call("fcall_ro", "moved_ro", "0"));
                assertEquals(from.call("fcall", "moved_f", "0"), to.call("fcall", "moved_f", "0"));
                String again = new String(to.callBytes("function".getBytes(), "restore".getBytes(), payload));
                assertTrue(again.matches("-ERR Library moved2? already exists\r\n"), again); // the first in each server's order
                payload[payload.length - 1] ^= 1;
                assertEquals("-ERR DUMP payload version or checksum are wrong\r\n",
                    new String(to.callBytes("function".getBytes(), "restore".getBytes(), payload)));
            }
            q.call("function", "flush");
            r.call("function", "flush");
        }
    }

    /**
     * Hostile FUNCTION RESTORE payloads with a valid checksum: an LZF string declaring 2 GB from 3
     * bytes, and a raw string declaring 4 GB; neither is allocated, both answered as redis-server does.
     */
    @Test
    void restorePayloadsDeclaringHugeLengths() throws Exception {
        byte[][] bodies = {
            {(byte) 0xf5, (byte) 0xc3, 0x03, (byte) 0x80, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x00, 'a', 'b', 10, 0},
            {(byte) 0xf5, (byte) 0x80, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 'a', 'b', 10, 0},
        };
        try (RawClient q = new RawClient(port()); RawClient r = new RawClient(redis.port())) {
            for (byte[] body : bodies) {
                long crc = dev.quokka.persistence.Crc64.crc(0, body, 0, body.length);
                byte[] payload = java.util.Arrays.copyOf(body, body.length + 8);
                for (int i = 0; i < 8; i++) {
                    payload[body.length + i] = (byte) (crc >>> (8 * i));
                }
                String expected = new String(r.callBytes("function".getBytes(), "restore".getBytes(), payload));
                assertEquals(expected, new String(q.callBytes("function".getBytes(), "restore".getBytes(), payload)));
            }
            assertEquals("+PONG\r\n", q.call("ping"));
        }
    }

    /** redis-py's Lock (its acquire is SET NX PX; release and extend are these scripts), and a token bucket. */
    @Test
    void clientLibraryScripts() {
        String release = "local token = redis.call('get', KEYS[1]) if not token or token ~= ARGV[1] then return 0 end "
            + "redis.call('del', KEYS[1]) return 1";
        String extend = "local token = redis.call('get', KEYS[1]) if not token or token ~= ARGV[1] then return 0 end "
            + "local expiration = redis.call('pttl', KEYS[1]) if not expiration then expiration = 0 end "
            + "if expiration < 0 then return 0 end local newttl = ARGV[2] if ARGV[3] == '0' then newttl = ARGV[2] + expiration end "
            + "redis.call('pexpire', KEYS[1], newttl) return 1";
        String bucket = "local tokens = tonumber(redis.call('get', KEYS[1]) or ARGV[1]) "
            + "if tokens < 1 then return 0 end redis.call('set', KEYS[1], tokens - 1, 'PX', ARGV[2]) return 1";
        for (int p : new int[] {port(), redis.port()}) {
            try (Jedis j = new Jedis("127.0.0.1", p)) {
                j.del("lock", "bucket");
                assertEquals("OK", j.set("lock", "token-1", SetParams.setParams().nx().px(10_000)));
                String releaseSha = j.scriptLoad(release);
                assertEquals(0L, j.evalsha(releaseSha, List.of("lock"), List.of("someone-else")));
                assertEquals(1L, j.eval(extend, List.of("lock"), List.of("token-1", "20000", "1")));
                long ttl = j.pttl("lock");
                assertEquals(true, ttl > 10_000 && ttl <= 20_000, "extended TTL " + ttl);
                assertEquals(1L, j.evalsha(releaseSha, List.of("lock"), List.of("token-1")));
                assertEquals(false, j.exists("lock"));
                List<Object> results = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    results.add(j.eval(bucket, List.of("bucket"), List.of("3", "60000")));
                }
                assertEquals(List.of(1L, 1L, 1L, 0L, 0L), results, "token bucket of 3 on port " + p);
                assertEquals("0", j.get("bucket"));
            }
        }
    }
}
