package dev.quokka.bench;

import dev.quokka.command.CommandContext;
import dev.quokka.command.Server;
import dev.quokka.ops.ServerAssembly;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Miss ratios of the eviction policies on synthetic traces, replayed through Quokka's real code
 * path: a server context without a network, each access a GET through the dispatcher and, on a
 * miss, a SET that fills the cache (evicting first when over maxmemory, as the server does).
 * The cache size is set in keys by filling that many keys and taking the accounted memory as
 * maxmemory. Time is virtual ({@link #ACCESSES_PER_SECOND} accesses per second), because the
 * LRU clock counts seconds and the LFU decay minutes, as Redis's.
 *
 * <pre>bench/cache-sim.sh                 # every trace, 1% and 10% caches</pre>
 */
public final class CacheSimulation {
    static final int DISTINCT = 100_000;
    static final int LENGTH = 2_000_000;
    static final int ACCESSES_PER_SECOND = 1_000;
    static final String[] POLICIES = {"allkeys-lru", "allkeys-lfu", "allkeys-random", "allkeys-sieve"};
    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUE = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Held so that the logger (and its level) is not garbage-collected. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("dev.quokka");

    private CacheSimulation() {
    }

    /** Zipf-distributed ranks 0..n-1 with exponent {@code alpha}, by inverse CDF. */
    static final class Zipf {
        private final double[] cdf;

        Zipf(int n, double alpha) {
            cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1.0 / Math.pow(i + 1, alpha);
                cdf[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cdf[i] /= sum;
            }
        }

        int next(SplittableRandom r) {
            double u = r.nextDouble();
            int lo = 0;
            int hi = cdf.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** A named trace of key ids. */
    record Trace(String name, int[] keys) {
        int distinct() {
            return (int) java.util.Arrays.stream(keys).distinct().count();
        }
    }

    /** Ranks mapped to ids through a fixed random permutation, so hot keys are not neighbours. */
    private static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static Trace zipf(double alpha, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Zipf z = new Zipf(DISTINCT, alpha);
        int[] perm = permutation(DISTINCT, r);
        int[] t = new int[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            t[i] = perm[z.next(r)];
        }
        return new Trace(String.format(Locale.ROOT, "zipf %.1f", alpha), t);
    }

    /** Zipf 1.0 with, every 100,000 accesses, a one-off sequential scan of 10,000 keys never seen again. */
    static Trace scan(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Zipf z = new Zipf(DISTINCT, 1.0);
        int[] perm = permutation(DISTINCT, r);
        int[] t = new int[LENGTH];
        int cold = DISTINCT;
        for (int i = 0; i < LENGTH; i++) {
            if (i % 100_000 >= 90_000) {
                t[i] = cold++;
            } else {
                t[i] = perm[z.next(r)];
            }
        }
        return new Trace("zipf 1.0 + scans", t);
    }

    /** Zipf 1.0 whose hot set moves to other keys every 250,000 accesses. */
    static Trace shifting(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Zipf z = new Zipf(DISTINCT, 1.0);
        int[] perm = permutation(DISTINCT, r);
        int[] t = new int[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int shift = (i / 250_000) * (DISTINCT / 8);
            t[i] = perm[(z.next(r) + shift) % DISTINCT];
        }
        return new Trace("zipf 1.0, shifting hot set", t);
    }

    private static byte[] key(int id) {
        return String.format(Locale.ROOT, "key:%08d", id).getBytes(StandardCharsets.US_ASCII);
    }

    /** Replays {@code trace} with a cache of {@code cacheKeys} keys under {@code policy}; returns the miss ratio. */
    static double run(Trace trace, String policy, int cacheKeys, byte[][] keys) {
        Server s = ServerAssembly.standalone(BenchConfig.DIRECTIVES);
        long[] virtualMillis = {0};
        s.keyspace().clock(() -> virtualMillis[0]);
        CommandContext c = s.context(s.newClient("sim", "sim"));
        ByteBuf out = Unpooled.buffer(256);
        c.reply.target(out);
        set(s, "maxmemory-policy", policy);
        // Size the cache in keys: fill it, take the accounted memory as the limit, start empty.
        for (int i = 0; i < cacheKeys; i++) {
            exec(s, c, out, SET, key(DISTINCT * 10 + i), VALUE);
        }
        set(s, "maxmemory", Long.toString(s.evictor().usedMemory()));
        exec(s, c, out, "FLUSHALL".getBytes(StandardCharsets.US_ASCII));
        long misses = 0;
        int[] t = trace.keys();
        for (int i = 0; i < t.length; i++) {
            virtualMillis[0] = (long) i * 1000 / ACCESSES_PER_SECOND;
            byte[] k = keys[t[i]];
            exec(s, c, out, GET, k);
            if (out.getByte(0) == '$' && out.getByte(1) == '-') {
                misses++;
                exec(s, c, out, SET, k, VALUE);
            }
            out.clear();
        }
        return (double) misses / t.length;
    }

    private static void set(Server s, String name, String value) {
        String err = s.config().set(List.<String[]>of(new String[] {name, value}), false, false);
        if (err != null) {
            throw new IllegalStateException(err);
        }
    }

    private static void exec(Server s, CommandContext c, ByteBuf out, byte[]... argv) {
        out.clear();
        c.argv = argv;
        c.argc = argv.length;
        s.dispatcher().execute(c);
        c.reply.flush();
    }

    public static void main(String[] args) {
        // Each simulated server warns that maxmemory is unset when it starts; not news here.
        QUIET.setLevel(java.util.logging.Level.SEVERE);
        List<Trace> traces = new ArrayList<>();
        traces.add(zipf(0.8, 1));
        traces.add(zipf(1.0, 2));
        traces.add(zipf(1.2, 3));
        traces.add(scan(4));
        traces.add(shifting(5));
        int maxId = DISTINCT + LENGTH;
        byte[][] keys = new byte[maxId][];
        System.out.printf(Locale.ROOT, "%d accesses per trace over %d keys (plus scans), %d accesses per virtual second, "
            + "maxmemory-samples 5; miss ratio (lower is better)%n%n", LENGTH, DISTINCT, ACCESSES_PER_SECOND);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "| %-28s | %5s |", "trace", "cache"));
        for (String p : POLICIES) {
            header.append(String.format(Locale.ROOT, " %-14s |", p));
        }
        System.out.println(header);
        System.out.println(header.toString().replaceAll("[^|]", "-"));
        for (Trace trace : traces) {
            for (int id : trace.keys()) {
                if (keys[id] == null) {
                    keys[id] = key(id);
                }
            }
            int distinct = trace.distinct();
            for (double share : new double[] {0.01, 0.10}) {
                int cacheKeys = (int) (distinct * share);
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %-28s | %4.0f%% |", trace.name(),
                    share * 100));
                for (String p : POLICIES) {
                    row.append(String.format(Locale.ROOT, " %14.4f |", run(trace, p, cacheKeys, keys)));
                }
                System.out.println(row);
            }
        }
    }
}
