/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.core;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.RingIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Hot paths of {@link RingIndex} on inputs shaped like a Xen ring's: a producer index that advances by batches of
 * 1 to 64 and crosses the 2^32 wrap in the middle of the input set, a consumer lagging by 0 to {@code ringSize}
 * entries, and an event index placed so that about half of the publications need a notification (an
 * unpredictable branch for the caller). Inputs cycle through 4096 precomputed samples (48 KiB, L1/L2 resident);
 * {@link #baseline(Blackhole)} does the same loads and consume without the arithmetic.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class RingIndexBenchmark
{
    private static final int SAMPLES = 4096;
    private static final int MAX_BATCH = 64;

    /** Entries in the ring (a power of two, as in {@code __RD32(PAGE_SIZE - 64) / sizeof(entry)}). */
    @Param({"256"})
    public int ringSize;

    private final int[] producer = new int[SAMPLES];
    private final int[] oldProducer = new int[SAMPLES];
    private final int[] consumer = new int[SAMPLES];
    private final int[] event = new int[SAMPLES];
    private int cursor;

    /**
     * Builds the samples from a fixed seed, crossing the 2^32 wrap half way.
     */
    @Setup
    public void buildSamples()
    {
        RingIndex.checkPowerOfTwo(ringSize);
        final SplittableRandom random = new SplittableRandom(0x5EED_CAFEL);
        int index = -(SAMPLES * (MAX_BATCH + 1) / 4);
        for (int i = 0; i < SAMPLES; i++)
        {
            final int batch = 1 + random.nextInt(MAX_BATCH);
            oldProducer[i] = index;
            index += batch;
            producer[i] = index;
            consumer[i] = index - random.nextInt(ringSize + 1);
            // In (old, old + 2 * batch]: inside (old, new] for about half of the samples.
            event[i] = oldProducer[i] + 1 + random.nextInt(2 * batch);
        }
        cursor = 0;
    }

    /**
     * One sample, for tests: new producer index, old producer index, consumer index, event index.
     *
     * @param i sample number.
     * @return the four indices.
     */
    int[] sample(final int i)
    {
        return new int[] {producer[i], oldProducer[i], consumer[i], event[i]};
    }

    private int next()
    {
        return cursor++ & (SAMPLES - 1);
    }

    /**
     * Loads and consumes one sample: the cost every other method here includes.
     *
     * @param blackhole sink.
     */
    @Benchmark
    public void baseline(final Blackhole blackhole)
    {
        final int i = next();
        blackhole.consume(producer[i] ^ consumer[i]);
    }

    /**
     * Unsigned distance consumer to producer (entries to consume).
     *
     * @param blackhole sink.
     */
    @Benchmark
    public void distance(final Blackhole blackhole)
    {
        final int i = next();
        blackhole.consume(RingIndex.distance(consumer[i], producer[i]));
    }

    /**
     * Slot of the producer index.
     *
     * @param blackhole sink.
     */
    @Benchmark
    public void mask(final Blackhole blackhole)
    {
        final int i = next();
        blackhole.consume(RingIndex.mask(producer[i], ringSize));
    }

    /**
     * Xen's event-index test after publishing {@code (old, new]}.
     *
     * @param blackhole sink.
     */
    @Benchmark
    public void isNotifyRequired(final Blackhole blackhole)
    {
        final int i = next();
        blackhole.consume(RingIndex.isNotifyRequired(producer[i], oldProducer[i], event[i]));
    }

    /**
     * The event-index test as callers use it, deciding a branch (about half taken, unpredictable).
     *
     * @return notifications decided so far (consumed by JMH).
     */
    @Benchmark
    public int isNotifyRequiredBranch()
    {
        final int i = next();
        if (RingIndex.isNotifyRequired(producer[i], oldProducer[i], event[i]))
        {
            return i;
        }
        return -i;
    }
}
