package dev.quokka.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Redis's own Sentinel (Debian's redis-sentinel 7.0.15, unmodified) keeping a group of Quokka
 * servers available: a primary and a replica, the primary killed with SIGKILL, the replica
 * promoted (REPLICAOF NO ONE) and the old primary, restarted, turned into a replica of the new one
 * with the data written after the failover.
 */
class SentinelIT {
    private static String awaitReply(RawClient c, String expectedPart, long timeoutMs, String... command)
        throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        String last;
        do {
            last = c.call(command);
            if (last.contains(expectedPart)) {
                return last;
            }
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError(String.join(" ", command) + " never contained " + expectedPart + ": " + last);
    }

    /**
     * As {@link #awaitReply}, on a new connection each try: Sentinel's reconfigurations end with
     * CLIENT KILL TYPE normal, which closes clients as Redis does.
     */
    private static String awaitOn(int port, String expectedPart, long timeoutMs, String... command) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        String last = null;
        do {
            try (RawClient c = new RawClient(port)) {
                last = c.call(command);
                if (last.contains(expectedPart)) {
                    return last;
                }
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError(String.join(" ", command) + " never contained " + expectedPart + ": " + last);
    }

    @Test
    void sentinelFailsOverAQuokkaGroup() throws Exception {
        Path dir = Files.createTempDirectory("quokka-sentinel");
        int primaryPort = RedisServerProcess.freePort();
        QuokkaProcess primary = QuokkaProcess.launch(Files.createDirectories(dir.resolve("a")),
            "--port", Integer.toString(primaryPort));
        primary.awaitPing();
        QuokkaProcess replica = QuokkaProcess.start(Files.createDirectories(dir.resolve("b")),
            "--replicaof", "127.0.0.1", Integer.toString(primaryPort));
        int sentinelPort = RedisServerProcess.freePort();
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, "port " + sentinelPort + "\nbind 127.0.0.1\ndir " + dir + "\n"
            + "sentinel monitor group 127.0.0.1 " + primaryPort + " 1\n"
            + "sentinel down-after-milliseconds group 1000\n"
            + "sentinel failover-timeout group 10000\n");
        Process sentinel = new ProcessBuilder("redis-sentinel", conf.toString()).redirectErrorStream(true)
            .redirectOutput(dir.resolve("sentinel.log").toFile()).start();
        QuokkaProcess restarted = null;
        try (RawClient s = new RawClient(sentinelPort(sentinel, sentinelPort));
             RawClient p = new RawClient(primary.port);
             RawClient r = new RawClient(replica.port)) {
            // (r: a client of the replica before the failover, killed by Sentinel's CLIENT KILL TYPE normal)
            for (int i = 0; i < 1000; i++) {
                p.call("SET", "before:" + i, Integer.toString(i));
            }
            // Sentinel finds the replica through the primary's INFO replication.
            awaitReply(s, "$" + Integer.toString(replica.port).length() + "\r\n" + replica.port, 30_000,
                "SENTINEL", "REPLICAS", "group");
            awaitReply(r, "$3\r\n999", 10_000, "GET", "before:999");

            long killed = System.currentTimeMillis();
            primary.kill();
            String addr = awaitReply(s, Integer.toString(replica.port), 60_000,
                "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "group");
            long switched = System.currentTimeMillis() - killed;
            assertTrue(addr.contains(Integer.toString(replica.port)), addr);
            // Sentinel's promotion ends with CLIENT KILL TYPE normal: clients reconnect, as they must with Redis.
            awaitOn(replica.port, "role:master", 10_000, "INFO", "replication");
            assertEquals("+OK\r\n", awaitOn(replica.port, "+OK", 10_000, "SET", "after", "failover"));
            System.out.println("[sentinel] primary killed; Sentinel switched to the replica in " + switched + " ms");

            // The old primary comes back: Sentinel makes it a replica of the new one.
            restarted = QuokkaProcess.launch(Files.createDirectories(dir.resolve("a2")), "--port",
                Integer.toString(primaryPort));
            restarted.awaitPing();
            awaitOn(primaryPort, "master_port:" + replica.port + "\r\nmaster_link_status:up", 60_000,
                "INFO", "replication");
            awaitOn(primaryPort, "$8\r\nfailover", 10_000, "GET", "after");
            assertEquals("$3\r\n999\r\n", awaitOn(primaryPort, "999", 10_000, "GET", "before:999"));
            assertTrue(awaitOn(primaryPort, "READONLY", 10_000, "SET", "x", "1").startsWith("-READONLY"));
        } finally {
            sentinel.destroy();
            sentinel.waitFor();
            primary.close();
            replica.close();
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    private static int sentinelPort(Process sentinel, int port) throws Exception {
        RawClient.awaitPong(port, sentinel, 30_000, "redis-sentinel");
        return port;
    }
}
