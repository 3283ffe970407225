package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What clients' buffers hold counts as Redis counts it, side by side with redis-server 7.0.15:
 * against {@code maxmemory} (keys are evicted when a client's unfinished request fills memory), and
 * against {@code maxmemory-clients} (the client holding the most is closed, unless CLIENT NO-EVICT).
 */
@QuarkusTest
class ClientMemoryTest extends QuokkaTest {
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisServerProcess();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    /** An unfinished request of {@code bytes} bytes of a {@code 2 * bytes} bulk: it sits in the query buffer. */
    private static RawClient flood(int port, String name, boolean noEvict, int bytes) throws IOException {
        RawClient c = new RawClient(port);
        c.call("CLIENT", "SETNAME", name);
        if (noEvict) {
            c.call("CLIENT", "NO-EVICT", "ON");
        }
        byte[] body = new byte[bytes];
        java.util.Arrays.fill(body, (byte) 'v');
        try {
            c.send(("*2\r\n$4\r\nECHO\r\n$" + (2 * bytes) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            c.send(body);
        } catch (IOException e) {
            // evicted while it was still sending
        }
        return c;
    }

    private static long info(RawClient c, String field) throws IOException {
        for (String line : c.call("INFO").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("no " + field);
    }

    /** Polls (each poll a command, which is when both servers evict) until {@code name} is connected or not. */
    private static boolean connectedAfterWaiting(RawClient admin, String name, boolean expected) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            if (admin.call("CLIENT", "LIST").contains("name=" + name + " ") == expected) {
                return expected;
            }
            Thread.sleep(20);
        }
        return !expected;
    }

    @Test
    void clientEvictionClosesTheBiggestClientUnlessNoEvict() throws Exception {
        List<String> outcomes = new ArrayList<>();
        raw.call("CLIENT", "NO-EVICT", "ON"); // the base class's connection: redis-server's side has none
        for (int port : new int[] {redis.port(), port()}) {
            try (RawClient admin = new RawClient(port)) {
                admin.call("CLIENT", "NO-EVICT", "ON");
                admin.call("CONFIG", "RESETSTAT");
                admin.call("CONFIG", "SET", "maxmemory-clients", "1mb");
                try {
                    boolean bigGone;
                    try (RawClient big = flood(port, "big", false, 1_500_000)) {
                        bigGone = !connectedAfterWaiting(admin, "big", false);
                    }
                    boolean shieldedStays;
                    try (RawClient shielded = flood(port, "shielded", true, 1_500_000)) {
                        shieldedStays = connectedAfterWaiting(admin, "shielded", true);
                        Thread.sleep(300);
                        shieldedStays &= admin.call("CLIENT", "LIST").contains("name=shielded ");
                    }
                    outcomes.add("big evicted " + bigGone + ", shielded stays " + shieldedStays
                        + ", evicted_clients " + info(admin, "evicted_clients"));
                } finally {
                    admin.call("CONFIG", "SET", "maxmemory-clients", "0");
                }
            }
        }
        assertEquals("big evicted true, shielded stays true, evicted_clients 1", outcomes.get(0), "redis-server");
        assertEquals(outcomes.get(0), outcomes.get(1), "quokka against redis-server");
    }

    @Test
    void aClientsQueryBufferCountsAgainstMaxmemory() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (int port : new int[] {redis.port(), port()}) {
            try (RawClient admin = new RawClient(port)) {
                admin.call("FLUSHALL");
                admin.call("CONFIG", "RESETSTAT");
                long used = info(admin, "used_memory");
                admin.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
                admin.call("CONFIG", "SET", "maxmemory", Long.toString(used + 8_000_000));
                try {
                    for (int i = 0; i < 50; i++) {
                        admin.call("SETRANGE", "k" + i, "100000", "x");
                    }
                    long before = info(admin, "evicted_keys");
                    try (RawClient big = flood(port, "big", false, 6_000_000)) {
                        long deadline = System.currentTimeMillis() + 5000;
                        while (info(admin, "evicted_keys") == 0 && System.currentTimeMillis() < deadline) {
                            Thread.sleep(20);
                        }
                        long dbsize = Long.parseLong(admin.call("DBSIZE").substring(1).trim());
                        outcomes.add("evicted before " + before + ", keys evicted " + (info(admin, "evicted_keys") > 0)
                            + ", fewer keys " + (dbsize < 50));
                    }
                } finally {
                    admin.call("CONFIG", "SET", "maxmemory", "0");
                    admin.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
                    admin.call("FLUSHALL");
                }
            }
        }
        assertEquals("evicted before 0, keys evicted true, fewer keys true", outcomes.get(0), "redis-server");
        assertEquals(outcomes.get(0), outcomes.get(1), "quokka against redis-server");
    }

    /**
     * Jedis's pipeline writes every request before it reads a reply: 300,000 GETs of a 100-byte
     * value are 9 MB of requests and 32 MB of replies, more than the kernel's socket buffers hold
     * either way. Quokka keeps the replies, as Redis does, so the pipeline completes (when it
     * stopped reading a client whose socket did not take its replies, both sides waited forever).
     */
    @Test
    void pipelineWrittenBeforeAnyReplyIsReadCompletes() {
        String value = "v".repeat(100);
        for (int port : new int[] {redis.port(), port()}) {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
                try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", port, 30_000)) {
                    j.set("piped", value);
                    redis.clients.jedis.Pipeline p = j.pipelined();
                    List<redis.clients.jedis.Response<String>> replies = new ArrayList<>();
                    for (int i = 0; i < 300_000; i++) {
                        replies.add(p.get("piped"));
                    }
                    p.sync();
                    assertEquals(300_000, replies.size());
                    assertEquals(value, replies.get(0).get());
                    assertEquals(value, replies.get(299_999).get());
                    j.del("piped");
                }
            }, "port " + port);
        }
    }
}
