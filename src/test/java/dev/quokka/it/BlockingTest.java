package dev.quokka.it;

import dev.quokka.command.Server;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking pops over real sockets, replies byte for byte (each checked against redis-server
 * 7.0.15 by hand): first-come first-served per key, served after the command that fills the
 * key, fractional timeouts, disconnects, CLIENT UNBLOCK, INFO blocked_clients, no blocking
 * inside EXEC, WRONGTYPE keys that do not serve, and the AOF recording plain pops.
 */
@QuarkusTest
class BlockingTest extends QuokkaTest {
    @Inject
    Server context;

    /** Waits until INFO reports {@code n} blocked clients. */
    private void awaitBlocked(long n) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        while (info("blocked_clients") != n) {
            assertTrue(System.currentTimeMillis() < deadline, "blocked_clients never became " + n);
            Thread.sleep(5);
        }
    }

    private static void send(RawClient c, String... args) throws IOException {
        c.send(RawClient.encode(args));
    }

    @Test
    void waitersAreServedFirstComeFirstServedAfterThePush() throws Exception {
        RawClient a = newRaw();
        RawClient b = newRaw();
        send(a, "BLPOP", "q", "other", "0");
        awaitBlocked(1);
        send(b, "BRPOP", "q", "0");
        awaitBlocked(2);
        assertEquals(":3\r\n", call("RPUSH", "q", "x", "y", "z"));
        assertEquals("*2\r\n$1\r\nq\r\n$1\r\nx\r\n", a.readReply());
        assertEquals("*2\r\n$1\r\nq\r\n$1\r\nz\r\n", b.readReply());
        assertEquals("*1\r\n$1\r\ny\r\n", call("LRANGE", "q", "0", "-1"));
        awaitBlocked(0);
    }

    @Test
    void aPushInsideATransactionIsServedAfterTheWholeExec() throws Exception {
        RawClient a = newRaw();
        send(a, "BLPOP", "q", "0");
        awaitBlocked(1);
        call("MULTI");
        call("LPUSH", "q", "1");
        call("LPUSH", "q", "2");
        call("LPOP", "q");
        assertEquals("*3\r\n:1\r\n:2\r\n$1\r\n2\r\n", call("EXEC"));
        // the waiter saw the list as EXEC left it
        assertEquals("*2\r\n$1\r\nq\r\n$1\r\n1\r\n", a.readReply());
        assertEquals(":0\r\n", call("EXISTS", "q"));
    }

    @Test
    void fractionalTimeoutRepliesNullAndTheConnectionGoesOn() throws Exception {
        RawClient a = newRaw();
        long start = System.nanoTime();
        send(a, "BZPOPMIN", "z", "0.2");
        send(a, "PING");
        assertEquals("*-1\r\n", a.readReply());
        assertEquals("+PONG\r\n", a.readReply());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 190 && ms < 5000, ms + " ms");
        assertEquals("*-1\r\n", a.call("BLMOVE", "s", "d", "LEFT", "RIGHT", "0.01"));
        assertEquals("-ERR timeout is negative\r\n", a.call("BLPOP", "q", "-1"));
        assertEquals("-ERR timeout is not a float or out of range\r\n", a.call("BLPOP", "q", "x"));
        assertEquals(0, info("blocked_clients"));
    }

    @Test
    void aDisconnectedWaiterIsForgottenAndUnblockEndsAWait() throws Exception {
        RawClient gone = newRaw();
        send(gone, "BLPOP", "q", "0");
        awaitBlocked(1);
        gone.close();
        awaitBlocked(0);
        assertEquals(":1\r\n", call("RPUSH", "q", "kept"));
        assertEquals(":1\r\n", call("LLEN", "q"));

        RawClient a = newRaw();
        String id = a.call("CLIENT", "ID");
        send(a, "BZMPOP", "0", "1", "z", "MIN");
        awaitBlocked(1);
        assertTrue(call("CLIENT", "LIST").contains("flags=b"));
        assertEquals(":1\r\n", call("CLIENT", "UNBLOCK", id.substring(1, id.length() - 2), "ERROR"));
        assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", a.readReply());
        assertEquals(":0\r\n", call("CLIENT", "UNBLOCK", id.substring(1, id.length() - 2)));
        send(a, "BRPOPLPUSH", "none", "d", "0");
        awaitBlocked(1);
        assertEquals(":1\r\n", call("CLIENT", "UNBLOCK", id.substring(1, id.length() - 2), "TIMEOUT"));
        assertEquals("*-1\r\n", a.readReply());
        assertEquals("-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n", call("CLIENT", "UNBLOCK", "1", "FOO"));
    }

    @Test
    void blockingCommandsDoNotBlockInsideExec() throws Exception {
        call("MULTI");
        call("BLPOP", "q", "0");
        call("BLMOVE", "q", "d", "LEFT", "LEFT", "0");
        call("BZPOPMAX", "z", "0");
        call("BLMPOP", "0", "1", "q", "LEFT");
        assertEquals("*4\r\n*-1\r\n$-1\r\n*-1\r\n*-1\r\n", call("EXEC"));
    }

    @Test
    void aKeyOfAnotherTypeDoesNotServeAndBlmoveChainsServeEachOther() throws Exception {
        RawClient a = newRaw();
        RawClient b = newRaw();
        send(a, "BLPOP", "k", "0");
        awaitBlocked(1);
        call("MULTI");
        call("LPUSH", "k", "v");
        call("DEL", "k");
        call("SET", "k", "string");
        call("EXEC");
        Thread.sleep(50);
        assertEquals(1, info("blocked_clients"));
        call("DEL", "k");
        // a waits on k; b moves from src into k, which serves a in the same round
        send(b, "BLMOVE", "src", "k", "LEFT", "RIGHT", "0");
        awaitBlocked(2);
        call("RPUSH", "src", "hop");
        assertEquals("$3\r\nhop\r\n", b.readReply());
        assertEquals("*2\r\n$1\r\nk\r\n$3\r\nhop\r\n", a.readReply());
        assertEquals(":0\r\n", call("EXISTS", "src", "k"));
    }

    /** The commands of the current incremental AOF file, as text. */
    private String incrementalText() throws Exception {
        call("PING"); // replies leave after their effects are written
        return String.join("\n", AofFiles.commands(AofFiles.lastIncr(context.aof().dir())));
    }

    @Test
    void theAofRecordsThePopsNotTheBlockingCommands() throws Exception {
        call("CONFIG", "SET", "appendonly", "yes");
        try {
            awaitAofOn(context);
            RawClient a = newRaw();
            send(a, "BRPOP", "q", "0");
            awaitBlocked(1);
            call("LPUSH", "q", "1", "2");
            assertEquals("*2\r\n$1\r\nq\r\n$1\r\n1\r\n", a.readReply());
            assertEquals("*2\r\n$1\r\nq\r\n*1\r\n$1\r\n2\r\n", a.call("BLMPOP", "0", "1", "q", "LEFT", "COUNT", "5"));
            call("SADD", "s", "m");
            assertEquals("$1\r\nm\r\n", call("SPOP", "s"));
            String aof = incrementalText();
            List<String> lines = List.of(aof.split("\n"));
            assertTrue(lines.contains("RPOP q") && lines.contains("LPOP q 1") && lines.contains("SREM s m"), aof);
            assertTrue(!aof.contains("BRPOP") && !aof.contains("BLMPOP") && !aof.contains("SPOP"), aof);
        } finally {
            call("CONFIG", "SET", "appendonly", "no");
        }
    }
}
