package dev.quokka.command.hash;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.command.Scan;
import dev.quokka.command.Values;
import dev.quokka.command.string.StringCommands;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.HashValue;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.persistence.Effects;
import dev.quokka.protocol.Numbers;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * The hash group (Redis's {@code t_hash.c}). A hash is a {@link HashValue}: a listpack (flat
 * array in insertion order) until {@code hash-max-listpack-entries} fields or a field or value
 * longer than {@code hash-max-listpack-value}, then a hashtable.
 */
public final class HashCommands {
    private HashCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("hset", -4, HashCommands::hset).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.0.0", "Set the string value of a hash field")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.")
            .args(arg("key", "key").keySpec(0),
                arg("field_value", "block").multiple().of(
                    arg("field", "string"),
                    arg("value", "string")))
            .history("4.0.0", "Accepts multiple `field` and `value` arguments.");
        t.add("hmset", -4, HashCommands::hmset).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.0.0", "Set multiple hash fields to multiple values")
            .deprecated("4.0.0", "`HSET` with multiple field-value pairs")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of fields being set.")
            .args(arg("key", "key").keySpec(0),
                arg("field_value", "block").multiple().of(
                    arg("field", "string"),
                    arg("value", "string")));
        t.add("hsetnx", 4, HashCommands::hsetnx).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.0.0", "Set the value of a hash field, only if the field does not exist")
            .keySpec("RW insert", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("key", "key").keySpec(0),
                arg("field", "string"),
                arg("value", "string"));
        t.add("hget", 3, HashCommands::hget).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.0.0", "Get the value of a hash field")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("key", "key").keySpec(0),
                arg("field", "string"));
        t.add("hmget", -3, HashCommands::hmget).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.0.0", "Get the values of all the given hash fields")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of fields being requested.")
            .args(arg("key", "key").keySpec(0),
                arg("field", "string").multiple());
        t.add("hdel", -3, HashCommands::hdel).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.0.0", "Delete one or more hash fields")
            .keySpec("RW delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of fields to be removed.")
            .args(arg("key", "key").keySpec(0),
                arg("field", "string").multiple())
            .history("2.4.0", "Accepts multiple `field` arguments.");
        t.add("hlen", 2, HashCommands::hlen).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.0.0", "Get the number of fields in a hash")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("key", "key").keySpec(0));
        t.add("hstrlen", 3, HashCommands::hstrlen).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "3.2.0", "Get the length of the value of a hash field")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("key", "key").keySpec(0),
                arg("field", "string"));
        t.add("hexists", 3, HashCommands::hexists).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.0.0", "Determine if a hash field exists")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("key", "key").keySpec(0),
                arg("field", "string"));
        t.add("hkeys", 2, HashCommands::hkeys).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.0.0", "Get all the fields in a hash").tips("nondeterministic_output_order")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the size of the hash.")
            .args(arg("key", "key").keySpec(0));
        t.add("hvals", 2, HashCommands::hvals).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.0.0", "Get all the values in a hash").tips("nondeterministic_output_order")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the size of the hash.")
            .args(arg("key", "key").keySpec(0));
        t.add("hgetall", 2, HashCommands::hgetall).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.0.0", "Get all the fields and values in a hash").tips("nondeterministic_output_order")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the size of the hash.")
            .args(arg("key", "key").keySpec(0));
        t.add("hincrby", 4, HashCommands::hincrby).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.0.0", "Increment the integer value of a hash field by the given number")
            .keySpec("RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("key", "key").keySpec(0),
                arg("field", "string"),
                arg("increment", "integer"));
        t.add("hincrbyfloat", 4, HashCommands::hincrbyfloat).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.6.0", "Increment the float value of a hash field by the given amount")
            .keySpec("RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("key", "key").keySpec(0),
                arg("field", "string"),
                arg("increment", "double"));
        t.add("hrandfield", -2, HashCommands::hrandfield).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "6.2.0", "Get one or multiple random fields from a hash").tips("nondeterministic_output")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of fields returned")
            .args(arg("key", "key").keySpec(0),
                arg("options", "block").optional().of(
                    arg("count", "integer"),
                    arg("withvalues", "pure-token").token("WITHVALUES").optional()));
        t.add("hscan", -3, HashCommands::hscan).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.HASH)
            .doc("hash", "2.8.0", "Incrementally iterate hash fields and associated values").tips("nondeterministic_output")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..")
            .args(arg("key", "key").keySpec(0),
                arg("cursor", "integer"),
                arg("pattern", "pattern").token("MATCH").optional(),
                arg("count", "integer").token("COUNT").optional());
    }

    /** The hash at {@code key} for writing, created when absent; null after replying WRONGTYPE. */
    private static HashValue writable(CommandContext c, byte[] key) {
        Keyspace ks = c.keyspace();
        Entry e = ks.write(c.db(), key);
        if (e == null) {
            HashValue h = new HashValue();
            ks.add(c.db(), key, h);
            return h;
        }
        return Values.as(c, e, HashValue.class);
    }

    private static boolean put(CommandContext c, HashValue h, byte[] f, byte[] v) {
        Keyspace ks = c.keyspace();
        return h.put(f, v, ks.hashMaxListpackEntries, ks.hashMaxListpackValue);
    }

    /** HSET key field value [field value ...] */
    public static void hset(CommandContext c) {
        set(c, false);
    }

    /** HMSET key field value [field value ...] */
    public static void hmset(CommandContext c) {
        set(c, true);
    }

    private static void set(CommandContext c, boolean ok) {
        if (c.argc % 2 == 1) {
            c.reply.error("ERR wrong number of arguments for '" + (ok ? "hmset" : "hset") + "' command");
            return;
        }
        HashValue h = writable(c, c.argv[1]);
        if (h == null) {
            return; // WRONGTYPE
        }
        int created = 0;
        for (int i = 2; i < c.argc; i += 2) {
            if (put(c, h, c.argv[i], c.argv[i + 1])) {
                created++;
            }
        }
        c.keyspace().notify(KeyspaceEvents.HASH, "hset", c.argv[1], c.db().id());
        if (ok) {
            c.reply.ok();
        } else {
            c.reply.integer(created);
        }
    }

    /** HSETNX key field value */
    public static void hsetnx(CommandContext c) {
        HashValue h = writable(c, c.argv[1]);
        if (h == null) {
            return; // WRONGTYPE
        }
        if (h.get(c.argv[2]) != null) {
            c.reply.integer(0);
            return;
        }
        put(c, h, c.argv[2], c.argv[3]);
        c.keyspace().notify(KeyspaceEvents.HASH, "hset", c.argv[1], c.db().id());
        c.reply.integer(1);
    }

    /** HGET key field */
    public static void hget(CommandContext c) {
        HashValue h = Values.read(c, c.argv[1], HashValue.class, c.reply::nullBulk);
        if (h != null) {
            byte[] v = h.get(c.argv[2]);
            if (v == null) {
                c.reply.nullBulk();
            } else {
                c.reply.bulk(v);
            }
        }
    }

    /** HMGET key field [field ...] */
    public static void hmget(CommandContext c) {
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        HashValue h = null;
        if (e != null && (h = Values.as(c, e, HashValue.class)) == null) {
            return;
        }
        c.reply.array(c.argc - 2);
        for (int i = 2; i < c.argc; i++) {
            byte[] v = h == null ? null : h.get(c.argv[i]);
            if (v == null) {
                c.reply.nullBulk();
            } else {
                c.reply.bulk(v);
            }
        }
    }

    /** HDEL key field [field ...] */
    public static void hdel(CommandContext c) {
        Values.removeMembers(c, HashValue.class, KeyspaceEvents.HASH, "hdel", HashValue::remove);
    }

    /** HLEN key */
    public static void hlen(CommandContext c) {
        HashValue h = Values.read(c, c.argv[1], HashValue.class, () -> c.reply.integer(0));
        if (h != null) {
            c.reply.integer(h.size());
        }
    }

    /** HSTRLEN key field */
    public static void hstrlen(CommandContext c) {
        HashValue h = Values.read(c, c.argv[1], HashValue.class, () -> c.reply.integer(0));
        if (h != null) {
            byte[] v = h.get(c.argv[2]);
            c.reply.integer(v == null ? 0 : v.length);
        }
    }

    /** HEXISTS key field */
    public static void hexists(CommandContext c) {
        HashValue h = Values.read(c, c.argv[1], HashValue.class, () -> c.reply.integer(0));
        if (h != null) {
            c.reply.integer(h.get(c.argv[2]) != null ? 1 : 0);
        }
    }

    /** HKEYS key */
    public static void hkeys(CommandContext c) {
        all(c, true, false);
    }

    /** HVALS key */
    public static void hvals(CommandContext c) {
        all(c, false, true);
    }

    /** HGETALL key: a map in RESP3. */
    public static void hgetall(CommandContext c) {
        all(c, true, true);
    }

    private static void all(CommandContext c, boolean fields, boolean values) {
        boolean map = fields && values;
        HashValue h = Values.read(c, c.argv[1], HashValue.class, () -> {
            if (map) {
                c.reply.map(0);
            } else {
                c.reply.emptyArray();
            }
        });
        if (h == null) {
            return;
        }
        if (map) {
            c.reply.map(h.size());
        } else {
            c.reply.array(h.size());
        }
        h.forEach((f, v) -> {
            if (fields) {
                c.reply.bulk(f);
            }
            if (values) {
                c.reply.bulk(v);
            }
        });
    }

    /** HINCRBY key field increment */
    public static void hincrby(CommandContext c) {
        long by = Args.longArg(c, 3);
        HashValue h = writable(c, c.argv[1]);
        if (h == null) {
            return;
        }
        long cur = 0;
        byte[] old = h.get(c.argv[2]);
        if (old != null) {
            cur = Numbers.parseLong(old);
            if (cur == Numbers.INVALID && !Numbers.isLong(old)) {
                c.reply.error("ERR hash value is not an integer");
                return;
            }
        }
        if (StringCommands.overflows(cur, by)) {
            c.reply.error(Errors.OVERFLOW);
            return;
        }
        long v = cur + by;
        put(c, h, c.argv[2], Numbers.toBytes(v));
        c.keyspace().notify(KeyspaceEvents.HASH, "hincrby", c.argv[1], c.db().id());
        c.reply.integer(v);
    }

    /** HINCRBYFLOAT key field increment: persisted as HSET of the result. */
    public static void hincrbyfloat(CommandContext c) {
        BigDecimal by = Numbers.parseDecimal(c.argv[3]);
        if (by == null) {
            c.reply.error(Errors.NOT_FLOAT);
            return;
        }
        if (StringCommands.isInfinite(by)) {
            c.reply.error("ERR value is NaN or Infinity");
            return;
        }
        HashValue h = writable(c, c.argv[1]);
        if (h == null) {
            return;
        }
        BigDecimal cur = BigDecimal.ZERO;
        byte[] old = h.get(c.argv[2]);
        if (old != null) {
            cur = Numbers.parseDecimal(old);
            if (cur == null) {
                c.reply.error("ERR hash value is not a float");
                return;
            }
        }
        byte[] out = StringCommands.addFloat(c, cur, by);
        if (out == null) {
            return;
        }
        put(c, h, c.argv[2], out);
        c.keyspace().notify(KeyspaceEvents.HASH, "hincrbyfloat", c.argv[1], c.db().id());
        c.propagateAs = new byte[][] {Effects.HSET, c.argv[1], c.argv[2], out};
        c.reply.bulk(out);
    }

    /** HRANDFIELD key [count [WITHVALUES]] */
    public static void hrandfield(CommandContext c) {
        if (c.argc == 2) {
            HashValue h = Values.read(c, c.argv[1], HashValue.class, c.reply::nullBulk);
            if (h != null) {
                byte[][] pairs = h.pairs();
                c.reply.bulk(pairs[2 * ThreadLocalRandom.current().nextInt(h.size())]);
            }
            return;
        }
        long count = Args.randomCount(c, "WITHVALUES");
        boolean withValues = c.argc == 4;
        HashValue h = Values.read(c, c.argv[1], HashValue.class, c.reply::emptyArray);
        if (h == null) {
            return;
        }
        byte[][] pairs = h.pairs();
        int n = h.size();
        int[] picks = pick(count, n);
        boolean nested = withValues && c.reply.resp() == 3;
        c.reply.array(withValues && !nested ? 2 * picks.length : picks.length);
        for (int i : picks) {
            if (nested) {
                c.reply.array(2);
            }
            c.reply.bulk(pairs[2 * i]);
            if (withValues) {
                c.reply.bulk(pairs[2 * i + 1]);
            }
        }
    }

    /**
     * Positions for a random-members reply over {@code n} items: |count| with repetitions when
     * negative, otherwise min(count, n) distinct ones (all of them, in order, when count >= n).
     */
    public static int[] pick(long count, int n) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (count < 0) {
            int k = (int) Math.min(-count, Integer.MAX_VALUE - 8);
            int[] out = new int[k];
            for (int i = 0; i < k; i++) {
                out[i] = rnd.nextInt(n);
            }
            return out;
        }
        if (count >= n) {
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = i;
            }
            return out;
        }
        // a partial Fisher-Yates shuffle picks count distinct positions
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        int k = (int) count;
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, k);
    }

    /** HSCAN key cursor [MATCH pattern] [COUNT count] */
    public static void hscan(CommandContext c) {
        long cursor = Scan.parseCursor(c.argv[2]);
        HashValue h = Values.read(c, c.argv[1], HashValue.class, () -> Scan.emptyScan(c));
        if (h == null) {
            return;
        }
        Scan.scan(c, cursor, h.map(), 2, items -> h.forEach((f, v) -> {
            items.add(f);
            items.add(v);
        }), (node, items) -> {
            items.add(node.key());
            items.add((byte[]) node.value());
        });
    }
}
