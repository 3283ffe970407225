package dev.quokka.command.string;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.config.Settings;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.persistence.Effects;
import dev.quokka.protocol.Numbers;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * The string group (Redis's {@code t_string.c}). String values are stored as bare
 * {@code byte[]}; a stored array is never mutated in place (INCR results share small-number
 * arrays), so every change stores a new array.
 */
public final class StringCommands {
    private static final int SET_NX = 1;
    private static final int SET_XX = 1 << 1;
    private static final int SET_GET = 1 << 2;
    private static final int KEEPTTL = 1 << 3;
    private static final int PERSIST = 1 << 4;
    private static final int EX = 1 << 5;
    private static final int PX = 1 << 6;
    private static final int EXAT = 1 << 7;
    private static final int PXAT = 1 << 8;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;

    private static final byte[] EMPTY = new byte[0];

    private StringCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("get", 2, StringCommands::get).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "1.0.0", "Get the value of a key").complexity("O(1)")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        t.add("set", -3, StringCommands::set).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "1.0.0", "Set the string value of a key")
            .complexity("O(1)")
            .keySpec("RW and ACCESS due to the optional `GET` argument", "RW access update variable_flags", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("value", "string"),
                arg("condition", "oneof").since("2.6.12").optional().of(
                    arg("nx", "pure-token").token("NX"),
                    arg("xx", "pure-token").token("XX")),
                arg("get", "pure-token").token("GET").since("6.2.0").optional(),
                arg("expiration", "oneof").optional().of(
                    arg("seconds", "integer").token("EX").since("2.6.12"),
                    arg("milliseconds", "integer").token("PX").since("2.6.12"),
                    arg("unix-time-seconds", "unix-time").token("EXAT").since("6.2.0"),
                    arg("unix-time-milliseconds", "unix-time").token("PXAT").since("6.2.0"),
                    arg("keepttl", "pure-token").token("KEEPTTL").since("6.0.0")))
            .history("2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options.")
            .history("6.0.0", "Added the `KEEPTTL` option.")
            .history("6.2.0", "Added the `GET`, `EXAT` and `PXAT` option.")
            .history("7.0.0", "Allowed the `NX` and `GET` options to be used together.");
        t.add("setnx", 3, StringCommands::setnx).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "1.0.0", "Set the value of a key, only if the key does not exist").complexity("O(1)")
            .keySpec("OW insert", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("value", "string"));
        t.add("setex", 4, StringCommands::setex).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "2.0.0", "Set the value and expiration of a key")
            .complexity("O(1)")
            .keySpec("OW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("seconds", "integer"),
                arg("value", "string"));
        t.add("psetex", 4, StringCommands::psetex).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "2.6.0", "Set the value and expiration in milliseconds of a key")
            .complexity("O(1)")
            .keySpec("OW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("milliseconds", "integer"),
                arg("value", "string"));
        t.add("getset", 3, StringCommands::getset).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "1.0.0", "Set the string value of a key and return its old value")
            .complexity("O(1)")
            .deprecated("6.2.0", "`SET` with the `!GET` argument")
            .keySpec("RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("value", "string"));
        t.add("getdel", 2, StringCommands::getdel).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "6.2.0", "Get the value of a key and delete the key").complexity("O(1)")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        t.add("getex", -2, StringCommands::getex).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "6.2.0", "Get the value of a key and optionally set its expiration")
            .complexity("O(1)")
            .keySpec("RW and UPDATE because it changes the TTL", "RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("expiration", "oneof").optional().of(
                    arg("seconds", "integer").token("EX"),
                    arg("milliseconds", "integer").token("PX"),
                    arg("unix-time-seconds", "unix-time").token("EXAT"),
                    arg("unix-time-milliseconds", "unix-time").token("PXAT"),
                    arg("persist", "pure-token").token("PERSIST")));
        t.add("mget", -2, StringCommands::mget).flags(Flag.READONLY, Flag.FAST).keys(1, -1, 1).acl(Acl.STRING)
            .doc("string", "1.0.0", "Get the values of all the given keys")
            .complexity("O(N) where N is the number of keys to retrieve.").tips("request_policy:multi_shard")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(-1, 1, 0))
            .args(arg("key", "key").keySpec(0).multiple());
        t.add("mset", -3, StringCommands::mset).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 2).acl(Acl.STRING)
            .doc("string", "1.0.1", "Set multiple keys to multiple values")
            .complexity("O(N) where N is the number of keys to set.").tips("request_policy:multi_shard", "response_policy:all_succeeded")
            .keySpec("OW update", KeySpec.index(1), KeySpec.range(-1, 2, 0))
            .args(arg("key_value", "block").multiple().of(
                    arg("key", "key").keySpec(0),
                    arg("value", "string")));
        t.add("msetnx", -3, StringCommands::msetnx).flags(Flag.WRITE, Flag.DENYOOM).keys(1, -1, 2).acl(Acl.STRING)
            .doc("string", "1.0.1", "Set multiple keys to multiple values, only if none of the keys exist")
            .complexity("O(N) where N is the number of keys to set.").tips("request_policy:multi_shard", "response_policy:agg_min")
            .keySpec("OW insert", KeySpec.index(1), KeySpec.range(-1, 2, 0))
            .args(arg("key_value", "block").multiple().of(
                    arg("key", "key").keySpec(0),
                    arg("value", "string")));
        t.add("append", 3, StringCommands::append).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "2.0.0", "Append a value to a key")
            .complexity("O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.")
            .keySpec("RW insert", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("value", "string"));
        t.add("strlen", 2, StringCommands::strlen).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "2.2.0", "Get the length of the value stored in a key").complexity("O(1)")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        t.add("getrange", 4, StringCommands::getrange).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "2.4.0", "Get a substring of the string stored at a key")
            .complexity("O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("start", "integer"),
                arg("end", "integer"));
        t.add("substr", 4, StringCommands::getrange).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "1.0.0", "Get a substring of the string stored at a key")
            .complexity("O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.")
            .deprecated("2.0.0", "`GETRANGE`")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("start", "integer"),
                arg("end", "integer"));
        t.add("setrange", 4, StringCommands::setrange).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "2.2.0", "Overwrite part of a string at key starting at the specified offset")
            .complexity("O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("offset", "integer"),
                arg("value", "string"));
        t.add("incr", 2, StringCommands::incr).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "1.0.0", "Increment the integer value of a key by one")
            .complexity("O(1)")
            .keySpec("RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        t.add("decr", 2, StringCommands::decr).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "1.0.0", "Decrement the integer value of a key by one")
            .complexity("O(1)")
            .keySpec("RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        t.add("incrby", 3, StringCommands::incrby).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "1.0.0", "Increment the integer value of a key by the given amount")
            .complexity("O(1)")
            .keySpec("RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("increment", "integer"));
        t.add("decrby", 3, StringCommands::decrby).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "1.0.0", "Decrement the integer value of a key by the given number")
            .complexity("O(1)")
            .keySpec("RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("decrement", "integer"));
        t.add("incrbyfloat", 3, StringCommands::incrbyfloat).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.STRING)
            .doc("string", "2.6.0", "Increment the float value of a key by the given amount")
            .complexity("O(1)")
            .keySpec("RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("increment", "double"));
        t.add("lcs", -3, StringCommands::lcs).flags(Flag.READONLY).keys(1, 2, 1).acl(Acl.STRING)
            .doc("string", "7.0.0", "Find longest common substring")
            .complexity("O(N*M) where N and M are the lengths of s1 and s2, respectively")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(1, 1, 0))
            .args(arg("key1", "key").keySpec(0),
                arg("key2", "key").keySpec(0),
                arg("len", "pure-token").token("LEN").optional(),
                arg("idx", "pure-token").token("IDX").optional(),
                arg("len", "integer").token("MINMATCHLEN").optional(),
                arg("withmatchlen", "pure-token").token("WITHMATCHLEN").optional());
    }

    /** The string at {@code e}, or null after replying WRONGTYPE. */
    static byte[] asString(CommandContext c, Entry e) {
        Object v = e.value();
        if (v instanceof byte[] b) {
            return b;
        }
        c.reply.error(Errors.WRONGTYPE);
        return null;
    }

    /** GET key */
    public static void get(CommandContext c) {
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        byte[] v = asString(c, e);
        if (v != null) {
            c.reply.bulk(v);
        }
    }

    /**
     * The options of SET and GETEX (Redis's {@code parseExtendedStringArgumentsOrReply}):
     * returns the flags, or throws {@code ERR syntax error}.
     */
    private static int parseOptions(CommandContext c, int from, boolean isSet) {
        int flags = 0;
        for (int j = from; j < c.argc; j++) {
            boolean hasNext = j < c.argc - 1;
            if (isSet && c.argIs(j, "NX") && (flags & SET_XX) == 0) {
                flags |= SET_NX;
            } else if (isSet && c.argIs(j, "XX") && (flags & SET_NX) == 0) {
                flags |= SET_XX;
            } else if (isSet && c.argIs(j, "GET")) {
                flags |= SET_GET;
            } else if (isSet && c.argIs(j, "KEEPTTL") && (flags & (PERSIST | ANY_EXPIRE)) == 0) {
                flags |= KEEPTTL;
            } else if (!isSet && c.argIs(j, "PERSIST") && (flags & (ANY_EXPIRE | KEEPTTL)) == 0) {
                flags |= PERSIST;
            } else if (hasNext && (flags & (KEEPTTL | PERSIST | ANY_EXPIRE)) == 0 && expireFlag(c, j) != 0) {
                flags |= expireFlag(c, j);
                j++;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        return flags;
    }

    private static int expireFlag(CommandContext c, int j) {
        if (c.argIs(j, "EX")) {
            return EX;
        }
        if (c.argIs(j, "PX")) {
            return PX;
        }
        if (c.argIs(j, "EXAT")) {
            return EXAT;
        }
        if (c.argIs(j, "PXAT")) {
            return PXAT;
        }
        return 0;
    }

    /**
     * Redis's {@code getExpireMillisecondsOrReply}: the absolute expiry in ms from argument
     * {@code i} (always positive), or an error.
     */
    static long expireMillis(CommandContext c, int i, int flags, String fullName) {
        long v = Args.longArg(c, i);
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) {
            throw new CommandError(Errors.invalidExpire(fullName));
        }
        if (seconds) {
            v *= 1000;
        }
        if ((flags & (EX | PX)) != 0) {
            v += c.keyspace().now();
            if (v <= 0) {
                throw new CommandError(Errors.invalidExpire(fullName));
            }
        }
        return v;
    }

    /**
     * The expiry given by options parsed from argument {@code from}: 0 when there is none,
     * otherwise the absolute time in ms (always positive). Its value follows the first expire
     * word: every option before it is a flag word (NX, XX, GET, KEEPTTL, PERSIST).
     */
    private static long optionalExpire(CommandContext c, int from, int flags, String fullName) {
        if ((flags & ANY_EXPIRE) == 0) {
            return 0;
        }
        int j = from;
        while (expireFlag(c, j) == 0) {
            j++;
        }
        return expireMillis(c, j + 1, flags, fullName);
    }

    /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ms-ts | KEEPTTL] */
    public static void set(CommandContext c) {
        int flags = parseOptions(c, 3, true);
        long when = optionalExpire(c, 3, flags, "set");
        setGeneric(c, flags, c.argv[1], c.argv[2], when, false);
    }

    /**
     * The core of SET, SETNX, SETEX and PSETEX (Redis's {@code setGenericCommand}).
     *
     * @param intReply reply :1/:0 (SETNX) instead of +OK/nil
     */
    private static void setGeneric(CommandContext c, int flags, byte[] key, byte[] value, long when, boolean intReply) {
        Keyspace ks = c.keyspace();
        Database db = c.db();
        Entry e = ks.write(db, key);
        if ((flags & SET_GET) != 0) {
            // Reply with the old value first; a non-string aborts the whole command.
            if (e == null) {
                c.reply.nullBulk();
            } else {
                byte[] old = asString(c, e);
                if (old == null) {
                    return;
                }
                c.reply.bulk(old);
            }
        }
        boolean found = e != null;
        if (((flags & SET_NX) != 0 && found) || ((flags & SET_XX) != 0 && !found)) {
            if ((flags & SET_GET) == 0) {
                if (intReply) {
                    c.reply.integer(0);
                } else {
                    c.reply.nullBulk();
                }
            }
            return;
        }
        e = ks.overwrite(db, e, key, value, (flags & KEEPTTL) != 0);
        ks.notify(KeyspaceEvents.STRING, "set", key, db.id());
        if (when > 0) {
            db.setExpire(e, when);
            ks.notify(KeyspaceEvents.GENERIC, "expire", key, db.id());
            if ((flags & PXAT) == 0) {
                // A relative or seconds expiry is persisted as an absolute one, without the other options.
                c.propagateAs = Effects.setPxat(key, value, when);
            }
        }
        if ((flags & SET_GET) == 0) {
            if (intReply) {
                c.reply.integer(1);
            } else {
                c.reply.ok();
            }
        }
    }

    /** SETNX key value */
    public static void setnx(CommandContext c) {
        setGeneric(c, SET_NX, c.argv[1], c.argv[2], 0, true);
    }

    /** SETEX key seconds value */
    public static void setex(CommandContext c) {
        setGeneric(c, 0, c.argv[1], c.argv[3], expireMillis(c, 2, EX, "setex"), false);
    }

    /** PSETEX key milliseconds value */
    public static void psetex(CommandContext c) {
        setGeneric(c, 0, c.argv[1], c.argv[3], expireMillis(c, 2, PX, "psetex"), false);
    }

    /** GETSET key value */
    public static void getset(CommandContext c) {
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.nullBulk();
        } else {
            byte[] old = asString(c, e);
            if (old == null) {
                return;
            }
            c.reply.bulk(old);
        }
        c.keyspace().overwrite(c.db(), e, c.argv[1], c.argv[2], false);
        c.keyspace().notify(KeyspaceEvents.STRING, "set", c.argv[1], c.db().id());
        c.propagateAs = new byte[][] {Effects.SET, c.argv[1], c.argv[2]};
    }

    /** GETDEL key */
    public static void getdel(CommandContext c) {
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        byte[] v = asString(c, e);
        if (v != null) {
            c.reply.bulk(v);
            c.db().remove(c.argv[1]);
            c.keyspace().notify(KeyspaceEvents.GENERIC, "del", c.argv[1], c.db().id());
            c.propagateAs = Effects.del(c.argv[1]);
        }
    }

    /** GETEX key [EX s | PX ms | EXAT ts | PXAT ms-ts | PERSIST] */
    public static void getex(CommandContext c) {
        int flags = parseOptions(c, 2, false);
        Keyspace ks = c.keyspace();
        Entry e = ks.read(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.nullBulk();
            return;
        }
        byte[] v = asString(c, e);
        if (v == null) {
            return;
        }
        // The time is validated after the key is found and type-checked, as in Redis.
        long when = optionalExpire(c, 2, flags, "getex");
        c.reply.bulk(v);
        if (when > 0 && when <= ks.now()) {
            // An expiry time already passed deletes the key (propagated as DEL in Redis).
            c.db().remove(c.argv[1]);
            ks.countExpired();
            ks.notify(KeyspaceEvents.GENERIC, "del", c.argv[1], c.db().id());
            c.propagateAs = Effects.del(c.argv[1]);
        } else if (when > 0) {
            c.db().setExpire(e, when);
            ks.notify(KeyspaceEvents.GENERIC, "expire", c.argv[1], c.db().id());
            c.propagateAs = Effects.pexpireat(c.argv[1], when);
        } else if ((flags & PERSIST) != 0 && c.db().clearExpire(e)) {
            ks.notify(KeyspaceEvents.GENERIC, "persist", c.argv[1], c.db().id());
            c.propagateAs = new byte[][] {Effects.PERSIST, c.argv[1]};
        }
    }

    /** MGET key [key ...]: nil for missing keys and for keys that are not strings. */
    public static void mget(CommandContext c) {
        c.reply.array(c.argc - 1);
        Keyspace ks = c.keyspace();
        for (int i = 1; i < c.argc; i++) {
            Entry e = ks.read(c.db(), c.argv[i]);
            if (e != null && e.value() instanceof byte[] b) {
                c.reply.bulk(b);
            } else {
                c.reply.nullBulk();
            }
        }
    }

    /** MSET key value [key value ...] */
    public static void mset(CommandContext c) {
        msetGeneric(c, false);
    }

    /** MSETNX key value [key value ...] */
    public static void msetnx(CommandContext c) {
        msetGeneric(c, true);
    }

    private static void msetGeneric(CommandContext c, boolean nx) {
        if ((c.argc % 2) == 0) {
            c.reply.error("ERR wrong number of arguments for '" + (nx ? "msetnx" : "mset") + "' command");
            return;
        }
        Keyspace ks = c.keyspace();
        if (nx) {
            for (int i = 1; i < c.argc; i += 2) {
                if (ks.write(c.db(), c.argv[i]) != null) {
                    c.reply.integer(0);
                    return;
                }
            }
        }
        for (int i = 1; i < c.argc; i += 2) {
            ks.set(c.db(), c.argv[i], c.argv[i + 1], false);
            ks.notify(KeyspaceEvents.STRING, "set", c.argv[i], c.db().id());
        }
        if (nx) {
            c.reply.integer(1);
        } else {
            c.reply.ok();
        }
    }

    /** APPEND key value */
    public static void append(CommandContext c) {
        Keyspace ks = c.keyspace();
        Entry e = ks.write(c.db(), c.argv[1]);
        byte[] add = c.argv[2];
        if (e == null) {
            ks.add(c.db(), c.argv[1], add);
            ks.notify(KeyspaceEvents.STRING, "append", c.argv[1], c.db().id());
            c.reply.integer(add.length);
            return;
        }
        byte[] v = asString(c, e);
        if (v == null) {
            return;
        }
        if (!checkLength(c, v.length, add.length)) {
            return;
        }
        byte[] nv = ks.editableString(c.db(), e, v.length + add.length);
        System.arraycopy(add, 0, nv, v.length, add.length);
        ks.notify(KeyspaceEvents.STRING, "append", c.argv[1], c.db().id());
        c.reply.integer(nv.length);
    }

    private static boolean checkLength(CommandContext c, long offset, long add) {
        long total = offset + add;
        if (total < 0 || total > c.server.config().get(Settings.PROTO_MAX_BULK_LEN) || total > Integer.MAX_VALUE - 16) {
            c.reply.error(Errors.STRING_TOO_LONG);
            return false;
        }
        return true;
    }

    /** STRLEN key */
    public static void strlen(CommandContext c) {
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.integer(0);
            return;
        }
        byte[] v = asString(c, e);
        if (v != null) {
            c.reply.integer(v.length);
        }
    }

    /** GETRANGE key start end (and its old name SUBSTR) */
    public static void getrange(CommandContext c) {
        long start = Args.longArg(c, 2);
        long end = Args.longArg(c, 3);
        Entry e = c.keyspace().read(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.bulk(EMPTY);
            return;
        }
        byte[] v = asString(c, e);
        if (v == null) {
            return;
        }
        long len = v.length;
        if (start < 0 && end < 0 && start > end) {
            c.reply.bulk(EMPTY);
            return;
        }
        if (start < 0) {
            start = len + start;
        }
        if (end < 0) {
            end = len + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            c.reply.bulk(EMPTY);
        } else {
            c.reply.bulk(v, (int) start, (int) end + 1);
        }
    }

    /** SETRANGE key offset value */
    public static void setrange(CommandContext c) {
        long offset = Args.longArg(c, 2);
        if (offset < 0) {
            c.reply.error("ERR offset is out of range");
            return;
        }
        byte[] value = c.argv[3];
        Keyspace ks = c.keyspace();
        Entry e = ks.write(c.db(), c.argv[1]);
        if (e == null) {
            if (value.length == 0) {
                c.reply.integer(0);
                return;
            }
            if (!checkLength(c, offset, value.length)) {
                return;
            }
            byte[] nv = new byte[(int) offset + value.length];
            System.arraycopy(value, 0, nv, (int) offset, value.length);
            ks.addEditedString(c.db(), c.argv[1], nv);
            ks.notify(KeyspaceEvents.STRING, "setrange", c.argv[1], c.db().id());
            c.reply.integer(nv.length);
            return;
        }
        byte[] v = asString(c, e);
        if (v == null) {
            return;
        }
        if (value.length == 0) {
            c.reply.integer(v.length);
            return;
        }
        if (!checkLength(c, offset, value.length)) {
            return;
        }
        byte[] nv = ks.editableString(c.db(), e, (int) Math.max(v.length, offset + value.length));
        System.arraycopy(value, 0, nv, (int) offset, value.length);
        ks.notify(KeyspaceEvents.STRING, "setrange", c.argv[1], c.db().id());
        c.reply.integer(nv.length);
    }

    /** INCR key */
    public static void incr(CommandContext c) {
        incrDecr(c, 1);
    }

    /** DECR key */
    public static void decr(CommandContext c) {
        incrDecr(c, -1);
    }

    /** INCRBY key increment */
    public static void incrby(CommandContext c) {
        incrDecr(c, Args.longArg(c, 2));
    }

    /** DECRBY key decrement */
    public static void decrby(CommandContext c) {
        long v = Args.longArg(c, 2);
        if (v == Long.MIN_VALUE) {
            c.reply.error("ERR decrement would overflow");
            return;
        }
        incrDecr(c, -v);
    }

    /** The core of INCR, DECR, INCRBY, DECRBY (Redis's {@code incrDecrCommand}). */
    private static void incrDecr(CommandContext c, long by) {
        Keyspace ks = c.keyspace();
        Entry e = ks.write(c.db(), c.argv[1]);
        long cur = 0;
        if (e != null) {
            byte[] v = asString(c, e);
            if (v == null) {
                return;
            }
            cur = Numbers.parseLong(v);
            if (cur == Numbers.INVALID && !Numbers.isLong(v)) {
                c.reply.error(Errors.NOT_INTEGER);
                return;
            }
        }
        if (overflows(cur, by)) {
            c.reply.error(Errors.OVERFLOW);
            return;
        }
        long nv = cur + by;
        byte[] bytes = Numbers.toBytes(nv);
        if (e == null) {
            ks.add(c.db(), c.argv[1], bytes);
        } else {
            c.db().setValue(e, bytes);
        }
        ks.notify(KeyspaceEvents.STRING, "incrby", c.argv[1], c.db().id());
        c.reply.integer(nv);
    }

    /** Largest magnitude of a C long double; beyond it Redis's result would be infinite. */
    private static final BigDecimal LONG_DOUBLE_MAX = new BigDecimal("1.18973149535723176502e4932");

    /**
     * INCRBYFLOAT key increment. Redis computes in x86 long double and prints {@code %.17Lf}
     * with trailing zeros removed; {@link LongDouble} reproduces that rounding, so the stored
     * text is the same as Redis's (10.5 + 0.1 = "10.6", 10.6 + 5000 = "5005.60000000000000009").
     */
    public static void incrbyfloat(CommandContext c) {
        Keyspace ks = c.keyspace();
        Entry e = ks.write(c.db(), c.argv[1]);
        BigDecimal cur = BigDecimal.ZERO;
        if (e != null) {
            byte[] v = asString(c, e);
            if (v == null) {
                return;
            }
            cur = Numbers.parseDecimal(v);
            if (cur == null) {
                c.reply.error(Errors.NOT_FLOAT);
                return;
            }
        }
        BigDecimal by = Numbers.parseDecimal(c.argv[2]);
        if (by == null) {
            c.reply.error(Errors.NOT_FLOAT);
            return;
        }
        byte[] out = addFloat(c, cur, by);
        if (out == null) {
            return;
        }
        if (e == null) {
            e = ks.add(c.db(), c.argv[1], out);
        } else {
            c.db().setValue(e, out);
        }
        e.stringForm(Entry.PLAIN); // Redis's createStringObjectFromLongDouble: never an integer encoding
        ks.notify(KeyspaceEvents.STRING, "incrbyfloat", c.argv[1], c.db().id());
        // Persisted as the resulting value, so that replay cannot round differently.
        c.propagateAs = new byte[][] {Effects.SET, c.argv[1], out, Effects.KEEPTTL};
        c.reply.bulk(out);
    }

    /** Whether {@code cur + by} leaves the 64-bit range (INCRBY's and HINCRBY's overflow error). */
    public static boolean overflows(long cur, long by) {
        return (by < 0 && cur < 0 && by < Long.MIN_VALUE - cur) || (by > 0 && cur > 0 && by > Long.MAX_VALUE - cur);
    }

    /**
     * The sum of INCRBYFLOAT and HINCRBYFLOAT, in C's long double and printed as Redis does;
     * null after replying the error when it is not finite.
     */
    public static byte[] addFloat(CommandContext c, BigDecimal cur, BigDecimal by) {
        if (isInfinite(cur) || isInfinite(by)) {
            c.reply.error("ERR increment would produce NaN or Infinity");
            return null;
        }
        BigDecimal sum = LongDouble.round(LongDouble.round(cur).add(LongDouble.round(by)));
        if (sum.abs().compareTo(LONG_DOUBLE_MAX) > 0) {
            c.reply.error("ERR increment would produce NaN or Infinity");
            return null;
        }
        return Numbers.formatHuman(sum).getBytes(StandardCharsets.US_ASCII);
    }

    public static boolean isInfinite(BigDecimal d) {
        return d == Numbers.POSITIVE_INFINITY || d == Numbers.NEGATIVE_INFINITY;
    }

    /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (Redis's {@code lcsCommand}). */
    public static void lcs(CommandContext c) {
        Keyspace ks = c.keyspace();
        Entry ea = ks.read(c.db(), c.argv[1]);
        Entry eb = ks.read(c.db(), c.argv[2]);
        if ((ea != null && !(ea.value() instanceof byte[])) || (eb != null && !(eb.value() instanceof byte[]))) {
            c.reply.error("ERR The specified keys must contain string values");
            return;
        }
        byte[] a = ea == null ? EMPTY : (byte[]) ea.value();
        byte[] b = eb == null ? EMPTY : (byte[]) eb.value();
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < c.argc; j++) {
            boolean more = j < c.argc - 1;
            if (c.argIs(j, "IDX")) {
                getIdx = true;
            } else if (c.argIs(j, "LEN")) {
                getLen = true;
            } else if (c.argIs(j, "WITHMATCHLEN")) {
                withMatchLen = true;
            } else if (c.argIs(j, "MINMATCHLEN") && more) {
                minMatchLen = Math.max(0, Args.longArg(c, j + 1));
                j++;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (getIdx && getLen) {
            c.reply.error("ERR If you want both the length and indexes, please just use IDX.");
            return;
        }
        int alen = a.length;
        int blen = b.length;
        long cells = (long) (alen + 1) * (blen + 1);
        if (cells * 4 > c.server.config().get(Settings.PROTO_MAX_BULK_LEN) || cells > Integer.MAX_VALUE - 16) {
            c.reply.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
            return;
        }
        int w = blen + 1;
        int[] t = new int[(int) cells];
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                if (a[i - 1] == b[j - 1]) {
                    t[i * w + j] = t[(i - 1) * w + j - 1] + 1;
                } else {
                    t[i * w + j] = Math.max(t[(i - 1) * w + j], t[i * w + j - 1]);
                }
            }
        }
        int idx = t[alen * w + blen];
        boolean computeLcs = getIdx || !getLen;
        byte[] result = computeLcs ? new byte[idx] : null;
        List<long[]> ranges = new ArrayList<>();
        int aStart = alen;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = alen;
        int j = blen;
        while (computeLcs && i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                if (t[(i - 1) * w + j] > t[i * w + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            long matchLen = aEnd - aStart + 1;
            if (emit) {
                if (minMatchLen == 0 || matchLen >= minMatchLen) {
                    ranges.add(new long[] {aStart, aEnd, bStart, bEnd, matchLen});
                }
                aStart = alen;
            }
        }
        if (getIdx) {
            c.reply.map(2);
            c.reply.bulk("matches");
            c.reply.array(ranges.size());
            for (long[] r : ranges) {
                c.reply.array(withMatchLen ? 3 : 2);
                c.reply.array(2);
                c.reply.integer(r[0]);
                c.reply.integer(r[1]);
                c.reply.array(2);
                c.reply.integer(r[2]);
                c.reply.integer(r[3]);
                if (withMatchLen) {
                    c.reply.integer(r[4]);
                }
            }
            c.reply.bulk("len");
            c.reply.integer(t[alen * w + blen]);
        } else if (getLen) {
            c.reply.integer(idx);
        } else {
            c.reply.bulk(result);
        }
    }
}
