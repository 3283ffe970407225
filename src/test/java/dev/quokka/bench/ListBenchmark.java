package dev.quokka.bench;

import dev.quokka.keyspace.ListValue;
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
 * A long list of small elements, as redis-benchmark's list rows use one: a push at one end with a
 * pop at the other (a queue of constant length, so every element lives through a million
 * operations before it leaves), a read by random index, and 100 elements read by index from the
 * head (the old LRANGE's loop). Only {@code ListValue}'s long-standing methods, so the same
 * benchmark runs against earlier list representations. Run with {@code bench/jmh.sh ListBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ListBenchmark {
    @Param({"1000000"})
    int elements;

    private ListValue list;
    private final SplittableRandom rnd = new SplittableRandom(7);
    private int serial;

    @Setup(Level.Trial)
    public void fill() {
        list = new ListValue();
        for (int i = 0; i < elements; i++) {
            list.addLast(("e:" + i).getBytes());
        }
    }

    @Benchmark
    public byte[] pushHeadPopTail() {
        list.addFirst(("e:" + (serial++ & 0xfffff)).getBytes());
        return list.removeLast();
    }

    @Benchmark
    public byte[] indexRandom() {
        return list.get(rnd.nextInt(elements));
    }

    @Benchmark
    public void first100(Blackhole bh) {
        for (int i = 0; i < 100; i++) {
            bh.consume(list.get(i));
        }
    }
}
