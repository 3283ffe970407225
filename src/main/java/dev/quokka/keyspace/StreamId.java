package dev.quokka.keyspace;

import java.nio.charset.StandardCharsets;

/**
 * A stream entry id, {@code ms-seq}: two unsigned 64-bit numbers compared as one 128-bit number,
 * as Redis's {@code streamID}. {@link #MIN} is {@code 0-0}, {@link #MAX} is the largest id there can be.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    public static final StreamId MIN = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1L, -1L);

    /** Compares two ids given by their parts, unsigned. */
    public static int compare(long ms1, long seq1, long ms2, long seq2) {
        int c = Long.compareUnsigned(ms1, ms2);
        return c != 0 ? c : Long.compareUnsigned(seq1, seq2);
    }

    @Override
    public int compareTo(StreamId o) {
        return compare(ms, seq, o.ms, o.seq);
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The next id, or null after {@link #MAX} (Redis's streamIncrID failing). */
    public StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** The previous id, or null before {@link #MIN} (streamDecrID failing). */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /** The id as a reply or an argument: {@code ms-seq} in decimal. */
    public byte[] bytes() {
        return bytes(ms, seq);
    }

    /** {@code ms-seq} in decimal, unsigned, written straight into one array (replies write many). */
    public static byte[] bytes(long ms, long seq) {
        if (ms < 0 || seq < 0) {
            return (Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq)).getBytes(StandardCharsets.US_ASCII);
        }
        int a = digits(ms);
        int b = digits(seq);
        byte[] out = new byte[a + 1 + b];
        write(out, a, ms);
        out[a] = '-';
        write(out, a + 1 + b, seq);
        return out;
    }

    private static int digits(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    /** Writes {@code v}'s digits ending just before {@code end}. */
    private static void write(byte[] out, int end, long v) {
        do {
            out[--end] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
    }
}
