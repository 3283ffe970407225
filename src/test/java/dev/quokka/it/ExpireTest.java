package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ExpireTest extends QuokkaTest {
    @Test
    void expireOptions() throws Exception {
        call("SET", "k", "v");
        assertEquals(integer(0), call("EXPIRE", "k", "100", "XX"));
        assertEquals(integer(1), call("EXPIRE", "k", "100", "NX"));
        assertEquals(integer(0), call("EXPIRE", "k", "200", "NX"));
        assertEquals(integer(0), call("EXPIRE", "k", "50", "GT"));
        assertEquals(integer(1), call("EXPIRE", "k", "200", "GT"));
        assertEquals(integer(1), call("EXPIRE", "k", "50", "LT"));
        assertEquals(integer(50), call("TTL", "k"));
        assertEquals(err("ERR NX and XX, GT or LT options at the same time are not compatible"),
            call("EXPIRE", "k", "1", "NX", "XX"));
        assertEquals(err("ERR GT and LT options at the same time are not compatible"), call("EXPIRE", "k", "1", "GT", "LT"));
        assertEquals(err("ERR Unsupported option foo"), call("EXPIRE", "k", "1", "foo"));
        assertEquals(err("ERR invalid expire time in 'expire' command"), call("EXPIRE", "k", "9223372036854775807"));
        assertEquals(integer(0), call("EXPIRE", "missing", "10"));
    }

    @Test
    void ttlFamily() throws Exception {
        assertEquals(integer(-2), call("TTL", "k"));
        call("SET", "k", "v");
        assertEquals(integer(-1), call("PTTL", "k"));
        assertEquals(integer(-1), call("EXPIRETIME", "k"));
        long at = System.currentTimeMillis() + 100_000;
        assertEquals(integer(1), call("PEXPIREAT", "k", Long.toString(at)));
        assertEquals(integer(at), call("PEXPIRETIME", "k"));
        assertEquals(integer((at + 500) / 1000), call("EXPIRETIME", "k"));
        assertEquals(integer(1), call("PERSIST", "k"));
        assertEquals(integer(0), call("PERSIST", "k"));
    }

    @Test
    void pastTimeDeletesAndCounts() throws Exception {
        call("SET", "k", "v");
        assertEquals(integer(1), call("EXPIREAT", "k", "1"));
        assertEquals(integer(0), call("EXISTS", "k"));
        call("SET", "k", "v");
        assertEquals(integer(1), call("EXPIRE", "k", "-5"));
        assertEquals(integer(0), call("EXISTS", "k"));
    }

    @Test
    void lazyExpiryOnAccess() throws Exception {
        call("SET", "k", "v", "PX", "30");
        Thread.sleep(60);
        assertEquals(NIL, call("GET", "k"));
        assertEquals(integer(-2), call("TTL", "k"));
    }

    /** Keys nobody reads are still reclaimed by the active cycle (every 1000/hz ms). */
    @Test
    void activeExpiryReclaimsUntouchedKeys() throws Exception {
        long before = expiredKeys();
        for (int i = 0; i < 500; i++) {
            call("SET", "vol:" + i, "v", "PX", "20");
        }
        call("SET", "stays", "v");
        long deadline = System.currentTimeMillis() + 5000;
        while (!call("DBSIZE").equals(integer(1)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(integer(1), call("DBSIZE"));
        assertTrue(expiredKeys() - before >= 500);
    }

    private long expiredKeys() throws Exception {
        for (String line : jedis.info("stats").split("\r\n")) {
            if (line.startsWith("expired_keys:")) {
                return Long.parseLong(line.substring("expired_keys:".length()));
            }
        }
        throw new AssertionError("no expired_keys in INFO");
    }
}
