package dev.quokka.command.stream;

import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandError;
import dev.quokka.keyspace.StreamId;
import dev.quokka.protocol.Numbers;


/**
 * Stream ids as the commands take them (Redis's {@code streamGenericParseIDOrReply}):
 * {@code ms-seq}, {@code ms} alone (its sequence supplied by the caller), {@code -} and
 * {@code +} where a range allows them, {@code ms-*} for XADD, and {@code (} for exclusive range ends.
 */
final class StreamIds {
    static final String INVALID = "ERR Invalid stream ID specified as stream command argument";

    private StreamIds() {
    }

    /**
     * Parses an id; null when it is not one. {@code strict}: {@code -} and {@code +} are refused.
     * {@code seqGiven}: when not null, {@code ms-*} is accepted and {@code seqGiven[0]} tells
     * whether the sequence was given.
     */
    static StreamId parse(byte[] arg, long missingSeq, boolean strict, boolean[] seqGiven) {
        int len = 0;
        while (len < arg.length && arg[len] != 0) {
            len++; // Redis reads the argument as a C string
        }
        if (arg.length > 127) {
            return null;
        }
        boolean single = len == 1;
        if (strict && single && (arg[0] == '-' || arg[0] == '+')) {
            return null;
        }
        if (seqGiven != null) {
            seqGiven[0] = true;
        }
        if (single && arg[0] == '-') {
            return StreamId.MIN;
        }
        if (single && arg[0] == '+') {
            return StreamId.MAX;
        }
        int dash = -1;
        for (int i = 0; i < len; i++) {
            if (arg[i] == '-') {
                dash = i;
                break;
            }
        }
        long[] ms = new long[1];
        if (!unsigned(arg, 0, dash < 0 ? len : dash, ms)) {
            return null;
        }
        long seq;
        if (dash < 0) {
            seq = missingSeq;
        } else if (seqGiven != null && len - dash - 1 == 1 && arg[dash + 1] == '*') {
            seq = 0;
            seqGiven[0] = false;
        } else {
            long[] s = new long[1];
            if (!unsigned(arg, dash + 1, len, s)) {
                return null;
            }
            seq = s[0];
        }
        return new StreamId(ms[0], seq);
    }

    /**
     * Redis's {@code string2ull}: a canonical integer that is not negative, or else what
     * {@code strtoull} accepts of the whole text (leading blanks, a sign, leading zeros; a
     * minus negates modulo 2^64), without overflow.
     */
    private static boolean unsigned(byte[] b, int from, int to, long[] out) {
        long v = Numbers.parseLong(b, from, to);
        if (v != Numbers.INVALID) {
            if (v < 0) {
                return false;
            }
            out[0] = v;
            return true;
        }
        int p = from;
        while (p < to && (b[p] == ' ' || (b[p] >= '\t' && b[p] <= '\r'))) {
            p++;
        }
        boolean negative = false;
        if (p < to && (b[p] == '+' || b[p] == '-')) {
            negative = b[p] == '-';
            p++;
        }
        if (p >= to) {
            return false;
        }
        long acc = 0;
        for (; p < to; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (Long.compareUnsigned(acc, Long.divideUnsigned(-1L, 10)) > 0) {
                return false;
            }
            long next = acc * 10 + d;
            if (Long.compareUnsigned(next, acc * 10) < 0) {
                return false;
            }
            acc = next;
        }
        out[0] = negative ? -acc : acc;
        return true;
    }

    /** An id argument, or the invalid-id error. */
    static StreamId arg(CommandContext c, int i, long missingSeq, boolean strict) {
        StreamId id = parse(c.argv[i], missingSeq, strict, null);
        if (id == null) {
            throw new CommandError(INVALID);
        }
        return id;
    }

    /**
     * A range end (streamParseIntervalIDOrReply): {@code (id} is exclusive, moved by one toward
     * the inside of the range ({@code start}: up, else down), with Redis's errors when it cannot be.
     */
    static StreamId interval(CommandContext c, int i, boolean start) {
        byte[] a = c.argv[i];
        if (a.length > 1 && a[0] == '(') {
            byte[] rest = java.util.Arrays.copyOfRange(a, 1, a.length);
            StreamId id = parse(rest, start ? 0 : -1L, true, null);
            if (id == null) {
                throw new CommandError(INVALID);
            }
            StreamId moved = start ? id.next() : id.previous();
            if (moved == null) {
                throw new CommandError(start ? "ERR invalid start ID for the interval" : "ERR invalid end ID for the interval");
            }
            return moved;
        }
        return arg(c, i, start ? 0 : -1L, false);
    }
}
