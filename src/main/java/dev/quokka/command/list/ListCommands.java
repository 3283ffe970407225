package dev.quokka.command.list;

import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.command.MultiKeyPop;
import dev.quokka.command.Values;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.keyspace.Collection;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.ListValue;
import dev.quokka.persistence.Effects;
import dev.quokka.protocol.Numbers;

import java.util.Arrays;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * The list group (Redis's {@code t_list.c}), blocking pops included. A list is a
 * {@link ListValue} changed in place; a list that becomes empty is deleted.
 */
public final class ListCommands {
    private ListCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        t.add("lpush", -3, ListCommands::lpush).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "1.0.0", "Prepend one or multiple elements to a list")
            .keySpec("RW insert", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
            .args(arg("key", "key").keySpec(0),
                arg("element", "string").multiple())
            .history("2.4.0", "Accepts multiple `element` arguments.");
        t.add("rpush", -3, ListCommands::rpush).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "1.0.0", "Append one or multiple elements to a list")
            .keySpec("RW insert", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
            .args(arg("key", "key").keySpec(0),
                arg("element", "string").multiple())
            .history("2.4.0", "Accepts multiple `element` arguments.");
        t.add("lpushx", -3, ListCommands::lpushx).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "2.2.0", "Prepend an element to a list, only if the list exists")
            .keySpec("RW insert", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
            .args(arg("key", "key").keySpec(0),
                arg("element", "string").multiple())
            .history("4.0.0", "Accepts multiple `element` arguments.");
        t.add("rpushx", -3, ListCommands::rpushx).flags(Flag.WRITE, Flag.DENYOOM, Flag.FAST).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "2.2.0", "Append an element to a list, only if the list exists")
            .keySpec("RW insert", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
            .args(arg("key", "key").keySpec(0),
                arg("element", "string").multiple())
            .history("4.0.0", "Accepts multiple `element` arguments.");
        t.add("linsert", 5, ListCommands::linsert).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "2.2.0", "Insert an element before or after another element in a list")
            .keySpec("RW insert", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).")
            .args(arg("key", "key").keySpec(0),
                arg("where", "oneof").of(
                    arg("before", "pure-token").token("BEFORE"),
                    arg("after", "pure-token").token("AFTER")),
                arg("pivot", "string"),
                arg("element", "string"));
        t.add("llen", 2, ListCommands::llen).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "1.0.0", "Get the length of a list")
            .keySpec("RO", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("key", "key").keySpec(0));
        t.add("lindex", 3, ListCommands::lindex).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "1.0.0", "Get an element from a list by its index")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).")
            .args(arg("key", "key").keySpec(0),
                arg("index", "integer"));
        t.add("lrange", 4, ListCommands::lrange).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "1.0.0", "Get a range of elements from a list")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.")
            .args(arg("key", "key").keySpec(0),
                arg("start", "integer"),
                arg("stop", "integer"));
        t.add("lpos", -3, ListCommands::lpos).flags(Flag.READONLY).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "6.0.6", "Return the index of matching elements on a list")
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.")
            .args(arg("key", "key").keySpec(0),
                arg("element", "string"),
                arg("rank", "integer").token("RANK").optional(),
                arg("num-matches", "integer").token("COUNT").optional(),
                arg("len", "integer").token("MAXLEN").optional());
        t.add("lset", 4, ListCommands::lset).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "1.0.0", "Set the value of an element in a list by its index")
            .keySpec("RW update", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).")
            .args(arg("key", "key").keySpec(0),
                arg("index", "integer"),
                arg("element", "string"));
        t.add("ltrim", 4, ListCommands::ltrim).flags(Flag.WRITE).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "1.0.0", "Trim a list to the specified range")
            .keySpec("RW delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of elements to be removed by the operation.")
            .args(arg("key", "key").keySpec(0),
                arg("start", "integer"),
                arg("stop", "integer"));
        t.add("lrem", 4, ListCommands::lrem).flags(Flag.WRITE).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "1.0.0", "Remove elements from a list")
            .keySpec("RW delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N+M) where N is the length of the list and M is the number of elements removed.")
            .args(arg("key", "key").keySpec(0),
                arg("count", "integer"),
                arg("element", "string"));
        t.add("lpop", -2, ListCommands::lpop).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "1.0.0", "Remove and get the first elements in a list")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of elements returned")
            .args(arg("key", "key").keySpec(0),
                arg("count", "integer").since("6.2.0").optional())
            .history("6.2.0", "Added the `count` argument.");
        t.add("rpop", -2, ListCommands::rpop).flags(Flag.WRITE, Flag.FAST).keys(1, 1, 1).acl(Acl.LIST)
            .doc("list", "1.0.0", "Remove and get the last elements in a list")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .complexity("O(N) where N is the number of elements returned")
            .args(arg("key", "key").keySpec(0),
                arg("count", "integer").since("6.2.0").optional())
            .history("6.2.0", "Added the `count` argument.");
        t.add("lmpop", -4, ListCommands::lmpop).flags(Flag.WRITE).numkeys(1).acl(Acl.LIST)
            .doc("list", "7.0.0", "Pop elements from a list")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.keynum(0, 1, 1))
            .complexity("O(N+M) where N is the number of provided keys and M is the number of elements returned.")
            .args(arg("numkeys", "integer"),
                arg("key", "key").keySpec(0).multiple(),
                arg("where", "oneof").of(
                    arg("left", "pure-token").token("LEFT"),
                    arg("right", "pure-token").token("RIGHT")),
                arg("count", "integer").token("COUNT").optional());
        t.add("blmpop", -5, ListCommands::blmpop).flags(Flag.WRITE, Flag.BLOCKING).numkeys(2).acl(Acl.LIST)
            .doc("list", "7.0.0", "Pop elements from a list, or block until one is available")
            .keySpec("RW access delete", KeySpec.index(2), KeySpec.keynum(0, 1, 1))
            .complexity("O(N+M) where N is the number of provided keys and M is the number of elements returned.")
            .args(arg("timeout", "double"),
                arg("numkeys", "integer"),
                arg("key", "key").keySpec(0).multiple(),
                arg("where", "oneof").of(
                    arg("left", "pure-token").token("LEFT"),
                    arg("right", "pure-token").token("RIGHT")),
                arg("count", "integer").token("COUNT").optional());
        t.add("blpop", -3, ListCommands::blpop).flags(Flag.WRITE, Flag.NOSCRIPT, Flag.BLOCKING).keys(1, -2, 1).acl(Acl.LIST)
            .doc("list", "2.0.0", "Remove and get the first element in a list, or block until one is available")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(-2, 1, 0))
            .complexity("O(N) where N is the number of provided keys.")
            .args(arg("key", "key").keySpec(0).multiple(),
                arg("timeout", "double"))
            .history("6.0.0", "`timeout` is interpreted as a double instead of an integer.");
        t.add("brpop", -3, ListCommands::brpop).flags(Flag.WRITE, Flag.NOSCRIPT, Flag.BLOCKING).keys(1, -2, 1).acl(Acl.LIST)
            .doc("list", "2.0.0", "Remove and get the last element in a list, or block until one is available")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(-2, 1, 0))
            .complexity("O(N) where N is the number of provided keys.")
            .args(arg("key", "key").keySpec(0).multiple(),
                arg("timeout", "double"))
            .history("6.0.0", "`timeout` is interpreted as a double instead of an integer.");
        t.add("lmove", 5, ListCommands::lmove).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1).acl(Acl.LIST)
            .doc("list", "6.2.0", "Pop an element from a list, push it to another list and return it")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RW insert", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("source", "key").keySpec(0),
                arg("destination", "key").keySpec(1),
                arg("wherefrom", "oneof").of(
                    arg("left", "pure-token").token("LEFT"),
                    arg("right", "pure-token").token("RIGHT")),
                arg("whereto", "oneof").of(
                    arg("left", "pure-token").token("LEFT"),
                    arg("right", "pure-token").token("RIGHT")));
        t.add("rpoplpush", 3, ListCommands::rpoplpush).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 2, 1).acl(Acl.LIST)
            .doc("list", "1.2.0", "Remove the last element in a list, prepend it to another list and return it")
            .deprecated("6.2.0", "`LMOVE` with the `RIGHT` and `LEFT` arguments")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RW insert", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("source", "key").keySpec(0),
                arg("destination", "key").keySpec(1));
        t.add("blmove", 6, ListCommands::blmove).flags(Flag.WRITE, Flag.DENYOOM, Flag.NOSCRIPT, Flag.BLOCKING).keys(1, 2, 1).acl(Acl.LIST)
            .doc("list", "6.2.0", "Pop an element from a list, push it to another list and return it; or block until one is available")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RW insert", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .args(arg("source", "key").keySpec(0),
                arg("destination", "key").keySpec(1),
                arg("wherefrom", "oneof").of(
                    arg("left", "pure-token").token("LEFT"),
                    arg("right", "pure-token").token("RIGHT")),
                arg("whereto", "oneof").of(
                    arg("left", "pure-token").token("LEFT"),
                    arg("right", "pure-token").token("RIGHT")),
                arg("timeout", "double"));
        t.add("brpoplpush", 4, ListCommands::brpoplpush).flags(Flag.WRITE, Flag.DENYOOM, Flag.NOSCRIPT, Flag.BLOCKING).keys(1, 2, 1).acl(Acl.LIST)
            .doc("list", "2.2.0", "Pop an element from a list, push it to another list and return it; or block until one is available")
            .deprecated("6.2.0", "`BLMOVE` with the `RIGHT` and `LEFT` arguments")
            .keySpec("RW access delete", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec("RW insert", KeySpec.index(2), KeySpec.range(0, 1, 0))
            .complexity("O(1)")
            .history("6.0.0", "`timeout` is interpreted as a double instead of an integer.")
            .args(arg("source", "key").keySpec(0),
                arg("destination", "key").keySpec(1),
                arg("timeout", "double"));
    }

    // ---- push

    /** LPUSH key element [element ...] */
    public static void lpush(CommandContext c) {
        push(c, true, false);
    }

    /** RPUSH key element [element ...] */
    public static void rpush(CommandContext c) {
        push(c, false, false);
    }

    /** LPUSHX key element [element ...] */
    public static void lpushx(CommandContext c) {
        push(c, true, true);
    }

    /** RPUSHX key element [element ...] */
    public static void rpushx(CommandContext c) {
        push(c, false, true);
    }

    private static void push(CommandContext c, boolean head, boolean onlyExisting) {
        Keyspace ks = c.keyspace();
        Database db = c.db();
        Entry e = ks.write(db, c.argv[1]);
        ListValue l;
        if (e == null) {
            if (onlyExisting) {
                c.reply.integer(0);
                return;
            }
            l = new ListValue();
            e = ks.add(db, c.argv[1], l);
        } else if ((l = Values.as(c, e, ListValue.class)) == null) {
            return;
        }
        for (int i = 2; i < c.argc; i++) {
            if (head) {
                l.addFirst(c.argv[i]);
            } else {
                l.addLast(c.argv[i]);
            }
        }
        ks.notify(KeyspaceEvents.LIST, head ? "lpush" : "rpush", c.argv[1], db.id());
        c.reply.integer(l.size());
    }

    /** LINSERT key BEFORE|AFTER pivot element */
    public static void linsert(CommandContext c) {
        boolean after;
        if (c.argIs(2, "AFTER")) {
            after = true;
        } else if (c.argIs(2, "BEFORE")) {
            after = false;
        } else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        Entry e = c.keyspace().write(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.integer(0);
            return;
        }
        ListValue l = Values.as(c, e, ListValue.class);
        if (l == null) {
            return;
        }
        for (int i = 0; i < l.size(); i++) {
            if (l.matches(i, c.argv[3])) {
                l.insert(after ? i + 1 : i, c.argv[4]);
                c.keyspace().notify(KeyspaceEvents.LIST, "linsert", c.argv[1], c.db().id());
                c.reply.integer(l.size());
                return;
            }
        }
        c.reply.integer(-1);
    }

    // ---- read

    /** LLEN key */
    public static void llen(CommandContext c) {
        ListValue l = Values.read(c, c.argv[1], ListValue.class, () -> c.reply.integer(0));
        if (l != null) {
            c.reply.integer(l.size());
        }
    }

    /** LINDEX key index */
    public static void lindex(CommandContext c) {
        ListValue l = Values.read(c, c.argv[1], ListValue.class, c.reply::nullBulk);
        if (l == null) {
            return;
        }
        long i = Args.longArg(c, 2);
        if (i < 0) {
            i += l.size();
        }
        if (i < 0 || i >= l.size()) {
            c.reply.nullBulk();
        } else {
            c.reply.bulk(l.get((int) i));
        }
    }

    /** LRANGE key start stop */
    public static void lrange(CommandContext c) {
        long start = Args.longArg(c, 2);
        long end = Args.longArg(c, 3);
        ListValue l = Values.read(c, c.argv[1], ListValue.class, c.reply::emptyArray);
        if (l == null) {
            return;
        }
        long[] r = Args.indexRange(start, end, l.size());
        start = r[0];
        end = r[1];
        c.reply.array((int) (end - start + 1));
        l.range((int) start, (int) end, c.reply::bulk);
    }

    /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
    public static void lpos(CommandContext c) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < c.argc; j += 2) {
            if (j + 1 >= c.argc) {
                c.reply.error(Errors.SYNTAX);
                return;
            }
            if (c.argIs(j, "RANK")) {
                rank = Args.longArg(c, j + 1);
                if (rank == 0) {
                    c.reply.error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                        + "or use negative to start from the end of the list");
                    return;
                }
            } else if (c.argIs(j, "COUNT")) {
                count = Args.nonNegative(c, j + 1, "ERR COUNT can't be negative");
            } else if (c.argIs(j, "MAXLEN")) {
                maxlen = Args.nonNegative(c, j + 1, "ERR MAXLEN can't be negative");
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        boolean many = count >= 0;
        ListValue l = Values.read(c, c.argv[1], ListValue.class, many ? c.reply::emptyArray : c.reply::nullBulk);
        if (l == null) {
            return;
        }
        int n = l.size();
        boolean fromTail = rank < 0;
        long skip = fromTail ? -(rank + 1) : rank - 1; // matches to pass over before the first one reported
        long limit = many && count > 0 ? count : Long.MAX_VALUE;
        long[] found = new long[many ? (int) Math.min(Math.min(limit, n), 1024) : 1];
        int nfound = 0;
        long scanned = 0;
        for (int k = 0; k < n && (maxlen == 0 || scanned < maxlen); k++, scanned++) {
            int i = fromTail ? n - 1 - k : k;
            if (!l.matches(i, c.argv[2])) {
                continue;
            }
            if (skip > 0) {
                skip--;
                continue;
            }
            if (nfound == found.length) {
                found = Arrays.copyOf(found, found.length * 2);
            }
            found[nfound++] = i;
            if (!many || nfound >= limit) {
                break;
            }
        }
        if (!many) {
            if (nfound == 0) {
                c.reply.nullBulk();
            } else {
                c.reply.integer(found[0]);
            }
            return;
        }
        c.reply.array(nfound);
        for (int i = 0; i < nfound; i++) {
            c.reply.integer(found[i]);
        }
    }

    // ---- change

    /** LSET key index element */
    public static void lset(CommandContext c) {
        Entry e = c.keyspace().write(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.error(Errors.NO_SUCH_KEY);
            return;
        }
        ListValue l = Values.as(c, e, ListValue.class);
        if (l == null) {
            return;
        }
        long i = Args.longArg(c, 2);
        if (i < 0) {
            i += l.size();
        }
        if (i < 0 || i >= l.size()) {
            c.reply.error("ERR index out of range");
            return;
        }
        l.set((int) i, c.argv[3]);
        c.keyspace().notify(KeyspaceEvents.LIST, "lset", c.argv[1], c.db().id());
        c.reply.ok();
    }

    /** LTRIM key start stop */
    public static void ltrim(CommandContext c) {
        long start = Args.longArg(c, 2);
        long end = Args.longArg(c, 3);
        Entry e = c.keyspace().write(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.ok();
            return;
        }
        ListValue l = Values.as(c, e, ListValue.class);
        if (l == null) {
            return;
        }
        long[] r = Args.indexRange(start, end, l.size());
        if (r[0] > 0 || r[1] < l.size() - 1) {
            l.keep((int) r[0], (int) r[1]); // to -1 from 0: nothing kept
        }
        c.keyspace().notify(KeyspaceEvents.LIST, "ltrim", c.argv[1], c.db().id());
        Values.dropIfEmpty(c, c.db(), c.argv[1], l);
        c.reply.ok();
    }

    /** LREM key count element */
    public static void lrem(CommandContext c) {
        long count = Args.longArg(c, 2);
        Entry e = c.keyspace().write(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.integer(0);
            return;
        }
        ListValue l = Values.as(c, e, ListValue.class);
        if (l == null) {
            return;
        }
        int n = l.size();
        int[] found = new int[16];
        int removed = 0;
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count == Long.MIN_VALUE ? Long.MAX_VALUE : count);
        for (int k = 0; k < n && removed < limit; k++) {
            int i = count < 0 ? n - 1 - k : k;
            if (l.matches(i, c.argv[3])) {
                if (removed == found.length) {
                    found = Arrays.copyOf(found, removed * 2);
                }
                found[removed++] = i;
            }
        }
        if (removed > 0) {
            if (count < 0) {
                // found from the tail: the removal takes the indexes ascending
                for (int a = 0, b = removed - 1; a < b; a++, b--) {
                    int t = found[a];
                    found[a] = found[b];
                    found[b] = t;
                }
            }
            l.removeAt(found, removed);
            c.keyspace().notify(KeyspaceEvents.LIST, "lrem", c.argv[1], c.db().id());
            Values.dropIfEmpty(c, c.db(), c.argv[1], l);
        }
        c.reply.integer(removed);
    }

    // ---- pop

    /** LPOP key [count] */
    public static void lpop(CommandContext c) {
        pop(c, true);
    }

    /** RPOP key [count] */
    public static void rpop(CommandContext c) {
        pop(c, false);
    }

    private static void pop(CommandContext c, boolean head) {
        if (c.argc > 3) {
            c.reply.error("ERR wrong number of arguments for '" + (head ? "lpop" : "rpop") + "' command");
            return;
        }
        long count = Args.popCount(c);
        Entry e = c.keyspace().write(c.db(), c.argv[1]);
        if (e == null) {
            if (count >= 0) {
                c.reply.nullArray();
            } else {
                c.reply.nullBulk();
            }
            return;
        }
        ListValue l = Values.as(c, e, ListValue.class);
        if (l == null) {
            return;
        }
        if (count == 0) {
            c.reply.emptyArray();
            return;
        }
        int n = count < 0 ? 1 : (int) Math.min(count, l.size());
        if (count >= 0) {
            c.reply.array(n);
        }
        replyPopped(c, l, head, n);
        popped(c, c.db(), c.argv[1], l, head);
    }

    /** Pops {@code n} elements from one end, each written as a bulk reply from the list's bytes. */
    private static void replyPopped(CommandContext c, ListValue l, boolean head, int n) {
        ListValue.Slice reply = c.reply::bulk;
        for (int i = 0; i < n; i++) {
            if (head) {
                l.removeFirst(reply);
            } else {
                l.removeLast(reply);
            }
        }
    }

    private static void popped(CommandContext c, Database db, byte[] key, ListValue l, boolean head) {
        c.keyspace().notify(KeyspaceEvents.LIST, head ? "lpop" : "rpop", key, db.id());
        Values.dropIfEmpty(c, db, key, l);
    }

    /** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
    public static void lmpop(CommandContext c) {
        MultiKeyPop.mpop(c, 1, -1, "LEFT", "RIGHT", ListValue.class, ListCommands::popFrom);
    }

    /** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
    public static void blmpop(CommandContext c) {
        MultiKeyPop.mpop(c, 2, 1, "LEFT", "RIGHT", ListValue.class, ListCommands::popFrom);
    }

    /** The pop of the list commands over several keys, and its reply (see {@link MultiKeyPop.Pop}). */
    private static void popFrom(CommandContext c, byte[] key, Collection value, boolean head, long count) {
        ListValue l = (ListValue) value;
        c.reply.array(2);
        c.reply.bulk(key);
        if (count < 0) {
            replyPopped(c, l, head, 1);
            popped(c, c.db(), key, l, head);
            c.propagateAs = new byte[][] {head ? Effects.LPOP : Effects.RPOP, key};
            return;
        }
        int n = (int) Math.min(count, l.size());
        c.reply.array(n);
        replyPopped(c, l, head, n);
        popped(c, c.db(), key, l, head);
        c.propagateAs = new byte[][] {head ? Effects.LPOP : Effects.RPOP, key, Numbers.toBytes(n)};
    }

    /** BLPOP key [key ...] timeout */
    public static void blpop(CommandContext c) {
        MultiKeyPop.bpop(c, ListValue.class, true, ListCommands::popFrom);
    }

    /** BRPOP key [key ...] timeout */
    public static void brpop(CommandContext c) {
        MultiKeyPop.bpop(c, ListValue.class, false, ListCommands::popFrom);
    }

    // ---- move

    /** Parses LEFT/RIGHT at {@code i}: true for LEFT. */
    private static boolean side(CommandContext c, int i) {
        if (c.argIs(i, "LEFT")) {
            return true;
        }
        if (c.argIs(i, "RIGHT")) {
            return false;
        }
        throw new CommandError(Errors.SYNTAX);
    }

    /** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
    public static void lmove(CommandContext c) {
        boolean fromLeft = side(c, 3);
        move(c, fromLeft, side(c, 4), -1);
    }

    /** RPOPLPUSH source destination */
    public static void rpoplpush(CommandContext c) {
        move(c, false, true, -1);
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
    public static void blmove(CommandContext c) {
        boolean fromLeft = side(c, 3);
        boolean toLeft = side(c, 4);
        move(c, fromLeft, toLeft, Args.timeout(c, 5));
    }

    /** BRPOPLPUSH source destination timeout */
    public static void brpoplpush(CommandContext c) {
        long timeout = Args.timeout(c, 3);
        move(c, false, true, timeout);
    }

    private static void move(CommandContext c, boolean fromHead, boolean toHead, long timeout) {
        Keyspace ks = c.keyspace();
        Database db = c.db();
        byte[] src = c.argv[1];
        byte[] dst = c.argv[2];
        Entry se = ks.write(db, src);
        if (se == null || (c.client.servingBlocked() && !(se.value() instanceof ListValue))) {
            if (timeout < 0 || !c.block(new byte[][] {src}, timeout)) {
                c.reply.nullBulk();
            }
            return;
        }
        if (Values.as(c, se, ListValue.class) == null) {
            return;
        }
        Entry de = ks.write(db, dst);
        if (Values.wrongType(c, de, ListValue.class)) {
            return;
        }
        ListValue sl = (ListValue) se.value();
        byte[] v = fromHead ? sl.removeFirst() : sl.removeLast();
        // Redis's order (lmoveGenericCommand): the push and its event, then the pop's event, then
        // the source's deletion if it is empty (a one-element rotation keeps its list).
        ListValue dl;
        if (de == null) {
            dl = new ListValue();
            ks.add(db, dst, dl);
        } else {
            dl = (ListValue) de.value();
        }
        if (toHead) {
            dl.addFirst(v);
        } else {
            dl.addLast(v);
        }
        ks.notify(KeyspaceEvents.LIST, toHead ? "lpush" : "rpush", dst, db.id());
        ks.notify(KeyspaceEvents.LIST, fromHead ? "lpop" : "rpop", src, db.id());
        Values.dropIfEmpty(c, db, src, sl);
        c.reply.bulk(v);
        if (timeout >= 0) {
            // As Redis: BRPOPLPUSH is recorded as RPOPLPUSH, BLMOVE as LMOVE.
            c.propagateAs = !fromHead && toHead && c.argc == 4 ? new byte[][] {Effects.RPOPLPUSH, src, dst}
                : new byte[][] {Effects.LMOVE, src, dst, fromHead ? Effects.LEFT : Effects.RIGHT,
                    toHead ? Effects.LEFT : Effects.RIGHT};
        }
    }
}
