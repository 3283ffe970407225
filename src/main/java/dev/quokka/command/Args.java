package dev.quokka.command;

import dev.quokka.protocol.Numbers;

import java.math.BigDecimal;

/**
 * Argument parsing with Redis's error replies: each method returns the parsed value or throws a
 * {@link CommandError} that the dispatcher replies, so a command body reads
 * {@code long n = longArg(c, 2);}.
 */
public final class Args {
    private Args() {
    }

    /**
     * Argument {@code i} as a 64-bit integer (Redis's {@code getLongLongFromObjectOrReply});
     * otherwise the error {@code error} (or the standard integer error when null).
     */
    public static long longArg(CommandContext c, int i, String error) {
        byte[] a = c.argv[i];
        long v = Numbers.parseLong(a);
        if (v == Numbers.INVALID && !Numbers.isLong(a)) {
            throw new CommandError(error != null ? error : Errors.NOT_INTEGER);
        }
        return v;
    }

    public static long longArg(CommandContext c, int i) {
        return longArg(c, i, null);
    }

    /** A value that must fit an int (Redis's {@code getIntFromObjectOrReply}). */
    public static int intArg(CommandContext c, int i, String error) {
        long v = longArg(c, i, error);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            // Redis's getIntFromObjectOrReply: a long outside int's range has its own message.
            throw new CommandError(error != null ? error
                : "ERR value is out of range, value must between -2147483648 and 2147483647");
        }
        return (int) v;
    }

    /**
     * Parses the numkeys argument at {@code i} of LMPOP, ZUNION, SINTERCARD ...: positive and
     * no more than the arguments left.
     */
    public static int numkeys(CommandContext c, int i) {
        long n = longArg(c, i, "ERR numkeys should be greater than 0");
        if (n <= 0) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (n > c.argc - i - 1) {
            throw new CommandError(Errors.SYNTAX);
        }
        return (int) n;
    }

    /**
     * Redis's {@code getTimeoutFromObjectOrReply} in seconds: returns the wait in milliseconds
     * (0: forever).
     */
    public static long timeout(CommandContext c, int i) {
        BigDecimal v = Numbers.parseDecimal(c.argv[i]);
        if (v == null) {
            throw new CommandError("ERR timeout is not a float or out of range");
        }
        if (v == Numbers.POSITIVE_INFINITY || v.signum() < 0
            || v.multiply(BigDecimal.valueOf(1000)).compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            // Redis converts the milliseconds to a long long: overflow reads as negative.
            throw new CommandError("ERR timeout is negative");
        }
        if (v.signum() == 0) {
            return 0;
        }
        double ms = v.doubleValue() * 1000;
        return Math.max(1, (long) Math.ceil(ms));
    }

    /** A score argument (Redis's {@code getDoubleFromObjectOrReply}). */
    public static double score(CommandContext c, int i) {
        double d = Numbers.parseDouble(c.argv[i]);
        if (Double.isNaN(d)) {
            throw new CommandError(Errors.NOT_FLOAT);
        }
        return d;
    }

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
     * and ZINTERCARD, the pops' count), or {@code error}, which Redis also gives for a non-integer.
     */
    public static long nonNegative(CommandContext c, int i, String error) {
        long n = longArg(c, i, error);
        if (n < 0) {
            throw new CommandError(error);
        }
        return n;
    }

    /**
     * SINTERCARD's and ZINTERCARD's options after their keys, from argument {@code from}: the
     * LIMIT (0: none).
     */
    public static long limitOption(CommandContext c, int from) {
        long limit = 0;
        for (int j = from; j < c.argc; j++) {
            if (c.argIs(j, "LIMIT") && j + 1 < c.argc) {
                limit = nonNegative(c, ++j, "ERR LIMIT can't be negative");
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        return limit;
    }

    /**
     * The optional count at argument 2 of LPOP, RPOP, SPOP, ZPOPMIN and ZPOPMAX: -1 when absent.
     */
    public static long popCount(CommandContext c) {
        if (c.argc < 3) {
            return -1;
        }
        return nonNegative(c, 2, "ERR value is out of range, must be positive");
    }

    /**
     * HRANDFIELD's and ZRANDMEMBER's count at argument 2 (Redis's order: the count, then the
     * optional {@code option} word at 3 and nothing after, then the range that word allows);
     * {@code option} null for SRANDMEMBER, which has none (its caller refuses a fourth argument).
     */
    public static long randomCount(CommandContext c, String option) {
        long count = longArg(c, 2);
        if (count == Long.MIN_VALUE) {
            throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and "
                + "9223372036854775807");
        }
        if (c.argc > 4 || (c.argc == 4 && !c.argIs(3, option))) {
            throw new CommandError(Errors.SYNTAX);
        }
        if (c.argc == 4 && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            throw new CommandError("ERR value is out of range");
        }
        return count;
    }
}
