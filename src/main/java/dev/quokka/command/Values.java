package dev.quokka.command;

import dev.quokka.keyspace.BytesMap;
import dev.quokka.keyspace.Collection;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Glob;
import dev.quokka.keyspace.Keyspace;
import dev.quokka.keyspace.KeyspaceEvents;
import dev.quokka.protocol.Numbers;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the collection groups share: the typed look-up that replies WRONGTYPE (Redis's
 * {@code checkType}), the deletion of a key whose collection became empty, and the argument
 * forms several groups parse (numkeys, blocking timeouts).
 */
public final class Values {
    private Values() {
    }

    /**
     * The collection of {@code type} at the live entry {@code e}; null, after replying WRONGTYPE,
     * when it holds another type (Redis's {@code checkType}).
     */
    public static <T extends Collection> T as(CommandContext c, Entry e, Class<T> type) {
        Object v = e.value();
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        c.reply.error(Errors.WRONGTYPE);
        return null;
    }

    /**
     * The collection of {@code type} at {@code key}, looked up for reading; null when the key is
     * absent (after running {@code ifMissing}, which replies) or holds another type (WRONGTYPE).
     */
    public static <T extends Collection> T read(CommandContext c, byte[] key, Class<T> type, Runnable ifMissing) {
        Entry e = c.keyspace().read(c.db(), key);
        if (e == null) {
            ifMissing.run();
            return null;
        }
        return as(c, e, type);
    }

    /**
     * SREM, HDEL and ZREM: removes the members named from argument 2 on with {@code remove}, then
     * notifies {@code event} and deletes the key if it emptied; replies the number removed.
     */
    public static <T extends Collection> void removeMembers(CommandContext c, Class<T> type, int eventType, String event,
                                                            java.util.function.BiPredicate<T, byte[]> remove) {
        Entry e = c.keyspace().write(c.db(), c.argv[1]);
        if (e == null) {
            c.reply.integer(0);
            return;
        }
        T v = as(c, e, type);
        if (v == null) {
            return;
        }
        int removed = 0;
        for (int i = 2; i < c.argc && v.size() > 0; i++) {
            if (remove.test(v, c.argv[i])) {
                removed++;
            }
        }
        if (removed > 0) {
            c.keyspace().notify(eventType, event, c.argv[1], c.db().id());
            dropIfEmpty(c, c.db(), c.argv[1], v);
        }
        c.reply.integer(removed);
    }

    /** Whether {@code e} (live or null) holds something other than {@code type}; replies WRONGTYPE if so. */
    public static boolean wrongType(CommandContext c, Entry e, Class<? extends Collection> type) {
        if (e != null && !type.isInstance(e.value())) {
            c.reply.error(Errors.WRONGTYPE);
            return true;
        }
        return false;
    }

    /** Deletes {@code key} when its collection has become empty (Redis never stores one), with the "del" event. */
    public static boolean dropIfEmpty(CommandContext c, Database db, byte[] key, Collection v) {
        if (v.size() > 0) {
            return false;
        }
        db.remove(key);
        c.keyspace().notify(KeyspaceEvents.GENERIC, "del", key, db.id());
        return true;
    }

    /**
     * The end of every *STORE command (SINTERSTORE, ZUNIONSTORE, ZRANGESTORE ...): stores
     * {@code out} at {@code dst} replacing whatever was there, or deletes {@code dst} when
     * {@code out} is null or empty (Redis never stores an empty collection); replies the size.
     */
    public static void store(CommandContext c, byte[] dst, Collection out, int eventType, String event) {
        Keyspace ks = c.keyspace();
        Database db = c.db();
        Entry de = ks.write(db, dst);
        if (out == null || out.size() == 0) {
            if (de != null) {
                db.remove(dst);
                ks.notify(KeyspaceEvents.GENERIC, "del", dst, db.id());
            }
            c.reply.integer(0);
            return;
        }
        ks.overwrite(db, de, dst, out, false);
        ks.notify(eventType, event, dst, db.id());
        c.reply.integer(out.size());
    }

