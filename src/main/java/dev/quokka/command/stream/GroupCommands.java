package dev.quokka.command.stream;

import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.Errors;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.StreamGroup;
import dev.quokka.keyspace.StreamId;
import dev.quokka.keyspace.StreamValue;
import dev.quokka.persistence.Effects;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The consumer group commands (Redis's {@code t_stream.c}): XGROUP's subcommands, XACK, XPENDING,
 * XCLAIM and XAUTOCLAIM. Claims are recorded as Redis propagates them (XCLAIM ... FORCE JUSTID
 * LASTID, XGROUP SETID), not as the requests that caused them.
 */
public final class GroupCommands {
    private GroupCommands() {
    }

    /** The stream at {@code key}, looked up as a read (Redis's lookupKeyRead: hits counted) that may change it. */
    static StreamValue forUpdate(CommandContext c, byte[] key) {
        if (StreamCommands.readable(c, key) == null) {
            return null;
        }
        return StreamCommands.writable(c, key);
    }

    // ---------------------------------------------------------------- XGROUP

    /** What XGROUP's subcommands share: options after the id, the key, the group (xgroupCommand's preamble). */
    private static final class Target {
        StreamValue stream;
        StreamGroup group;
        boolean mkstream;
        long entriesRead = StreamGroup.UNKNOWN;
    }

    private static Target target(CommandContext c, boolean create, boolean setid, boolean groupRequired) {
        Target t = new Target();
        for (int i = 5; i < c.argc; ) {
            if (create && c.argIs(i, "MKSTREAM")) {
                t.mkstream = true;
                i++;
            } else if ((create || setid) && c.argIs(i, "ENTRIESREAD") && i + 1 < c.argc) {
                t.entriesRead = Args.longArg(c, i + 1);
                if (t.entriesRead < 0 && t.entriesRead != StreamGroup.UNKNOWN) {
                    throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
                }
                i += 2;
            } else {
                throw new CommandError(Errors.subcommandSyntax(c));
            }
        }
        t.stream = StreamCommands.writable(c, c.argv[2]);
        if (!t.mkstream) {
            if (t.stream == null) {
                throw new CommandError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you "
                    + "may want to use the MKSTREAM option to create an empty stream automatically.");
            }
            t.group = t.stream.group(c.argv[3]);
            if (t.group == null && groupRequired) {
                throw new CommandError("NOGROUP No such consumer group '" + c.quoted(3) + "' for key name '"
                    + c.quoted(2) + "'");
            }
        }
        return t;
    }

    /** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read] */
    public static void create(CommandContext c) {
        Target t = target(c, true, false, false);
        if (c.argc > 8) {
            throw new CommandError(Errors.subcommandSyntax(c));
        }
        StreamId id;
        if (c.argIs(4, "$")) {
            id = t.stream != null ? t.stream.lastId() : StreamId.MIN;
        } else {
            id = StreamIds.arg(c, 4, 0, true);
        }
        Keyspace ks = c.keyspace();
        if (t.stream == null) {
            t.stream = new StreamValue();
            ks.add(c.db(), c.argv[2], t.stream);
            ks.modified(c.db(), c.argv[2]);
        }
        if (t.stream.createGroup(c.argv[3], id, t.entriesRead) == null) {
            throw new CommandError("BUSYGROUP Consumer Group name already exists");
        }
        c.reply.ok();
        ks.notify(KeyspaceEvents.STREAM, "xgroup-create", c.argv[2], c.db().id());
    }

    /** XGROUP SETID key group id|$ [ENTRIESREAD entries-read] */
    public static void setId(CommandContext c) {
        Target t = target(c, false, true, true);
        if (c.argc != 5 && c.argc != 7) {
            throw new CommandError(Errors.subcommandSyntax(c));
        }
        StreamId id;
        if (c.argIs(4, "$")) {
            id = t.stream.lastId();
        } else {
            id = StreamIds.arg(c, 4, 0, false);
        }
        t.group.lastId = id;
        t.group.entriesRead = t.entriesRead;
        c.reply.ok();
        c.keyspace().notify(KeyspaceEvents.STREAM, "xgroup-setid", c.argv[2], c.db().id());
    }

    /** XGROUP DESTROY key group */
    public static void destroy(CommandContext c) {
        Target t = target(c, false, false, false);
        if (t.group == null) {
            c.reply.integer(0);
            return;
        }
        t.stream.destroyGroup(c.argv[3]);
        c.reply.integer(1);
        // the event also wakes the clients blocked in XREADGROUP on this group, with NOGROUP
        c.keyspace().notify(KeyspaceEvents.STREAM, "xgroup-destroy", c.argv[2], c.db().id());
    }

    /** XGROUP CREATECONSUMER key group consumer */
    public static void createConsumer(CommandContext c) {
        Target t = target(c, false, false, true);
        c.reply.integer(GroupRead.createConsumer(c, c.argv[2], t.group, c.argv[4]) != null ? 1 : 0);
    }

    /** XGROUP DELCONSUMER key group consumer */
    public static void delConsumer(CommandContext c) {
        Target t = target(c, false, false, true);
        StreamGroup.Consumer consumer = t.group.consumer(c.argv[4], -1);
        long pending = 0;
        if (consumer != null) {
            pending = t.group.deleteConsumer(consumer);
            c.keyspace().notify(KeyspaceEvents.STREAM, "xgroup-delconsumer", c.argv[2], c.db().id());
        }
        c.reply.integer(pending);
    }

    /** XGROUP HELP */
    public static void help(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group. Options are:",
            "    * MKSTREAM",
            "      Create the empty stream if it does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Set the group's entries_read counter (internal use).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.",
        });
    }

    /** XPENDING's, XCLAIM's and XAUTOCLAIM's error for a missing key or group. */
    private static CommandError noGroup(CommandContext c) {
        return new CommandError("NOGROUP No such key '" + c.quoted(1) + "' or consumer group '" + c.quoted(2) + "'");
    }

    // ---------------------------------------------------------------- XACK, XPENDING

    /** XACK key group id [id ...] */
    public static void xack(CommandContext c) {
        StreamValue s = forUpdate(c, c.argv[1]);
        StreamGroup group = s == null ? null : s.group(c.argv[2]);
        if (group == null) {
            c.reply.integer(0);
            return;
        }
        StreamId[] ids = new StreamId[c.argc - 3];
        for (int j = 3; j < c.argc; j++) {
            ids[j - 3] = StreamIds.arg(c, j, 0, true);
        }
        long acked = 0;
        for (StreamId id : ids) {
            if (group.ack(id)) {
                acked++;
                c.keyspace().changed();
            }
        }
        c.reply.integer(acked);
    }

    /** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
    public static void xpending(CommandContext c) {
        boolean summary = c.argc == 3;
        if (c.argc != 3 && (c.argc < 6 || c.argc > 9)) {
            throw new CommandError(Errors.SYNTAX);
        }
        long minIdle = 0;
        long count = 0;
        StreamId start = null;
        StreamId end = null;
        byte[] consumerName = null;
        if (c.argc >= 6) {
            int at = 3;
            if (c.argIs(3, "IDLE")) {
                minIdle = Args.longArg(c, 4);
                if (c.argc < 8) {
                    throw new CommandError(Errors.SYNTAX);
                }
                at += 2;
            }
            count = Math.max(0, Args.longArg(c, at + 2));
            start = StreamIds.interval(c, at, true);
            end = StreamIds.interval(c, at + 1, false);
            if (at + 3 < c.argc) {
                consumerName = c.argv[at + 3];
            }
        }
        StreamValue s = StreamCommands.readable(c, c.argv[1]);
        StreamGroup group = s == null ? null : s.group(c.argv[2]);
        if (group == null) {
            throw noGroup(c);
        }
        if (summary) {
            c.reply.array(4);
            c.reply.integer(group.pel().size());
            if (group.pel().isEmpty()) {
                c.reply.nullBulk();
                c.reply.nullBulk();
                c.reply.nullArray();
                return;
            }
            c.reply.bulk(group.pel().firstKey().bytes());
            c.reply.bulk(group.pel().lastKey().bytes());
            int owners = 0;
            for (StreamGroup.Consumer consumer : group.consumers().values()) {
                if (!consumer.pel().isEmpty()) {
                    owners++;
                }
            }
            c.reply.array(owners);
            for (StreamGroup.Consumer consumer : group.consumers().values()) {
                if (!consumer.pel().isEmpty()) {
                    c.reply.array(2);
                    c.reply.bulk(consumer.name);
                    c.reply.bulkLong(consumer.pel().size());
                }
            }
            return;
        }
        java.util.TreeMap<StreamId, StreamGroup.Pending> pel = group.pel();
        if (consumerName != null) {
            StreamGroup.Consumer consumer = group.consumer(consumerName, -1);
            if (consumer == null) {
                c.reply.emptyArray();
                return;
            }
            pel = consumer.pel();
        }
        long now = c.keyspace().now();
        List<StreamGroup.Pending> out = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (StreamGroup.Pending p : pel.subMap(start, true, end, true).values()) {
                if (out.size() >= count) {
                    break;
                }
                if (minIdle != 0 && now - p.deliveryTime < minIdle) {
                    continue;
                }
                out.add(p);
            }
        }
        c.reply.array(out.size());
        for (StreamGroup.Pending p : out) {
            c.reply.array(4);
            c.reply.bulk(p.id.bytes());
            c.reply.bulk(p.consumer().name);
            c.reply.integer(Math.max(0, now - p.deliveryTime));
            c.reply.integer(p.deliveryCount);
        }
    }

    // ---------------------------------------------------------------- XCLAIM, XAUTOCLAIM

    /**
     * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds]
     * [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
     */
    public static void xclaim(CommandContext c) {
        StreamValue s = forUpdate(c, c.argv[1]);
        StreamGroup group = s == null ? null : s.group(c.argv[2]);
        if (group == null) {
            throw noGroup(c);
        }
        long minIdle = Math.max(0, Args.longArg(c, 4, "ERR Invalid min-idle-time argument for XCLAIM"));
        int j = 5;
        List<StreamId> ids = new ArrayList<>();
        for (; j < c.argc; j++) {
            StreamId id = StreamIds.parse(c.argv[j], 0, true, null);
            if (id == null) {
                break;
            }
            ids.add(id);
        }
        int lastIdArg = j - 1;
        long now = c.keyspace().now();
        long deliveryTime = -1;
        long retryCount = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < c.argc; j++) {
            boolean more = c.argc - 1 - j > 0;
            if (c.argIs(j, "FORCE")) {
                force = true;
            } else if (c.argIs(j, "JUSTID")) {
                justId = true;
            } else if (c.argIs(j, "IDLE") && more) {
                j++;
                deliveryTime = now - Args.longArg(c, j, "ERR Invalid IDLE option argument for XCLAIM");
            } else if (c.argIs(j, "TIME") && more) {
                j++;
                deliveryTime = Args.longArg(c, j, "ERR Invalid TIME option argument for XCLAIM");
            } else if (c.argIs(j, "RETRYCOUNT") && more) {
                j++;
                retryCount = Args.longArg(c, j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (c.argIs(j, "LASTID") && more) {
                j++;
                lastId = StreamIds.arg(c, j, 0, true);
            } else {
                throw new CommandError("ERR Unrecognized XCLAIM option '" + c.quoted(j) + "'");
            }
        }
        Keyspace ks = c.keyspace();
        c.propagateAs = Effects.NOTHING;
        boolean propagateLastId = false;
        if (lastId.compareTo(group.lastId) > 0) {
            group.lastId = lastId;
            propagateLastId = true;
        }
        if (deliveryTime != -1) {
            if (deliveryTime < 0 || deliveryTime > now) {
                deliveryTime = now;
            }
        } else {
            deliveryTime = now;
        }
        StreamGroup.Consumer consumer = null;
        List<StreamId> claimed = new ArrayList<>();
        for (int k = 5; k <= lastIdArg; k++) {
            StreamId id = ids.get(k - 5);
            StreamGroup.Pending p = group.pel().get(id);
            if (!s.exists(id)) {
                if (p != null) {
                    GroupRead.propagateClaim(c, c.argv[1], c.argv[2], group, c.argv[k], p);
                    propagateLastId = false;
                    ks.changed();
                    group.ack(id);
                }
                continue;
            }
            if (force && p == null) {
                p = group.createUnowned(id);
            }
            if (p == null) {
                continue;
            }
            if (p.consumer() != null && minIdle != 0 && now - p.deliveryTime < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumer = group.consumer(c.argv[3], now);
                if (consumer == null) {
                    consumer = GroupRead.createConsumer(c, c.argv[1], group, c.argv[3]);
                }
            }
            p.deliveryTime = deliveryTime;
            if (retryCount >= 0) {
                p.deliveryCount = retryCount;
            } else if (!justId) {
                p.deliveryCount++;
            }
            group.assign(p, consumer);
            claimed.add(id);
            GroupRead.propagateClaim(c, c.argv[1], c.argv[2], group, c.argv[k], p);
            propagateLastId = false;
            ks.changed();
        }
        if (propagateLastId) {
            GroupRead.propagateGroupId(c, c.argv[1], c.argv[2], group);
            ks.changed();
        }
        replyClaimed(c, s, claimed, justId);
    }

    /** Claimed entries: their ids (JUSTID) or the entries themselves. */
    private static void replyClaimed(CommandContext c, StreamValue s, List<StreamId> claimed, boolean justId) {
        c.reply.array(claimed.size());
        for (StreamId id : claimed) {
            if (justId) {
                c.reply.bulk(id.bytes());
            } else {
                StreamValue.Cursor cur = s.cursor(id, id, false);
                cur.next();
                StreamCommands.writeEntry(c.reply, cur);
            }
        }
    }

    /** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
    public static void xautoclaim(CommandContext c) {
        long minIdle = Math.max(0, Args.longArg(c, 4, "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamId start = StreamIds.interval(c, 5, true);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < c.argc; j++) {
            boolean more = c.argc - 1 - j > 0;
            if (c.argIs(j, "COUNT") && more) {
                count = Args.longArg(c, j + 1, "ERR COUNT must be > 0");
                if (count < 1 || count > Long.MAX_VALUE / 16) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                j++;
            } else if (c.argIs(j, "JUSTID")) {
                justId = true;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        StreamValue s = forUpdate(c, c.argv[1]);
        StreamGroup group = s == null ? null : s.group(c.argv[2]);
        if (group == null) {
            throw noGroup(c);
        }
        if (count * 16 > physicalMemory()) {
            // Redis allocates count ids for the deleted-ids reply up front and reports when it cannot
            throw new CommandError("ERR Insufficient memory, failed allocating transient memory, COUNT too high.");
        }
        Keyspace ks = c.keyspace();
        c.propagateAs = Effects.NOTHING;
        long now = ks.now();
        long attempts = count * 10;
        StreamGroup.Consumer consumer = null;
        List<StreamId> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        Iterator<StreamGroup.Pending> it = group.pel().tailMap(start, true).values().iterator();
        StreamId next = StreamId.MIN;
        while (true) {
            if (attempts-- == 0 || count == 0) {
                break;
            }
            if (!it.hasNext()) {
                break;
            }
            StreamGroup.Pending p = it.next();
            if (!s.exists(p.id)) {
                GroupRead.propagateClaim(c, c.argv[1], c.argv[2], group, p.id.bytes(), p);
                ks.changed();
                it.remove();
                group.disown(p);
                deleted.add(p.id);
                count--;
                continue;
            }
            if (minIdle != 0 && now - p.deliveryTime < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumer = group.consumer(c.argv[3], now);
                if (consumer == null) {
                    consumer = GroupRead.createConsumer(c, c.argv[1], group, c.argv[3]);
                }
            }
            group.assign(p, consumer);
            p.deliveryTime = now;
            if (!justId) {
                p.deliveryCount++;
            }
            claimed.add(p.id);
            count--;
            GroupRead.propagateClaim(c, c.argv[1], c.argv[2], group, p.id.bytes(), p);
            ks.changed();
        }
        if (it.hasNext()) {
            next = it.next().id;
        }
        c.reply.array(3);
        c.reply.bulk(next.bytes());
        replyClaimed(c, s, claimed, justId);
        c.reply.array(deleted.size());
        for (StreamId id : deleted) {
            c.reply.bulk(id.bytes());
        }
    }

    private static long physicalMemory() {
        try {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        } catch (RuntimeException | LinkageError e) {
            return Long.MAX_VALUE;
        }
    }
}
