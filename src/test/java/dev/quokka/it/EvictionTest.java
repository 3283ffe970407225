package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

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

    /**
     * The evictions a test's writes over the limit call for, or one or two more: the clients'
     * buffers count in used_memory and move with the timer that refreshes them (a fresh-clone run
     * saw one more eviction than the writes needed). Which keys go is what each test checks.
     */
    private void assertEvicted(long expected) throws IOException {
        long evicted = info("evicted_keys");
        assertTrue(evicted >= expected && evicted <= expected + 2, "evicted " + evicted + ", expected " + expected);
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
        // used_memory) may tip more, evicted by the timer after the command. One MGET sees the keys
        // at one instant: those evicted must be the ones nearest to expiring (a prefix of t0..t9).
        String[] keys = new String[11];
        keys[0] = "MGET";
        for (int i = 0; i < 10; i++) {
            keys[i + 1] = "t" + i;
        }
        String reply = call(keys);
        List<Boolean> gone = new java.util.ArrayList<>();
        for (String line : reply.split("\r\n")) {
            if (line.equals("$-1")) {
                gone.add(true);
            } else if (line.startsWith("$")) {
                gone.add(false);
            }
        }
        assertEquals(10, gone.size(), reply);
        int evicted = gone.indexOf(false) < 0 ? 10 : gone.indexOf(false);
        assertTrue(evicted >= 4, "evicted " + evicted + ": " + gone);
        assertEquals(evicted, gone.stream().filter(g -> g).count(), "the nearest expiries went first: " + gone);
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
        assertEvicted(10);
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
        assertEvicted(15);
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
        assertEvicted(16);
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
