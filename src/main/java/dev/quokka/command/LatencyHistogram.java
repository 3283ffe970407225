package dev.quokka.command;

/**
 * A command's latencies for INFO latencystats, as Redis keeps them: an HDR histogram of
 * nanoseconds from 1 ns to 1 s with two significant digits (log-linear buckets: each power of two
 * split into 128 sub-buckets), percentiles answered as the highest value equivalent to the bucket
 * that reaches them (hdr_value_at_percentile). Keyspace context only.
 */
public final class LatencyHistogram {
    private static final long MAX = 1_000_000_000L;
    private static final int HALF_MAGNITUDE = 7;
    private static final int HALF = 1 << HALF_MAGNITUDE;
    private static final int SUB_BUCKETS = HALF * 2;
    private static final long MASK = SUB_BUCKETS - 1;
    private static final int BUCKETS = buckets();

    private final long[] counts = new long[(BUCKETS + 1) * HALF];
    private long total;

    private static int buckets() {
        long smallestUntrackable = SUB_BUCKETS;
        int n = 1;
        while (smallestUntrackable <= MAX) {
            smallestUntrackable <<= 1;
            n++;
        }
        return n;
    }

    /** Records one latency, clamped to 1 ns .. 1 s (updateCommandLatencyHistogram). */
    void record(long nanos) {
        long v = Math.max(1, Math.min(MAX, nanos));
        counts[index(v)]++;
        total++;
    }

    public long total() {
        return total;
    }

    private static int bucket(long v) {
        return 64 - Long.numberOfLeadingZeros(v | MASK) - (HALF_MAGNITUDE + 1);
    }

    private static int index(long v) {
        int b = bucket(v);
        int sub = (int) (v >>> b);
        return ((b + 1) << HALF_MAGNITUDE) + (sub - HALF);
    }

    private static long valueAt(int index) {
        int b = (index >> HALF_MAGNITUDE) - 1;
        int sub = (index & (HALF - 1)) + HALF;
        if (b < 0) {
            sub -= HALF;
            b = 0;
        }
        return (long) sub << b;
    }

    private static long lowestEquivalent(long v) {
        int b = bucket(v);
        return (v >>> b) << b;
    }

    private static long highestEquivalent(long v) {
        int b = bucket(v);
        long sub = v >>> b;
        long size = 1L << (b + (sub >= SUB_BUCKETS ? 1 : 0));
        return lowestEquivalent(v) + size - 1;
    }

    /** The value at a percentile (0..100), in nanoseconds, as hdr_value_at_percentile answers it. */
    public long valueAtPercentile(double percentile) {
        double p = Math.min(percentile, 100.0);
        long countAt = Math.max(1, (long) ((p / 100) * total + 0.5));
        long running = 0;
        long value = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i];
            if (running >= countAt) {
                value = valueAt(i);
                break;
            }
        }
        return percentile == 0.0 ? lowestEquivalent(value) : highestEquivalent(value);
    }
}
