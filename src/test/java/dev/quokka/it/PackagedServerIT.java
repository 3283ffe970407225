package dev.quokka.it;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server as users run it ({@link QuokkaProcess}): configuration file and
 * arguments, then SIGTERM. Runs in the integration-test phase, after package.
 */
class PackagedServerIT {
    @Test
    void configFileAndArgumentsThenSigterm() throws Exception {
        Path dir = Files.createTempDirectory("quokka-it");
        int port = RedisServerProcess.freePort();
        Path conf = dir.resolve("quokka.conf");
        Files.writeString(conf, "port 1\nhz 20\nmaxmemory 100mb\nnotify-keyspace-events \"Ex\"\n");
        QuokkaProcess q = QuokkaProcess.launch(dir, conf.toString(), "--port", Integer.toString(port), "--maxmemory-policy",
            "allkeys-lru");
        Process p = q.process();
        try {
            q.awaitPing();
            try (RawClient c = new RawClient(port)) {
                assertEquals("*2\r\n$2\r\nhz\r\n$2\r\n20\r\n", c.call("CONFIG", "GET", "hz"));
                assertEquals("*2\r\n$9\r\nmaxmemory\r\n$9\r\n104857600\r\n", c.call("CONFIG", "GET", "maxmemory"));
                assertEquals("*2\r\n$16\r\nmaxmemory-policy\r\n$11\r\nallkeys-lru\r\n", c.call("CONFIG", "GET", "maxmemory-policy"));
                assertEquals("*2\r\n$22\r\nnotify-keyspace-events\r\n$2\r\nxE\r\n", c.call("CONFIG", "GET", "notify-keyspace-events"));
                assertEquals("+OK\r\n", c.call("SET", "k", "v"));
            }
        } finally {
            p.destroy(); // SIGTERM
        }
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "no exit within 20 s of SIGTERM");
        String log = Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("stopped in"), log);
    }

    @Test
    void badDirectiveStopsWithRedisMessage() throws Exception {
        Path dir = Files.createTempDirectory("quokka-it");
        Process p = QuokkaProcess.launch(dir, "--no-such-directive", "1").process();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        String log = Files.readString(dir.resolve("server.log"));
        assertTrue(log.contains(">>> 'no-such-directive \"1\"'\nBad directive or wrong number of arguments"), log);
        assertTrue(new File(dir.toFile(), "server.log").length() > 0);
    }

    @Test
    void invalidValueStopsWithRedisMessage() throws Exception {
        Path dir = Files.createTempDirectory("quokka-it");
        Process p = QuokkaProcess.launch(dir, "--maxmemory-policy", "sometimes").process();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        String log = Files.readString(dir.resolve("server.log"));
        // redis-server 7.0.15 --maxmemory-policy sometimes: the same two lines after its banner
        assertTrue(log.contains(">>> 'maxmemory-policy \"sometimes\"'\nargument(s) must be one of the following: "
            + "volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, "
            + "noeviction, allkeys-sieve, volatile-sieve"), log);
    }
}
