package dev.quokka.command.keys;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.command.Scan;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Glob;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.ValueTypes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.quokka.command.ArgumentDoc.arg;

/** The generic group (Redis's {@code db.c}): keys regardless of their type. */
public final class KeyCommands {
    private KeyCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("del", -2, KeyCommands::del).flags(Flag.WRITE).keys(1, -1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "1.0.0", "Delete a key")
            .complexity("O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).").tips("request_policy:multi_shard", "response_policy:agg_sum")
            .keySpec("RM delete", KeySpec.index(1), KeySpec.range(-1, 1, 0))
            .args(arg("key", "key").keySpec(0).multiple());
        t.add("unlink", -2, KeyCommands::del).flags(Flag.WRITE, Flag.FAST).keys(1, -1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "4.0.0", "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.")
            .complexity("O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.").tips("request_policy:multi_shard", "response_policy:agg_sum")
            .keySpec("RM delete", KeySpec.index(1), KeySpec.range(-1, 1, 0))
            .args(arg("key", "key").keySpec(0).multiple());
        t.add("exists", -2, KeyCommands::exists).flags(Flag.READONLY, Flag.FAST).keys(1, -1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "1.0.0", "Determine if a key exists")
            .complexity("O(N) where N is the number of keys to check.").tips("request_policy:multi_shard", "response_policy:agg_sum")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(-1, 1, 0))
            .args(arg("key", "key").keySpec(0).multiple())
            .history("3.0.3", "Accepts multiple `key` arguments.");
        t.add("touch", -2, KeyCommands::touch).flags(Flag.READONLY, Flag.FAST).keys(1, -1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "3.2.1", "Alters the last access time of a key(s). Returns the number of existing keys specified.")
            .complexity("O(N) where N is the number of keys that will be touched.").tips("request_policy:multi_shard", "response_policy:agg_sum")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(-1, 1, 0))
            .args(arg("key", "key").keySpec(0).multiple());
        t.add("type", 2, KeyCommands::type).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "1.0.0", "Determine the type stored at key").complexity("O(1)")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        t.add("rename", 3, KeyCommands::rename).flags(Flag.WRITE).keys(1, 2, 1).acl(Acl.KEYSPACE)
            .doc("generic", "1.0.0", "Rename a key").complexity("O(1)")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("OW update", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("newkey", "key").keySpec(1));
        t.add("renamenx", 3, KeyCommands::renamenx).flags(Flag.WRITE, Flag.FAST).keys(1, 2, 1).acl(Acl.KEYSPACE)
            .doc("generic", "1.0.0", "Rename a key, only if the new key does not exist").complexity("O(1)")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("OW insert", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("newkey", "key").keySpec(1))
            .history("3.2.0", "The command no longer returns an error when source and destination names are the same.");
        t.add("keys", 2, KeyCommands::keys).flags(Flag.READONLY).acl(Acl.KEYSPACE, Acl.DANGEROUS)
            .doc("generic", "1.0.0", "Find all keys matching the given pattern")
            .complexity("O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.").tips("request_policy:all_shards", "nondeterministic_output_order")
            .args(arg("pattern", "pattern"));
        t.add("scan", -2, KeyCommands::scan).flags(Flag.READONLY).acl(Acl.KEYSPACE)
            .doc("generic", "2.8.0", "Incrementally iterate the keys space")
            .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.").tips("nondeterministic_output", "request_policy:special")
            .args(arg("cursor", "integer"),
                arg("pattern", "pattern").token("MATCH").optional(),
                arg("count", "integer").token("COUNT").optional(),
                arg("type", "string").token("TYPE").since("6.0.0").optional())
            .history("6.0.0", "Added the `TYPE` subcommand.");
        t.add("randomkey", 1, KeyCommands::randomkey).flags(Flag.READONLY).acl(Acl.KEYSPACE)
            .doc("generic", "1.0.0", "Return a random key from the keyspace").complexity("O(1)").tips("request_policy:all_shards", "nondeterministic_output");
        t.add("dbsize", 1, KeyCommands::dbsize).flags(Flag.READONLY, Flag.FAST).acl(Acl.KEYSPACE)
            .doc("server", "1.0.0", "Return the number of keys in the selected database").complexity("O(1)").tips("request_policy:all_shards", "response_policy:agg_sum");
        t.add("flushdb", -1, KeyCommands::flushdb).flags(Flag.WRITE).acl(Acl.KEYSPACE, Acl.DANGEROUS)
            .doc("server", "1.0.0", "Remove all keys from the current database")
            .complexity("O(N) where N is the number of keys in the selected database").tips("request_policy:all_shards", "response_policy:all_succeeded")
            .args(arg("async", "oneof").optional().of(
                    arg("async", "pure-token").token("ASYNC").since("4.0.0"),
                    arg("sync", "pure-token").token("SYNC").since("6.2.0")))
            .history("4.0.0", "Added the `ASYNC` flushing mode modifier.")
            .history("6.2.0", "Added the `SYNC` flushing mode modifier.");
        t.add("flushall", -1, KeyCommands::flushall).flags(Flag.WRITE).acl(Acl.KEYSPACE, Acl.DANGEROUS)
            .doc("server", "1.0.0", "Remove all keys from all databases")
            .complexity("O(N) where N is the total number of keys in all databases").tips("request_policy:all_shards", "response_policy:all_succeeded")
            .args(arg("async", "oneof").optional().of(
                    arg("async", "pure-token").token("ASYNC").since("4.0.0"),
                    arg("sync", "pure-token").token("SYNC").since("6.2.0")))
            .history("4.0.0", "Added the `ASYNC` flushing mode modifier.")
            .history("6.2.0", "Added the `SYNC` flushing mode modifier.");
        t.add("copy", -3, KeyCommands::copy).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1).acl(Acl.KEYSPACE)
            .doc("generic", "6.2.0", "Copy a key")
            .complexity("O(N) worst case for collections, where N is the number of nested items. O(1) for string values.")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("OW update", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("source", "key").keySpec(0),
                arg("destination", "key").keySpec(1),
                arg("destination-db", "integer").token("DB").optional(),
                arg("replace", "pure-token").token("REPLACE").optional());
        t.add("move", 3, KeyCommands::move).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.KEYSPACE)
            .doc("generic", "1.0.0", "Move a key to another database").complexity("O(1)")
            .keySpec("RW access update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0),
                arg("db", "integer"));
        t.add("swapdb", 3, KeyCommands::swapdb).flags(Flag.WRITE, Flag.FAST).acl(Acl.KEYSPACE, Acl.DANGEROUS)
            .doc("server", "4.0.0", "Swaps two Redis databases")
            .complexity("O(N) where N is the count of clients watching or blocking on keys from both databases.")
            .args(arg("index1", "integer"),
                arg("index2", "integer"));
        CommandSpec object = t.add("object", -2, null).doc("generic", "2.2.3", "A container for object introspection commands")
            .complexity("Depends on subcommand.");
        object.sub("freq", 3, ObjectCommands::freq).flags(Flag.READONLY).keys(2, 2, 1).acl(Acl.KEYSPACE)
            .doc("generic", "4.0.0", "Get the logarithmic access frequency counter of a Redis object").complexity("O(1)").tips("nondeterministic_output")
            .keySpec("RO", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        object.sub("idletime", 3, ObjectCommands::idletime).flags(Flag.READONLY).keys(2, 2, 1).acl(Acl.KEYSPACE)
            .doc("generic", "2.2.3", "Get the time since a Redis object was last accessed").complexity("O(1)").tips("nondeterministic_output")
            .keySpec("RO", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        object.sub("refcount", 3, ObjectCommands::refcount).flags(Flag.READONLY).keys(2, 2, 1).acl(Acl.KEYSPACE)
            .doc("generic", "2.2.3", "Get the number of references to the value of the key").complexity("O(1)").tips("nondeterministic_output")
            .keySpec("RO", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        object.sub("encoding", 3, ObjectCommands::encoding).flags(Flag.READONLY).keys(2, 2, 1).acl(Acl.KEYSPACE)
            .doc("generic", "2.2.3", "Inspect the internal encoding of a Redis object").complexity("O(1)").tips("nondeterministic_output")
            .keySpec("RO", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .args(arg("key", "key").keySpec(0));
        object.sub("help", 2, ObjectCommands::help).flags(Flag.LOADING, Flag.STALE).acl(Acl.KEYSPACE)
            .doc("generic", "6.2.0", "Show helpful text about the different subcommands").complexity("O(1)");
    }

    /** DEL key [key ...] (UNLINK is the same here: frees happen in the garbage collector) */
    public static void del(CommandContext c) {
        Keyspace ks = c.keyspace();
        int n = 0;
        for (int i = 1; i < c.argc; i++) {
            if (ks.write(c.db(), c.argv[i]) != null) {
                c.db().remove(c.argv[i]);
                ks.notify(KeyspaceEvents.GENERIC, "del", c.argv[i], c.db().id());
                n++;
            }
        }
        c.reply.integer(n);
    }

    /** EXISTS key [key ...]: counts repeats. */
    public static void exists(CommandContext c) {
        Keyspace ks = c.keyspace();
        int n = 0;
        for (int i = 1; i < c.argc; i++) {
            if (ks.peek(c.db(), c.argv[i]) != null) {
                n++;
            }
        }
        c.reply.integer(n);
    }

    /** TOUCH key [key ...] */
    public static void touch(CommandContext c) {
        Keyspace ks = c.keyspace();
        int n = 0;
        for (int i = 1; i < c.argc; i++) {
            if (ks.write(c.db(), c.argv[i]) != null) {
                n++;
            }
        }
        c.reply.integer(n);
    }

    /** TYPE key */
    public static void type(CommandContext c) {
        Entry e = c.keyspace().peek(c.db(), c.argv[1]);
        c.reply.simple(e == null ? "none" : ValueTypes.typeName(e.value()));
    }

    /** RENAME key newkey */
    public static void rename(CommandContext c) {
        renameGeneric(c, false);
    }

    /** RENAMENX key newkey */
    public static void renamenx(CommandContext c) {
        renameGeneric(c, true);
    }

    private static void renameGeneric(CommandContext c, boolean nx) {
        Keyspace ks = c.keyspace();
        Database db = c.db();
        boolean same = Arrays.equals(c.argv[1], c.argv[2]);
        Entry src = ks.write(db, c.argv[1]);
        if (src == null) {
            c.reply.error(Errors.NO_SUCH_KEY);
            return;
        }
        if (same) {
            if (nx) {
                c.reply.integer(0);
            } else {
                c.reply.ok();
            }
            return;
        }
        Object value = src.value();
        long expire = src.expireAt();
        if (ks.write(db, c.argv[2]) != null) {
            if (nx) {
                c.reply.integer(0);
                return;
            }
            db.remove(c.argv[2]);
        }
        db.remove(c.argv[1]);
        Entry dst = ks.add(db, c.argv[2], value);
        dst.stringForm(src.stringForm());
        if (expire != Entry.NO_EXPIRE) {
            db.setExpire(dst, expire);
        }
        ks.notify(KeyspaceEvents.GENERIC, "rename_from", c.argv[1], db.id());
        ks.notify(KeyspaceEvents.GENERIC, "rename_to", c.argv[2], db.id());
        if (nx) {
            c.reply.integer(1);
        } else {
            c.reply.ok();
        }
    }

    /** KEYS pattern */
    public static void keys(CommandContext c) {
        byte[] pattern = c.argv[1];
        boolean all = pattern.length == 1 && pattern[0] == '*';
        Keyspace ks = c.keyspace();
        Database db = c.db();
        List<byte[]> out = new ArrayList<>();
        for (Entry e : db.snapshot()) {
            if ((all || Glob.match(pattern, e.key(), false)) && !ks.isExpired(e)) {
                out.add(e.key());
            }
        }
        c.reply.array(out.size());
        for (byte[] k : out) {
            c.reply.bulk(k);
        }
    }

    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
    public static void scan(CommandContext c) {
        long cursor = Scan.parseCursor(c.argv[1]);
        Scan.ScanOptions o = Scan.scanOptions(c, 2, true);
        byte[] pattern = o.pattern();
        long count = o.count();
        String type = o.type();
        Keyspace ks = c.keyspace();
        Database db = c.db();
        List<Entry> found = new ArrayList<>();
        long maxIterations = count * 10;
        do {
            cursor = db.scan(cursor, found::add);
        } while (cursor != 0 && maxIterations-- > 0 && found.size() < count);
        List<byte[]> keys = new ArrayList<>(found.size());
        for (Entry e : found) {
            if (pattern != null && !Glob.match(pattern, e.key(), false)) {
                continue;
            }
            if (type != null && !type.equals(ValueTypes.typeName(e.value()))) {
                continue;
            }
            if (ks.expireIfNeeded(db, e, false)) {
                continue;
            }
            keys.add(e.key());
        }
        c.reply.array(2);
        c.reply.bulk(Long.toUnsignedString(cursor).getBytes());
        c.reply.array(keys.size());
        for (byte[] k : keys) {
            c.reply.bulk(k);
        }
    }

    /** RANDOMKEY */
    public static void randomkey(CommandContext c) {
        Keyspace ks = c.keyspace();
        Database db = c.db();
        // A replica cannot delete: when every key has a TTL, it gives up after 100 expired draws and
        // returns one of them, as Redis does.
        int tries = 100;
        while (true) {
            Entry e = db.randomEntry();
            if (e == null) {
                c.reply.nullBulk();
                return;
            }
            if (ks.expireIfNeeded(db, e, false)) {
                boolean kept = db.find(e.key()) == e;
                if (!(kept && db.size() == db.volatileCount() && --tries == 0)) {
                    continue;
                }
            }
            c.reply.bulk(e.key());
            return;
        }
    }

    /** Parses a database index argument. */
    static int dbIndex(CommandContext c, int i) {
        long v = Args.intArg(c, i, null);
        if (v < 0 || v >= c.keyspace().databases()) {
            throw new CommandError(Errors.DB_RANGE);
        }
        return (int) v;
    }

    /** MOVE key db */
    public static void move(CommandContext c) {
        int dst = dbIndex(c, 2);
        Keyspace ks = c.keyspace();
        Database from = c.db();
        Database to = ks.db(dst);
        if (from == to) {
            c.reply.error(Errors.SAME_OBJECT);
            return;
        }
        Entry e = ks.write(from, c.argv[1]);
        if (e == null || ks.write(to, c.argv[1]) != null) {
            c.reply.integer(0);
            return;
        }
        long expire = e.expireAt();
        from.remove(c.argv[1]);
        Entry moved = ks.add(to, c.argv[1], e.value());
        moved.stringForm(e.stringForm());
        if (expire != Entry.NO_EXPIRE) {
            to.setExpire(moved, expire);
        }
        ks.notify(KeyspaceEvents.GENERIC, "move_from", c.argv[1], from.id());
        ks.notify(KeyspaceEvents.GENERIC, "move_to", c.argv[1], to.id());
        c.reply.integer(1);
    }

    /** COPY source destination [DB destination-db] [REPLACE] */
    public static void copy(CommandContext c) {
        Keyspace ks = c.keyspace();
        Database to = c.db();
        boolean replace = false;
        for (int i = 3; i < c.argc; i++) {
            if (c.argIs(i, "REPLACE")) {
                replace = true;
            } else if (c.argIs(i, "DB") && i < c.argc - 1) {
                int id = dbIndex(c, i + 1);
                to = ks.db(id);
                i++;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        Database from = c.db();
        if (from == to && Arrays.equals(c.argv[1], c.argv[2])) {
            c.reply.error(Errors.SAME_OBJECT);
            return;
        }
        Entry src = ks.write(from, c.argv[1]);
        if (src == null) {
            c.reply.integer(0);
            return;
        }
        Entry existing = ks.write(to, c.argv[2]);
        if (existing != null) {
            if (!replace) {
                c.reply.integer(0);
                return;
            }
            to.remove(c.argv[2]);
        }
        Entry dst = ks.add(to, c.argv[2], ValueTypes.copy(src.value()));
        dst.stringForm(src.stringForm());
        if (src.hasExpire()) {
            to.setExpire(dst, src.expireAt());
        }
        ks.notify(KeyspaceEvents.GENERIC, "copy_to", c.argv[2], to.id());
        c.reply.integer(1);
    }

    /** SWAPDB index1 index2 */
    public static void swapdb(CommandContext c) {
        long a = Args.intArg(c, 1, "ERR invalid first DB index");
        long b = Args.intArg(c, 2, "ERR invalid second DB index");
        int n = c.keyspace().databases();
        if (a < 0 || a >= n || b < 0 || b >= n) {
            c.reply.error(Errors.DB_RANGE);
            return;
        }
        c.keyspace().swap((int) a, (int) b);
        c.keyspace().changed();
        c.server.transactions().touchDb(c.keyspace().db((int) a), c.keyspace().db((int) b));
        c.server.transactions().touchDb(c.keyspace().db((int) b), c.keyspace().db((int) a));
        // Clients blocked on keys of either database may find them filled now.
        c.server.blocking().signalDb(c.keyspace().db((int) a));
        c.server.blocking().signalDb(c.keyspace().db((int) b));
        c.reply.ok();
    }

    /** DBSIZE */
    public static void dbsize(CommandContext c) {
        c.reply.integer(c.db().size());
    }

    /** FLUSHDB [ASYNC | SYNC] */
    public static void flushdb(CommandContext c) {
        if (!flushMode(c)) {
            return;
        }
        c.server.transactions().touchDb(c.db(), null);
        c.db().clear();
        c.server.blocking().signalDb(c.db());
        c.keyspace().changed();
        c.server.tracking().flushed(c.client);
        c.reply.ok();
    }

    /** FLUSHALL [ASYNC | SYNC] */
    public static void flushall(CommandContext c) {
        if (!flushMode(c)) {
            return;
        }
        emptyData(c);
        // As Redis's flushAllDataAndResetRDB: a save in progress is dropped, and with save points the
        // (now empty) dataset is saved at once, so a restart does not bring the keys back.
        c.server.rdb().cancel();
        if (c.server.rdb().hasSavePoints() && !c.keyspace().loading()) {
            c.server.rdb().save();
        }
        c.keyspace().changed();
        c.server.tracking().flushed(c.client);
        c.reply.ok();
    }

    /** Empties every database (Redis's emptyData): WATCHers touched, blocked stream readers told. */
    public static void emptyData(CommandContext c) {
        for (int i = 0; i < c.keyspace().databases(); i++) {
            c.server.transactions().touchDb(c.keyspace().db(i), null);
        }
        c.keyspace().flushAll();
        for (int i = 0; i < c.keyspace().databases(); i++) {
            c.server.blocking().signalDb(c.keyspace().db(i));
        }
    }

    /**
     * A replica's image, loaded aside, replaces the data (Redis's swapMainDbWithTempDb): WATCHers
     * of keys in either touched, blocked clients' keys rechecked, tracking clients told as on a
     * flush; {@code loaded} is left holding the old data.
     */
    public static void swapInData(CommandContext c, Database[] loaded) {
        for (int i = 0; i < c.keyspace().databases(); i++) {
            c.server.transactions().touchDb(c.keyspace().db(i), loaded[i]);
        }
        c.keyspace().swapAll(loaded);
        for (int i = 0; i < c.keyspace().databases(); i++) {
            c.server.blocking().signalDb(c.keyspace().db(i));
        }
        c.server.tracking().flushed(null);
    }

    private static boolean flushMode(CommandContext c) {
        if (c.argc > 2) {
            c.reply.error(Errors.SYNTAX);
            return false;
        }
        if (c.argc == 2 && !c.argIs(1, "ASYNC") && !c.argIs(1, "SYNC")) {
            c.reply.error(Errors.SYNTAX);
            return false;
        }
        return true;
    }
}
