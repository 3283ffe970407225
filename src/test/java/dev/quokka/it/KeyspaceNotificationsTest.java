package dev.quokka.it;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class KeyspaceNotificationsTest extends QuokkaTest {
    @AfterEach
    void off() throws Exception {
        try (RawClient c = new RawClient(port())) {
            c.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    /** The next messages of a {@code PSUBSCRIBE __keyevent@0__:*} connection: these events, on these keys. */
    private static void assertKeyevents(RawClient sub, String[] events, String[] keys) throws Exception {
        for (int i = 0; i < events.length; i++) {
            assertEquals("*4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n" + bulk("__keyevent@0__:" + events[i])
                + bulk(keys[i]), sub.readReply(), events[i]);
        }
    }

    private static String message(String channel, String payload) {
        return "*3\r\n$7\r\nmessage\r\n" + bulk(channel) + bulk(payload);
    }

    @Test
    void configIsValidatedAndCanonical() throws Exception {
        assertEquals(OK, call("CONFIG", "SET", "notify-keyspace-events", "KEA"));
        assertEquals("*2\r\n$22\r\nnotify-keyspace-events\r\n$3\r\nAKE\r\n", call("CONFIG", "GET", "notify-keyspace-events"));
        assertEquals(OK, call("CONFIG", "SET", "notify-keyspace-events", "Kg$xn"));
        assertEquals("*2\r\n$22\r\nnotify-keyspace-events\r\n$5\r\ng$xnK\r\n", call("CONFIG", "GET", "notify-keyspace-events"));
        assertEquals(err("ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
            + "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."), call("CONFIG", "SET", "notify-keyspace-events", "Kq"));
    }

    @Test
    void keyspaceAndKeyeventChannels() throws Exception {
        call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        RawClient sub = newRaw();
        sub.call("PSUBSCRIBE", "__key*__:*");
        call("SET", "foo", "bar", "EX", "100");
        assertEquals("*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n" + bulk("__keyspace@0__:foo") + bulk("set"), sub.readReply());
        assertEquals("*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n" + bulk("__keyevent@0__:set") + bulk("foo"), sub.readReply());
        assertEquals("*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n" + bulk("__keyspace@0__:foo") + bulk("expire"), sub.readReply());
        assertEquals("*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n" + bulk("__keyevent@0__:expire") + bulk("foo"), sub.readReply());
    }

    @Test
    void genericAndStringEvents() throws Exception {
        call("CONFIG", "SET", "notify-keyspace-events", "Eg$");
        RawClient sub = newRaw();
        sub.call("PSUBSCRIBE", "__keyevent@0__:*");
        call("SET", "a", "1");
        call("INCR", "a");
        call("APPEND", "a", "x");
        call("RENAME", "a", "b");
        call("EXPIRE", "b", "100");
        call("PERSIST", "b");
        call("DEL", "b");
        String[] events = {"set", "incrby", "append", "rename_from", "rename_to", "expire", "persist", "del"};
        String[] keys = {"a", "a", "a", "a", "b", "b", "b", "b"};
        assertKeyevents(sub, events, keys);
    }

    @Test
    void expiredEventFromActiveExpiry() throws Exception {
        call("CONFIG", "SET", "notify-keyspace-events", "Ex");
        RawClient sub = newRaw();
        sub.call("SUBSCRIBE", "__keyevent@0__:expired");
        call("SET", "short", "v", "PX", "30");
        assertEquals(message("__keyevent@0__:expired", "short"), sub.readReply());
    }

    /** LMOVE, RPOPLPUSH and their blocking forms notify the push, then the pop, then the source's deletion (Redis's order). */
    @Test
    void moveNotifiesPushBeforePop() throws Exception {
        call("CONFIG", "SET", "notify-keyspace-events", "Elg");
        RawClient sub = newRaw();
        sub.call("PSUBSCRIBE", "__keyevent@0__:*");
        call("RPUSH", "src", "a");
        call("LMOVE", "src", "dst", "RIGHT", "LEFT");
        call("RPOPLPUSH", "dst", "dst");
        String[] events = {"rpush", "lpush", "rpop", "del", "lpush", "rpop"};
        String[] keys = {"src", "dst", "src", "src", "dst", "dst"};
        assertKeyevents(sub, events, keys);
    }
}
