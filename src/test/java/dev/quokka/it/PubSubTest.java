package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class PubSubTest extends QuokkaTest {
    @Test
    void subscribePublishUnsubscribe() throws Exception {
        RawClient sub = newRaw();
        sub.send(RawClient.encode("SUBSCRIBE", "news", "sport"));
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n", sub.readReply());
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$5\r\nsport\r\n:2\r\n", sub.readReply());
        assertEquals(integer(1), call("PUBLISH", "news", "hello"));
        assertEquals("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n", sub.readReply());
        assertEquals(integer(0), call("PUBLISH", "weather", "rain"));
        assertEquals("*2\r\n$4\r\nnews\r\n$5\r\nsport\r\n", sortedChannels());
        assertEquals("*4\r\n$4\r\nnews\r\n:1\r\n$4\r\nnone\r\n:0\r\n", call("PUBSUB", "NUMSUB", "news", "none"));
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$4\r\nnews\r\n:1\r\n", sub.call("UNSUBSCRIBE", "news"));
        assertEquals(integer(0), call("PUBLISH", "news", "again"));
    }

    private String sortedChannels() throws Exception {
        String r = call("PUBSUB", "CHANNELS");
        return r.equals("*2\r\n$5\r\nsport\r\n$4\r\nnews\r\n") ? "*2\r\n$4\r\nnews\r\n$5\r\nsport\r\n" : r;
    }

    @Test
    void patterns() throws Exception {
        RawClient sub = newRaw();
        assertEquals("*3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:1\r\n", sub.call("PSUBSCRIBE", "n*"));
        sub.send(RawClient.encode("SUBSCRIBE", "news"));
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:2\r\n", sub.readReply());
        assertEquals(integer(2), call("PUBLISH", "news", "x"));
        assertEquals("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$1\r\nx\r\n", sub.readReply());
        assertEquals("*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$1\r\nx\r\n", sub.readReply());
        assertEquals(integer(1), call("PUBSUB", "NUMPAT"));
        assertEquals("*3\r\n$12\r\npunsubscribe\r\n$2\r\nn*\r\n:1\r\n", sub.call("PUNSUBSCRIBE"));
        assertEquals(integer(0), call("PUBSUB", "NUMPAT"));
    }

    @Test
    void resp2SubscribedContextAllowsOnlySubscriptionCommands() throws Exception {
        RawClient sub = newRaw();
        sub.call("SUBSCRIBE", "c");
        assertEquals("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
            + "are allowed in this context\r\n", sub.call("GET", "k"));
        assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", sub.call("PING"));
        assertEquals("+RESET\r\n", sub.call("RESET"));
        assertEquals(NIL, sub.call("GET", "k"));
        assertEquals("*0\r\n", call("PUBSUB", "CHANNELS"));
    }

    @Test
    void resp3PushesAndReplyOff() throws Exception {
        RawClient sub = newRaw();
        sub.call("HELLO", "3");
        sub.send(RawClient.encode("CLIENT", "REPLY", "OFF"));
        sub.send(RawClient.encode("SUBSCRIBE", "c"));
        assertEquals(">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n", sub.readReply());
        assertEquals(integer(1), call("PUBLISH", "c", "m"));
        assertEquals(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n", sub.readReply());
        sub.send(RawClient.encode("CLIENT", "REPLY", "ON"));
        assertEquals(OK, sub.readReply());
        // RESP3 allows other commands while subscribed; a self-publish pushes before the reply.
        sub.send(RawClient.encode("PUBLISH", "c", "self"));
        assertEquals(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$4\r\nself\r\n", sub.readReply());
        assertEquals(integer(1), sub.readReply());
    }

    @Test
    void shardChannels() throws Exception {
        RawClient sub = newRaw();
        sub.send(RawClient.encode("SSUBSCRIBE", "s1", "s2"));
        assertEquals("*3\r\n$10\r\nssubscribe\r\n$2\r\ns1\r\n:1\r\n", sub.readReply());
        assertEquals("*3\r\n$10\r\nssubscribe\r\n$2\r\ns2\r\n:2\r\n", sub.readReply());
        // Shard subscriptions are counted apart from channels and patterns, and only SPUBLISH reaches them.
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n", sub.call("SUBSCRIBE", "c"));
        assertEquals(integer(0), call("PUBLISH", "s1", "x"));
        assertEquals(integer(1), call("SPUBLISH", "s1", "hello"));
        assertEquals("*3\r\n$8\r\nsmessage\r\n$2\r\ns1\r\n$5\r\nhello\r\n", sub.readReply());
        assertEquals("*4\r\n$2\r\ns1\r\n:1\r\n$1\r\nc\r\n:0\r\n", call("PUBSUB", "SHARDNUMSUB", "s1", "c"));
        assertEquals("*1\r\n$2\r\ns2\r\n", call("PUBSUB", "SHARDCHANNELS", "*2"));
        assertTrue(call("CLIENT", "LIST").contains("sub=1 psub=0 ssub=2 "));
        assertTrue(call("INFO", "stats").contains("pubsubshard_channels:2\r\n"));
        assertEquals("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
            + "are allowed in this context\r\n", sub.call("GET", "k"));
        sub.send(RawClient.encode("SUNSUBSCRIBE"));
        String[] both = {sub.readReply(), sub.readReply()};
        java.util.Arrays.sort(both);
        assertEquals("*3\r\n$12\r\nsunsubscribe\r\n$2\r\ns1\r\n:1\r\n", both[0]);
        assertEquals("*3\r\n$12\r\nsunsubscribe\r\n$2\r\ns2\r\n:0\r\n", both[1]);
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$1\r\nc\r\n:0\r\n", sub.call("UNSUBSCRIBE"));
        assertEquals(NIL, sub.call("GET", "k"));
        // RESP3: pushes; inside EXEC SSUBSCRIBE is refused (SUBSCRIBE is not), as Redis 7.0.
        RawClient r3 = newRaw();
        r3.call("HELLO", "3");
        assertEquals(">3\r\n$10\r\nssubscribe\r\n$1\r\nz\r\n:1\r\n", r3.call("SSUBSCRIBE", "z"));
        assertEquals(integer(1), call("SPUBLISH", "z", "m"));
        assertEquals(">3\r\n$8\r\nsmessage\r\n$1\r\nz\r\n$1\r\nm\r\n", r3.readReply());
        RawClient tx = newRaw();
        tx.call("MULTI");
        tx.call("SSUBSCRIBE", "q");
        assertEquals("*1\r\n-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n", tx.call("EXEC"));
        assertEquals("-ERR The command has no key arguments\r\n", call("COMMAND", "GETKEYS", "SPUBLISH", "a", "b"));
    }

    @Test
    void disconnectForgetsSubscriptions() throws Exception {
        RawClient sub = newRaw();
        sub.call("SUBSCRIBE", "gone");
        sub.close();
        long deadline = System.currentTimeMillis() + 5000;
        while (!call("PUBSUB", "NUMSUB", "gone").equals("*2\r\n$4\r\ngone\r\n:0\r\n") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(integer(0), call("PUBLISH", "gone", "x"));
    }
}
