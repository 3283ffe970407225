package dev.quokka.command.stream;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.StreamGroup;
import dev.quokka.keyspace.StreamId;
import dev.quokka.keyspace.StreamValue;
import dev.quokka.persistence.Effects;
import dev.quokka.protocol.Numbers;
import dev.quokka.protocol.RespWriter;

import java.util.Arrays;
import java.util.List;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * The stream commands without consumer groups, and XREAD/XREADGROUP (Redis's {@code t_stream.c}):
 * a stream is a {@link StreamValue} changed in place; unlike the other collections it stays when
 * it becomes empty. The group commands are in {@link GroupCommands}, XINFO in {@link StreamInfo}.
 */
public final class StreamCommands {
    /** XREAD's COUNT when a blocked client is served and none was given (XREAD_BLOCKED_DEFAULT_COUNT). */
    private static final long BLOCKED_DEFAULT_COUNT = 1000;

    private StreamCommands() {
    }

    /** Declares the stream commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("xadd", -5, StreamCommands::xadd).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Appends a new entry to a stream")
            .complexity("O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.")
            .tips("nondeterministic_output")
            .keySpec("UPDATE instead of INSERT because of the optional trimming feature", "RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("nomkstream", "pure-token").token("NOMKSTREAM").since("6.2.0").optional(),
                arg("trim", "block").optional().of(
                    arg("strategy", "oneof").of(
                        arg("maxlen", "pure-token").token("MAXLEN"),
                        arg("minid", "pure-token").token("MINID").since("6.2.0")),
                    arg("operator", "oneof").optional().of(
                        arg("equal", "pure-token").token("="),
                        arg("approximately", "pure-token").token("~")),
                    arg("threshold", "string"),
                    arg("count", "integer").token("LIMIT").since("6.2.0").optional()),
                arg("id_or_auto", "oneof").of(
                    arg("auto_id", "pure-token").token("*"),
                    arg("id", "string")),
                arg("field_value", "block").multiple().of(
                    arg("field", "string"),
                    arg("value", "string")))
            .history("6.2.0", "Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option.")
            .history("7.0.0", "Added support for the `<ms>-*` explicit ID form.");
        t.add("xlen", 2, StreamCommands::xlen).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Return the number of entries in a stream")
            .complexity("O(1)")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        t.add("xrange", -4, StreamCommands::xrange).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Return a range of elements in a stream, with IDs matching the specified IDs interval")
            .complexity("O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("start", "string"),
                arg("end", "string"),
                arg("count", "integer").token("COUNT").optional())
            .history("6.2.0", "Added exclusive ranges.");
        t.add("xrevrange", -4, StreamCommands::xrevrange).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE")
            .complexity("O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("end", "string"),
                arg("start", "string"),
                arg("count", "integer").token("COUNT").optional())
            .history("6.2.0", "Added exclusive ranges.");
        t.add("xdel", -3, StreamCommands::xdel).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.")
            .complexity("O(1) for each single item to delete in the stream, regardless of the stream size.")
            .keySpec("RW delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("id", "string").multiple());
        t.add("xtrim", -4, StreamCommands::xtrim).flags(Flag.WRITE).keys(1, 1, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Trims the stream to (approximately if '~' is passed) a certain size")
            .complexity("O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.")
            .tips("nondeterministic_output")
            .keySpec("RW delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("trim", "block").of(
                    arg("strategy", "oneof").of(
                        arg("maxlen", "pure-token").token("MAXLEN"),
                        arg("minid", "pure-token").token("MINID").since("6.2.0")),
                    arg("operator", "oneof").optional().of(
                        arg("equal", "pure-token").token("="),
                        arg("approximately", "pure-token").token("~")),
                    arg("threshold", "string"),
                    arg("count", "integer").token("LIMIT").since("6.2.0").optional()))
            .history("6.2.0", "Added the `MINID` trimming strategy and the `LIMIT` option.");
        t.add("xread", -4, StreamCommands::xread).flags(Flag.READONLY, Flag.BLOCKING).keyFinder(StreamCommands::streamKeys).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.")
            .complexity("For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.")
            .keySpec("RO access", KeySpec.keyword("STREAMS", 1), KeySpec.range(-1, 1, 2))
            .args(arg("count", "integer").token("COUNT").optional(),
                arg("milliseconds", "integer").token("BLOCK").optional(),
                arg("streams", "block").token("STREAMS").of(
                    arg("key", "key").keySpec(0).multiple(),
                    arg("id", "string").multiple()));
        CommandSpec xgroup = t.add("xgroup", -2, null)
            .doc("stream", "5.0.0", "A container for consumer groups commands")
            .complexity("Depends on subcommand.");
        xgroup.sub("create", -5, GroupCommands::create).flags(Flag.WRITE, Flag.DENYOOM).keys(2, 2, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Create a consumer group.")
            .complexity("O(1)")
            .keySpec("RW insert", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("groupname", "string"),
                arg("id", "oneof").of(
                    arg("id", "string"),
                    arg("new_id", "pure-token").token("$")),
                arg("mkstream", "pure-token").token("MKSTREAM").optional(),
                arg("entries_read", "integer").token("ENTRIESREAD").optional())
            .history("7.0.0", "Added the `entries_read` named argument.");
        xgroup.sub("createconsumer", 5, GroupCommands::createConsumer).flags(Flag.WRITE, Flag.DENYOOM).keys(2, 2, 1).acl(Acl.STREAM)
            .doc("stream", "6.2.0", "Create a consumer in a consumer group.")
            .complexity("O(1)")
            .keySpec("RW insert", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("groupname", "string"),
                arg("consumername", "string"));
        xgroup.sub("delconsumer", 5, GroupCommands::delConsumer).flags(Flag.WRITE).keys(2, 2, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Delete a consumer from a consumer group.")
            .complexity("O(1)")
            .keySpec("RW delete", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("groupname", "string"),
                arg("consumername", "string"));
        xgroup.sub("destroy", 4, GroupCommands::destroy).flags(Flag.WRITE).keys(2, 2, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Destroy a consumer group.")
            .complexity("O(N) where N is the number of entries in the group's pending entries list (PEL).")
            .keySpec("RW delete", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("groupname", "string"));
        xgroup.sub("help", 2, GroupCommands::help).flags(Flag.LOADING, Flag.STALE).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Show helpful text about the different subcommands")
            .complexity("O(1)");
        xgroup.sub("setid", -5, GroupCommands::setId).flags(Flag.WRITE).keys(2, 2, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Set a consumer group to an arbitrary last delivered ID value.")
            .complexity("O(1)")
            .keySpec("RW update", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("groupname", "string"),
                arg("id", "oneof").of(
                    arg("id", "string"),
                    arg("new_id", "pure-token").token("$")),
                arg("entries_read", "integer").token("ENTRIESREAD").optional())
            .history("7.0.0", "Added the optional `entries_read` argument.");
        t.add("xreadgroup", -7, StreamCommands::xreadgroup).flags(Flag.WRITE, Flag.BLOCKING).keyFinder(StreamCommands::streamKeys).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.")
            .complexity("For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.")
            .keySpec("RO access", KeySpec.keyword("STREAMS", 4), KeySpec.range(-1, 1, 2))
            .args(arg("group_consumer", "block").token("GROUP").of(
                    arg("group", "string"),
                    arg("consumer", "string")),
                arg("count", "integer").token("COUNT").optional(),
                arg("milliseconds", "integer").token("BLOCK").optional(),
                arg("noack", "pure-token").token("NOACK").optional(),
                arg("streams", "block").token("STREAMS").of(
                    arg("key", "key").keySpec(0).multiple(),
                    arg("id", "string").multiple()));
        t.add("xack", -4, GroupCommands::xack).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.")
            .complexity("O(1) for each message ID processed.")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("group", "string"),
                arg("id", "string").multiple());
        t.add("xpending", -3, GroupCommands::xpending).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.")
            .complexity("O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.")
            .tips("nondeterministic_output")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("group", "string"),
                arg("filters", "block").optional().of(
                    arg("min-idle-time", "integer").token("IDLE").since("6.2.0").optional(),
                    arg("start", "string"),
                    arg("end", "string"),
                    arg("count", "integer"),
                    arg("consumer", "string").optional()))
            .history("6.2.0", "Added the `IDLE` option and exclusive range intervals.");
        t.add("xclaim", -6, GroupCommands::xclaim).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.")
            .complexity("O(log N) with N being the number of messages in the PEL of the consumer group.")
            .tips("nondeterministic_output")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("group", "string"),
                arg("consumer", "string"),
                arg("min-idle-time", "string"),
                arg("id", "string").multiple(),
                arg("ms", "integer").token("IDLE").optional(),
                arg("unix-time-milliseconds", "unix-time").token("TIME").optional(),
                arg("count", "integer").token("RETRYCOUNT").optional(),
                arg("force", "pure-token").token("FORCE").optional(),
                arg("justid", "pure-token").token("JUSTID").optional(),
                arg("id", "string").token("LASTID").optional());
        t.add("xautoclaim", -6, GroupCommands::xautoclaim).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.STREAM)
            .doc("stream", "6.2.0", "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.")
            .complexity("O(1) if COUNT is small.")
            .tips("nondeterministic_output")
            .keySpec("RW delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("group", "string"),
                arg("consumer", "string"),
                arg("min-idle-time", "string"),
                arg("start", "string"),
                arg("count", "integer").token("COUNT").optional(),
                arg("justid", "pure-token").token("JUSTID").optional())
            .history("7.0.0", "Added an element to the reply array, containing deleted entries the command cleared from the PEL");
        CommandSpec xinfo = t.add("xinfo", -2, null)
            .doc("stream", "5.0.0", "A container for stream introspection commands")
            .complexity("Depends on subcommand.");
        xinfo.sub("consumers", 4, StreamInfo::consumers).flags(Flag.READONLY).keys(2, 2, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "List the consumers in a consumer group")
            .complexity("O(1)")
            .tips("nondeterministic_output")
            .keySpec("RO access", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("groupname", "string"));
        xinfo.sub("groups", 3, StreamInfo::groups).flags(Flag.READONLY).keys(2, 2, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "List the consumer groups of a stream")
            .complexity("O(1)")
            .keySpec("RO access", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0))
            .history("7.0.0", "Added the `entries-read` and `lag` fields");
        xinfo.sub("help", 2, StreamInfo::help).flags(Flag.LOADING, Flag.STALE).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Show helpful text about the different subcommands")
            .complexity("O(1)");
        xinfo.sub("stream", -3, StreamInfo::stream).flags(Flag.READONLY).keys(2, 2, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "Get information about a stream")
            .complexity("O(1)")
            .keySpec("RO access", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("full", "block").token("FULL").optional().of(
                    arg("count", "integer").token("COUNT").optional()))
            .history("6.0.0", "Added the `FULL` modifier.")
            .history("7.0.0", "Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields");
        t.add("xsetid", -3, StreamCommands::xsetid).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.STREAM)
            .doc("stream", "5.0.0", "An internal command for replicating stream values")
            .complexity("O(1)")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("last-id", "string"),
                arg("entries_added", "integer").token("ENTRIESADDED").since("7.0.0").optional(),
                arg("max_deleted_entry_id", "string").token("MAXDELETEDID").since("7.0.0").optional())
            .history("7.0.0", "Added the `entries_added` and `max_deleted_entry_id` arguments.");
    }

    /** XREAD's and XREADGROUP's keys: the first half of the arguments after STREAMS (xreadGetKeys). */
    static void streamKeys(byte[][] argv, int argc, List<Integer> out) {
        for (int i = 1; i < argc; i++) {
            if (new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1).equalsIgnoreCase("STREAMS")) {
                int n = argc - i - 1;
                if (n % 2 != 0) {
                    return;
                }
                for (int k = 0; k < n / 2; k++) {
                    out.add(i + 1 + k);
                }
                return;
            }
        }
    }

    // ---------------------------------------------------------------- shared

    /** The stream at {@code argv[1]} looked up for writing; null when missing; WRONGTYPE for another type. */
    static StreamValue writable(CommandContext c, byte[] key) {
        Entry e = c.keyspace().write(c.db(), key);
        if (e == null) {
            return null;
        }
        if (!(e.value() instanceof StreamValue s)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return s;
    }

    /** The stream at {@code key} looked up for reading (hits and misses counted); null when missing. */
    static StreamValue readable(CommandContext c, byte[] key) {
        Entry e = c.keyspace().read(c.db(), key);
        if (e == null) {
            return null;
        }
        if (!(e.value() instanceof StreamValue s)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return s;
    }

    /** One entry as Redis replies it: {@code [id, [field, value, ...]]}. */
    static void writeEntry(RespWriter r, StreamValue.Cursor cur) {
        r.array(2);
        r.bulk(StreamId.bytes(cur.ms, cur.seq));
        int n = cur.fieldCount();
        r.array(2 * n);
        byte[] values = cur.valueArray();
        for (int i = 0; i < n; i++) {
            r.bulk(cur.fieldArray(i), cur.fieldFrom(i), cur.fieldTo(i));
            r.bulk(values, cur.valueFrom(i), cur.valueTo(i));
        }
    }

    /** The entries from {@code start} to {@code end}, at most {@code count} (0: all), as an array. */
    static void replyRange(RespWriter r, StreamValue s, StreamId start, StreamId end, long count, boolean reverse) {
        r.array((int) s.count(start, end, count));
        StreamValue.Cursor cur = s.cursor(start, end, reverse);
        long n = 0;
        while ((count == 0 || n < count) && cur.next()) {
            writeEntry(r, cur);
            n++;
        }
    }

    // ---------------------------------------------------------------- XADD, XTRIM

    /** XADD's and XTRIM's options (streamAddTrimArgs). */
    static final class TrimArgs {
        int idPos;
        boolean idGiven;
        boolean seqGiven = true;
        StreamId id;
        boolean noMkStream;
        /** 0 none, 1 MAXLEN, 2 MINID. */
        int strategy;
        int strategyArg;
        boolean approx;
        long limit;
        long maxlen;
        StreamId minid;
    }

    /** streamParseAddOrTrimArgsOrReply. */
    private static TrimArgs trimArgs(CommandContext c, boolean xadd) {
        TrimArgs a = new TrimArgs();
        boolean limitGiven = false;
        int i = 2;
        for (; i < c.argc; i++) {
            int more = c.argc - 1 - i;
            if (xadd && c.argIs(i, "*")) {
                break;
            } else if (c.argIs(i, "MAXLEN") && more > 0) {
                if (a.strategy != 0) {
                    throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                a.approx = false;
                if (more >= 2 && c.argIs(i + 1, "~")) {
                    a.approx = true;
                    i++;
                } else if (more >= 2 && c.argIs(i + 1, "=")) {
                    i++;
                }
                a.maxlen = Args.longArg(c, i + 1);
                if (a.maxlen < 0) {
                    throw new CommandError("ERR The MAXLEN argument must be >= 0.");
                }
                i++;
                a.strategy = 1;
                a.strategyArg = i;
            } else if (c.argIs(i, "MINID") && more > 0) {
                if (a.strategy != 0) {
                    throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                a.approx = false;
                if (more >= 2 && c.argIs(i + 1, "~")) {
                    a.approx = true;
                    i++;
                } else if (more >= 2 && c.argIs(i + 1, "=")) {
                    i++;
                }
                a.minid = StreamIds.arg(c, i + 1, 0, true);
                i++;
                a.strategy = 2;
                a.strategyArg = i;
            } else if (c.argIs(i, "LIMIT") && more > 0) {
                a.limit = Args.longArg(c, i + 1);
                if (a.limit < 0) {
                    throw new CommandError("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && c.argIs(i, "NOMKSTREAM")) {
                a.noMkStream = true;
            } else if (xadd) {
                boolean[] seqGiven = new boolean[1];
                a.id = StreamIds.parse(c.argv[i], 0, true, seqGiven);
                if (a.id == null) {
                    throw new CommandError(StreamIds.INVALID);
                }
                a.seqGiven = seqGiven[0];
                a.idGiven = true;
                break;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        a.idPos = i;
        if (a.limit != 0 && a.strategy == 0) {
            throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && a.strategy == 0) {
            throw new CommandError("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (c.keyspace().loading()) {
            a.limit = 0; // replayed as recorded: the trimming was made exact when it was propagated
        } else if (limitGiven) {
            if (!a.approx) {
                throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else if (a.approx) {
            long maxEntries = c.keyspace().streamNodeMaxEntries;
            a.limit = 100 * maxEntries;
            if (a.limit <= 0) {
                a.limit = 10000;
            }
            if (a.limit > 1000000) {
                a.limit = 1000000;
            }
        } else {
            a.limit = 0;
        }
        return a;
    }

    private static long trim(StreamValue s, TrimArgs a) {
        if (a.strategy == 0) {
            return 0;
        }
        return s.trim(a.maxlen, a.strategy == 2 ? a.minid : null, a.approx, a.limit);
    }

    /**
     * An approximate trim is recorded exactly ({@code MAXLEN = length}, {@code MINID = first id}),
     * so that replay trims what this run trimmed (streamRewriteTrimArgument).
     */
    private static void exactTrim(byte[][] effect, StreamValue s, TrimArgs a) {
        effect[a.strategyArg - 1] = EQUALS;
        if (a.strategy == 1) {
            effect[a.strategyArg] = Numbers.toBytes(s.length());
        } else {
            StreamId first = s.firstNodeId();
            effect[a.strategyArg] = first.bytes();
        }
    }

    private static final byte[] EQUALS = Effects.ascii("=");

    /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
    public static void xadd(CommandContext c) {
        TrimArgs a = trimArgs(c, true);
        int fieldPos = a.idPos + 1;
        if (c.argc - fieldPos < 2 || (c.argc - fieldPos) % 2 == 1) {
            throw new CommandError("ERR wrong number of arguments for 'xadd' command");
        }
        if (a.idGiven && a.seqGiven && a.id.isZero()) {
            throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
        }
        Keyspace ks = c.keyspace();
        byte[] key = c.argv[1];
        StreamValue s = writable(c, key);
        if (s == null) {
            if (a.noMkStream) {
                c.reply.nullBulk();
                return;
            }
            s = new StreamValue();
            ks.add(c.db(), key, s);
        }
        StreamId last = s.lastId();
        if (last.equals(StreamId.MAX)) {
            throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        long ms;
        long seq;
        boolean valid = true;
        if (a.idGiven) {
            if (a.seqGiven) {
                ms = a.id.ms();
                seq = a.id.seq();
            } else if (last.ms() == a.id.ms()) {
                ms = last.ms();
                seq = last.seq() + 1;
                valid = last.seq() != -1L;
            } else {
                ms = a.id.ms();
                seq = 0;
            }
        } else {
            long now = System.currentTimeMillis();
            if (Long.compareUnsigned(now, last.ms()) > 0) {
                ms = now;
                seq = 0;
            } else {
                StreamId next = last.next();
                ms = next.ms();
                seq = next.seq();
            }
        }
        if (!valid) {
            // Redis's streamAppendItem fails here without setting errno; 7.0.15 reports the size error
            throw new CommandError("ERR Elements are too large to be stored");
        }
        if (StreamId.compare(ms, seq, last.ms(), last.seq()) <= 0) {
            throw new CommandError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        }
        long total = 0;
        for (int i = fieldPos; i < c.argc; i++) {
            total += c.argv[i].length;
        }
        if (total > StreamValue.LISTPACK_MAX) {
            throw new CommandError("ERR Elements are too large to be stored");
        }
        s.append(ms, seq, c.argv, fieldPos, (c.argc - fieldPos) / 2, ks.streamNodeMaxBytes, ks.streamNodeMaxEntries);
        byte[] id = StreamId.bytes(ms, seq);
        c.reply.bulk(id);
        ks.notify(KeyspaceEvents.STREAM, "xadd", key, c.db().id());
        byte[][] effect = null;
        if (a.strategy != 0) {
            if (trim(s, a) > 0) {
                ks.notify(KeyspaceEvents.STREAM, "xtrim", key, c.db().id());
            }
            if (a.approx && c.propagating()) {
                effect = Arrays.copyOf(c.argv, c.argc);
                exactTrim(effect, s, a);
            }
        }
        if ((!a.idGiven || !a.seqGiven) && c.propagating()) {
            if (effect == null) {
                effect = Arrays.copyOf(c.argv, c.argc);
            }
            effect[a.idPos] = id;
        }
        c.propagateAs = effect;
    }

    /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
    public static void xtrim(CommandContext c) {
        TrimArgs a = trimArgs(c, false);
        StreamValue s = writable(c, c.argv[1]);
        if (s == null) {
            c.reply.integer(0);
            return;
        }
        long deleted = trim(s, a);
        if (deleted > 0) {
            c.keyspace().notify(KeyspaceEvents.STREAM, "xtrim", c.argv[1], c.db().id());
            if (a.approx) {
                byte[][] effect = Arrays.copyOf(c.argv, c.argc);
                exactTrim(effect, s, a);
                c.propagateAs = effect;
            }
        }
        c.reply.integer(deleted);
    }

    // ---------------------------------------------------------------- XLEN, XRANGE, XDEL, XSETID

    /** XLEN key */
    public static void xlen(CommandContext c) {
        StreamValue s = readable(c, c.argv[1]);
        c.reply.integer(s == null ? 0 : s.length());
    }

    /** XRANGE key start end [COUNT count] */
    public static void xrange(CommandContext c) {
        range(c, false);
    }

    /** XREVRANGE key end start [COUNT count] */
    public static void xrevrange(CommandContext c) {
        range(c, true);
    }

    private static void range(CommandContext c, boolean reverse) {
        StreamId start = StreamIds.interval(c, reverse ? 3 : 2, true);
        StreamId end = StreamIds.interval(c, reverse ? 2 : 3, false);
        long count = -1;
        for (int j = 4; j < c.argc; j++) {
            if (c.argIs(j, "COUNT") && c.argc - j - 1 >= 1) {
                count = Math.max(0, Args.longArg(c, j + 1));
                j++;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        StreamValue s = readable(c, c.argv[1]);
        if (s == null) {
            c.reply.emptyArray();
            return;
        }
        if (count == 0) {
            c.reply.nullArray();
            return;
        }
        replyRange(c.reply, s, start, end, count < 0 ? 0 : count, reverse);
    }

    /** XDEL key id [id ...] */
    public static void xdel(CommandContext c) {
        StreamValue s = writable(c, c.argv[1]);
        if (s == null) {
            c.reply.integer(0);
            return;
        }
        StreamId[] ids = new StreamId[c.argc - 2];
        for (int j = 2; j < c.argc; j++) {
            ids[j - 2] = StreamIds.arg(c, j, 0, true);
        }
        long deleted = 0;
        for (StreamId id : ids) {
            if (s.delete(id)) {
                deleted++;
            }
        }
        if (deleted > 0) {
            c.keyspace().notify(KeyspaceEvents.STREAM, "xdel", c.argv[1], c.db().id());
        }
        c.reply.integer(deleted);
    }

    /** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
    public static void xsetid(CommandContext c) {
        StreamId id = StreamIds.arg(c, 2, 0, true);
        long added = -1;
        StreamId maxDeleted = StreamId.MIN;
        for (int i = 3; i < c.argc; i += 2) {
            boolean more = c.argc - 1 - i > 0;
            if (c.argIs(i, "ENTRIESADDED") && more) {
                added = Args.longArg(c, i + 1);
                if (added < 0) {
                    throw new CommandError("ERR entries_added must be positive");
                }
            } else if (c.argIs(i, "MAXDELETEDID") && more) {
                maxDeleted = StreamIds.arg(c, i + 1, 0, true);
                if (id.compareTo(maxDeleted) < 0) {
                    throw new CommandError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        StreamValue s = writable(c, c.argv[1]);
        if (s == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        if (s.length() > 0) {
            if (id.compareTo(s.lastEntryId()) < 0) {
                throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (added != -1 && s.length() > added) {
                throw new CommandError("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.setLastId(id, added, maxDeleted);
        c.reply.ok();
        c.keyspace().notify(KeyspaceEvents.STREAM, "xsetid", c.argv[1], c.db().id());
    }

    // ---------------------------------------------------------------- XREAD, XREADGROUP

    /** XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] */
    public static void xread(CommandContext c) {
        read(c, false);
    }

    /** XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...] */
    public static void xreadgroup(CommandContext c) {
        read(c, true);
    }

    private static void read(CommandContext c, boolean xreadgroup) {
        long timeout = -1;
        long count = 0;
        int streamsArg = 0;
        int n = 0;
        boolean noack = false;
        byte[] groupName = null;
        int groupAt = 0;
        byte[] consumerName = null;
        for (int i = 1; i < c.argc; i++) {
            int more = c.argc - i - 1;
            if (c.argIs(i, "BLOCK") && more > 0) {
                if (c.scriptClient) {
                    throw new CommandError("ERR " + c.quoted(0) + " command is not allowed with BLOCK option from scripts");
                }
                i++;
                timeout = Args.longArg(c, i, "ERR timeout is not an integer or out of range");
                if (timeout < 0) {
                    throw new CommandError("ERR timeout is negative");
                }
            } else if (c.argIs(i, "COUNT") && more > 0) {
                i++;
                count = Math.max(0, Args.longArg(c, i));
            } else if (c.argIs(i, "STREAMS") && more > 0) {
                streamsArg = i + 1;
                n = c.argc - streamsArg;
                if (n % 2 != 0) {
                    throw new CommandError("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
                }
                n /= 2;
                break;
            } else if (c.argIs(i, "GROUP") && more >= 2) {
                if (!xreadgroup) {
                    throw new CommandError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                groupAt = i + 1;
                groupName = c.argv[groupAt];
                consumerName = c.argv[i + 2];
                i += 2;
            } else if (c.argIs(i, "NOACK")) {
                if (!xreadgroup) {
                    throw new CommandError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noack = true;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (streamsArg == 0) {
            throw new CommandError(Errors.SYNTAX);
        }
        if (xreadgroup && groupName == null) {
            throw new CommandError("ERR Missing GROUP option for XREADGROUP");
        }
        if (xreadgroup) {
            c.propagateAs = Effects.NOTHING; // its effects are the XCLAIMs and XGROUPs it records below
        }
        boolean rerun = c.client.servingBlocked();
        if (rerun && count == 0) {
            count = BLOCKED_DEFAULT_COUNT;
        }
        StreamValue[] streams = new StreamValue[n];
        StreamGroup[] groups = new StreamGroup[n];
        StreamId[] ids = new StreamId[n];
        for (int i = 0; i < n; i++) {
            byte[] key = c.argv[streamsArg + i];
            int idArg = streamsArg + n + i;
            // A woken client is served without counting a hit or miss, as Redis serves it (NOSTATS).
            Entry e = rerun ? c.keyspace().peek(c.db(), key) : c.keyspace().read(c.db(), key);
            if (xreadgroup && e != null && e.value() instanceof StreamValue) {
                e = c.keyspace().write(c.db(), key); // its groups change in place
            }
            if (e != null && !(e.value() instanceof StreamValue)) {
                if (!rerun) {
                    throw new CommandError(Errors.WRONGTYPE);
                }
                if (groupName != null) {
                    throw new CommandError("UNBLOCKED the stream key no longer exists");
                }
                e = null; // a key that stopped being a stream serves no one blocked on it
            }
            StreamValue s = e == null ? null : (StreamValue) e.value();
            streams[i] = s;
            if (groupName != null) {
                if (rerun && s == null) {
                    throw new CommandError("UNBLOCKED the stream key no longer exists");
                }
                groups[i] = s == null ? null : s.group(groupName);
                if (groups[i] == null) {
                    throw new CommandError(rerun ? "NOGROUP the consumer group this client was blocked on no longer exists"
                        : "NOGROUP No such key '" + c.quoted(streamsArg + i) + "' or consumer group '"
                        + c.quoted(groupAt) + "' in XREADGROUP with GROUP option");
                }
            }
            if (c.argIs(idArg, "$")) {
                if (xreadgroup) {
                    throw new CommandError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
                        + "history of this consumer by specifying a proper ID, or use the > ID to get new messages. "
                        + "The $ ID would just return an empty result set.");
                }
                ids[i] = s != null ? s.lastId() : StreamId.MIN;
            } else if (c.argIs(idArg, ">")) {
                if (!xreadgroup) {
                    throw new CommandError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
                        + "<group> <consumer> option.");
                }
                ids[i] = StreamId.MAX;
            } else {
                ids[i] = StreamIds.arg(c, idArg, 0, true);
            }
        }
        // Which streams can be served now, and from where.
        StreamId[] from = new StreamId[n];
        boolean[] history = new boolean[n];
        int served = 0;
        for (int i = 0; i < n; i++) {
            StreamValue s = streams[i];
            if (s == null) {
                continue;
            }
            StreamId gt = ids[i];
            if (groups[i] != null) {
                if (!gt.equals(StreamId.MAX)) {
                    history[i] = true;
                    from[i] = gt;
                } else if (s.length() > 0 && s.lastEntryId().compareTo(groups[i].lastId) > 0) {
                    from[i] = groups[i].lastId;
                }
            } else if (s.length() > 0 && s.lastEntryId().compareTo(gt) > 0) {
                from[i] = gt;
            }
            if (from[i] != null) {
                served++;
            }
        }
        if (served > 0) {
            if (c.reply.resp() == 2) {
                c.reply.array(served);
            } else {
                c.reply.map(served);
            }
            for (int i = 0; i < n; i++) {
                if (from[i] == null) {
                    continue;
                }
                byte[] key = c.argv[streamsArg + i];
                if (c.reply.resp() == 2) {
                    c.reply.array(2);
                }
                c.reply.bulk(key);
                StreamId start = from[i].next();
                if (start == null) {
                    start = StreamId.MIN; // streamIncrID past the last id wraps to 0-0
                }
                if (groups[i] == null) {
                    replyRange(c.reply, streams[i], start, StreamId.MAX, count, false);
                    continue;
                }
                GroupRead read = new GroupRead(c, key, streams[i], groupName, groups[i], noack);
                read.consumer(consumerName);
                if (history[i]) {
                    read.history(start, count);
                } else {
                    read.deliver(start, count);
                }
                c.keyspace().changed();
            }
            return;
        }
        if (timeout != -1) {
            byte[][] keys = Arrays.copyOfRange(c.argv, streamsArg, streamsArg + n);
            // The client waits for entries after the ids it saw: "$" is recorded as the last id now.
            byte[][] request = c.argv;
            c.argv = Arrays.copyOf(request, c.argc);
            for (int i = 0; i < n; i++) {
                if (!ids[i].equals(StreamId.MAX)) {
                    c.argv[streamsArg + n + i] = ids[i].bytes();
                }
            }
            boolean blocked = c.blockEach(keys, timeout);
            c.argv = request;
            if (blocked) {
                return;
            }
        }
        c.reply.nullArray();
    }
}
