/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import static dev.pvring.bench.ring.RoundTripFileDescriptor.BACK_RUNNING;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.BACK_STARTING;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.BACK_STATE_OFFSET;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.BACK_STOPPED;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.ENTRY_LENGTH;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.RING_LENGTH;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.RING_OFFSET;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.STOP_OFFSET;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.TO_BACK_EVENT_OFFSET;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.TO_FRONT_EVENT_OFFSET;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;
import dev.pvring.core.SpinYieldBlockIdleStrategy;
import dev.pvring.xen.ring.FrontRing;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
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
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Spins between liveness checks of the back end while busy-waiting. */
    private static final int LIVENESS_CHECK_MASK = (1 << 20) - 1;

    /**
     * The front end, the shared file and the back end.
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

        Path file;
        SharedMemory memory;
        AtomicBuffer region;
        FrontRing front;
        FutexEvent toBack;
        FutexEvent toFront;
        SpinYieldBlockIdleStrategy idle;
        WaitMode mode;
        UnsafeBuffer request;
        UnsafeBuffer response;
        long nextSequence;
        Thread backThread;
        RingEcho backEcho;
        PeerProcess backProcess;
        String benchmark;
        boolean histogramMode;
        boolean recording;
        final LatencyRecorder recorder = new LatencyRecorder();

        /**
         * Creates the file, initialises the ring (front end) and starts the back end.
         *
         * @param params the benchmark's parameters (for the mode and name).
         * @throws IOException if the file or the child process cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp(final BenchmarkParams params) throws IOException
        {
            mode = WaitMode.of(wait);
            final String name = params.getBenchmark();
            benchmark = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            histogramMode = params.getMode() == Mode.SampleTime;
            file = Files.createTempFile(Path.of("/dev/shm"), "pvring-bench-rtt-", ".ring");
            Files.delete(file);
            memory = SharedMemory.create(file, RoundTripFileDescriptor.LENGTH);
            region = memory.buffer();
            front = FrontRing.init(region, RING_OFFSET, RING_LENGTH, ENTRY_LENGTH);
            toBack = new FutexEvent(region, TO_BACK_EVENT_OFFSET);
            toFront = new FutexEvent(region, TO_FRONT_EVENT_OFFSET);
            idle = mode.idleStrategy(toFront);
            request = new UnsafeBuffer(new byte[ENTRY_LENGTH]);
            request.setMemory(0, ENTRY_LENGTH, (byte)0x5A);
            response = new UnsafeBuffer(new byte[ENTRY_LENGTH]);
            switch (placement)
            {
                case "thread" ->
                {
                    backEcho = new RingEcho(region, mode);
                    backThread = new Thread(backEcho, "ring-echo-back");
                    backThread.setDaemon(true);
                    backThread.start();
                }
                case "process" -> backProcess = PeerProcess.start(RingEcho.class, file.toString(), mode.label());
                default -> throw new IllegalArgumentException("placement must be thread or process: placement=" +
                    placement);
            }
            final long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
            while (region.getIntAcquire(BACK_STATE_OFFSET) == BACK_STARTING)
            {
                if (!isBackAlive() || System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("back end did not start: placement=" + placement +
                        (backProcess != null ? " output=" + backProcess.output() : ""));
                }
                Thread.onSpinWait();
            }
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
                // Release: the back end sees the stop request after everything we did; the doorbell wakes it.
                region.putIntRelease(STOP_OFFSET, 1);
                toBack.notifyPeer();
                final int exit;
                if (backThread != null)
                {
                    backThread.join(TimeUnit.SECONDS.toMillis(10));
                    exit = backThread.isAlive() ? -1 : 0;
                }
                else
                {
                    exit = backProcess.waitFor(10);
                }
                final int backState = region.getIntAcquire(BACK_STATE_OFFSET);
                if (exit != 0 || backState != BACK_STOPPED)
                {
                    throw new IllegalStateException("back end did not stop cleanly: placement=" + placement +
                        " exit=" + exit + " state=" + backState + " " +
                        (backProcess != null ? backProcess.output() : backEcho.summary()));
                }
                if (recorder.count() > 0)
                {
                    System.out.println(recorder.line(benchmark,
                        new StringBuilder(48).append("placement=").append(placement).append(" wait=").append(wait)
                            .toString()));
                }
            }
            finally
            {
                if (backProcess != null)
                {
                    backProcess.close();
                }
                memory.close();
                Files.deleteIfExists(file);
            }
        }

        boolean isBackAlive()
        {
            return backThread != null ? backThread.isAlive() : backProcess.isAlive();
        }

        void awaitResponse()
        {
            final FrontRing front = this.front;
            final SpinYieldBlockIdleStrategy idle = this.idle;
            int spins = 0;
            while (front.unconsumedResponses() == 0)
            {
                if (idle == null)
                {
                    if ((++spins & LIVENESS_CHECK_MASK) == 0)
                    {
                        checkBack();
                    }
                    Thread.onSpinWait();
                }
                else if (idle.willBlock())
                {
                    checkBack();
                    if (!front.finalCheckForResponses())
                    {
                        idle.idle();
                    }
                }
                else
                {
                    idle.idle();
                }
            }
        }

        private void checkBack()
        {
            if (front.isBroken() || !isBackAlive())
            {
                throw new IllegalStateException("no response: fault=" + front.fault() + " backAlive=" + isBackAlive());
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
        final boolean recording = state.recording;
        final long start = recording ? System.nanoTime() : 0;
        final FrontRing front = state.front;
        final long sequence = state.nextSequence;
        final UnsafeBuffer request = state.request;
        request.putLong(0, sequence);
        state.region.putBytes(front.claimRequest(), request, 0, ENTRY_LENGTH);
        if (state.idle == null)
        {
            front.pushRequests();
        }
        else if (front.pushRequestsAndCheckNotify())
        {
            state.toBack.notifyPeer();
        }
        state.awaitResponse();
        if (state.idle != null)
        {
            state.idle.reset();
        }
        front.copyResponse(state.response, 0, ENTRY_LENGTH);
        final long echoed = state.response.getLong(0);
        if (echoed != sequence)
        {
            throw new IllegalStateException("wrong echo: expected=" + sequence + " echoed=" + echoed);
        }
        state.nextSequence = sequence + 1;
        if (recording)
        {
            state.recorder.record(System.nanoTime() - start);
        }
        return echoed;
    }
}
