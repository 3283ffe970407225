package dev.quokka.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quokka as the primary of a real redis-server 7.0.15 replica ({@code --replicaof}): the full
 * resynchronisation (an RDB of every type, then the effects written meanwhile), the stream after
 * it (transactions, scripts, expiry, other databases), a partial resynchronisation from the
 * backlog after the replica's link is killed, ROLE and WAIT, each checked by DEBUG DIGEST on both.
 */
class ReplicationIT {
    private static final Pattern OFFSET = Pattern.compile("master_repl_offset:(\\d+)");

    private static void writeMix(RawClient c, String tag) throws Exception {
        for (int db : new int[] {0, 3}) {
            c.call("SELECT", Integer.toString(db));
            for (int i = 0; i < 300; i++) {
                c.call("SET", tag + ":s:" + i, "value-" + i);
                c.call("RPUSH", tag + ":l:" + (i % 10), "e" + i);
                c.call("HSET", tag + ":h:" + (i % 7), "f" + i, Integer.toString(i));
                c.call("SADD", tag + ":set:" + (i % 5), "m" + i, Integer.toString(i));
                c.call("ZADD", tag + ":z:" + (i % 3), Double.toString(i / 3.0), "m" + i);
            }
            c.call("XADD", tag + ":x", "1-1", "f", "v");
            c.call("XADD", tag + ":x", "*", "f", "w");
            c.call("XGROUP", "CREATE", tag + ":x", "g", "0");
            c.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", tag + ":x", ">");
            c.call("SET", tag + ":ttl", "v", "EX", "1000");
            c.call("INCRBYFLOAT", tag + ":f", "1.5");
            c.call("SET", tag + ":big", "x".repeat(100_000));
        }
        c.call("SELECT", "0");
    }

    /** After a full resync: more of every type, a transaction, a script, a write in another database. */
    private static void writeStream(RawClient c) throws Exception {
        writeMix(c, "after");
        c.call("MULTI");
        c.call("INCR", "counter");
        c.call("LPUSH", "after:l:1", "tx");
        c.call("EXEC");
        c.call("EVAL", "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', KEYS[2])", "2",
            "script:k", "script:n", "v");
        c.call("SELECT", "5");
        c.call("SET", "in5", "v");
        c.call("SELECT", "0");
    }

    private static String info(RawClient c, String section) throws Exception {
        return c.call("INFO", section);
    }

    private static long field(String info, String name) {
        Matcher m = Pattern.compile(name + ":(-?\\d+)").matcher(info);
        assertTrue(m.find(), name + " in " + info);
        return Long.parseLong(m.group(1));
    }

