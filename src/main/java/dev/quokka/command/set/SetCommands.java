package dev.quokka.command.set;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.command.Scan;
import dev.quokka.command.Values;
import dev.quokka.command.hash.HashCommands;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.SetValue;
import dev.quokka.persistence.Effects;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * The set group (Redis's {@code t_set.c}). A set is a {@link SetValue}: an intset (sorted longs)
 * while every member is an integer and there are at most {@code set-max-intset-entries}, then a
 * hashtable.
 */
public final class SetCommands {
    private SetCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("sadd", -3, SetCommands::sadd).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Add one or more members to a set")
            .keySpec("RW insert", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
            .args(arg("key", "key").keySpec(0),
                arg("member", "string").multiple())
            .history("2.4.0", "Accepts multiple `member` arguments.");
        t.add("srem", -3, SetCommands::srem).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Remove one or more members from a set")
            .keySpec("RW delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of members to be removed.")
            .args(arg("key", "key").keySpec(0),
                arg("member", "string").multiple())
            .history("2.4.0", "Accepts multiple `member` arguments.");
        t.add("smove", 4, SetCommands::smove).flags(Flag.WRITE, Flag.FAST).keys(1, 2, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Move a member from one set to another")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RW insert", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("source", "key").keySpec(0),
                arg("destination", "key").keySpec(1),
                arg("member", "string"));
        t.add("sismember", 3, SetCommands::sismember).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Determine if a given value is a member of a set")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("key", "key").keySpec(0),
                arg("member", "string"));
        t.add("smismember", -3, SetCommands::smismember).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.SET)
            .doc("set", "6.2.0", "Returns the membership associated with the given elements for a set")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of elements being checked for membership")
            .args(arg("key", "key").keySpec(0),
                arg("member", "string").multiple());
        t.add("scard", 2, SetCommands::scard).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Get the number of members in a set")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("key", "key").keySpec(0));
        t.add("smembers", 2, SetCommands::smembers).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Get all the members in a set").tips("nondeterministic_output_order")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the set cardinality.")
            .args(arg("key", "key").keySpec(0));
        t.add("spop", -2, SetCommands::spop).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Remove and return one or multiple random members from a set").tips("nondeterministic_output")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("Without the count argument O(1), otherwise O(N) where N is the value of the passed count.")
            .args(arg("key", "key").keySpec(0),
                arg("count", "integer").since("3.2.0").optional())
            .history("3.2.0", "Added the `count` argument.");
        t.add("srandmember", -2, SetCommands::srandmember).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Get one or multiple random members from a set").tips("nondeterministic_output")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.")
            .args(arg("key", "key").keySpec(0),
                arg("count", "integer").since("2.6.0").optional())
            .history("2.6.0", "Added the optional `count` argument.");
        t.add("sinter", -2, SetCommands::sinter).flags(Flag.READONLY).keys(1, -1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Intersect multiple sets").tips("nondeterministic_output_order")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(-1, 1, 0))
            .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
            .args(arg("key", "key").keySpec(0).multiple());
        t.add("sintercard", -3, SetCommands::sintercard).flags(Flag.READONLY).numkeys(1).acl(Acl.SET)
            .doc("set", "7.0.0", "Intersect multiple sets and return the cardinality of the result")
            .keySpec("RO access", KeySpec.index(1), KeySpec.keynum(0, 1, 1))
            .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
            .args(arg("numkeys", "integer"),
                arg("key", "key").keySpec(0).multiple(),
                arg("limit", "integer").token("LIMIT").optional());
        t.add("sinterstore", -3, SetCommands::sinterstore).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Intersect multiple sets and store the resulting set in a key")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RO access", KeySpec.index(2), KeySpec.range(-1, 1, 0))
            .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
            .args(arg("destination", "key").keySpec(0),
                arg("key", "key").keySpec(1).multiple());
        t.add("sunion", -2, SetCommands::sunion).flags(Flag.READONLY).keys(1, -1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Add multiple sets").tips("nondeterministic_output_order")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(-1, 1, 0))
            .complexity("O(N) where N is the total number of elements in all given sets.")
            .args(arg("key", "key").keySpec(0).multiple());
        t.add("sunionstore", -3, SetCommands::sunionstore).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Add multiple sets and store the resulting set in a key")
            .keySpec("OW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RO access", KeySpec.index(2), KeySpec.range(-1, 1, 0))
            .complexity("O(N) where N is the total number of elements in all given sets.")
            .args(arg("destination", "key").keySpec(0),
                arg("key", "key").keySpec(1).multiple());
        t.add("sdiff", -2, SetCommands::sdiff).flags(Flag.READONLY).keys(1, -1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Subtract multiple sets").tips("nondeterministic_output_order")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(-1, 1, 0))
            .complexity("O(N) where N is the total number of elements in all given sets.")
            .args(arg("key", "key").keySpec(0).multiple());
        t.add("sdiffstore", -3, SetCommands::sdiffstore).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 1).acl(Acl.SET)
            .doc("set", "1.0.0", "Subtract multiple sets and store the resulting set in a key")
            .keySpec("OW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RO access", KeySpec.index(2), KeySpec.range(-1, 1, 0))
            .complexity("O(N) where N is the total number of elements in all given sets.")
            .args(arg("destination", "key").keySpec(0),
                arg("key", "key").keySpec(1).multiple());
        t.add("sscan", -3, SetCommands::sscan).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.SET)
            .doc("set", "2.8.0", "Incrementally iterate Set elements").tips("nondeterministic_output")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..")
            .args(arg("key", "key").keySpec(0),
                arg("cursor", "integer"),
                arg("pattern", "pattern").token("MATCH").optional(),
                arg("count", "integer").token("COUNT").optional());
    }

    /** SADD key member [member ...] */
    public static void sadd(CommandContext c) {
        Keyspace ks = c.keyspace();
        Entry e = ks.write(c.db(), c.argv[1]);
        SetValue s;
        if (e == null) {
            s = new SetValue(c.argv[2]);
            ks.add(c.db(), c.argv[1], s);
        } else if ((s = Values.as(c, e, SetValue.class)) == null) {
            return;
        }
        int added = 0;
        for (int i = 2; i < c.argc; i++) {
            if (s.add(c.argv[i], ks.setMaxIntsetEntries)) {
                added++;
            }
        }
        if (added > 0) {
            ks.notify(KeyspaceEvents.SET, "sadd", c.argv[1], c.db().id());
        }
        c.reply.integer(added);
    }

    /** SREM key member [member ...] */
    public static void srem(CommandContext c) {
        Values.removeMembers(c, SetValue.class, KeyspaceEvents.SET, "srem", SetValue::remove);
    }

    /** SMOVE source destination member */
    public static void smove(CommandContext c) {
        Keyspace ks = c.keyspace();
        Database db = c.db();
        Entry se = ks.write(db, c.argv[1]);
        Entry de = ks.write(db, c.argv[2]);
        if (se == null) {
            // A missing source is answered before the destination's type is checked, as in Redis.
            c.reply.integer(0);
            return;
        }
        SetValue src = Values.as(c, se, SetValue.class);
        if (src == null || Values.wrongType(c, de, SetValue.class)) {
            return;
        }
        byte[] m = c.argv[3];
        if (se == de) {
            c.reply.integer(src.contains(m) ? 1 : 0);
            return;
        }
        if (!src.remove(m)) {
            c.reply.integer(0);
            return;
        }
        ks.notify(KeyspaceEvents.SET, "srem", c.argv[1], db.id());
        Values.dropIfEmpty(c, db, c.argv[1], src);
        SetValue dst;
        if (de == null) {
            dst = new SetValue(m);
            ks.add(db, c.argv[2], dst);
        } else {
            dst = (SetValue) de.value();
        }
        if (dst.add(m, ks.setMaxIntsetEntries)) {
            ks.notify(KeyspaceEvents.SET, "sadd", c.argv[2], db.id());
        }
        c.reply.integer(1);
    }

    /** SISMEMBER key member */
    public static void sismember(CommandContext c) {
        SetValue s = Values.read(c, c.argv[1], SetValue.class, () -> c.reply.integer(0));
        if (s != null) {
            c.reply.integer(s.contains(c.argv[2]) ? 1 : 0);
        }
    }

    /** SMISMEMBER key member [member ...] */
    public static void smismember(CommandContext c) {
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        SetValue s = null;
        if (e != null && (s = Values.as(c, e, SetValue.class)) == null) {
            return;
        }
        c.reply.array(c.argc - 2);
        for (int i = 2; i < c.argc; i++) {
            c.reply.integer(s != null && s.contains(c.argv[i]) ? 1 : 0);
        }
    }

    /** SCARD key */
    public static void scard(CommandContext c) {
        SetValue s = Values.read(c, c.argv[1], SetValue.class, () -> c.reply.integer(0));
        if (s != null) {
            c.reply.integer(s.size());
        }
    }

    /** SMEMBERS key: a set in RESP3. */
    public static void smembers(CommandContext c) {
        SetValue s = Values.read(c, c.argv[1], SetValue.class, () -> c.reply.set(0));
        if (s != null) {
            c.reply.set(s.size());
            s.forEach(c.reply::bulk);
        }
    }

    /** SPOP key [count]: persisted as SREM of the members it removed. */
    public static void spop(CommandContext c) {
        if (c.argc > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        long count = Args.popCount(c);
        Entry e = c.keyspace().write(c.db(), c.argv[1]);
        if (e == null) {
            if (count >= 0) {
                c.reply.set(0);
            } else {
                c.reply.nullBulk();
            }
            return;
        }
        SetValue s = Values.as(c, e, SetValue.class);
        if (s == null) {
            return;
        }
        if (count == 0) {
            c.reply.set(0);
            return;
        }
        byte[][] popped;
        if (count < 0) {
            popped = new byte[][] {s.random()};
        } else if (count >= s.size()) {
            popped = s.members();
        } else {
            byte[][] all = s.members();
            int[] picks = HashCommands.pick(count, all.length);
            popped = new byte[picks.length][];
            for (int i = 0; i < picks.length; i++) {
                popped[i] = all[picks[i]];
            }
        }
        for (byte[] m : popped) {
            s.remove(m);
        }
        if (count < 0) {
            c.reply.bulk(popped[0]);
        } else {
            c.reply.set(popped.length);
            for (byte[] m : popped) {
                c.reply.bulk(m);
            }
        }
        c.keyspace().notify(KeyspaceEvents.SET, "spop", c.argv[1], c.db().id());
        Values.dropIfEmpty(c, c.db(), c.argv[1], s);
        if (count >= 0 && s.size() == 0) {
            c.propagateAs = new byte[][] {Effects.DEL, c.argv[1]}; // the whole set, as Redis records it
            return;
        }
        byte[][] effect = new byte[popped.length + 2][];
        effect[0] = Effects.SREM;
        effect[1] = c.argv[1];
        System.arraycopy(popped, 0, effect, 2, popped.length);
        c.propagateAs = effect;
    }

    /** SRANDMEMBER key [count] */
    public static void srandmember(CommandContext c) {
        if (c.argc > 3) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        if (c.argc == 2) {
            SetValue s = Values.read(c, c.argv[1], SetValue.class, c.reply::nullBulk);
            if (s != null) {
                c.reply.bulk(s.random());
            }
            return;
        }
        long count = Args.randomCount(c, null);
        SetValue s = Values.read(c, c.argv[1], SetValue.class, c.reply::emptyArray);
        if (s == null) {
            return;
        }
        if (count < 0) {
            int k = (int) Math.min(-count, Integer.MAX_VALUE - 8);
            c.reply.array(k);
            for (int i = 0; i < k; i++) {
                c.reply.bulk(s.random());
            }
            return;
        }
        byte[][] all = s.members();
        int[] picks = HashCommands.pick(count, all.length);
        c.reply.array(picks.length);
        for (int i : picks) {
            c.reply.bulk(all[i]);
        }
    }

    // ---- algebra

    private static final int INTER = 0;
    private static final int UNION = 1;
    private static final int DIFF = 2;

    /**
     * The sets at {@code keys} (null for a missing key), or null after replying WRONGTYPE: every
     * key is type-checked before anything else happens.
     */
    private static SetValue[] sets(CommandContext c, byte[][] keys, boolean write) {
        SetValue[] out = new SetValue[keys.length];
        for (int i = 0; i < keys.length; i++) {
            Entry e = write ? c.keyspace().peek(c.db(), keys[i]) : c.keyspace().read(c.db(), keys[i]);
            if (e != null) {
                if (!(e.value() instanceof SetValue s)) {
                    c.reply.error(Errors.WRONGTYPE);
                    return null;
                }
                out[i] = s;
            }
        }
        return out;
    }

    /** The members of the combination, in the order Redis would produce them (close enough: any order is allowed). */
    private static List<byte[]> combine(SetValue[] sets, int op) {
        List<byte[]> out = new ArrayList<>();
        if (op == INTER) {
            for (SetValue s : sets) {
                if (s == null) {
                    return out;
                }
            }
            SetValue[] sorted = sets.clone();
            Arrays.sort(sorted, (a, b) -> Integer.compare(a.size(), b.size()));
            sorted[0].forEach(m -> {
                for (int i = 1; i < sorted.length; i++) {
                    if (sorted[i] != sorted[0] && !sorted[i].contains(m)) {
                        return;
                    }
                }
                out.add(m);
            });
            return out;
        }
        if (op == DIFF) {
            if (sets[0] == null) {
                return out;
            }
            sets[0].forEach(m -> {
                for (int i = 1; i < sets.length; i++) {
                    if (sets[i] != null && sets[i].contains(m)) {
                        return;
                    }
                }
                out.add(m);
            });
            return out;
        }
        SetValue acc = null;
        for (SetValue s : sets) {
            if (s == null) {
                continue;
            }
            if (acc == null) {
                acc = (SetValue) s.copy();
            } else {
                SetValue a = acc;
                s.forEach(m -> a.add(m, Long.MAX_VALUE));
            }
        }
        if (acc != null) {
            acc.forEach(out::add);
        }
        return out;
    }

    /** SINTER key [key ...] */
    public static void sinter(CommandContext c) {
        combined(c, INTER);
    }

    /** SUNION key [key ...] */
    public static void sunion(CommandContext c) {
        combined(c, UNION);
    }

    /** SDIFF key [key ...] */
    public static void sdiff(CommandContext c) {
        combined(c, DIFF);
    }

    /** SINTER, SUNION and SDIFF: the combination replied as a set. */
    private static void combined(CommandContext c, int op) {
        SetValue[] sets = sets(c, Arrays.copyOfRange(c.argv, 1, c.argc), false);
        if (sets == null) {
            return;
        }
        List<byte[]> members = combine(sets, op);
        c.reply.set(members.size());
        for (byte[] m : members) {
            c.reply.bulk(m);
        }
    }

    /** SINTERSTORE destination key [key ...] */
    public static void sinterstore(CommandContext c) {
        store(c, INTER, "sinterstore");
    }

    /** SUNIONSTORE destination key [key ...] */
    public static void sunionstore(CommandContext c) {
        store(c, UNION, "sunionstore");
    }

    /** SDIFFSTORE destination key [key ...] */
    public static void sdiffstore(CommandContext c) {
        store(c, DIFF, "sdiffstore");
    }

    private static void store(CommandContext c, int op, String event) {
        SetValue[] sets = sets(c, Arrays.copyOfRange(c.argv, 2, c.argc), true);
        if (sets == null) {
            return;
        }
        List<byte[]> members = combine(sets, op);
        SetValue out = null;
        if (!members.isEmpty()) {
            out = new SetValue(members.get(0));
            for (byte[] m : members) {
                out.add(m, c.keyspace().setMaxIntsetEntries);
            }
        }
        Values.store(c, c.argv[1], out, KeyspaceEvents.SET, event);
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit] */
    public static void sintercard(CommandContext c) {
        long numkeys = Args.longArg(c, 1, "ERR numkeys should be greater than 0");
        if (numkeys <= 0) {
            c.reply.error("ERR numkeys should be greater than 0");
            return;
        }
        if (numkeys > c.argc - 2) {
            c.reply.error("ERR Number of keys can't be greater than number of args");
            return;
        }
        long limit = Args.limitOption(c, 2 + (int) numkeys);
        SetValue[] sets = sets(c, Arrays.copyOfRange(c.argv, 2, 2 + (int) numkeys), false);
        if (sets == null) {
            return;
        }
        long n = combine(sets, INTER).size();
        c.reply.integer(limit > 0 ? Math.min(limit, n) : n);
    }

    /** SSCAN key cursor [MATCH pattern] [COUNT count] */
    public static void sscan(CommandContext c) {
        long cursor = Scan.parseCursor(c.argv[2]);
        SetValue s = Values.read(c, c.argv[1], SetValue.class, () -> Scan.emptyScan(c));
        if (s == null) {
            return;
        }
        Scan.scan(c, cursor, s.map(), 1, items -> s.forEach(items::add), (node, items) -> items.add(node.key()));
    }
}
