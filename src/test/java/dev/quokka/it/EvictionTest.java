package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxmemory and each policy's choice of victim, over real connections. Limits are set relative
 * to the accounted used_memory of the moment, so each test controls exactly how much room there
 * is; maxmemory-samples 64 makes the sampled policies consider every key of these small sets.
 */
@QuarkusTest
class EvictionTest extends QuokkaTest {
    private static final String OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
    private static final String VALUE = "v".repeat(100);

    @org.junit.jupiter.api.BeforeEach
    void resetStats() throws IOException {
        call("CONFIG", "RESETSTAT");
    }

    @AfterEach
    void noLimit() throws IOException {
        call("CONFIG", "SET", "maxmemory", "0");
        call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        call("CONFIG", "SET", "maxmemory-samples", "5");
        call("CONFIG", "SET", "lfu-decay-time", "1");
    }

    /**
     * The limit becomes the memory in use, then one more key ("pad", no TTL) takes the memory
     * over it. As in Redis the check runs before every command, so from then on each command
     * evicts (or, if it is a write, is refused) until under the limit before it runs: a write of
     * a key of the same size evicts one key and leaves the memory over again, and the next
     * command of any kind ({@link #settle}) evicts one more.
     */
    private void limitAtCurrentUse(String policy) throws IOException {
        call("CONFIG", "SET", "maxmemory-samples", "64");
        assertEquals(OK, call("CONFIG", "SET", "maxmemory-policy", policy));
        call("CONFIG", "SET", "maxmemory", "0");
        assertEquals(OK, call("CONFIG", "SET", "maxmemory", Long.toString(info("used_memory"))));
        assertEquals(OK, call("SET", "pad", VALUE));
    }

    /** Any command: lets the eviction that the last write left pending happen. */
    private void settle() throws IOException {
        assertEquals("+PONG\r\n", call("PING"));
    }

    private boolean exists(String key) throws IOException {
        return call("EXISTS", key).equals(integer(1));
    }

    @Test
    void noevictionRefusesWritesAndKeepsEverything() throws Exception {
        call("SET", "a", VALUE);
        call("SET", "b", VALUE);
        limitAtCurrentUse("noeviction");
        assertEquals(OOM, call("SET", "c", VALUE));
        assertEquals(OOM, call("APPEND", "a", "x"));
        assertEquals(bulk(VALUE), call("GET", "a"), "reads work");
        assertEquals(integer(1), call("DEL", "b"), "deletes work");
        assertEquals(OK, call("SET", "c", VALUE), "room again after the delete");
        assertEquals(bulk(VALUE), call("GET", "a"));
        assertEquals(0, info("evicted_keys"));
    }

    @Test
    void volatilePoliciesNeverEvictKeysWithoutATtl() throws Exception {
        for (String policy : new String[] {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "volatile-sieve"}) {
            call("FLUSHALL");
            for (int i = 0; i < 20; i++) {
                call("SET", "keep:" + i, VALUE);
                call("SET", "ttl:" + i, VALUE, "EX", "1000");
            }
            limitAtCurrentUse(policy);
            for (int i = 0; i < 20; i++) {
                assertEquals(OK, call("SET", "new:" + i, VALUE), policy);
            }
            for (int i = 0; i < 20; i++) {
                assertTrue(exists("keep:" + i), policy + " evicted keep:" + i);
            }
            assertEquals(OOM, call("SET", "one-more", VALUE), policy + ": no key with a TTL is left");
            call("CONFIG", "SET", "maxmemory", "0");
        }
    }

    @Test
    void volatileTtlEvictsTheNearestExpiryFirst() throws Exception {
        for (int i = 0; i < 10; i++) {
            call("SET", "t" + i, VALUE, "EX", Integer.toString(1000 + i * 100));
        }
        limitAtCurrentUse("volatile-ttl");
        for (int i = 0; i < 3; i++) {
            call("SET", "no-ttl:" + i, VALUE);
        }
        settle();
        // Four writes over the limit evict at least four keys; the clients' buffers (counted in
        // used_memory, refreshed on a timer) may tip one or two more, evicted by the timer after the
        // command (Redis's evictionTimeProc). Once the count is still, the keys evicted must be those
        // nearest to expiring.
        long evicted = info("evicted_keys");
        for (int i = 0; i < 50; i++) {
            Thread.sleep(200);
            long now = info("evicted_keys");
            if (now == evicted) {
                break;
            }
            evicted = now;
        }
        assertTrue(evicted >= 4 && evicted <= 6, "evicted " + evicted);
        for (int i = 0; i < 10; i++) {
            assertEquals(i >= evicted, exists("t" + i), "t" + i + " with " + evicted + " evicted");
        }
    }

    @Test
    void sieveSparesATouchedKeyOnce() throws Exception {
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-sieve");
        for (int i = 0; i < 10; i++) {
            call("SET", "s" + i, VALUE); // the queue, oldest first: s0 .. s9
        }
        call("GET", "s0"); // visited
        limitAtCurrentUse("allkeys-sieve");
        call("SET", "n1", VALUE); // the hand passes s0 (spared, its bit cleared) and evicts s1
        settle(); // then s2
        assertTrue(exists("s0") && !exists("s1") && !exists("s2") && exists("s3"));
        for (int i = 3; i < 10; i++) {
            call("SET", "more" + i, VALUE); // s3 .. s9, in queue order
        }
        settle(); // the hand goes on to the newer keys: pad; s0 waits for the hand to wrap
        assertTrue(!exists("s9") && !exists("pad") && exists("n1") && exists("s0"));
        assertEquals(10, info("evicted_keys"));
    }

