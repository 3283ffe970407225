package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
