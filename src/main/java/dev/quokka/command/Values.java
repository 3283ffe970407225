package dev.quokka.command;

import dev.quokka.keyspace.BytesMap;
import dev.quokka.keyspace.Collection;
import dev.quokka.keyspace.Database;
import dev.quokka.keyspace.Entry;
import dev.quokka.keyspace.Glob;
import dev.quokka.keyspace.HashValue;
import dev.quokka.keyspace.KeyspaceEvents;
import dev.quokka.keyspace.ListValue;
import dev.quokka.keyspace.SetValue;
import dev.quokka.keyspace.ZSetValue;
import dev.quokka.protocol.Numbers;
import dev.quokka.server.Client;

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

    /** The list at {@code e}; null (and WRONGTYPE replied) when it holds another type. Call with a live entry. */
    public static ListValue list(Client c, Entry e) {
        if (e.value() instanceof ListValue v) {
            return v;
        }
        c.reply.error(Errors.WRONGTYPE);
        return null;
    }

    public static HashValue hash(Client c, Entry e) {
        if (e.value() instanceof HashValue v) {
            return v;
        }
        c.reply.error(Errors.WRONGTYPE);
        return null;
    }

    public static SetValue set(Client c, Entry e) {
        if (e.value() instanceof SetValue v) {
            return v;
        }
        c.reply.error(Errors.WRONGTYPE);
        return null;
    }

    public static ZSetValue zset(Client c, Entry e) {
        if (e.value() instanceof ZSetValue v) {
            return v;
        }
        c.reply.error(Errors.WRONGTYPE);
        return null;
    }

    /** Whether {@code e} (live or null) holds something other than {@code type}; replies WRONGTYPE if so. */
    public static boolean wrongType(Client c, Entry e, Class<? extends Collection> type) {
        if (e != null && !type.isInstance(e.value())) {
            c.reply.error(Errors.WRONGTYPE);
            return true;
        }
        return false;
    }

    /** Deletes {@code key} when its collection has become empty (Redis never stores one), with the "del" event. */
    public static boolean dropIfEmpty(Client c, Database db, byte[] key, Collection v) {
        if (v.size() > 0) {
            return false;
        }
        db.remove(key);
        c.keyspace().notify(KeyspaceEvents.GENERIC, "del", key, db.id());
        return true;
    }

    /**
     * Parses the numkeys argument at {@code i} of LMPOP, ZUNION, SINTERCARD ...: positive and
     * no more than the arguments left. Returns it, or -1 after replying the error.
     */
    public static int numkeys(Client c, int i) {
        if (!Args.longArg(c, i, "ERR numkeys should be greater than 0")) {
            return -1;
        }
        long n = Args.value(c);
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
    public static long timeout(Client c, int i) {
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
    public static double score(Client c, int i) {
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
    public static void scan(Client c, long cursor, BytesMap table, int stride, Consumer<List<byte[]>> whole,
                            BiConsumer<BytesMap.Node, List<byte[]>> node) {
        byte[] pattern = null;
        long count = 10;
        for (int i = 3; i < c.argc; i++) {
            boolean more = i < c.argc - 1;
            if (c.argIs(i, "COUNT") && more) {
                if (!Args.longArg(c, i + 1)) {
                    return;
                }
                count = Args.value(c);
                if (count < 1) {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
                i++;
            } else if (c.argIs(i, "MATCH") && more) {
                pattern = c.argv[++i];
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
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

    /** The empty reply of a *SCAN on a missing key: cursor 0, no items. */
    public static void emptyScan(Client c) {
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

    private static final String POSITIVE = "ERR value is out of range, must be positive";

    /**
     * The optional count at argument 2 of LPOP, RPOP, SPOP, ZPOPMIN and ZPOPMAX: -1 when absent,
     * {@link Long#MIN_VALUE} after replying the error.
     */
    public static long popCount(Client c) {
        if (c.argc < 3) {
            return -1;
        }
        if (!Args.longArg(c, 2, POSITIVE)) {
            return Long.MIN_VALUE;
        }
        long n = Args.value(c);
        if (n < 0) {
            c.reply.error(POSITIVE);
            return Long.MIN_VALUE;
        }
        return n;
    }

    /** LMPOP's and ZMPOP's arguments after numkeys: where the keys end, which end to pop, how many. */
    public record MultiPop(int keysEnd, boolean first, long count) {
    }

    /**
     * Parses {@code numkeys key... FIRST|SECOND [COUNT count]} from {@code numkeysAt} (LMPOP with
     * LEFT/RIGHT, ZMPOP with MIN/MAX); null after replying the error.
     */
    public static MultiPop multiPop(Client c, int numkeysAt, String first, String second) {
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
            if (!Args.longArg(c, j + 1, "ERR count should be greater than 0")) {
                return null;
            }
            count = Args.value(c);
            if (count <= 0) {
                c.reply.error("ERR count should be greater than 0");
                return null;
            }
        }
        return new MultiPop(whereAt, isFirst, count);
    }

    /**
     * The first of the keys {@code argv[from..to)} that holds a {@code type}, for the pops over
     * several keys (LMPOP, BLPOP, ZMPOP, BZPOPMIN ...): its entry, with its index in
     * {@code c.parsed}; null when none has one, or after replying WRONGTYPE ({@code c.parsed} -1).
     * A blocked client being served passes over a key of another type instead: it waits on.
     */
    public static Entry firstOf(Client c, int from, int to, Class<? extends Collection> type) {
        c.parsed = 0;
        for (int k = from; k < to; k++) {
            Entry e = c.keyspace().write(c.db(), c.argv[k]);
            if (e == null || (c.servingBlocked() && !type.isInstance(e.value()))) {
                continue;
            }
            if (wrongType(c, e, type)) {
                c.parsed = -1;
                return null;
            }
            c.parsed = k;
            return e;
        }
        return null;
    }
}