    /** Until the replica's link is up and it has processed everything the primary has sent. */
    private static void awaitInSync(RawClient primary, RawClient replica) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            String p = info(primary, "replication");
            String r = info(replica, "replication");
            Matcher m = OFFSET.matcher(p);
            assertTrue(m.find(), p);
            if (r.contains("master_link_status:up") && r.contains("slave_repl_offset:" + m.group(1) + "\r\n")) {
                return;
            }
            assertTrue(System.currentTimeMillis() < deadline, "not in sync:\n" + p + "\n" + r);
            Thread.sleep(50);
        }
    }

    private static void assertSameData(RawClient primary, RawClient replica) throws Exception {
        assertEquals(primary.call("DEBUG", "DIGEST"), replica.call("DEBUG", "DIGEST"), "DEBUG DIGEST");
        for (int db : new int[] {0, 3, 5}) {
            primary.call("SELECT", Integer.toString(db));
            replica.call("SELECT", Integer.toString(db));
            assertEquals(primary.call("DBSIZE"), replica.call("DBSIZE"), "DBSIZE of db " + db);
        }
        primary.call("SELECT", "0");
        replica.call("SELECT", "0");
    }

    @Test
    void redisServerReplicatesQuokka() throws Exception {
        QuokkaProcess q = QuokkaProcess.start(Files.createTempDirectory("quokka-primary"), "--enable-debug-command", "yes");
        try (RawClient qc = new RawClient(q.port)) {
            writeMix(qc, "before");
            assertEquals("*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n", qc.call("ROLE"));
            try (RedisServerProcess r = new RedisServerProcess(Files.createTempDirectory("redis-replica"),
                    "--replicaof", "127.0.0.1", Integer.toString(q.port), "--enable-debug-command", "yes");
                 RawClient rc = new RawClient(r.port())) {
                awaitInSync(qc, rc);
                assertSameData(qc, rc);
                String stats = info(qc, "stats");
                assertEquals(1, field(stats, "sync_full"));

                // The stream: plain writes, a transaction, a script, keys expiring, other databases.
                writeStream(qc);
                qc.call("SET", "short", "v", "PX", "50");
                Thread.sleep(300);
                qc.call("GET", "short"); // expired: deleted here and DEL sent to the replica
                awaitInSync(qc, rc);
                assertSameData(qc, rc);
                assertEquals("$-1\r\n", rc.call("GET", "short"));

                // WAIT: the replica acknowledges this client's last write.
                qc.call("SET", "waited", "1");
                assertEquals(":1\r\n", qc.call("WAIT", "1", "5000"));

                // ROLE and INFO list the replica with the port it listens on.
                String role = qc.call("ROLE");
                assertTrue(role.startsWith("*3\r\n$6\r\nmaster\r\n:"), role);
                assertTrue(role.contains("$9\r\n127.0.0.1\r\n$" + Integer.toString(r.port()).length() + "\r\n" + r.port()),
                    role);
                String repl = info(qc, "replication");
                assertTrue(repl.contains("connected_slaves:1\r\nslave0:ip=127.0.0.1,port=" + r.port() + ",state=online,"),
                    repl);
                assertTrue(repl.contains("repl_backlog_active:1"), repl);

                // The link killed: the replica continues from the backlog (+CONTINUE), not a new full sync.
                assertEquals(":1\r\n", qc.call("CLIENT", "KILL", "TYPE", "replica"));
                for (int i = 0; i < 100; i++) {
                    qc.call("SET", "during:" + i, Integer.toString(i));
                }
                awaitInSync(qc, rc);
                assertSameData(qc, rc);
                stats = info(qc, "stats");
                assertEquals(1, field(stats, "sync_full"), stats);
                assertEquals(1, field(stats, "sync_partial_ok"), stats);
                assertEquals("$2\r\n99\r\n", rc.call("GET", "during:99"));
            }
        } finally {
            q.close();
        }
    }

    /**
     * Disk-based sync (repl-diskless-sync no): two replicas asking for a full resync while the
     * first one's snapshot is being written (slowed by rdb-key-save-delay) share it, as Redis
     * attaches replicas to a BGSAVE for SYNC in progress: one snapshot, two full syncs, and writes
     * made before and after the second asked reach both.
     */
    @Test
    void replicasAskingDuringASnapshotShareIt() throws Exception {
        QuokkaProcess p = QuokkaProcess.start(Files.createTempDirectory("quokka-primary"), "--enable-debug-command", "yes",
            "--rdb-key-save-delay", "200", "--repl-diskless-sync", "no");
        QuokkaProcess a = QuokkaProcess.start(Files.createTempDirectory("quokka-replica-a"), "--enable-debug-command", "yes");
        try (RedisServerProcess b = new RedisServerProcess(Files.createTempDirectory("redis-replica-b"),
                "--enable-debug-command", "yes");
             RawClient pc = new RawClient(p.port); RawClient ac = new RawClient(a.port); RawClient bc = new RawClient(b.port())) {
            assertEquals("+OK\r\n", pc.call("DEBUG", "POPULATE", "10000", "key", "10"));
            assertEquals("+OK\r\n", ac.call("REPLICAOF", "127.0.0.1", Integer.toString(p.port)));
            awaitLog(p, "Starting BGSAVE for SYNC");
            for (int i = 0; i < 100; i++) {
                pc.call("SET", "first:" + i, Integer.toString(i));
            }
            assertEquals("+OK\r\n", bc.call("REPLICAOF", "127.0.0.1", Integer.toString(p.port)));
            awaitLog(p, "Waiting for end of BGSAVE for SYNC");
            for (int i = 0; i < 100; i++) {
                pc.call("SET", "second:" + i, Integer.toString(i));
            }
            awaitInSync(pc, ac);
            awaitInSync(pc, bc);
            assertSameData(pc, ac);
            assertSameData(pc, bc);
            String stats = info(pc, "stats");
            assertEquals(2, field(stats, "sync_full"), stats);
            String log = p.log();
            assertEquals(1, log.split("Starting BGSAVE for SYNC", -1).length - 1, "one snapshot:\n" + log);
        } finally {
            a.close();
            p.close();
        }
    }

    /**
     * Diskless sync, Redis 7's default: replicas asking within repl-diskless-sync-delay share one
     * transfer streamed to their sockets ($EOF:mark, the image, the mark), a Quokka and a
     * redis-server replica; a third that never reads what it asked for stalls the transfer only
     * until repl-timeout, then is dropped; writes made during the transfer reach the others after
     * their first ACK. No RDB file is written on the primary.
     */
    @Test
    void disklessTransferToReplicasSockets() throws Exception {
        Path primaryDir = Files.createTempDirectory("quokka-primary");
        QuokkaProcess p = QuokkaProcess.start(primaryDir, "--enable-debug-command", "yes",
            "--repl-diskless-sync-delay", "2", "--repl-timeout", "3");
        QuokkaProcess a = QuokkaProcess.start(Files.createTempDirectory("quokka-replica-a"), "--enable-debug-command", "yes");
        try (RedisServerProcess b = new RedisServerProcess(Files.createTempDirectory("redis-replica-b"),
                "--enable-debug-command", "yes");
             RawClient pc = new RawClient(p.port); RawClient ac = new RawClient(a.port); RawClient bc = new RawClient(b.port());
             java.net.Socket stalled = new java.net.Socket("127.0.0.1", p.port)) {
            // 300,000 keys of 100 bytes: an image far larger than the socket buffers of a replica that does not read.
            assertEquals("+OK\r\n", pc.call("DEBUG", "POPULATE", "300000", "key", "100"));
            stalled.setReceiveBufferSize(4096);
            stalled.getOutputStream().write(RawClient.encode("REPLCONF", "capa", "eof"));
            stalled.getOutputStream().write(RawClient.encode("PSYNC", "?", "-1"));
            assertEquals("+OK\r\n", ac.call("REPLICAOF", "127.0.0.1", Integer.toString(p.port)));
            assertEquals("+OK\r\n", bc.call("REPLICAOF", "127.0.0.1", Integer.toString(p.port)));
            awaitLog(p, "Starting BGSAVE for SYNC with target: replicas sockets");
            for (int i = 0; i < 100; i++) {
                pc.call("SET", "during:" + i, Integer.toString(i));
            }
            awaitLog(p, "Disconnecting timedout replica (full sync)");
            awaitInSync(pc, ac);
            awaitInSync(pc, bc);
            assertSameData(pc, ac);
            assertSameData(pc, bc);
            assertEquals("$2\r\n99\r\n", ac.call("GET", "during:99"));
            String log = p.log();
            assertEquals(1, log.split("Starting BGSAVE for SYNC", -1).length - 1, "one transfer:\n" + log);
            assertEquals(3, field(info(pc, "stats"), "sync_full"));
            try (var files = Files.list(primaryDir)) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".rdb")), "no RDB file on the primary");
            }
        } finally {
            a.close();
            p.close();
        }
    }

    private static void awaitLog(QuokkaProcess q, String line) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!q.log().contains(line)) {
            assertTrue(System.currentTimeMillis() < deadline, "no '" + line + "' in\n" + q.log());
            Thread.sleep(20);
        }
    }

    /**
     * A Quokka replica loading a full resync (slowed by key-load-delay, and served between every
     * 1024 bytes, as Redis's own tests set theirs) serves its other clients meanwhile, as Redis serves them from its loading loop:
     * -LOADING to data commands, INFO with loading:1 and the file's size; then the stream, written
     * on the primary during the load, arrives and the data is the primary's. The primary (Quokka)
     * keeps the replica, which sends newlines while it loads.
     */
    @Test
    void aLoadingReplicaAnswersLoading() throws Exception {
        QuokkaProcess p = QuokkaProcess.start(Files.createTempDirectory("quokka-primary"), "--enable-debug-command", "yes",
            "--repl-timeout", "2");
        QuokkaProcess q = QuokkaProcess.start(Files.createTempDirectory("quokka-replica"), "--enable-debug-command", "yes",
            "--key-load-delay", "100", "--repl-timeout", "2", "--loading-process-events-interval-bytes", "1024");
        try (RawClient pc = new RawClient(p.port); RawClient qc = new RawClient(q.port)) {
            assertEquals("+OK\r\n", pc.call("DEBUG", "POPULATE", "40000", "key", "10"));
            assertEquals("+OK\r\n", qc.call("REPLICAOF", "127.0.0.1", Integer.toString(p.port)));
            long deadline = System.currentTimeMillis() + 30_000;
            String persistence = info(qc, "persistence");
            while (!persistence.contains("loading:1")) {
                assertTrue(System.currentTimeMillis() < deadline, "the replica never loaded: " + persistence);
                Thread.sleep(20);
                persistence = info(qc, "persistence");
            }
            assertTrue(field(persistence, "loading_total_bytes") > 40_000 * 10, persistence);
            assertEquals("-LOADING Redis is loading the dataset in memory\r\n", qc.call("GET", "key:1"));
            String replication = info(qc, "replication");
            assertTrue(replication.contains("master_link_status:down") && replication.contains("master_sync_in_progress:1"),
                replication);
            for (int i = 0; i < 100; i++) {
                pc.call("SET", "during:" + i, Integer.toString(i));
            }
            Thread.sleep(2500); // past repl-timeout on both sides: neither gives up on the other while loading
            assertTrue(info(qc, "persistence").contains("loading:1"), "the load takes about 4 s");
            awaitInSync(pc, qc);
            assertSameData(pc, qc);
            assertEquals("$2\r\n99\r\n", qc.call("GET", "during:99"));
            String stats = info(pc, "stats");
            assertEquals(1, field(stats, "sync_full"), stats);
        } finally {
            q.close();
            p.close();
        }
    }

    /**
     * Quokka as the replica of a real redis-server, and the primary of another one (a chain): the
     * diskless full resync (an RDB ending with a mark), the stream applied and proxied byte for
     * byte (the chain's offsets agree), writes refused, a partial resync after the link is killed,
     * then REPLICAOF NO ONE, local writes, and a disk-based full resync that discards them.
     */
    @Test
    void quokkaReplicatesRedisServerAndChainsToAnother() throws Exception {
        try (RedisServerProcess r = new RedisServerProcess(Files.createTempDirectory("redis-primary"),
                "--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0");
             RawClient rc = new RawClient(r.port())) {
            writeMix(rc, "before");
            QuokkaProcess q = QuokkaProcess.start(Files.createTempDirectory("quokka-replica"), "--enable-debug-command", "yes");
            try (RawClient qc = new RawClient(q.port)) {
                assertEquals("+OK\r\n", qc.call("REPLICAOF", "127.0.0.1", Integer.toString(r.port())));
                assertEquals("+OK Already connected to specified master\r\n",
                    qc.call("REPLICAOF", "127.0.0.1", Integer.toString(r.port())));
                awaitInSync(rc, qc);
                assertSameData(rc, qc);

                // A redis-server replica of the Quokka replica.
                try (RedisServerProcess chained = new RedisServerProcess(Files.createTempDirectory("redis-chained"),
                        "--replicaof", "127.0.0.1", Integer.toString(q.port), "--enable-debug-command", "yes");
                     RawClient cc = new RawClient(chained.port())) {
                    awaitInSync(qc, cc);
                    writeStream(rc);
                    awaitInSync(rc, qc);
                    awaitInSync(qc, cc);
                    assertSameData(rc, qc);
                    assertSameData(rc, cc);
                    String top = info(rc, "replication");
                    String end = info(cc, "replication");
                    assertEquals(field(top, "master_repl_offset"), field(end, "master_repl_offset"),
                        "the chain's offsets agree:\n" + top + "\n" + end);

                    // The proxied stream last selected database 5: promoted, Quokka's own write in
                    // database 0 must name it for the chained replica. Then Quokka follows again.
                    assertEquals("+OK\r\n", qc.call("REPLICAOF", "NO", "ONE"));
                    assertEquals("+OK\r\n", qc.call("SET", "own", "1"));
                    awaitInSync(qc, cc);
                    assertEquals("$1\r\n1\r\n", cc.call("GET", "own"));
                    assertEquals("+OK\r\n", qc.call("REPLICAOF", "127.0.0.1", Integer.toString(r.port())));
                    awaitInSync(rc, qc);
                }

                assertEquals("-READONLY You can't write against a read only replica.\r\n", qc.call("SET", "x", "1"));
                String role = qc.call("ROLE");
                assertTrue(role.startsWith("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:" + r.port()
                    + "\r\n$9\r\nconnected\r\n:"), role);
                String repl = info(qc, "replication");
                assertTrue(repl.contains("role:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:" + r.port()
                    + "\r\nmaster_link_status:up\r\n"), repl);

                // The link killed: Quokka continues from the primary's backlog.
                assertEquals(":1\r\n", rc.call("CLIENT", "KILL", "TYPE", "replica"));
                for (int i = 0; i < 100; i++) {
                    rc.call("SET", "during:" + i, Integer.toString(i));
                }
                awaitInSync(rc, qc);
                assertSameData(rc, qc);
                assertEquals(1, field(info(rc, "stats"), "sync_partial_ok"));

                // Promoted, written to, then a replica again: a disk-based full resync replaces what it wrote.
                assertEquals("+OK\r\n", qc.call("REPLICAOF", "NO", "ONE"));
                assertEquals("+OK\r\n", qc.call("SET", "local", "1"));
                assertTrue(info(qc, "replication").contains("role:master"));
                rc.call("CONFIG", "SET", "repl-diskless-sync", "no");
                assertEquals("+OK\r\n", qc.call("REPLICAOF", "127.0.0.1", Integer.toString(r.port())));
                awaitInSync(rc, qc);
                assertSameData(rc, qc);
                assertEquals("$-1\r\n", qc.call("GET", "local"));
            } finally {
                q.close();
            }
        }
    }

    /** Until ROLE says what is expected (a failover's handover takes up to a replica's next ACK). */
    private static void awaitRole(RawClient c, String prefix) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        String role;
        while (!(role = c.call("ROLE")).startsWith(prefix)) {
            assertTrue(System.currentTimeMillis() < deadline, "ROLE " + role + " is not " + prefix);
            Thread.sleep(50);
        }
    }

    /**
     * FAILOVER: its refusals compared with redis-server's reply for reply, a handover from Quokka
     * to a redis-server replica (a write sent meanwhile waits, then is refused as the server is a
     * replica by then) and back from redis-server to Quokka (the target side, PSYNC ... FAILOVER),
     * each a partial resync with the data equal; a wait that times out and one that is aborted
     * leave Quokka the primary.
     */
    @Test
    void failoverHandsOverToRedisServerAndBack() throws Exception {
        QuokkaProcess q = QuokkaProcess.start(Files.createTempDirectory("quokka-failover"), "--enable-debug-command", "yes");
        try (RawClient qc = new RawClient(q.port);
             RedisServerProcess lone = new RedisServerProcess(Files.createTempDirectory("redis-lone"));
             RawClient lc = new RawClient(lone.port())) {
            for (String[] cmd : new String[][] {{"FAILOVER"}, {"FAILOVER", "ABORT"}, {"FAILOVER", "ABORT", "x"},
                {"FAILOVER", "TIMEOUT", "0"}, {"FAILOVER", "TIMEOUT", "-5"}, {"FAILOVER", "TIMEOUT", "x"},
                {"FAILOVER", "TO", "h"}, {"FAILOVER", "TO", "h", "x"}, {"FAILOVER", "FORCE"}, {"FAILOVER", "FORCE", "FORCE"},
                {"FAILOVER", "BOGUS"}, {"FAILOVER", "TIMEOUT", "10", "TIMEOUT", "10"},
                {"PSYNC", "0123456789012345678901234567890123456789", "1", "FAILOVER"}}) {
                assertEquals(lc.call(cmd), qc.call(cmd), String.join(" ", cmd));
            }
            writeMix(qc, "before");
            try (RedisServerProcess r = new RedisServerProcess(Files.createTempDirectory("redis-failover"),
                    "--replicaof", "127.0.0.1", Integer.toString(q.port), "--enable-debug-command", "yes");
                 RawClient rc = new RawClient(r.port());
                 RawClient writer = new RawClient(q.port)) {
                String rport = Integer.toString(r.port());
                awaitInSync(qc, rc);
                assertEquals("-ERR FAILOVER target HOST and PORT is not a replica.\r\n",
                    qc.call("FAILOVER", "TO", "127.0.0.1", "1"));
                assertEquals("-ERR FAILOVER with force option requires both a timeout and target HOST and IP.\r\n",
                    qc.call("FAILOVER", "TO", "127.0.0.1", rport, "FORCE"));

                // The replica asleep never acknowledges the last write: the wait ends, Quokka stays the primary.
                rc.send(RawClient.encode("DEBUG", "SLEEP", "1.5"));
                assertEquals("+OK\r\n", qc.call("SET", "unacked", "1"));
                assertEquals("+OK\r\n", qc.call("FAILOVER", "TO", "127.0.0.1", rport, "TIMEOUT", "300"));
                assertTrue(info(qc, "replication").contains("master_failover_state:waiting-for-sync"));
                assertEquals("-ERR FAILOVER already in progress.\r\n", qc.call("FAILOVER"));
                assertEquals("-ERR REPLICAOF not allowed while failing over.\r\n", qc.call("REPLICAOF", "NO", "ONE"));
                Thread.sleep(600);
                assertTrue(info(qc, "replication").contains("master_failover_state:no-failover"));
                assertEquals("+OK\r\n", qc.call("SET", "after-timeout", "1"));
                // Aborted by hand while waiting.
                assertEquals("+OK\r\n", qc.call("FAILOVER"));
                assertEquals("+OK\r\n", qc.call("FAILOVER", "ABORT"));
                assertTrue(info(qc, "replication").contains("master_failover_state:no-failover"));
                assertEquals("+OK\r\n", rc.readReply());
                awaitInSync(qc, rc);

                // Quokka hands over to redis-server; a write sent meanwhile waits and is then refused.
                assertEquals("+OK\r\n", qc.call("FAILOVER", "TO", "127.0.0.1", rport, "TIMEOUT", "10000"));
                writer.send(RawClient.encode("SET", "during-failover", "1"));
                awaitRole(rc, "*3\r\n$6\r\nmaster\r\n");
                awaitRole(qc, "*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:" + rport + "\r\n$9\r\nconnected\r\n");
                assertEquals("-READONLY You can't write against a read only replica.\r\n", writer.readReply());
                assertTrue(info(qc, "replication").contains("master_failover_state:no-failover"));
                writeStream(rc);
                awaitInSync(rc, qc);
                assertSameData(rc, qc);
                assertEquals(0, field(info(rc, "stats"), "sync_full"), "the handover is a partial resync");

                // And back: redis-server hands over to Quokka, which takes PSYNC ... FAILOVER as the target.
                assertEquals("+OK\r\n", rc.call("FAILOVER"));
                awaitRole(qc, "*3\r\n$6\r\nmaster\r\n");
                awaitRole(rc, "*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:" + q.port + "\r\n$9\r\nconnected\r\n");
                assertEquals("+OK\r\n", qc.call("SET", "back", "1"));
                writeMix(qc, "back");
                awaitInSync(qc, rc);
                assertSameData(qc, rc);
                String stats = info(qc, "stats");
                assertEquals(1, field(stats, "sync_full"), stats); // the first sync, before the handovers
                assertTrue(field(stats, "sync_partial_ok") >= 1, stats);
            }
        } finally {
            q.close();
        }
    }

    /**
     * replica-serve-stale-data no: a replica whose primary cannot be reached answers like
     * redis-server in the same state, reply for reply (MASTERDOWN for what is not flagged stale,
     * EXEC refused when a queued command is not, scripts included).
     */
    @Test
    void staleReplicaAnswersAsRedisServer() throws Exception {
        QuokkaProcess q = QuokkaProcess.start(Files.createTempDirectory("quokka-stale"));
        try (RawClient qc = new RawClient(q.port);
             RedisServerProcess r = new RedisServerProcess(Files.createTempDirectory("redis-stale"));
             RawClient rc = new RawClient(r.port())) {
            for (RawClient c : new RawClient[] {qc, rc}) {
                assertEquals("+OK\r\n", c.call("SET", "k", "v"));
                assertEquals("+OK\r\n", c.call("REPLICAOF", "127.0.0.1", "1"));
                assertEquals("+OK\r\n", c.call("CONFIG", "SET", "replica-serve-stale-data", "no"));
            }
            String[][] script = {{"GET", "k"}, {"PING"}, {"DBSIZE"}, {"SET", "k", "w"}, {"CONFIG", "GET", "maxmemory-policy"},
                {"MULTI"}, {"PING"}, {"EXEC"}, {"MULTI"}, {"GET", "k"}, {"EXEC"}, {"MULTI"}, {"REPLCONF", "x", "y"},
                {"EXEC"}, {"EVAL", "return 1", "0"}, {"EVAL", "#!lua flags=allow-stale,no-writes\nreturn 1", "0"},
                {"EVAL", "#!lua flags=allow-stale,no-writes\nreturn redis.call('get', 'k')", "0"},
                {"EVAL", "#!lua flags=allow-stale,no-writes\nreturn redis.pcall('get', 'k')", "0"},
                {"EVAL", "#!lua flags=allow-stale,no-writes\nreturn redis.call('ping')", "0"},
                {"SUBSCRIBE", "ch"}};
            for (String[] cmd : script) {
                assertEquals(rc.call(cmd), qc.call(cmd), String.join(" ", cmd));
            }
            // Not ready while the link is down (a Kubernetes Service sends no clients to it).
            var ready = q.health("/q/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"master_link_status\": \"down\""), ready.body());
            for (RawClient c : new RawClient[] {qc, rc}) {
                c.call("RESET");
                assertEquals("+OK\r\n", c.call("CONFIG", "SET", "replica-serve-stale-data", "yes"));
            }
            assertEquals(rc.call("GET", "k"), qc.call("GET", "k"));
            assertEquals("+OK\r\n", qc.call("REPLICAOF", "NO", "ONE"));
            ready = q.health("/q/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"role\": \"master\""), ready.body());
        } finally {
            q.close();
        }
    }

    /**
     * {@code repl-diskless-load swapdb}, the same scenario with a Quokka replica and with a
     * redis-server replica of a redis-server primary whose transfers are slowed (10 ms a key): the
     * image is parsed as it arrives into databases aside. From another history the replica answers
     * -LOADING, and a transfer cut off leaves its old data; within the same history (a full resync
     * forced by a backlog overrun) it serves its old data meanwhile, refusing only no-async-loading
     * commands and deny-loading configs; then the new data replaces it. Every reply is compared.
     */
    @Test
    void disklessLoadSwapdbAsRedisServer() throws Exception {
        QuokkaProcess q = QuokkaProcess.start(Files.createTempDirectory("quokka-swapdb"), "--enable-debug-command", "yes");
        List<String> quokka;
        try {
            quokka = swapdbScenario(q.port);
            assertTrue(q.log().contains("MASTER <-> REPLICA sync: Discarding temporary DB in background"), q.log());
        } finally {
            q.close();
        }
        List<String> redis;
        try (RedisServerProcess r = new RedisServerProcess(Files.createTempDirectory("redis-swapdb"),
                "--enable-debug-command", "yes")) {
            redis = swapdbScenario(r.port());
        }
        assertEquals(redis, quokka);
    }

    private static List<String> swapdbScenario(int replicaPort) throws Exception {
        List<String> seen = new ArrayList<>();
        try (RedisServerProcess primary = new RedisServerProcess(Files.createTempDirectory("redis-primary"),
                "--enable-debug-command", "yes", "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0",
                "--rdbcompression", "no");
             RawClient pc = new RawClient(primary.port()); RawClient rc = new RawClient(replicaPort)) {
            String port = Integer.toString(primary.port());
            pc.call("DEBUG", "POPULATE", "300", "master", "10000");
            rc.call("DEBUG", "POPULATE", "200", "replica", "10");
            rc.call("SET", "mykey", "myvalue");
            seen.add(rc.call("CONFIG", "SET", "repl-diskless-load", "swapdb"));
            // redis-server serves clients between every 1024 bytes it loads (10 KB values: every key), not every 2 MB.
            seen.add(rc.call("CONFIG", "SET", "loading-process-events-interval-bytes", "1024"));
            pc.call("CONFIG", "SET", "rdb-key-save-delay", "10000");
            seen.add(rc.call("REPLICAOF", "127.0.0.1", port));
            awaitInfo(rc, "persistence", "loading:1");
            seen.add(field(info(rc, "persistence"), "async_loading") + " " + rc.call("GET", "mykey"));
            // Cut off: the old data stays.
            pc.call("CONFIG", "SET", "repl-diskless-sync-delay", "5");
            pc.call("CLIENT", "KILL", "TYPE", "replica");
            awaitInfo(rc, "persistence", "loading:0");
            seen.add(rc.call("GET", "mykey") + rc.call("DBSIZE"));
            pc.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            pc.call("CONFIG", "SET", "repl-diskless-sync-delay", "0");
            awaitInfo(rc, "replication", "master_link_status:up");
            seen.add(rc.call("GET", "mykey") + rc.call("DBSIZE"));
            assertEquals(pc.call("DEBUG", "DIGEST"), rc.call("DEBUG", "DIGEST"));
            // The same history: a full resync forced by overrunning the backlog, the old data served meanwhile.
            seen.add(rc.call("CONFIG", "SET", "replica-read-only", "no"));
            seen.add(rc.call("SET", "mykey", "myvalue"));
            RawClient tx = new RawClient(replicaPort);
            seen.add(tx.call("MULTI") + tx.call("BGSAVE")); // queued before the load, run during it
            pc.call("MULTI");
            pc.call("CLIENT", "KILL", "TYPE", "replica");
            pc.call("CONFIG", "SET", "repl-backlog-size", "16384");
            for (int i = 0; i < 10; i++) {
                pc.call("SET", "fill:" + i, "A".repeat(16384));
            }
            pc.call("CONFIG", "SET", "rdb-key-save-delay", "10000");
            pc.call("EXEC");
            awaitInfo(rc, "persistence", "async_loading:1");
            seen.add(field(info(rc, "persistence"), "loading") + " " + rc.call("GET", "mykey") + rc.call("DBSIZE"));
            seen.add(rc.call("CONFIG", "SET", "appendonly", "no"));
            seen.add(rc.call("REPLICAOF", "NO", "ONE"));
            seen.add(tx.call("EXEC"));
            tx.close();
            seen.add(rc.call("SET", "during", "load"));
            pc.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            awaitInfo(rc, "replication", "master_link_status:up");
            seen.add(rc.call("GET", "mykey") + rc.call("GET", "during") + rc.call("DBSIZE"));
            assertEquals(pc.call("DEBUG", "DIGEST"), rc.call("DEBUG", "DIGEST"));
            seen.add(field(info(rc, "persistence"), "async_loading") + " " + field(info(rc, "persistence"), "loading"));
        }
        return seen;
    }

    private static void awaitInfo(RawClient c, String section, String line) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        String info = info(c, section);
        while (!info.contains("\n" + line + "\r\n")) {
            assertTrue(System.currentTimeMillis() < deadline, "no " + line + " in\n" + info);
            Thread.sleep(20);
            info = info(c, section);
        }
    }

    /**
     * A replica configured as the Helm chart configures its replica pods: QUOKKA_REPLICAOF naming
     * the primary by host name, QUOKKA_MASTERAUTH the password the primary requires. Not ready
     * until its link is up; then it has the data.
     */
    @Test
    void replicaConfiguredFromTheEnvironmentAsTheChartDoes() throws Exception {
        Path base = Files.createTempDirectory("quokka-chart-style");
        int primaryPort = RedisServerProcess.freePort();
        QuokkaProcess primary = QuokkaProcess.launch(Files.createDirectories(base.resolve("primary")),
            java.util.Map.of("QUOKKA_REQUIREPASS", "s3cret"), "--port", Integer.toString(primaryPort));
        QuokkaProcess replica = null;
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (true) { // PING answers -NOAUTH: wait for AUTH instead
                try (RawClient c = new RawClient(primaryPort)) {
                    if (c.call("AUTH", "s3cret").equals("+OK\r\n")) {
                        break;
                    }
                } catch (java.io.IOException e) {
                    assertTrue(System.currentTimeMillis() < deadline, "the primary did not start:\n" + primary.log());
                }
                Thread.sleep(50);
            }
            try (RawClient pc = new RawClient(primaryPort)) {
                assertEquals("+OK\r\n", pc.call("AUTH", "s3cret"));
                assertEquals("+OK\r\n", pc.call("SET", "k", "v"));
                int replicaPort = RedisServerProcess.freePort();
                replica = QuokkaProcess.launch(Files.createDirectories(base.resolve("replica")),
                    java.util.Map.of("QUOKKA_REPLICAOF", "localhost " + primaryPort, "QUOKKA_MASTERAUTH", "s3cret"),
                    "--port", Integer.toString(replicaPort));
                replica.awaitPing();
                try (RawClient rc = new RawClient(replicaPort)) {
                    awaitInSync(pc, rc);
                    assertEquals("$1\r\nv\r\n", rc.call("GET", "k"));
                    // A partial resync continues in the database the stream had selected (no SELECT is resent).
                    pc.call("SELECT", "5");
                    pc.call("SET", "in5", "a");
                    awaitInSync(pc, rc);
                    assertEquals(":1\r\n", pc.call("CLIENT", "KILL", "TYPE", "replica"));
                    pc.call("SET", "in5-after", "b");
                    awaitInSync(pc, rc);
                    assertEquals(1, field(info(pc, "stats"), "sync_partial_ok"));
                    rc.call("SELECT", "5");
                    assertEquals("$1\r\nb\r\n", rc.call("GET", "in5-after"));
                    rc.call("SELECT", "0");
                    assertEquals("$-1\r\n", rc.call("GET", "in5-after"));
                }
                var ready = replica.health("/q/health/ready");
                assertEquals(200, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("replica"), ready.body());
                // What the chart's alerts read (QuokkaReplicaLinkDown, QuokkaNoReplicas).
                String m = replica.health("/q/metrics").body();
                assertTrue(m.contains("\nquokka_replica 1.0\n"), m);
                assertTrue(m.contains("\nquokka_master_link_up 1.0\n"), m);
                assertTrue(m.contains("\nquokka_connected_replicas 0.0\n"), m);
                assertTrue(m.contains("\nquokka_replication_offset_bytes "), m);
                String pm = primary.health("/q/metrics").body();
                assertTrue(pm.contains("\nquokka_replica 0.0\n"), pm);
                assertTrue(pm.contains("\nquokka_connected_replicas 1.0\n"), pm);
            }
        } finally {
            primary.close();
            if (replica != null) {
                replica.close();
            }
        }
    }
}
