package dev.quokka.bench;

import dev.quokka.keyspace.ZSetValue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A large sorted set's operations, as ZADD (a member's new random score), ZRANK, ZRANGE of ten
 * members from a random rank and ZCOUNT's rank of a score run them on its large form, at 100,000
 * and 1,000,000 members with random scores. Run with {@code bench/jmh.sh SortedSetBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SortedSetBenchmark {
    @Param({"100000", "1000000"})
    int members;

    private ZSetValue z;
    private byte[][] names;
    private final SplittableRandom rnd = new SplittableRandom(7);

    @Setup(Level.Trial)
    public void fill() {
        z = new ZSetValue(false);
        names = new byte[members][];
        for (int i = 0; i < members; i++) {
            names[i] = ("element:" + i).getBytes();
            z.put(names[i], rnd.nextInt(1_000_000), 128, 64);
        }
    }

    @Benchmark
    public boolean zaddNewScore() {
        return z.put(names[rnd.nextInt(members)], rnd.nextInt(1_000_000), 128, 64);
    }

    @Benchmark
    public long zrank() {
        return z.rank(names[rnd.nextInt(members)]);
    }

    @Benchmark
    public void zrange10(Blackhole bh) {
        long from = rnd.nextInt(members - 10);
        z.range(from, from + 9, false, (m, s) -> bh.consume(m));
    }

    @Benchmark
    public long zcountRank() {
        return z.countBelow(rnd.nextInt(1_000_000), false);
    }
}
