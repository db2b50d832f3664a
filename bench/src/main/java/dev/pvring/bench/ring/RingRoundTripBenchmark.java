/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Round trip front -> back -> front over a one-page Xen {@code io/ring.h} ring in a /dev/shm file, one 64-byte
 * request in flight: the front end (the JMH thread) writes the request in place and pushes it, the back end
 * ({@link RingEcho}) copies it out and writes it back as the response, the front end copies the response and
 * checks it. The back end runs on a second thread of this JVM ({@code placement=thread}) or in a second JVM on
 * the same file ({@code placement=process}).
 * <p>
 * {@code wait=spin}: both ends busy-spin on the indices, plain pushes (the figure to hold against the C {@code pp2}
 * cache-line ping-pong). {@code wait=spinBlock}: {@code SpinYieldBlockIdleStrategy} defaults on futex doorbells,
 * event index armed only when about to sleep. {@code wait=block}: arm and sleep at once, so every round trip pays
 * two futex wake-ups.
 * <p>
 * AverageTime is the mean round trip; SampleTime adds JMH's percentiles, and in SampleTime the measurement
 * iterations are also recorded in an HdrHistogram (two {@code System.nanoTime()} per round trip, so only in that
 * mode) printed at the end of each fork as one {@code HDR-RTT} line (see {@link LatencyRecorder}).
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class RingRoundTripBenchmark
{
    /**
     * The front end (which owns the file and the back end) and the histogram.
     */
    @State(Scope.Thread)
    public static class RoundTrip
    {
        /** Where the back end runs: {@code thread} (this JVM) or {@code process} (a second JVM). */
        @Param({"thread", "process"})
        public String placement;

        /** How both ends wait: {@code spin}, {@code spinBlock} or {@code block}. */
        @Param({"spin", "spinBlock", "block"})
        public String wait;

        RoundTripFront front;
        long nextSequence;
        String benchmark;
        boolean histogramMode;
        boolean recording;
        final LatencyRecorder recorder = new LatencyRecorder();

        /**
         * Creates the file, initialises the ring and starts the back end.
         *
         * @param params the benchmark's parameters (for the mode and name).
         * @throws IOException if the file or the child process cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp(final BenchmarkParams params) throws IOException
        {
            final String name = params.getBenchmark();
            benchmark = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            histogramMode = params.getMode() == Mode.SampleTime;
            front = RoundTripFront.start(RoundTripFront.Placement.of(placement), WaitMode.of(wait));
        }

        /**
         * Records into the histogram only during SampleTime measurement iterations.
         *
         * @param iteration the iteration's parameters.
         */
        @Setup(Level.Iteration)
        public void startIteration(final IterationParams iteration)
        {
            recording = histogramMode && iteration.getType() == IterationType.MEASUREMENT;
        }

        /**
         * Stops the back end, prints the histogram line and removes the file.
         *
         * @throws Exception if the back end fails to stop.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception
        {
            try
            {
                front.stop();
                if (recorder.count() > 0)
                {
                    // StringBuilder: no invokedynamic bootstrap inside the last measured iteration.
                    System.out.println(recorder.line(benchmark,
                        new StringBuilder(48).append("placement=").append(placement).append(" wait=").append(wait)
                            .toString()));
                }
            }
            finally
            {
                front.close();
            }
        }
    }

    /**
     * One request/response round trip.
     *
     * @param state the front end.
     * @return the sequence number echoed.
     */
    @Benchmark
    public long roundTrip(final RoundTrip state)
    {
        final long sequence = state.nextSequence;
        if (state.recording)
        {
            final long start = System.nanoTime();
            state.front.roundTrip(sequence);
            state.recorder.record(System.nanoTime() - start);
        }
        else
        {
            state.front.roundTrip(sequence);
        }
        state.nextSequence = sequence + 1;
        return sequence;
    }
}
