package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RBucket;
import org.redisson.api.RLock;
import org.redisson.api.RMap;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RSemaphore;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redisson, unchanged, against Quokka: its lock, map, atomic long, bucket, semaphore and rate
 * limiter are Lua scripts (EVAL/EVALSHA with struct, pub/sub wake-ups, binary Kryo values).
 */
@QuarkusTest
class RedissonTest extends QuokkaTest {
    private RedissonClient redisson;

    @BeforeEach
    void startRedisson() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port()).setConnectionMinimumIdleSize(2)
            .setConnectionPoolSize(4).setSubscriptionConnectionMinimumIdleSize(1);
        redisson = Redisson.create(config);
    }

    @AfterEach
    void stopRedisson() {
        redisson.shutdown();
    }

    @Test
    void lockIsReentrantExclusiveAndWakesWaiters() throws Exception {
        RLock lock = redisson.getLock("redisson:lock");
        lock.lock();
        lock.lock();
        assertTrue(lock.isLocked());
        assertEquals(2, lock.getHoldCount());
        AtomicBoolean gotIt = new AtomicBoolean();
        CountDownLatch tried = new CountDownLatch(1);
        CountDownLatch acquired = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            RLock same = redisson.getLock("redisson:lock");
            gotIt.set(same.tryLock());
            tried.countDown();
            try {
                if (same.tryLock(10, TimeUnit.SECONDS)) {
                    acquired.countDown();
                    same.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        assertTrue(tried.await(10, TimeUnit.SECONDS));
        assertFalse(gotIt.get(), "another thread got a held lock");
        lock.unlock();
        assertTrue(lock.isLocked(), "still held once");
        lock.unlock();
        assertTrue(acquired.await(10, TimeUnit.SECONDS), "the waiter was not woken by the unlock");
        other.join(10_000);
        assertFalse(lock.isLocked());
        assertTrue(lock.tryLock(0, 5, TimeUnit.SECONDS));
        long ttl = lock.remainTimeToLive();
        assertTrue(ttl > 0 && ttl <= 5000, "lease " + ttl);
        lock.unlock();
    }

    @Test
    void mapAtomicLongBucketSemaphore() throws Exception {
        RMap<String, List<Integer>> map = redisson.getMap("redisson:map");
        map.clear();
        assertNull(map.put("a", List.of(1, 2)));
        assertEquals(List.of(1, 2), map.put("a", List.of(3)));
        assertNull(map.putIfAbsent("b", List.of(4)));
        assertEquals(List.of(4), map.putIfAbsent("b", List.of(5)));
        assertTrue(map.replace("b", List.of(4), List.of(6)));
        assertEquals(List.of(6), map.get("b"));
        assertEquals(List.of(3), map.remove("a"));
        assertEquals(1, map.size());
        assertTrue(map.fastPutIfAbsent("c", List.of()));

        RAtomicLong counter = redisson.getAtomicLong("redisson:counter");
        counter.set(10);
        assertEquals(11, counter.incrementAndGet());
        assertTrue(counter.compareAndSet(11, 20));
        assertFalse(counter.compareAndSet(11, 30));
        assertEquals(20, counter.getAndDelete());
        assertEquals(0, counter.get());

        RBucket<String> bucket = redisson.getBucket("redisson:bucket");
        bucket.set("v1");
        assertTrue(bucket.compareAndSet("v1", "v2"));
        assertFalse(bucket.compareAndSet("v1", "v3"));
        assertEquals("v2", bucket.getAndSet("v4"));
        assertTrue(bucket.setIfAbsent("x") == false);
        bucket.set("ttl", Duration.ofSeconds(30));
        long ttl = bucket.remainTimeToLive();
        assertTrue(ttl > 0 && ttl <= 30_000, "ttl " + ttl);

        RSemaphore semaphore = redisson.getSemaphore("redisson:semaphore");
        semaphore.delete();
        assertTrue(semaphore.trySetPermits(2));
        assertTrue(semaphore.tryAcquire());
        assertTrue(semaphore.tryAcquire());
        assertFalse(semaphore.tryAcquire());
        semaphore.release();
        assertEquals(1, semaphore.availablePermits());
        assertTrue(semaphore.tryAcquire(1, 5, TimeUnit.SECONDS));
    }

    @Test
    void rateLimiterAllowsItsRate() {
        RRateLimiter limiter = redisson.getRateLimiter("redisson:limiter");
        limiter.delete();
        assertTrue(limiter.trySetRate(RateType.OVERALL, 3, Duration.ofSeconds(30)));
        int allowed = 0;
        for (int i = 0; i < 5; i++) {
            if (limiter.tryAcquire()) {
                allowed++;
            }
        }
        assertEquals(3, allowed);
        assertEquals(0, limiter.availablePermits());
    }
}
