/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.core;

import static dev.pvring.bench.core.PingPongDescriptor.CONTROL_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.ECHO_BLOCKING_WAITS_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.ECHO_NOTIFICATIONS_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.ECHO_ROUNDS_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.ECHO_WAKE_UPS_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.READY;
import static dev.pvring.bench.core.PingPongDescriptor.REGION_LENGTH;
import static dev.pvring.bench.core.PingPongDescriptor.STOPPED;
import static dev.pvring.bench.core.PingPongDescriptor.STOP_REQUESTED;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Wake-up round trip through two {@link dev.pvring.core.FutexEvent} doorbells on a shared page: the JMH thread
 * (pinger) publishes a value and rings the ping doorbell, the echo copies the value back and rings the pong
 * doorbell, the pinger waits for it. The echo is a thread of the benchmark JVM ({@code peer=THREAD}) or a
 * second JVM mapping the same {@code /dev/shm} file ({@code peer=PROCESS}); both sides wait in the same
 * {@link WaitMode}.
 * <p>
 * Where the numbers appear:
 * <ul>
 *   <li>JMH's primary result: average time per round trip (includes two {@code System.nanoTime()} reads
 *       while {@code histogram=true}; run with {@code -p histogram=false} for the bare figure);</li>
 *   <li>secondary results (JMH {@code @AuxCounters}, per iteration, also in {@code -rf json}):
 *       {@code roundTrips}, {@code notificationsPerRoundTrip}, {@code futexWakesPerRoundTrip},
 *       {@code blockingWaitsPerRoundTrip} (both sides summed), and the iteration's latency percentiles
 *       {@code latencyP50Ns} ... {@code latencyMaxNs};</li>
 *   <li>one {@code # pvring-latency} line per fork, printed when the fork ends (inside the last iteration's
 *       output), with HdrHistogram percentiles over all its measurement iterations, and an {@code .hgrm} file if
 *       {@code -Dpvring.bench.hgrmDir=DIR} is given to the {@code java -jar benchmarks.jar} command (forks
 *       inherit the host JVM's options; {@code bench/run.sh --hgrm DIR} does this).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 3, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class FutexRoundTripBenchmark
{
    /** Where the echo runs. */
    public enum Peer
    {
        /** A thread of the benchmark JVM. */
        THREAD,
        /** A second JVM mapping the same {@code /dev/shm} file. */
        PROCESS
    }

    /** Indices into the counter snapshots. */
    private static final class Counts
    {
        static final int ROUND_TRIPS = 0;
        static final int PINGER_NOTIFICATIONS = 1;
        static final int PINGER_WAKE_UPS = 2;
        static final int PINGER_BLOCKING_WAITS = 3;
        static final int ECHO_ROUNDS = 4;
        static final int ECHO_NOTIFICATIONS = 5;
        static final int ECHO_WAKE_UPS = 6;
        static final int ECHO_BLOCKING_WAITS = 7;
        static final int LENGTH = 8;

        private Counts()
        {
        }
    }

    /**
     * One ping-pong round trip.
     *
     * @param pingPong the shared page, the echo and the pinger; also the per-iteration counters.
     * @return the round-trip number (consumed by JMH).
     */
    @Benchmark
    public int roundTrip(final PingPong pingPong)
    {
        final Pinger pinger = pingPong.pinger;
        if (pingPong.histogram)
        {
            final long start = System.nanoTime();
            final int value = pinger.roundTrip();
            pingPong.latencies.record(System.nanoTime() - start);
            return value;
        }
        return pinger.roundTrip();
    }

    /**
     * The shared page, the echo (thread or child JVM) and the pinger of one benchmark thread. Its public
     * methods are JMH secondary results per iteration ({@code @AuxCounters}): counts per round trip (both sides
     * summed) and the iteration's latency percentiles. JMH reads them after the iteration's tear-down, which
     * takes the counter readings.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class PingPong
    {
        private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
        private static final long STOP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

        /** Where the echo runs. */
        @Param({"THREAD", "PROCESS"})
        private Peer peer;

        /** How both sides wait. */
        @Param({"BLOCK", "SPIN_THEN_BLOCK"})
        private WaitMode mode;

        /** Whether to time every round trip into an HdrHistogram (adds two {@code nanoTime} reads per op). */
        @Param({"true"})
        private boolean histogram;

        private final LatencyHistogram latencies = new LatencyHistogram();
        private SharedMemory memory;
        private Path file;
        private Path childLog;
        private Thread echoThread;
        private Process echoProcess;
        private Pinger pinger;
        private String label;
        private boolean measurementIteration;
        private final long[] countsAtIterationStart = new long[Counts.LENGTH];
        private final long[] countsAtIterationEnd = new long[Counts.LENGTH];

        /**
         * Maps the shared page and starts the echo.
         *
         * @param params JMH's description of this benchmark run.
         * @throws IOException          if the shared file or the child JVM cannot be created.
         * @throws InterruptedException if interrupted while waiting for the echo.
         */
        @Setup(Level.Trial)
        public void startEcho(final BenchmarkParams params) throws IOException, InterruptedException
        {
            final String benchmark = params.getBenchmark();
            final int methodDot = benchmark.lastIndexOf('.');
            final String simpleName = benchmark.substring(benchmark.lastIndexOf('.', methodDot - 1) + 1);
            label = simpleName + " peer=" + peer + " mode=" + mode;
            if (peer == Peer.PROCESS)
            {
                file = Files.createTempFile(Path.of("/dev/shm"), "pvring-bench-pingpong-", ".shm");
                Files.delete(file);
                memory = SharedMemory.create(file, REGION_LENGTH);
                childLog = Files.createTempFile("pvring-bench-echo-", ".log");
                echoProcess = EchoProcess.start(file, mode, childLog);
            }
            else
            {
                memory = SharedMemory.anonymous(REGION_LENGTH);
                echoThread = new Thread(new Echo(memory.buffer(), mode), "pvring-echo");
                echoThread.setDaemon(true);
                echoThread.start();
            }
            final AtomicBuffer buffer = memory.buffer();
            final long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
            while (buffer.getIntAcquire(CONTROL_OFFSET) != READY)
            {
                if (echoProcess != null && !echoProcess.isAlive())
                {
                    throw new IllegalStateException("echo process exited before it was ready: exitCode=" +
                        echoProcess.exitValue() + " output:\n" + childOutput());
                }
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("echo not ready after 60 s: peer=" + peer + " output:\n" +
                        childOutput());
                }
                TimeUnit.MILLISECONDS.sleep(1);
            }
            pinger = new Pinger(buffer, mode);
            snapshot(countsAtIterationEnd);
        }

        /**
         * Starts an iteration: resets the iteration histogram and takes the counter baseline.
         *
         * @param params JMH's description of this iteration.
         */
        @Setup(Level.Iteration)
        public void startIteration(final IterationParams params)
        {
            measurementIteration = params.getType() == IterationType.MEASUREMENT;
            latencies.resetIteration();
            snapshot(countsAtIterationStart);
            System.arraycopy(countsAtIterationStart, 0, countsAtIterationEnd, 0, Counts.LENGTH);
        }

        /**
         * Ends an iteration: takes the counter readings and keeps the histogram of a measurement iteration.
         */
        @TearDown(Level.Iteration)
        public void endIteration()
        {
            snapshot(countsAtIterationEnd);
            latencies.endIteration(measurementIteration);
        }

        /**
         * Stops the echo, prints the fork's latency percentiles and unmaps the page.
         *
         * @throws IOException          if the shared file cannot be deleted.
         * @throws InterruptedException if interrupted while waiting for the echo to stop.
         */
        @TearDown(Level.Trial)
        public void stopEcho() throws IOException, InterruptedException
        {
            try
            {
                final AtomicBuffer buffer = memory.buffer();
                // Release: the echo's acquire of the control word ends its loop; the notification wakes it if asleep.
                buffer.putIntRelease(CONTROL_OFFSET, STOP_REQUESTED);
                pinger.wakeEcho();
                final long deadline = System.nanoTime() + STOP_TIMEOUT_NANOS;
                while (buffer.getIntAcquire(CONTROL_OFFSET) != STOPPED && System.nanoTime() - deadline < 0)
                {
                    TimeUnit.MILLISECONDS.sleep(1);
                }
                if (echoThread != null)
                {
                    echoThread.join(TimeUnit.NANOSECONDS.toMillis(STOP_TIMEOUT_NANOS));
                }
                if (echoProcess != null && !echoProcess.waitFor(STOP_TIMEOUT_NANOS, TimeUnit.NANOSECONDS))
                {
                    echoProcess.destroyForcibly();
                    System.out.println("# echo process did not stop, killed; output:\n" + childOutput());
                }
                if (histogram)
                {
                    latencies.printTrial(System.out, label);
                }
            }
            finally
            {
                if (echoProcess != null)
                {
                    echoProcess.destroyForcibly();
                }
                memory.close();
                if (file != null)
                {
                    Files.deleteIfExists(file);
                }
                if (childLog != null)
                {
                    Files.deleteIfExists(childLog);
                }
            }
        }

        private void snapshot(final long[] counts)
        {
            final AtomicBuffer buffer = memory.buffer();
            counts[Counts.ROUND_TRIPS] = pinger == null ? 0 : pinger.roundTrips();
            counts[Counts.PINGER_NOTIFICATIONS] = pinger == null ? 0 : pinger.notificationsSent();
            counts[Counts.PINGER_WAKE_UPS] = pinger == null ? 0 : pinger.wakeUpsIssued();
            counts[Counts.PINGER_BLOCKING_WAITS] = pinger == null ? 0 : pinger.blockingWaits();
            // Opaque: statistics written by the echo after every round; at most one round behind.
            counts[Counts.ECHO_ROUNDS] = buffer.getLongOpaque(ECHO_ROUNDS_OFFSET);
            counts[Counts.ECHO_NOTIFICATIONS] = buffer.getLongOpaque(ECHO_NOTIFICATIONS_OFFSET);
            counts[Counts.ECHO_WAKE_UPS] = buffer.getLongOpaque(ECHO_WAKE_UPS_OFFSET);
            counts[Counts.ECHO_BLOCKING_WAITS] = buffer.getLongOpaque(ECHO_BLOCKING_WAITS_OFFSET);
        }

        private long delta(final int counter)
        {
            return countsAtIterationEnd[counter] - countsAtIterationStart[counter];
        }

        private String childOutput()
        {
            try
            {
                return childLog == null ? "" : Files.readString(childLog);
            }
            catch (final IOException ex)
            {
                return "(no output: " + ex + ")";
            }
        }

        /**
         * @return round trips completed in the iteration.
         */
        public long roundTrips()
        {
            return delta(Counts.ROUND_TRIPS);
        }

        /**
         * @return doorbell notifications (ping and pong) per round trip: 2 by construction.
         */
        public double notificationsPerRoundTrip()
        {
            return perRoundTrip(
                delta(Counts.PINGER_NOTIFICATIONS) + delta(Counts.ECHO_NOTIFICATIONS));
        }

        /**
         * @return {@code FUTEX_WAKE} system calls (both sides) per round trip: 2 when every wait blocks.
         */
        public double futexWakesPerRoundTrip()
        {
            return perRoundTrip(delta(Counts.PINGER_WAKE_UPS) + delta(Counts.ECHO_WAKE_UPS));
        }

        /**
         * @return waits that went to the kernel ({@code FUTEX_WAIT}, both sides) per round trip.
         */
        public double blockingWaitsPerRoundTrip()
        {
            return perRoundTrip(
                delta(Counts.PINGER_BLOCKING_WAITS) + delta(Counts.ECHO_BLOCKING_WAITS));
        }

        /**
         * @return median round trip of the iteration (HdrHistogram), 0 with {@code histogram=false}.
         */
        public long latencyP50Ns()
        {
            return percentile(50.0);
        }

        /**
         * @return 90th percentile round trip of the iteration.
         */
        public long latencyP90Ns()
        {
            return percentile(90.0);
        }

        /**
         * @return 99th percentile round trip of the iteration.
         */
        public long latencyP99Ns()
        {
            return percentile(99.0);
        }

        /**
         * @return 99.9th percentile round trip of the iteration.
         */
        public long latencyP999Ns()
        {
            return percentile(99.9);
        }

        /**
         * @return longest round trip of the iteration.
         */
        public long latencyMaxNs()
        {
            return latencies.iteration().getMaxValue();
        }

        private long percentile(final double percentile)
        {
            return latencies.iteration().getValueAtPercentile(percentile);
        }

        private double perRoundTrip(final long count)
        {
            final long roundTrips = roundTrips();
            return roundTrips == 0 ? 0.0 : (double)count / roundTrips;
        }
    }
}