    @Test
    void lruSparesRecentlyReadKeys() throws Exception {
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        for (int i = 0; i < 20; i++) {
            call("SET", "k" + i, VALUE);
        }
        Thread.sleep(1100); // the LRU clock counts seconds, as Redis's
        for (int i = 0; i < 5; i++) {
            call("GET", "k" + i);
        }
        limitAtCurrentUse("allkeys-lru");
        for (int i = 0; i < 14; i++) {
            call("SET", "new" + i, VALUE);
        }
        settle(); // 15 evictions: exactly the 15 keys not read for a second
        for (int i = 0; i < 20; i++) {
            assertEquals(i < 5, exists("k" + i), "k" + i);
        }
        assertEquals(15, info("evicted_keys"));
    }

    @Test
    void lfuSparesFrequentlyReadKeysAndObjectFreqReadsTheCounter() throws Exception {
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        call("CONFIG", "SET", "lfu-decay-time", "0");
        for (int i = 0; i < 20; i++) {
            call("SET", "k" + i, VALUE);
        }
        assertEquals(integer(5), call("OBJECT", "FREQ", "k10"), "a new key starts at LFU_INIT_VAL");
        assertEquals(integer(5), call("OBJECT", "FREQ", "k10"), "OBJECT FREQ does not count as an access");
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 50; j++) {
                call("GET", "k" + i);
            }
        }
        assertTrue(Long.parseLong(call("OBJECT", "FREQ", "k0").substring(1).trim()) > 5);
        limitAtCurrentUse("allkeys-lfu");
        for (int i = 0; i < 15; i++) {
            call("SET", "new" + i, VALUE);
        }
        settle();
        assertEquals(16, info("evicted_keys"));
        for (int i = 0; i < 5; i++) {
            assertTrue(exists("k" + i), "frequently read k" + i + " was evicted");
        }
    }

    @Test
    void sustainedWritesStayWithinTheLimit() throws Exception {
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
        call("CONFIG", "SET", "maxmemory", "1mb");
        String big = "x".repeat(500);
        long oneCommand = 1024; // a 500-byte value with its entry and key
        for (int i = 0; i < 5000; i++) {
            assertEquals(OK, call("SET", "load:" + i, big));
            if (i % 100 == 0) {
                long used = info("used_memory");
                assertTrue(used <= 1024 * 1024 + oneCommand, "used_memory " + used + " after " + i + " writes");
            }
        }
        assertTrue(info("evicted_keys") > 2000);
        assertTrue(info("used_memory") <= 1024 * 1024 + oneCommand);
    }

    @Test
    void policyChangesTakeEffectAtOnce() throws Exception {
        for (String k : new String[] {"a", "b", "c", "d", "e"}) {
            call("SET", k, VALUE);
        }
        limitAtCurrentUse("noeviction");
        assertEquals(OOM, call("SET", "c", VALUE));
        assertEquals(OK, call("CONFIG", "SET", "maxmemory-policy", "allkeys-random"));
        assertEquals(OK, call("SET", "c", VALUE));
        assertTrue(info("evicted_keys") >= 1);
        assertEquals(OK, call("CONFIG", "SET", "maxmemory-policy", "allkeys-sieve"));
        assertEquals(OK, call("SET", "d", VALUE));
        assertEquals(OK, call("CONFIG", "SET", "maxmemory", "0"));
        assertEquals(OK, call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru"));
    }

    @Test
    void thePolicyListNamesTheSievePolicies() throws Exception {
        // Redis's text, with the two policies Redis does not have at the end.
        assertEquals(err("ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be "
            + "one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, "
            + "allkeys-random, noeviction, allkeys-sieve, volatile-sieve"), call("CONFIG", "SET", "maxmemory-policy", "foo"));
    }

    @Test
    void memoryUsageAndInfoAgree() throws Exception {
        call("SET", "k", "value");
        long usage = Long.parseLong(call("MEMORY", "USAGE", "k").substring(1).trim());
        assertTrue(usage >= 40 && usage <= 120, "MEMORY USAGE " + usage);
        assertEquals(call("MEMORY", "USAGE", "k"), call("MEMORY", "USAGE", "k", "SAMPLES", "0"));
        assertEquals(err("ERR syntax error"), call("MEMORY", "USAGE", "k", "SAMPLES", "-1"));
        assertEquals(err("ERR value is not an integer or out of range"), call("MEMORY", "USAGE", "k", "SAMPLES", "x"));
        assertEquals(err("ERR syntax error"), call("MEMORY", "USAGE", "k", "foo"));
        assertEquals(NIL, call("MEMORY", "USAGE", "nokey"));
        long before = info("used_memory_dataset");
        call("SET", "k2", "value");
        assertEquals(usage, info("used_memory_dataset") - before);
        assertTrue(call("MEMORY", "STATS").contains("$10\r\nkeys.count\r\n:2\r\n"));
        assertTrue(call("MEMORY", "DOCTOR").startsWith("$") && call("MEMORY", "DOCTOR").contains("Hi Sam"));
    }
}
