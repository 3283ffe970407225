package dev.quokka.it;

import dev.quokka.server.RespServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.Jedis;

import jakarta.inject.Inject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Base of the tests that run Quokka in-process (as {@code @QuarkusTest}) and talk to it over a
 * real socket: {@link #raw} for exact wire replies, {@link #jedis} for a real client library.
 */
public abstract class QuokkaTest {
    @Inject
    RespServer server;

    protected RawClient raw;
    protected Jedis jedis;
    private final List<AutoCloseable> extra = new ArrayList<>();

    @BeforeEach
    void connect() throws IOException {
        raw = new RawClient(port());
        jedis = new Jedis("127.0.0.1", port());
        raw.call("FLUSHALL");
        raw.call("CONFIG", "SET", "requirepass", "");
    }

    @AfterEach
    void disconnect() throws Exception {
        raw.close();
        jedis.close();
        for (AutoCloseable c : extra) {
            c.close();
        }
    }

    protected int port() {
        return server.port();
    }

    /** Another raw connection, closed after the test. */
    protected RawClient newRaw() throws IOException {
        RawClient c = new RawClient(port());
        extra.add(c);
        return c;
    }

    /** Waits until the AOF turned on by CONFIG SET appendonly yes has written its first base file. */
    protected void awaitAofOn(dev.quokka.command.Server context) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!raw.call("INFO", "persistence").contains("aof_rewrite_in_progress:0")
            || context.aof().state() != dev.quokka.persistence.AppendOnlyFile.State.ON) {
            org.junit.jupiter.api.Assertions.assertTrue(System.currentTimeMillis() < deadline, "the first rewrite did not finish");
            Thread.sleep(20);
        }
    }

    protected String call(String... args) throws IOException {
        return raw.call(args);
    }

    /** A numeric field of INFO ALL, e.g. {@code used_memory}; fails when INFO has no such field. */
    protected long info(String field) throws IOException {
        String info = call("INFO", "all");
        int i = info.indexOf("\r\n" + field + ":");
        org.junit.jupiter.api.Assertions.assertTrue(i >= 0, field + " is not in INFO");
        int start = i + field.length() + 3;
        return Long.parseLong(info.substring(start, info.indexOf("\r\n", start)));
    }

    protected static String bulk(String s) {
        return "$" + s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n" + s + "\r\n";
    }

    protected static String err(String s) {
        return "-" + s + "\r\n";
    }

    protected static String integer(long n) {
        return ":" + n + "\r\n";
    }

    protected static final String OK = "+OK\r\n";
    protected static final String NIL = "$-1\r\n";
}
