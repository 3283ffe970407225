package dev.quokka.command.stream;

import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.Errors;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.keyspace.StreamGroup;
import dev.quokka.keyspace.StreamId;
import dev.quokka.keyspace.StreamValue;

import java.util.Map;

/** XINFO STREAM, GROUPS, CONSUMERS and HELP (Redis's xinfoCommand), maps in RESP3 and flat arrays in RESP2. */
public final class StreamInfo {
    private StreamInfo() {
    }

    private static StreamValue existing(CommandContext c) {
        StreamValue s = StreamCommands.readable(c, c.argv[2]);
        if (s == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        return s;
    }

    /** XINFO HELP */
    public static void help(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.",
        });
    }

    /** XINFO CONSUMERS key group */
    public static void consumers(CommandContext c) {
        StreamValue s = existing(c);
        StreamGroup g = s.group(c.argv[3]);
        if (g == null) {
            throw new CommandError("NOGROUP No such consumer group '" + c.quoted(3) + "' for key name '" + c.quoted(2) + "'");
        }
        long now = c.keyspace().now();
        c.reply.array(g.consumers().size());
        for (StreamGroup.Consumer consumer : g.consumers().values()) {
            c.reply.map(3);
            c.reply.bulk("name");
            c.reply.bulk(consumer.name);
            c.reply.bulk("pending");
            c.reply.integer(consumer.pel().size());
            c.reply.bulk("idle");
            c.reply.integer(Math.max(0, now - consumer.seenTime));
        }
    }

    /** XINFO GROUPS key */
    public static void groups(CommandContext c) {
        StreamValue s = existing(c);
        if (s.groups() == null) {
            c.reply.emptyArray();
            return;
        }
        c.reply.array(s.groups().size());
        for (Map.Entry<byte[], StreamGroup> e : s.groups().entrySet()) {
            StreamGroup g = e.getValue();
            c.reply.map(6);
            c.reply.bulk("name");
            c.reply.bulk(e.getKey());
            c.reply.bulk("consumers");
            c.reply.integer(g.consumers().size());
            c.reply.bulk("pending");
            c.reply.integer(g.pel().size());
            c.reply.bulk("last-delivered-id");
            c.reply.bulk(g.lastId.bytes());
            entriesReadAndLag(c, s, g);
        }
    }

    private static void entriesReadAndLag(CommandContext c, StreamValue s, StreamGroup g) {
        c.reply.bulk("entries-read");
        if (g.entriesRead != StreamGroup.UNKNOWN) {
            c.reply.integer(g.entriesRead);
        } else {
            c.reply.nullBulk();
        }
        c.reply.bulk("lag");
        long lag = s.lag(g);
        if (lag >= 0) {
            c.reply.integer(lag);
        } else {
            c.reply.nullBulk();
        }
    }

    /** XINFO STREAM key [FULL [COUNT count]] */
    public static void stream(CommandContext c) {
        StreamValue s = existing(c);
        boolean full = c.argc > 3;
        long count = 10;
        if (full) {
            if (c.argc != 4 && c.argc != 6 || !c.argIs(3, "FULL")) {
                throw new CommandError(Errors.subcommandSyntax(c));
            }
            if (c.argc == 6) {
                if (!c.argIs(4, "COUNT")) {
                    throw new CommandError(Errors.subcommandSyntax(c));
                }
                count = Args.longArg(c, 5);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        c.reply.map(full ? 9 : 10);
        c.reply.bulk("length");
        c.reply.integer(s.length());
        c.reply.bulk("radix-tree-keys");
        c.reply.integer(s.nodes());
        c.reply.bulk("radix-tree-nodes");
        c.reply.integer(s.nodes() == 0 ? 1 : 2L * s.nodes());
        c.reply.bulk("last-generated-id");
        c.reply.bulk(s.lastId().bytes());
        c.reply.bulk("max-deleted-entry-id");
        c.reply.bulk(s.maxDeletedId().bytes());
        c.reply.bulk("entries-added");
        c.reply.integer(s.entriesAdded());
        c.reply.bulk("recorded-first-entry-id");
        c.reply.bulk(s.firstId().bytes());
        if (!full) {
            c.reply.bulk("groups");
            c.reply.integer(s.groupCount());
            c.reply.bulk("first-entry");
            edge(c, s, false);
            c.reply.bulk("last-entry");
            edge(c, s, true);
            return;
        }
        c.reply.bulk("entries");
        StreamCommands.replyRange(c.reply, s, StreamId.MIN, StreamId.MAX, count, false);
        c.reply.bulk("groups");
        if (s.groups() == null) {
            c.reply.emptyArray();
            return;
        }
        c.reply.array(s.groups().size());
        for (Map.Entry<byte[], StreamGroup> e : s.groups().entrySet()) {
            StreamGroup g = e.getValue();
            c.reply.map(7);
            c.reply.bulk("name");
            c.reply.bulk(e.getKey());
            c.reply.bulk("last-delivered-id");
            c.reply.bulk(g.lastId.bytes());
            entriesReadAndLag(c, s, g);
            c.reply.bulk("pel-count");
            c.reply.integer(g.pel().size());
            c.reply.bulk("pending");
            pending(c, g.pel(), count, true);
            c.reply.bulk("consumers");
            c.reply.array(g.consumers().size());
            for (StreamGroup.Consumer consumer : g.consumers().values()) {
                c.reply.map(4);
                c.reply.bulk("name");
                c.reply.bulk(consumer.name);
                c.reply.bulk("seen-time");
                c.reply.integer(consumer.seenTime);
                c.reply.bulk("pel-count");
                c.reply.integer(consumer.pel().size());
                c.reply.bulk("pending");
                pending(c, consumer.pel(), count, false);
            }
        }
    }

    /** A PEL's first {@code count} entries (0: all): id, owner (in a group's), delivery time and count. */
    private static void pending(CommandContext c, java.util.TreeMap<StreamId, StreamGroup.Pending> pel, long count,
                                boolean withOwner) {
        int n = count == 0 ? pel.size() : (int) Math.min(count, pel.size());
        c.reply.array(n);
        int k = 0;
        for (StreamGroup.Pending p : pel.values()) {
            if (k++ == n) {
                break;
            }
            c.reply.array(withOwner ? 4 : 3);
            c.reply.bulk(p.id.bytes());
            if (withOwner) {
                c.reply.bulk(p.consumer().name);
            }
            c.reply.integer(p.deliveryTime);
            c.reply.integer(p.deliveryCount);
        }
    }

    /** The first or last entry, or a null. */
    private static void edge(CommandContext c, StreamValue s, boolean last) {
        StreamValue.Cursor cur = s.cursor(StreamId.MIN, StreamId.MAX, last);
        if (cur.next()) {
            StreamCommands.writeEntry(c.reply, cur);
        } else {
            c.reply.nullBulk();
        }
    }
}