    /**
     * Parses the numkeys argument at {@code i} of LMPOP, ZUNION, SINTERCARD ...: positive and
     * no more than the arguments left. Returns it, or -1 after replying the error.
     */
    public static int numkeys(CommandContext c, int i) {
        long n = Args.longArg(c, i, "ERR numkeys should be greater than 0");
        if (n <= 0) {
            c.reply.error("ERR numkeys should be greater than 0");
            return -1;
        }
        if (n > c.argc - i - 1) {
            c.reply.error(Errors.SYNTAX);
            return -1;
        }
        return (int) n;
    }

    /**
     * Redis's {@code getTimeoutFromObjectOrReply} in seconds: returns the wait in milliseconds
     * (0: forever), or -1 after replying the error.
     */
    public static long timeout(CommandContext c, int i) {
        BigDecimal v = Numbers.parseDecimal(c.argv[i]);
        if (v == null) {
            c.reply.error("ERR timeout is not a float or out of range");
            return -1;
        }
        if (v == Numbers.POSITIVE_INFINITY || v.signum() < 0
            || v.multiply(BigDecimal.valueOf(1000)).compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            // Redis converts the milliseconds to a long long: overflow reads as negative.
            c.reply.error("ERR timeout is negative");
            return -1;
        }
        if (v.signum() == 0) {
            return 0;
        }
        double ms = v.doubleValue() * 1000;
        return Math.max(1, (long) Math.ceil(ms));
    }

    /** A score argument (Redis's {@code getDoubleFromObjectOrReply}); NaN after replying the error. */
    public static double score(CommandContext c, int i) {
        double d = Numbers.parseDouble(c.argv[i]);
        if (Double.isNaN(d)) {
            c.reply.error(Errors.NOT_FLOAT);
        }
        return d;
    }

