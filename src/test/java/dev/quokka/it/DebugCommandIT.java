package dev.quokka.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DEBUG with {@code enable-debug-command yes}, side by side with redis-server started the same
 * way: the replies of every subcommand Quokka builds, byte for byte, and DEBUG DIGEST /
 * DIGEST-VALUE equal on the same dataset of every type (Redis's SHA1 mix, computed alike).
 */
class DebugCommandIT {
    private static final List<String> SCRIPT = List.of(
        "DEBUG DIGEST", "SET a b", "DEBUG DIGEST", "DEBUG DIGEST-VALUE a nokey", "RPUSH l a b c", "SADD s x y z 1 2",
        "ZADD z 1 a 2.5 b -inf c 1e100 d", "HSET h f v g w", "SET e v EX 1000", "SELECT 3", "SET x y", "SELECT 0",
        "DEBUG DIGEST", "DEBUG DIGEST-VALUE l s z h e", "DEBUG POPULATE 5", "DEBUG POPULATE 3 p 20", "GET p:1", "GET key:4",
        "DEBUG POPULATE x", "DEBUG POPULATE 2 a b c d", "DEBUG DIGEST", "DEBUG PROTOCOL string", "DEBUG PROTOCOL integer",
        "DEBUG PROTOCOL double", "DEBUG PROTOCOL bignum", "DEBUG PROTOCOL null", "DEBUG PROTOCOL array",
        "DEBUG PROTOCOL set", "DEBUG PROTOCOL map", "DEBUG PROTOCOL attrib", "DEBUG PROTOCOL push",
        "DEBUG PROTOCOL true", "DEBUG PROTOCOL false", "DEBUG PROTOCOL verbatim", "DEBUG PROTOCOL foo",
        "DEBUG ERROR foo", "DEBUG LOG hi", "DEBUG SLEEP 0", "DEBUG SLEEP 0.01", "DEBUG SET-ACTIVE-EXPIRE 1",
        "DEBUG QUICKLIST-PACKED-THRESHOLD 0", "DEBUG QUICKLIST-PACKED-THRESHOLD -1", "DEBUG QUICKLIST-PACKED-THRESHOLD 5gb",
        "DEBUG LISTPACK l", "DEBUG QUICKLIST l", "DEBUG LISTPACK nokey", "DEBUG QUICKLIST z", "DEBUG STRINGMATCH-TEST",
        "DEBUG REPLYBUFFER peak-reset-time 100", "DEBUG REPLYBUFFER foo x", "DEBUG FOO", "DEBUG CHANGE-REPL-ID",
        "DEBUG PAUSE-CRON 0", "!HELLO 3", "DEBUG PROTOCOL bignum", "DEBUG PROTOCOL attrib", "DEBUG PROTOCOL push",
        "DEBUG PROTOCOL double", "DEBUG PROTOCOL map", "DEBUG PROTOCOL verbatim", "DEBUG PROTOCOL true");

    @Test
    void repliesAndDigestsMatchRedis() throws Exception {
        Path dir = Files.createTempDirectory("quokka-debug");
        QuokkaProcess q = QuokkaProcess.start(dir, "--enable-debug-command", "yes");
        try (RedisServerProcess r = new RedisServerProcess(Files.createTempDirectory("redis-debug"),
                "--enable-debug-command", "yes");
             RawClient qc = new RawClient(q.port); RawClient rc = new RawClient(r.port())) {
            for (String line : SCRIPT) {
                boolean sendOnly = line.startsWith("!");
                String[] cmd = (sendOnly ? line.substring(1) : line).split(" ");
                String expected = rc.call(cmd);
                String actual = qc.call(cmd);
                if (!sendOnly) {
                    assertEquals(expected, actual, "reply to: " + line);
                }
            }
        } finally {
            q.process().destroy();
            q.process().waitFor();
        }
    }
}
