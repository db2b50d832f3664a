/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.SharedMemory;
import dev.pvring.bench.ring.RingThroughputBenchmark.ConsumerCounters;
import dev.pvring.bench.ring.RingThroughputBenchmark.FrontCounters;
import dev.pvring.bench.ring.RingThroughputBenchmark.XenBack;
import dev.pvring.bench.ring.RingThroughputBenchmark.XenFront;
import dev.pvring.bench.ring.RingThroughputBenchmark.XenRing;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cross-thread Xen ring beside its C twin, one iteration each in turn, in one fork: {@link
 * RingThroughputBenchmark}'s {@code xenRing} (same states, parameters and steps) and the C anchor's loops ({@code
 * bench/perf-kit/xenring_crossthread.c}, the real {@code io/ring.h} macros) on the same two pinned threads, each
 * on a 16-page ring of its own. Iterations alternate C, Java, C, Java, ...; the C iterations' figure is the aux
 * counter {@code c}, the Java iterations' {@code java} (messages the back end consumed, per microsecond), the other
 * being 0. {@link PairedReport} divides each Java iteration by the mean of the C iterations just before and after
 * it, so every ratio pairs figures taken within about two seconds, on a machine whose cache-line transfers change
 * speed several times over within minutes (PERFORMANCE.md, Sessions 11-13).
 * <p>
 * A C call runs {@link Twin#STEPS} steps of its end (one step: one pass of the anchor's loop, a batch or a pause),
 * so the downcall is amortised over thousands of messages, and returns whatever its peer did, so neither thread
 * waits on a peer that has stopped. A Java call is one step, as in {@code xenRing}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 11, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class XenRingPairedBenchmark
{
    /**
     * The C twin and whose turn it is; iterations alternate, starting with C.
     */
    @State(Scope.Group)
    public static class Twin
    {
        /** Steps per C call: at batch 8 and ~10 ns per message, ~20 us per call against a downcall of ~20 ns. */
        static final long STEPS = 256;

        CTwin twin;
        MethodHandle front;
        MethodHandle back;
        MethodHandle errors;
        MethodHandle close;
        SharedMemory memory;
        MemorySegment context;
        /** Read by both threads at every call; written only between iterations, while neither runs. */
        boolean cTurn;

        /**
         * Compiles and loads the twin and opens its ring, shaped as the Java ring.
         *
         * @param ring the Java ring's parameters.
         * @throws Throwable if a downcall fails.
         */
        @Setup(Level.Trial)
        public void setUp(final XenRing ring) throws Throwable
        {
            twin = CTwin.build("xenring_crossthread.c");
            final MethodHandle open = twin.function("xct_open", FunctionDescriptor.of(ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            final FunctionDescriptor step =
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
            front = twin.function("xct_front", step);
            back = twin.function("xct_back", step);
            errors = twin.function("xct_errors", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            close = twin.function("xct_close", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            memory = SharedMemory.anonymous(RingThroughputBenchmark.XEN_RING_BYTES);
            context = (MemorySegment)open.invokeExact(memory.segment(), RingThroughputBenchmark.XEN_RING_BYTES,
                ring.batchSize, ring.checkNotify ? 1 : 0);
            if (context.equals(MemorySegment.NULL))
            {
                throw new IllegalStateException("C twin refused the ring: batch=" + ring.batchSize);
            }
        }

        /** Hands the next iteration to the other side. */
        @Setup(Level.Iteration)
        public void turn()
        {
            cTurn = !cTurn; // false before the first iteration: C runs first
        }

        /**
         * Fails the trial if the C ends saw a wrong id; unloads.
         *
         * @throws Throwable if a downcall fails.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws Throwable
        {
            final long wrong = (long)errors.invokeExact(context);
            close.invokeExact(context);
            twin.close();
            memory.close();
            if (wrong != 0)
            {
                throw new IllegalStateException("C ring: errors=" + wrong);
            }
        }
    }

    /**
     * Messages the back end consumed, by side (one of the two is 0 in every iteration), and how the Java steps went:
     * pushes, full and empty steps, which tell a fork whose threads fell into a slow rhythm from one whose code is
     * slow.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class PairCounters
    {
        /** Consumed by the C back end. */
        public long c;
        /** Consumed by the Java back end. */
        public long java;
        /** Java iterations: the front end's {@code req_prod} stores ({@code java / javaPushes}: the batch achieved). */
        public long javaPushes;
        /** Java iterations: front-end steps that found the ring full. */
        public long javaFull;
        /** Java iterations: back-end steps that found no request. */
        public long javaEmpty;

        /** Restarts the counts for each iteration. */
        @Setup(Level.Iteration)
        public void clear()
        {
            c = 0;
            java = 0;
            javaPushes = 0;
            javaFull = 0;
            javaEmpty = 0;
        }
    }

    /**
     * The Java steps' own counts, kept out of the report (they would count only every other iteration).
     */
    @State(Scope.Thread)
    public static class Scratch
    {
        final FrontCounters front = new FrontCounters();
        final ConsumerCounters back = new ConsumerCounters();

        /** Fails the trial if the Java back end saw a wrong id (the front end's check is {@code XenFront}'s). */
        @TearDown(Level.Trial)
        public void check()
        {
            if (back.sequenceErrors != 0)
            {
                throw new IllegalStateException("Java back end: sequenceErrors=" + back.sequenceErrors);
            }
        }
    }

    /**
     * Front end: {@link Twin#STEPS} C steps or one Java step.
     *
     * @param twin     the C twin and the turn.
     * @param state    the Java front end.
     * @param scratch  the Java step's counts.
     * @param counters the Java steps' pushes and full steps.
     * @throws Throwable if the downcall fails.
     */
    @Benchmark
    @Group("paired")
    @GroupThreads(1)
    public void front(final Twin twin, final XenFront state, final Scratch scratch, final PairCounters counters)
        throws Throwable
    {
        if (twin.cTurn)
        {
            // The responses the C front end consumed; the figure is the back end's count, as for the Java steps.
            final long unused = (long)twin.front.invokeExact(twin.context, Twin.STEPS);
        }
        else
        {
            final FrontCounters front = scratch.front;
            final long pushes = front.pushes;
            final long full = front.full;
            RingThroughputBenchmark.frontStep(state, front);
            counters.javaPushes += front.pushes - pushes;
            counters.javaFull += front.full - full;
        }
    }

    /**
     * Back end: {@link Twin#STEPS} C steps or one Java step; counts what it consumed on its side's counter.
     *
     * @param twin     the C twin and the turn.
     * @param state    the Java back end.
     * @param scratch  the Java step's counts.
     * @param counters the figures.
     * @throws Throwable if the downcall fails.
     */
    @Benchmark
    @Group("paired")
    @GroupThreads(1)
    public void back(final Twin twin, final XenBack state, final Scratch scratch, final PairCounters counters)
        throws Throwable
    {
        if (twin.cTurn)
        {
            counters.c += (long)twin.back.invokeExact(twin.context, Twin.STEPS);
        }
        else
        {
            final ConsumerCounters back = scratch.back;
            final long received = back.received;
            final long empty = back.empty;
            RingThroughputBenchmark.backStep(state, back);
            counters.java += back.received - received;
            counters.javaEmpty += back.empty - empty;
        }
    }
}