    /**
     * The body of HSCAN, SSCAN and ZSCAN once the cursor is parsed and the type checked
     * (Redis's {@code scanGenericCommand}): options from argument 3 on. A compact value
     * ({@code table} null) is returned whole with cursor 0; a table is walked bucket by bucket.
     * Items are {@code stride} strings each (member, or field and value); MATCH tests the first.
     *
     * @param whole adds every item of a compact value
     * @param node adds the item of a table node
     */
    public static void scan(CommandContext c, long cursor, BytesMap table, int stride, Consumer<List<byte[]>> whole,
                            BiConsumer<BytesMap.Node, List<byte[]>> node) {
        ScanOptions o = scanOptions(c, 3, false);
        if (o == null) {
            return;
        }
        byte[] pattern = o.pattern();
        long count = o.count();
        List<byte[]> items = new ArrayList<>();
        if (table == null) {
            whole.accept(items);
            cursor = 0;
        } else {
            long maxIterations = count * 10;
            do {
                cursor = table.scan(cursor, n -> node.accept(n, items));
            } while (cursor != 0 && maxIterations-- > 0 && items.size() < count * stride);
        }
        int kept = items.size();
        if (pattern != null) {
            kept = 0;
            for (int i = 0; i < items.size(); i += stride) {
                if (Glob.match(pattern, items.get(i), false)) {
                    for (int k = 0; k < stride; k++) {
                        items.set(kept++, items.get(i + k));
                    }
                }
            }
        }
        c.reply.array(2);
        c.reply.bulk(Long.toUnsignedString(cursor).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        c.reply.array(kept);
        for (int i = 0; i < kept; i++) {
            c.reply.bulk(items.get(i));
        }
    }

    /** SCAN's options: MATCH (null for none or {@code *}), COUNT, and TYPE (lower case; null for none). */
    public record ScanOptions(byte[] pattern, long count, String type) {
    }

    /**
     * The options of SCAN, HSCAN, SSCAN and ZSCAN from argument {@code from} (Redis's
     * {@code scanGenericCommand}); TYPE only when {@code withType} (SCAN). Null after replying the error.
     */
    public static ScanOptions scanOptions(CommandContext c, int from, boolean withType) {
        byte[] pattern = null;
        long count = 10;
        String type = null;
        for (int i = from; i < c.argc; i++) {
            boolean more = i < c.argc - 1;
            if (c.argIs(i, "COUNT") && more) {
                count = Args.longArg(c, i + 1);
                if (count < 1) {
                    c.reply.error(Errors.SYNTAX);
                    return null;
                }
                i++;
            } else if (c.argIs(i, "MATCH") && more) {
                pattern = c.argv[++i];
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
            } else if (withType && c.argIs(i, "TYPE") && more) {
                type = c.arg(++i).toLowerCase();
            } else {
                c.reply.error(Errors.SYNTAX);
                return null;
            }
        }
        return new ScanOptions(pattern, count, type);
    }

    /** The empty reply of a *SCAN on a missing key: cursor 0, no items. */
    public static void emptyScan(CommandContext c) {
        c.reply.array(2);
        c.reply.bulk(ZERO);
        c.reply.emptyArray();
    }

    private static final byte[] ZERO = {'0'};

    /**
     * LRANGE's, LTRIM's and ZRANGE's index arguments (negative: from the end) to the positions
     * {from, to} they cover in {@code n} elements, clamped; from > to when the range is empty.
     */
    public static long[] indexRange(long start, long end, long n) {
        if (start < 0) {
            start += n;
        }
        if (end < 0) {
            end += n;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= n) {
            return new long[] {0, -1};
        }
        return new long[] {start, Math.min(end, n - 1)};
    }

    /**
     * A count argument that must not be negative (LPOS's COUNT and MAXLEN, the LIMIT of SINTERCARD
     * and ZINTERCARD, the pops' count): its value, or -1 after replying {@code error}, which Redis
     * also gives for a non-integer.
     */
    public static long nonNegative(CommandContext c, int i, String error) {
        long n = Args.longArg(c, i, error);
        if (n < 0) {
            c.reply.error(error);
        }
        return n < 0 ? -1 : n;
    }

    /**
     * SINTERCARD's and ZINTERCARD's options after their keys, from argument {@code from}: the
     * LIMIT (0: none), or -1 after replying the error.
     */
    public static long limitOption(CommandContext c, int from) {
        long limit = 0;
        for (int j = from; j < c.argc; j++) {
            if (c.argIs(j, "LIMIT") && j + 1 < c.argc) {
                limit = nonNegative(c, ++j, "ERR LIMIT can't be negative");
                if (limit < 0) {
                    return -1;
                }
            } else {
                c.reply.error(Errors.SYNTAX);
                return -1;
            }
        }
        return limit;
    }

    /**
     * The optional count at argument 2 of LPOP, RPOP, SPOP, ZPOPMIN and ZPOPMAX: -1 when absent,
     * {@link Long#MIN_VALUE} after replying the error.
     */
    public static long popCount(CommandContext c) {
        if (c.argc < 3) {
            return -1;
        }
        long n = nonNegative(c, 2, "ERR value is out of range, must be positive");
        return n < 0 ? Long.MIN_VALUE : n;
    }

    /** LMPOP's and ZMPOP's arguments after numkeys: where the keys end, which end to pop, how many. */
    public record MultiPop(int keysEnd, boolean first, long count) {
    }

    /**
     * Parses {@code numkeys key... FIRST|SECOND [COUNT count]} from {@code numkeysAt} (LMPOP with
     * LEFT/RIGHT, ZMPOP with MIN/MAX); null after replying the error.
     */
    public static MultiPop multiPop(CommandContext c, int numkeysAt, String first, String second) {
        int numkeys = numkeys(c, numkeysAt);
        if (numkeys < 0) {
            return null;
        }
        int whereAt = numkeysAt + numkeys + 1;
        boolean isFirst = whereAt < c.argc && c.argIs(whereAt, first);
        if (whereAt >= c.argc || !(isFirst || c.argIs(whereAt, second))) {
            c.reply.error(Errors.SYNTAX);
            return null;
        }
        long count = 1;
        int j = whereAt + 1;
        if (j < c.argc) {
            if (!c.argIs(j, "COUNT") || j + 2 != c.argc) {
                c.reply.error(Errors.SYNTAX);
                return null;
            }
            count = Args.longArg(c, j + 1, "ERR count should be greater than 0");
            if (count <= 0) {
                c.reply.error("ERR count should be greater than 0");
                return null;
            }
        }
        return new MultiPop(whereAt, isFirst, count);
    }
}
