package dev.quokka.command.keys;

import dev.quokka.acl.Selector;
import dev.quokka.command.Acl;
import dev.quokka.command.Args;
import dev.quokka.command.ArgumentDoc;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Errors;
import dev.quokka.command.Flag;
import dev.quokka.command.KeySpec;
import dev.quokka.command.Values;
import dev.quokka.command.acl.AclCheck;
import dev.quokka.config.KeyspaceEvents;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.HashValue;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.ListValue;
import dev.quokka.keyspace.SetValue;
import dev.quokka.keyspace.ZSetValue;
import dev.quokka.protocol.Numbers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * SORT and SORT_RO (Redis's {@code sort.c}): the elements of a list, set or sorted set, sorted as
 * numbers or ({@code ALPHA}) as bytes, by themselves or by keys a {@code BY} pattern names
 * ({@code *} is replaced by the element, {@code ->field} reads a hash field; a pattern without
 * {@code *} means no sorting), a {@code LIMIT} window, {@code GET} patterns ({@code #} is the
 * element), and {@code STORE} into a list.
 */
public final class SortCommand {
    private SortCommand() {
    }

    /** Declares SORT and SORT_RO: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        String complexity = "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number "
            + "of returned elements. When the elements are not sorted, complexity is O(N).";
        String byGetNote = "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from "
            + "the content of the key we sort";
        t.add("sort", -2, c -> sort(c, false)).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1)
            .keyFinder(SortCommand::storeKey).acl(Acl.SET, Acl.SORTEDSET, Acl.LIST, Acl.DANGEROUS)
            .doc("generic", "1.0.0", "Sort the elements in a list, set or sorted set")
            .complexity(complexity)
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec(byGetNote, "RO access", KeySpec.unknownBegin(), KeySpec.unknownFind())
            .keySpec("For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in "
                + "the argument array", "OW update", KeySpec.unknownBegin(), KeySpec.unknownFind())
            .args(arguments(true));
        t.add("sort_ro", -2, c -> sort(c, true)).flags(Flag.READONLY).keys(1, 1, 1)
            .keyFinder((argv, argc, out) -> { }).acl(Acl.SET, Acl.SORTEDSET, Acl.LIST, Acl.DANGEROUS)
            .doc("generic", "7.0.0", "Sort the elements in a list, set or sorted set. Read-only variant of SORT.")
            .complexity(complexity)
            .keySpec("RO access", KeySpec.index(1), KeySpec.range(0, 1, 0))
            .keySpec(byGetNote, "RO access", KeySpec.unknownBegin(), KeySpec.unknownFind())
            .args(arguments(false));
    }

    /** SORT's arguments (COMMAND DOCS); SORT_RO's are the same without STORE. */
    private static ArgumentDoc[] arguments(boolean store) {
        List<ArgumentDoc> args = new ArrayList<>(List.of(arg("key", "key").keySpec(0),
            arg("pattern", "pattern").keySpec(1).token("BY").optional(),
            arg("offset_count", "block").token("LIMIT").optional().of(
                arg("offset", "integer"),
                arg("count", "integer")),
            arg("pattern", "pattern").keySpec(1).token("GET").optional().multiple().multipleToken(),
            arg("order", "oneof").optional().of(
                arg("asc", "pure-token").token("ASC"),
                arg("desc", "pure-token").token("DESC")),
            arg("sorting", "pure-token").token("ALPHA").optional()));
        if (store) {
            args.add(arg("destination", "key").keySpec(2).token("STORE").optional());
        }
        return args.toArray(new ArgumentDoc[0]);
    }

    /** Redis's sortGetKeys: the last STORE's key (options skip their arguments; STORE does not). */
    private static void storeKey(byte[][] argv, int argc, List<Integer> out) {
        int store = -1;
        for (int i = 2; i < argc; i++) {
            String a = new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1);
            if (a.equalsIgnoreCase("limit")) {
                i += 2;
            } else if (a.equalsIgnoreCase("get") || a.equalsIgnoreCase("by")) {
                i += 1;
            } else if (a.equalsIgnoreCase("store") && i + 1 < argc) {
                store = i + 1;
            }
        }
        if (store > 0) {
            out.add(store);
        }
    }

    /** One element being sorted: the element, and its weight as a number or as bytes (null: none). */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] by;

        Item(byte[] element) {
            this.element = element;
        }
    }

    /**
     * BY and GET patterns read keys the key specs do not name: Redis allows them only to a user
     * with read access to every key (ACLUserCheckCmdWithUnrestrictedKeyAccess).
     */
    private static boolean fullKeyAccess(CommandContext c) {
        CommandSpec spec = c.server.commands().resolve(c.argv, c.argc);
        return AclCheck.everyKey(c.client.user(), spec, c.argv, c.argc, Selector.READ);
    }

    private static void sort(CommandContext c, boolean readOnly) {
        boolean desc = false;
        boolean alpha = false;
        boolean dontSort = false;
        long limitStart = 0;
        long limitCount = -1;
        byte[] sortBy = null;
        byte[] storeKey = null;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < c.argc; j++) {
            int left = c.argc - j - 1;
            if (c.argIs(j, "asc")) {
                desc = false;
            } else if (c.argIs(j, "desc")) {
                desc = true;
            } else if (c.argIs(j, "alpha")) {
                alpha = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                limitStart = Args.longArg(c, j + 1);
                limitCount = Args.longArg(c, j + 2);
                j += 2;
            } else if (!readOnly && c.argIs(j, "store") && left >= 1) {
                storeKey = c.argv[++j];
            } else if (c.argIs(j, "by") && left >= 1) {
                sortBy = c.argv[++j];
                dontSort = indexOf(sortBy, (byte) '*', 0) < 0;
                if (!dontSort && !fullKeyAccess(c)) {
                    throw new CommandError("ERR BY option of SORT denied due to insufficient ACL permissions.");
                }
            } else if (c.argIs(j, "get") && left >= 1) {
                if (!fullKeyAccess(c)) {
                    throw new CommandError("ERR GET option of SORT denied due to insufficient ACL permissions.");
                }
                gets.add(c.argv[++j]);
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        Keyspace ks = c.keyspace();
        Entry e = ks.read(c.db(), c.argv[1]);
        Object value = e == null ? null : e.value();
        if (value != null && !(value instanceof ListValue) && !(value instanceof SetValue) && !(value instanceof ZSetValue)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        // A set's own order is its hash order: with STORE, Redis sorts it (ALPHA) so that the result is reproducible.
        if (dontSort && value instanceof SetValue && storeKey != null) {
            dontSort = false;
            alpha = true;
            sortBy = null;
        }
        int length = value == null ? 0 : value instanceof ListValue l ? l.size()
            : value instanceof SetValue s ? s.size() : ((ZSetValue) value).size();
        long start = Math.min(Math.max(limitStart, 0), length);
        long count = Math.min(Math.max(limitCount, -1), length);
        long end = count < 0 ? length - 1 : start + count - 1;
        if (start >= length) {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) {
            end = length - 1;
        }
        Item[] items;
        if (dontSort && (value instanceof ListValue || value instanceof ZSetValue)) {
            // Native order (reversed by DESC), only the LIMIT window.
            int n = (int) Math.max(end - start + 1, 0);
            items = new Item[n];
            if (value instanceof ListValue l) {
                for (int i = 0; i < n; i++) {
                    items[i] = new Item(l.get(desc ? (int) (length - start - 1 - i) : (int) (start + i)));
                }
            } else if (n > 0) {
                ZSetValue z = (ZSetValue) value;
                int[] k = {0};
                long from = desc ? length - 1 - end : start;
                long to = desc ? length - 1 - start : end;
                z.range(from, to, desc, (m, s) -> items[k[0]++] = new Item(m));
            }
            end -= start;
            start = 0;
        } else {
            items = new Item[length];
            int[] k = {0};
            if (value instanceof ListValue l) {
                for (int i = 0; i < length; i++) {
                    items[i] = new Item(l.get(i));
                }
            } else if (value instanceof SetValue s) {
                s.forEach(m -> items[k[0]++] = new Item(m));
            } else if (value instanceof ZSetValue z) {
                z.range(0, length - 1, false, (m, sc) -> items[k[0]++] = new Item(m));
            }
        }
        boolean conversionError = false;
        if (!dontSort) {
            for (Item it : items) {
                byte[] by = it.element;
                if (sortBy != null) {
                    by = lookup(c, sortBy, it.element);
                    if (by == null) {
                        continue;
                    }
                }
                if (alpha) {
                    if (sortBy != null) {
                        it.by = by;
                    }
                } else {
                    double d = sortScore(by);
                    if (Double.isNaN(d)) {
                        conversionError = true;
                    } else {
                        it.score = d;
                    }
                }
            }
            Comparator<Item> order = alpha ? (sortBy != null ? SortCommand::compareBy : SortCommand::compareElements)
                : SortCommand::compareScores;
            Arrays.sort(items, desc ? order.reversed() : order);
        }
        if (conversionError) {
            throw new CommandError("ERR One or more scores can't be converted into double");
        }
        int outputLength = (int) ((gets.isEmpty() ? 1 : gets.size()) * Math.max(end - start + 1, 0));
        if (storeKey == null) {
            c.reply.array(outputLength);
            for (long j = start; j <= end; j++) {
                if (gets.isEmpty()) {
                    c.reply.bulk(items[(int) j].element);
                }
                for (byte[] pattern : gets) {
                    byte[] v = lookup(c, pattern, items[(int) j].element);
                    if (v == null) {
                        c.reply.nullBulk();
                    } else {
                        c.reply.bulk(v);
                    }
                }
            }
            return;
        }
        ListValue out = new ListValue();
        for (long j = start; j <= end; j++) {
            if (gets.isEmpty()) {
                out.addLast(items[(int) j].element);
            }
            for (byte[] pattern : gets) {
                // A copy: a string key's array may be edited in place later (Keyspace.editableString).
                byte[] v = lookup(c, pattern, items[(int) j].element);
                out.addLast(v == null ? EMPTY : v.clone());
            }
        }
        Values.store(c, storeKey, out, KeyspaceEvents.LIST, "sortstore");
    }

    private static final byte[] EMPTY = new byte[0];

    private static int compareScores(Item a, Item b) {
        int cmp = Double.compare(a.score == 0.0 ? 0.0 : a.score, b.score == 0.0 ? 0.0 : b.score);
        return cmp != 0 ? cmp : Arrays.compareUnsigned(a.element, b.element);
    }

    private static int compareElements(Item a, Item b) {
        return Arrays.compareUnsigned(a.element, b.element);
    }

    /** ALPHA BY: elements without a weight key sort first. */
    private static int compareBy(Item a, Item b) {
        if (a.by == null || b.by == null) {
            return a.by == b.by ? 0 : a.by == null ? -1 : 1;
        }
        return Arrays.compareUnsigned(a.by, b.by);
    }

    /**
     * Redis's {@code strtod} check in SORT: leading blanks are skipped, the empty string is 0, and
     * anything after the number, NaN and out-of-range values are errors (returned as NaN).
     */
    private static double sortScore(byte[] b) {
        if (b.length == 0) {
            return 0;
        }
        long v = Numbers.parseLong(b);
        if (v != Numbers.INVALID && v > -(1L << 53) && v < (1L << 53)) {
            return v; // a plain integer (the common case): exactly what strtod reads
        }
        // strtod on a C string: blanks before the number are skipped, a NUL ends the string.
        Numbers.Strtod r = Numbers.strtod(b, 0);
        if ((r.end() != b.length && b[r.end()] != 0) || r.outOfRange() || Double.isNaN(r.value())) {
            return Double.NaN;
        }
        return r.value();
    }

    /**
     * Redis's {@code lookupKeyByPattern}: {@code #} is the element itself; otherwise the first
     * {@code *} is replaced by the element and the key read as a string, or with {@code ->field}
     * after the {@code *} as a hash field; null when the pattern has no {@code *}, the key is
     * missing or of another type.
     */
    private static byte[] lookup(CommandContext c, byte[] pattern, byte[] element) {
        if (pattern.length == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i + 2 < pattern.length ? i : -1;
                break;
            }
        }
        int keyEnd = arrow >= 0 ? arrow : pattern.length;
        byte[] key = new byte[star + element.length + keyEnd - star - 1];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        Entry e = c.keyspace().read(c.db(), key);
        if (e == null) {
            return null;
        }
        if (arrow >= 0) {
            return e.value() instanceof HashValue h ? h.get(Arrays.copyOfRange(pattern, arrow + 2, pattern.length)) : null;
        }
        return e.value() instanceof byte[] b ? b : null;
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
