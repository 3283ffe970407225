package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ConnectionTest extends QuokkaTest {
    @Test
    void pingEchoSelect() throws Exception {
        assertEquals("+PONG\r\n", call("PING"));
        assertEquals(bulk("hi"), call("PING", "hi"));
        assertEquals(err("ERR wrong number of arguments for 'ping' command"), call("PING", "a", "b"));
        assertEquals(bulk("x y"), call("ECHO", "x y"));
        assertEquals(err("ERR DB index is out of range"), call("SELECT", "16"));
        assertEquals(err("ERR value is not an integer or out of range"), call("SELECT", "x"));
    }

    @Test
    void unknownCommandAndArity() throws Exception {
        assertEquals(err("ERR unknown command 'nosuch', with args beginning with: 'a' 'b' "), call("nosuch", "a", "b"));
        assertEquals(err("ERR wrong number of arguments for 'get' command"), call("GET"));
        assertEquals(err("ERR wrong number of arguments for 'config|get' command"), call("CONFIG", "GET"));
        assertEquals(err("ERR unknown subcommand 'nope'. Try CLIENT HELP."), call("CLIENT", "nope"));
        assertEquals(err("ERR wrong number of arguments for 'client' command"), call("CLIENT"));
        assertEquals(bulk("still here"), call("ECHO", "still here"));
    }

    @Test
    void inlineCommands() throws Exception {
        raw.send("SET inline \"hello world\"\r\nGET inline\r\n");
        assertEquals(OK, raw.readReply());
        assertEquals(bulk("hello world"), raw.readReply());
    }

    /** A protocol error is answered and closes only that connection, as in Redis. */
    @Test
    void protocolErrorClosesOnlyThatConnection() throws Exception {
        RawClient bad = newRaw();
        bad.send("*1\r\n$-5\r\n");
        assertEquals(err("ERR Protocol error: invalid bulk length"), bad.readReply());
        assertTrue(bad.closedByServer());
        RawClient quotes = newRaw();
        quotes.send("PING\r\nSET \"unbalanced\r\n");
        assertEquals("+PONG\r\n", quotes.readReply());
        assertEquals(err("ERR Protocol error: unbalanced quotes in request"), quotes.readReply());
        assertTrue(quotes.closedByServer());
        assertEquals("+PONG\r\n", call("PING"));
    }

    @Test
    void quitClosesAfterReply() throws Exception {
        RawClient c = newRaw();
        assertEquals(OK, c.call("QUIT"));
        assertTrue(c.closedByServer());
    }

    @Test
    void helloSwitchesToResp3() throws Exception {
        RawClient c = newRaw();
        String id = c.call("CLIENT", "ID").trim().substring(1);
        String hello = c.call("HELLO", "3");
        assertEquals("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n"
            + "$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
            + "$7\r\nmodules\r\n*0\r\n", hello);
        assertEquals("_\r\n", c.call("GET", "missing"));
        assertEquals("%1\r\n$2\r\nhz\r\n$2\r\n10\r\n", c.call("CONFIG", "GET", "hz"));
        assertEquals(err("NOPROTO unsupported protocol version"), c.call("HELLO", "4"));
        assertEquals(err("ERR Syntax error in HELLO option 'foo'"), c.call("HELLO", "3", "foo"));
        assertTrue(c.call("HELLO", "2").startsWith("*14\r\n"));
        assertEquals(NIL, c.call("GET", "missing"));
    }

    @Test
    void authWithRequirepass() throws Exception {
        assertEquals(err("ERR AUTH <password> called without any password configured for the default user. "
            + "Are you sure your configuration is correct?"), call("AUTH", "x"));
        assertEquals(OK, call("CONFIG", "SET", "requirepass", "s3cret"));
        try {
            RawClient c = newRaw();
            assertEquals(err("NOAUTH Authentication required."), c.call("GET", "k"));
            assertEquals(err("WRONGPASS invalid username-password pair or user is disabled."), c.call("AUTH", "bad"));
            assertEquals(OK, c.call("AUTH", "s3cret"));
            assertEquals(NIL, c.call("GET", "k"));
            RawClient h = newRaw();
            assertTrue(h.call("HELLO", "3").startsWith("-NOAUTH HELLO must be called with the client already authenticated"));
            assertTrue(h.call("HELLO", "3", "AUTH", "default", "s3cret").startsWith("%7\r\n"));
            try (Jedis j = new Jedis("127.0.0.1", port())) {
                assertThrows(JedisDataException.class, () -> j.get("k"));
                j.auth("s3cret");
                assertEquals("PONG", j.ping());
            }
        } finally {
            RawClient admin = newRaw();
            admin.call("AUTH", "s3cret");
            admin.call("CONFIG", "SET", "requirepass", "");
        }
    }

    @Test
    void clientNameListInfoKill() throws Exception {
        assertEquals(NIL, call("CLIENT", "GETNAME"));
        assertEquals(OK, call("CLIENT", "SETNAME", "worker-1"));
        assertEquals(bulk("worker-1"), call("CLIENT", "GETNAME"));
        assertEquals(err("ERR Client names cannot contain spaces, newlines or special characters."),
            call("CLIENT", "SETNAME", "a b"));
        String info = jedis.clientInfo();
        assertTrue(info.startsWith("id="), info);
        assertTrue(call("CLIENT", "LIST").contains("name=worker-1 "));
        RawClient victim = newRaw();
        long id = Long.parseLong(victim.call("CLIENT", "ID").trim().substring(1));
        assertEquals(integer(1), call("CLIENT", "KILL", "ID", Long.toString(id)));
        assertTrue(victim.closedByServer());
        assertEquals(err("ERR No such client"), call("CLIENT", "KILL", "1.2.3.4:5"));
        assertEquals(OK, call("CLIENT", "SETINFO", "LIB-NAME", "mylib"));
        assertTrue(call("CLIENT", "INFO").contains("lib-name=mylib"));
    }

    @Test
    void clientReplyOffSkip() throws Exception {
        RawClient c = newRaw();
        c.send(RawClient.encode("CLIENT", "REPLY", "OFF"));
        c.send(RawClient.encode("SET", "a", "1"));
        c.send(RawClient.encode("CLIENT", "REPLY", "ON"));
        assertEquals(OK, c.readReply());
        c.send(RawClient.encode("CLIENT", "REPLY", "SKIP"));
        c.send(RawClient.encode("GET", "a"));
        c.send(RawClient.encode("GET", "a"));
        assertEquals(bulk("1"), c.readReply());
        assertFalse(c.closedByServer());
    }

    @Test
    void resetRestoresDefaults() throws Exception {
        RawClient c = newRaw();
        c.call("SELECT", "3");
        c.call("HELLO", "3");
        c.call("CLIENT", "SETNAME", "x");
        assertEquals("+RESET\r\n", c.call("RESET"));
        assertEquals(NIL, c.call("CLIENT", "GETNAME"));
        assertEquals(NIL, c.call("GET", "nothing"));
    }

    /**
     * Replies go straight to the socket while it takes them, and through Netty's queue once it
     * does not: a client that pipelines 12 MB of replies and reads them slowly gets every byte, in
     * order, across both paths (the direct write of a batch's replies must never overtake the
     * ones queued before it).
     */
    @Test
    void repliesTheSocketDoesNotTakeAtOnceArriveWholeAndInOrder() throws Exception {
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 60; i++) {
            byte[] value = new byte[1 + (i * 7919) % 400_000];
            Arrays.fill(value, (byte) ('a' + i % 26));
            String v = new String(value, StandardCharsets.US_ASCII);
            requests.writeBytes(RawClient.encode("SET", "order:" + i, v));
            requests.writeBytes(RawClient.encode("GET", "order:" + i));
            requests.writeBytes(RawClient.encode("PING", "p" + i));
            expected.writeBytes((OK + bulk(v) + bulk("p" + i)).getBytes(StandardCharsets.US_ASCII));
        }
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(20_000);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(requests.toByteArray());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = s.getInputStream();
            byte[] got = new byte[expected.size()];
            int n = 0;
            int reads = 0;
            while (n < got.length) {
                int k = in.read(got, n, Math.min(got.length - n, 16 * 1024));
                assertTrue(k > 0, "replies cut short after " + n + " bytes");
                n += k;
                if (++reads % 2 == 0) {
                    Thread.sleep(1); // slower than the server: its socket fills and empties as this reads
                }
            }
            sent.get();
            assertArrayEquals(expected.toByteArray(), got);
        }
        // A request split across two reads, with another client's read between them.
        RawClient a = newRaw();
        RawClient b = newRaw();
        byte[] split = RawClient.encode("SET", "split", "left-and-right");
        a.send(Arrays.copyOf(split, 20));
        Thread.sleep(50);
        assertEquals(OK, b.call("SET", "other", "x"));
        a.send(Arrays.copyOfRange(split, 20, split.length));
        assertEquals(OK, a.readReply());
        assertEquals(bulk("left-and-right"), b.call("GET", "split"));
    }
}
