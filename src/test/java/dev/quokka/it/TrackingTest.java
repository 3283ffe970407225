package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class TrackingTest extends QuokkaTest {
    private static final String INVALIDATE_K = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n";

    /** RESP3 default mode: a read is tracked; the reader's own write is answered first, then invalidated. */
    @Test
    void defaultModeInvalidatesAfterTheReply() throws Exception {
        RawClient c = newRaw();
        c.call("HELLO", "3");
        assertEquals(OK, c.call("CLIENT", "TRACKING", "ON"));
        assertEquals("_\r\n", c.call("GET", "k"));
        assertEquals(OK, c.call("SET", "k", "1"));
        assertEquals(INVALIDATE_K, c.readReply());
        // Not read since: a second write sends nothing.
        assertEquals(OK, c.call("SET", "k", "2"));
        assertEquals(bulk("2"), c.call("GET", "k"));
        call("SET", "k", "3"); // another client's write
        assertEquals(INVALIDATE_K, c.readReply());
    }

    @Test
    void redirectToAResp2Subscriber() throws Exception {
        RawClient listener = newRaw();
        long id = Long.parseLong(listener.call("CLIENT", "ID").trim().substring(1));
        listener.call("SUBSCRIBE", "__redis__:invalidate");
        RawClient c = newRaw();
        assertEquals(OK, c.call("CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(id)));
        assertEquals(integer(id), c.call("CLIENT", "GETREDIR"));
        c.call("MGET", "a", "b");
        call("MSET", "a", "1", "b", "2");
        assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\na\r\n", listener.readReply());
        assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nb\r\n", listener.readReply());
        call("FLUSHALL");
        assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n", listener.readReply());
    }

    @Test
    void bcastBatchesKeysPerPrefixAndNoloopSkipsOwnWrites() throws Exception {
        RawClient c = newRaw();
        c.call("HELLO", "3");
        assertEquals(OK, c.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "NOLOOP"));
        // One pipelined batch from another client: one message with both keys.
        RawClient w = newRaw();
        w.send(new String(RawClient.encode("SET", "user:1", "a")) + new String(RawClient.encode("SET", "user:2", "b"))
            + new String(RawClient.encode("SET", "other", "c")));
        w.readReply();
        w.readReply();
        w.readReply();
        assertEquals(">2\r\n$10\r\ninvalidate\r\n*2\r\n$6\r\nuser:1\r\n$6\r\nuser:2\r\n", c.readReply());
        assertEquals(OK, c.call("SET", "user:3", "mine")); // NOLOOP: nothing follows the reply
        assertEquals(bulk("mine"), c.call("GET", "user:3"));
        assertEquals("%3\r\n$5\r\nflags\r\n~3\r\n$2\r\non\r\n$5\r\nbcast\r\n$6\r\nnoloop\r\n$8\r\nredirect\r\n:0\r\n"
            + "$8\r\nprefixes\r\n*1\r\n$5\r\nuser:\r\n", c.call("CLIENT", "TRACKINGINFO"));
    }

    @Test
    void optinTracksOnlyAfterCachingYes() throws Exception {
        RawClient c = newRaw();
        c.call("HELLO", "3");
        assertEquals(OK, c.call("CLIENT", "TRACKING", "ON", "OPTIN"));
        c.call("GET", "untracked");
        assertEquals(OK, c.call("CLIENT", "CACHING", "YES"));
        c.call("GET", "k");
        call("SET", "untracked", "x");
        call("SET", "k", "x");
        assertEquals(INVALIDATE_K, c.readReply());
        assertTrue(jedis.info("clients").contains("tracking_clients:1"));
        assertEquals(OK, c.call("CLIENT", "TRACKING", "OFF"));
        assertEquals(integer(-1), c.call("CLIENT", "GETREDIR"));
    }
}
