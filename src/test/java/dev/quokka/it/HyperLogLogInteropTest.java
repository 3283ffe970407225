package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * HyperLogLogs are bit-compatible with redis-server 7.0.15: ten HLLs of 10 to 10,000,000 elements,
 * built by the same PFADD sequence on both servers, are byte-identical (GET), give the same
 * PFCOUNT, and each server reads the other's bytes (SET then PFCOUNT) to the same cardinality;
 * PFMERGE of all ten and multi-key PFCOUNT agree too.
 */
@QuarkusTest
class HyperLogLogInteropTest extends QuokkaTest {
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisServerProcess();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    private static final int[] SIZES = {10, 100, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000, 10_000_000};

    @Test
    void sameBytesAndCardinalitiesBothWays() {
        try (Jedis q = new Jedis("127.0.0.1", port()); Jedis r = new Jedis("127.0.0.1", redis.port())) {
            q.flushAll();
            r.flushAll();
            SplittableRandom random = new SplittableRandom(17);
            List<byte[]> keys = new ArrayList<>();
            for (int n : SIZES) {
                byte[] key = ("hll:" + n).getBytes(StandardCharsets.US_ASCII);
                keys.add(key);
                Pipeline pq = q.pipelined();
                Pipeline pr = r.pipelined();
                int i = 0;
                int commands = 0;
                while (i < n) {
                    int k = Math.min(1 + random.nextInt(100), n - i);
                    byte[][] elements = new byte[k][];
                    for (int j = 0; j < k; j++, i++) {
                        elements[j] = ("e" + random.nextLong() + ":" + i).getBytes(StandardCharsets.US_ASCII);
                    }
                    pq.pfadd(key, elements);
                    pr.pfadd(key, elements);
                    if (++commands % 1000 == 0) {
                        pq.sync();
                        pr.sync();
                    }
                }
                pq.sync();
                pr.sync();
                byte[] fromQuokka = q.get(key);
                byte[] fromRedis = r.get(key);
                assertArrayEquals(fromRedis, fromQuokka, "GET of an HLL of " + n + " elements");
                long count = r.pfcount(key);
                assertEquals(count, q.pfcount(key), "PFCOUNT of " + n);
                byte[] copy = ("copy:" + n).getBytes(StandardCharsets.US_ASCII);
                q.set(copy, fromRedis);
                r.set(copy, fromQuokka);
                assertEquals(count, q.pfcount(copy), "Quokka reading redis-server's HLL of " + n);
                assertEquals(count, r.pfcount(copy), "redis-server reading Quokka's HLL of " + n);
                // PFCOUNT stored its cache in the value: the bytes are still the same.
                assertArrayEquals(r.get(key), q.get(key), "GET after PFCOUNT of " + n);
            }
            byte[][] all = keys.toArray(new byte[0][]);
            byte[] merged = "merged".getBytes(StandardCharsets.US_ASCII);
            q.pfmerge(merged, all);
            r.pfmerge(merged, all);
            assertArrayEquals(r.get(merged), q.get(merged), "PFMERGE of all ten");
            assertEquals(r.pfcount(all), q.pfcount(all), "multi-key PFCOUNT");
            assertEquals(r.pfcount(merged), q.pfcount(merged), "PFCOUNT of the merge");
        }
    }
}
