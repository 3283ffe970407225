package dev.quokka.command.admin;

import static dev.quokka.command.ArgumentDoc.arg;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Flag;
import dev.quokka.command.Server;
import dev.quokka.config.Settings;
import dev.quokka.protocol.Numbers;
import dev.quokka.replication.Failover;
import dev.quokka.replication.Primary;
import dev.quokka.replication.Upstream;
import dev.quokka.session.Blocking;
import dev.quokka.session.Client;
import org.jboss.logging.Logger;

/**
 * The replication commands, primary side (Redis's replication.c): SYNC and PSYNC turn a client
 * into a replica, REPLCONF carries its settings and acknowledgements, ROLE and WAIT report on it.
 */
public final class ReplicationCommands {
    private static final Logger LOG = Logger.getLogger(ReplicationCommands.class);

    private ReplicationCommands() {
    }

    public static void register(CommandTable t) {
        t.add("psync", -3, ReplicationCommands::psync)
            .flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.NO_MULTI)
            .doc("server", "2.8.0", "Internal command used for replication")
            .args(arg("replicationid", "string"), arg("offset", "integer"));
        t.add("sync", 1, ReplicationCommands::sync)
            .flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.NO_ASYNC_LOADING, Flag.NO_MULTI)
            .doc("server", "1.0.0", "Internal command used for replication");
        t.add("replconf", -1, ReplicationCommands::replconf)
            .flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.ALLOW_BUSY)
            .doc("server", "3.0.0", "An internal command for configuring the replication stream")
            .complexity("O(1)").syscmd();
        t.add("role", 1, ReplicationCommands::role).flags(Flag.NOSCRIPT, Flag.LOADING, Flag.STALE, Flag.FAST)
            .acl(Acl.ADMIN, Acl.DANGEROUS)
            .doc("server", "2.8.12", "Return the role of the instance in the context of replication")
            .complexity("O(1)");
        for (String name : new String[] {"replicaof", "slaveof"}) {
            CommandSpec s = t.add(name, 3, ReplicationCommands::replicaof)
                .flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.STALE, Flag.NO_ASYNC_LOADING)
                .doc("server", name.equals("slaveof") ? "1.0.0" : "5.0.0",
                    "Make the server a replica of another instance, or promote it as master.")
                .complexity("O(1)")
                .args(arg("args", "oneof").of(
                    arg("host-port", "block").of(arg("host", "string"), arg("port", "integer")),
                    arg("no-one", "block").of(arg("no", "pure-token").token("NO"), arg("one", "pure-token").token("ONE"))));
            if (name.equals("slaveof")) {
                s.deprecated("5.0.0", "`REPLICAOF`");
            }
        }
        t.add("failover", -1, ReplicationCommands::failover).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.STALE)
            .doc("server", "6.2.0", "Start a coordinated failover between this server and one of its replicas.")
            .complexity("O(1)")
            .args(arg("target", "block").token("TO").optional().of(arg("host", "string"), arg("port", "integer"),
                    arg("force", "pure-token").token("FORCE").optional()),
                arg("abort", "pure-token").token("ABORT").optional(),
                arg("milliseconds", "integer").token("TIMEOUT").optional());
        t.add("wait", 3, ReplicationCommands::waitReplicas).flags(Flag.NOSCRIPT).acl(Acl.CONNECTION)
            .doc("generic", "3.0.0", "Wait for the synchronous replication of all the write commands sent in the context "
                + "of the current connection")
            .complexity("O(1)")
            .tips("request_policy:all_shards", "response_policy:agg_min")
            .args(arg("numreplicas", "integer"),
                arg("timeout", "integer"));
    }

    /** SYNC: a full resynchronisation without the +FULLRESYNC line (pre-PSYNC replicas, redis-cli --rdb). */
    static void sync(CommandContext c) {
        startSync(c, null, 0);
    }

    /**
     * PSYNC replicationid offset [FAILOVER]: with FAILOVER, sent by our primary handing over to us
     * (its FAILOVER command), this replica first becomes the primary if the history is ours.
     */
    static void psync(CommandContext c) {
        if (c.client.replica()) {
            return;
        }
        if (!Numbers.isLong(c.argv[2])) {
            LOG.warnf("Replica %s asks for synchronization but with a wrong offset", c.client.addr());
            c.reply.error("ERR value is not an integer or out of range");
            return;
        }
        if (c.argc > 3 && c.argIs(3, "failover")) {
            LOG.warnf("Failover request received for replid %s.", c.arg(1));
            if (!c.server.upstream().replica()) {
                c.reply.error("ERR PSYNC FAILOVER can't be sent to a master.");
                return;
            }
            if (!c.arg(1).equalsIgnoreCase(c.server.primary().replId())) {
                c.reply.error("ERR PSYNC FAILOVER replid must match my replid.");
                return;
            }
            unsetPrimary(c.server);
            LOG.infof("MASTER MODE enabled (failover request from '%s')", c.client.addr());
        }
        startSync(c, c.arg(1), Numbers.parseLong(c.argv[2]));
    }

    private static void startSync(CommandContext c, String replId, long offset) {
        Client client = c.client;
        if (client.replica()) {
            return;
        }
        Upstream u = c.server.upstream();
        if (c.server.failover().state() != Failover.State.NONE) {
            c.reply.error("NOMASTERLINK Can't SYNC while failing over");
            return;
        }
        if (u.replica() && u.state() != Upstream.LinkState.CONNECTED) {
            c.reply.error("NOMASTERLINK Can't SYNC while not connected with my master");
            return;
        }
        Client.Connection conn = client.connection();
        if (conn == null) {
            return;
        }
        if (c.reply.mark() > 0 || conn.outputBytes() > 0) {
            c.reply.error("ERR SYNC and PSYNC are invalid with pending output");
            return;
        }
        Primary p = c.server.primary();
        Primary.Replica r = p.prepare(client);
        if (r.filtered() && !r.capaEof()) {
            c.reply.error("ERR Filtered replica requires EOF capability");
            return;
        }
        LOG.infof("Replica %s asks for synchronization", Primary.name(r));
        // From now on this client is sent the replication stream and no replies (Redis's CLIENT_SLAVE): a
        // command of it that replies is dropped with the link (the dispatcher).
        p.psync(client, replId, offset);
    }

    /**
     * REPLICAOF host port: follow that primary (the link is made in the background, the dataset
     * replaced by its full resync); REPLICAOF NO ONE: stop following and become a primary, keeping
     * the data and continuing the history (a replica of ours can continue from us).
     */
    static void replicaof(CommandContext c) {
        Upstream u = c.server.upstream();
        if (c.server.failover().state() != Failover.State.NONE) {
            c.reply.error("ERR REPLICAOF not allowed while failing over.");
            return;
        }
        if (c.argIs(1, "no") && c.argIs(2, "one")) {
            if (u.replica()) {
                unsetPrimary(c.server);
                LOG.infof("MASTER MODE enabled (user request from '%s')", c.client.addr());
            }
            c.reply.ok();
            return;
        }
        if (c.client.replica()) {
            c.reply.error("ERR Command is not valid when client is a replica.");
            return;
        }
        long port = Args.longArg(c, 2, "ERR Invalid master port");
        if (port < 0 || port > 65535) {
            c.reply.error("ERR Invalid master port");
            return;
        }
        String host = c.arg(1);
        if (u.replica() && u.host().equalsIgnoreCase(host) && u.port() == port) {
            LOG.info("REPLICAOF would result into synchronization with the master we are already connected with. "
                + "No operation performed.");
            c.reply.simple("OK Already connected to specified master");
            return;
        }
        follow(c.server, host, (int) port);
        LOG.infof("REPLICAOF %s:%d enabled (user request from '%s')", host, port, c.client.addr());
        c.reply.ok();
    }

    /** Becomes a replica of host:port (Redis's replicationSetMaster). */
    private static void follow(Server s, String host, int port) {
        // Clients blocked on keys would wait for writes that now come from the primary only.
        s.blocking().unblockAllWithError(java.util.List.of(s.clients().all().toArray(new Client[0])),
            "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)");
        s.upstream().follow(host, port);
        s.config().setInternally(Settings.REPLICAOF, host + " " + port); // CONFIG GET and CONFIG REWRITE say it
    }

    /** Stops following a primary and continues its history as one (Redis's replicationUnsetMaster). */
    private static void unsetPrimary(Server s) {
        s.config().setInternally(Settings.REPLICAOF, "");
        s.upstream().stop();
        s.primary().promote();
    }

    /**
     * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: writes pause, and once a replica (the
     * one named, else any) has acknowledged the whole stream, this server becomes its replica and
     * asks it to take over ({@link #updateFailover}, the link's PSYNC FAILOVER).
     */
    static void failover(CommandContext c) {
        Failover f = c.server.failover();
        if (c.argc == 2 && c.argIs(1, "abort")) {
            if (f.state() == Failover.State.NONE) {
                c.reply.error("ERR No failover in progress.");
                return;
            }
            abortFailover(c.server, "Failover manually aborted");
            c.reply.ok();
            return;
        }
        long timeout = 0;
        boolean force = false;
        long port = 0;
        String host = null;
        for (int j = 1; j < c.argc; j++) {
            if (c.argIs(j, "timeout") && j + 1 < c.argc && timeout == 0) {
                timeout = Args.longArg(c, j + 1);
                if (timeout <= 0) {
                    c.reply.error("ERR FAILOVER timeout must be greater than 0");
                    return;
                }
                j++;
            } else if (c.argIs(j, "to") && j + 2 < c.argc && host == null) {
                port = Args.longArg(c, j + 2);
                host = c.arg(j + 1);
                j += 2;
            } else if (c.argIs(j, "force") && !force) {
                force = true;
            } else {
                c.reply.error("ERR syntax error");
                return;
            }
        }
        if (f.state() != Failover.State.NONE) {
            c.reply.error("ERR FAILOVER already in progress.");
            return;
        }
        if (c.server.upstream().replica()) {
            c.reply.error("ERR FAILOVER is not valid when server is a replica.");
            return;
        }
        Primary p = c.server.primary();
        if (p.replicas().isEmpty()) {
            c.reply.error("ERR FAILOVER requires connected replicas.");
            return;
        }
        if (force && (timeout == 0 || host == null)) {
            c.reply.error("ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
            return;
        }
        if (host != null) {
            Primary.Replica r = p.find(host, (int) port);
            if (r == null) {
                c.reply.error("ERR FAILOVER target HOST and PORT is not a replica.");
                return;
            }
            if (!Primary.online(r)) {
                c.reply.error("ERR FAILOVER target replica is not online.");
                return;
            }
            LOG.infof("FAILOVER requested to %s:%d.", host, port);
        } else {
            LOG.info("FAILOVER requested to any replica.");
        }
        f.start(host, (int) port, timeout > 0 ? System.currentTimeMillis() + timeout : 0, force);
        c.server.blocking().failoverPause(true);
        c.reply.ok();
    }

    /**
     * FAILOVER's progress, after ACKs and on the replication tick (Redis's updateFailoverStatus):
     * when the target has caught up (or the wait ended with FORCE), follow it; when the wait ends
     * otherwise, give up.
     */
    public static void updateFailover(Server s) {
        Failover f = s.failover();
        if (f.state() != Failover.State.WAIT_FOR_SYNC) {
            return;
        }
        if (f.endMillis() != 0 && f.endMillis() <= System.currentTimeMillis()) {
            if (f.force()) {
                LOG.infof("FAILOVER to %s:%d time out exceeded, failing over.", f.host(), f.port());
                f.inProgress(f.host(), f.port());
                follow(s, f.host(), f.port());
            } else {
                abortFailover(s, "Replica never caught up before timeout");
            }
            return;
        }
        Primary p = s.primary();
        Primary.Replica r = f.host() != null ? p.find(f.host(), f.port()) : p.caughtUp();
        if (r != null && p.caughtUp(r)) {
            String host = f.host() != null ? f.host() : Primary.host(r);
            int port = f.host() != null ? f.port() : Primary.listeningPort(r);
            f.inProgress(host, port);
            LOG.infof("Failover target %s:%d is synced, failing over.", host, port);
            follow(s, host, port);
        }
    }

    /** FAILOVER given up: back to being the primary if it had started following the target. */
    public static void abortFailover(Server s, String why) {
        Failover f = s.failover();
        if (f.state() == Failover.State.NONE) {
            return;
        }
        if (f.host() != null) {
            LOG.infof("FAILOVER to %s:%d aborted: %s", f.host(), f.port(), why);
        } else {
            LOG.infof("FAILOVER to any replica aborted: %s", why);
        }
        if (f.state() == Failover.State.IN_PROGRESS) {
            unsetPrimary(s);
        }
        endFailover(s);
    }

    /** FAILOVER done (the target accepted our PSYNC) or aborted: writes resume (Redis's clearFailoverState). */
    public static void endFailover(Server s) {
        s.failover().clear();
        s.blocking().failoverPause(false);
    }

    /** REPLCONF option value [option value ...]. */
    static void replconf(CommandContext c) {
        if (c.argc % 2 == 0) {
            c.reply.error("ERR syntax error");
            return;
        }
        Primary p = c.server.primary();
        for (int j = 1; j < c.argc; j += 2) {
            if (c.argIs(j, "listening-port")) {
                long port = Args.longArg(c, j + 1);
                p.prepare(c.client).listeningPort((int) port);
            } else if (c.argIs(j, "ip-address")) {
                if (c.argv[j + 1].length >= 256) { // NET_HOST_STR_LEN: a host name, as Redis 7 allows
                    c.reply.error("ERR REPLCONF ip-address provided by replica instance is too long: "
                        + c.argv[j + 1].length + " bytes");
                    return;
                }
                p.prepare(c.client).ipAddress(c.arg(j + 1));
            } else if (c.argIs(j, "capa")) {
                p.prepare(c.client).capability(c.arg(j + 1));
            } else if (c.argIs(j, "ack")) {
                // A replica's offset; never answered.
                if (!c.client.replica()) {
                    return;
                }
                if (!Numbers.isLong(c.argv[j + 1])) {
                    return;
                }
                p.ack(c.client, Numbers.parseLong(c.argv[j + 1]));
                for (Client waiting : p.satisfiedWaiters()) {
                    c.server.blocking().unblock(waiting, Blocking.BlockEnd.TIMEOUT);
                }
                updateFailover(c.server);
                return;
            } else if (c.argIs(j, "getack")) {
                // Asked of a replica by its primary, in its stream: the replica acknowledges at once.
                if (c.client.master()) {
                    c.server.upstream().ackNow();
                }
                return;
            } else if (c.argIs(j, "rdb-only")) {
                long v = Args.longArg(c, j + 1);
                if (v < 0 || v > 1) {
                    c.reply.error("ERR value is out of range, value must between 0 and 1");
                    return;
                }
                p.prepare(c.client).rdbOnly(v == 1);
            } else if (c.argIs(j, "rdb-filter-only")) {
                // Include filters: the image has no keys, and the function libraries when "functions" is one of them.
                byte[] value = c.argv[j + 1];
                byte[][] filters = dev.quokka.protocol.InlineSplitter.split(value, 0, value.length);
                if (filters == null) {
                    c.reply.error("ERR Missing rdb-filter-only values");
                    return;
                }
                boolean functions = false;
                for (byte[] f : filters) {
                    String name = new String(f, java.nio.charset.StandardCharsets.UTF_8);
                    if (!name.equalsIgnoreCase("functions")) {
                        c.reply.error("ERR Unsupported rdb-filter-only option: " + name);
                        return;
                    }
                    functions = true;
                }
                p.prepare(c.client).rdbFilter(functions);
            } else {
                c.reply.error("ERR Unrecognized REPLCONF option: " + c.arg(j));
                return;
            }
        }
        c.reply.ok();
    }

    /** ROLE: master, the replication offset, and each replica's address, port and acknowledged offset. */
    static void role(CommandContext c) {
        Primary p = c.server.primary();
        Upstream u = c.server.upstream();
        if (u.replica()) {
            c.reply.array(5);
            c.reply.bulk("slave");
            c.reply.bulk(u.host());
            c.reply.integer(u.port());
            c.reply.bulk(u.state().role);
            c.reply.integer(u.state() == Upstream.LinkState.CONNECTED ? p.offset() : -1);
            return;
        }
        java.util.List<Primary.Replica> replicas = p.replicas();
        c.reply.array(3);
        c.reply.bulk("master");
        c.reply.integer(p.offset());
        c.reply.array(replicas.size());
        for (Primary.Replica r : replicas) {
            Primary.roleEntry(c.reply, r);
        }
    }

    /**
     * WAIT numreplicas timeout: the number of replicas that acknowledged this client's last write,
     * at once when enough have, else when enough have or the timeout (0: never) passes. Replicas are
     * asked for their offset at once (REPLCONF GETACK) rather than at their next second.
     */
    static void waitReplicas(CommandContext c) {
        long numReplicas = Args.longArg(c, 1);
        long timeout = Args.longArg(c, 2, "ERR timeout is not an integer or out of range");
        if (timeout < 0) {
            c.reply.error("ERR timeout is negative");
            return;
        }
        if (c.server.upstream().replica()) {
            c.reply.error("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a "
                + "replica is configured to be writable (which is not the default) writes to replicas are just local "
                + "and are not propagated.");
            return;
        }
        Primary p = c.server.primary();
        long target = c.client.writeOffset();
        int acked = p.acknowledged(target);
        if (acked >= numReplicas || c.client.denyBlocking()) {
            c.reply.integer(acked);
            return;
        }
        c.client.timeoutReply(r -> r.integer(p.acknowledged(target)));
        if (!c.block(new byte[0][], timeout)) {
            c.client.timeoutReply(null);
            c.reply.integer(acked);
            return;
        }
        p.await(c.client, target, numReplicas);
        p.requestAcks();
    }
}
