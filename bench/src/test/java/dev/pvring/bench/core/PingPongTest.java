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
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.SharedMemory;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The round-trip benchmark's pinger and echo, outside JMH: every ping comes back, the counters the benchmark
 * reports add up, and the echo stops when asked, as a thread and as a child JVM.
 */
class PingPongTest
{
    private static final int ROUND_TRIPS = 5_000;

    @ParameterizedTest
    @EnumSource(WaitMode.class)
    @Timeout(60)
    void shouldEchoEveryPingAcrossThreads(final WaitMode mode) throws Exception
    {
        try (SharedMemory memory = SharedMemory.anonymous(REGION_LENGTH))
        {
            final AtomicBuffer buffer = memory.buffer();
            final Thread echo = new Thread(new Echo(buffer, mode), "test-echo");
            echo.setDaemon(true);
            echo.start();
            awaitControl(buffer, READY);

            final Pinger pinger = new Pinger(buffer, mode);
            for (int i = 1; i <= ROUND_TRIPS; i++)
            {
                assertThat(pinger.roundTrip()).isEqualTo(i);
            }
            stop(buffer, pinger);
            echo.join(TimeUnit.SECONDS.toMillis(10));

            assertThat(echo.isAlive()).isFalse();
            assertCounters(buffer, pinger, mode);
        }
    }

    @Test
    @Timeout(120)
    void shouldEchoEveryPingFromAChildJvmAndStopWhenAsked() throws Exception
    {
        final Path file = Files.createTempFile(Path.of("/dev/shm"), "pvring-bench-test-", ".shm");
        Files.delete(file);
        final Path log = Files.createTempFile("pvring-bench-echo-test-", ".log");
        Process child = null;
        try (SharedMemory memory = SharedMemory.create(file, REGION_LENGTH))
        {
            final AtomicBuffer buffer = memory.buffer();
            child = EchoProcess.start(file, WaitMode.BLOCK, log);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (buffer.getIntAcquire(CONTROL_OFFSET) != READY)
            {
                assertThat(child.isAlive()).as("child exited: %s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime() - deadline).as("child not ready: %s", Files.readString(log)).isNegative();
                TimeUnit.MILLISECONDS.sleep(1);
            }

            final Pinger pinger = new Pinger(buffer, WaitMode.BLOCK);
            for (int i = 1; i <= ROUND_TRIPS; i++)
            {
                assertThat(pinger.roundTrip()).isEqualTo(i);
            }
            stop(buffer, pinger);

            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
            assertThat(child.exitValue()).as(Files.readString(log)).isZero();
            assertCounters(buffer, pinger, WaitMode.BLOCK);
        }
        finally
        {
            if (child != null)
            {
                child.destroyForcibly();
            }
            Files.deleteIfExists(file);
            Files.deleteIfExists(log);
        }
    }

    @Test
    void shouldFormatPercentilesInNanoseconds()
    {
        final Histogram histogram = new Histogram(LatencyHistogram.HIGHEST_NANOS, 3);
        for (int i = 1; i <= 1000; i++)
        {
            histogram.recordValue(i);
        }

        assertThat(LatencyHistogram.format("X peer=THREAD", histogram))
            .isEqualTo(
                "# pvring-latency X peer=THREAD: n=1000 p50=500 p90=900 p99=990 p99.9=999 max=1000 mean=500.5 ns");
        assertThat(LatencyHistogram.format("Y", new Histogram(3)))
            .isEqualTo("# pvring-latency Y: no measurement samples");
    }

    private static void awaitControl(final AtomicBuffer buffer, final int state) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (buffer.getIntAcquire(CONTROL_OFFSET) != state)
        {
            assertThat(System.nanoTime() - deadline).as("control never reached %d", state).isNegative();
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }

    private static void stop(final AtomicBuffer buffer, final Pinger pinger) throws InterruptedException
    {
        buffer.putIntRelease(CONTROL_OFFSET, STOP_REQUESTED);
        pinger.wakeEcho();
        awaitControl(buffer, STOPPED);
    }

    private static void assertCounters(final AtomicBuffer buffer, final Pinger pinger, final WaitMode mode)
    {
        assertThat(pinger.roundTrips()).isEqualTo(ROUND_TRIPS);
        assertThat(buffer.getLongOpaque(ECHO_ROUNDS_OFFSET)).isEqualTo(ROUND_TRIPS);
        assertThat(buffer.getLongOpaque(ECHO_NOTIFICATIONS_OFFSET)).isEqualTo(ROUND_TRIPS);
        // One notification per ping, plus the one that wakes the echo for the stop request.
        assertThat(pinger.notificationsSent()).isEqualTo(ROUND_TRIPS + 1);
        final long wakes = pinger.wakeUpsIssued() + buffer.getLongOpaque(ECHO_WAKE_UPS_OFFSET);
        final long blockingWaits = pinger.blockingWaits() + buffer.getLongOpaque(ECHO_BLOCKING_WAITS_OFFSET);
        assertThat(wakes).isBetween(0L, 2L * ROUND_TRIPS + 1);
        if (mode == WaitMode.BLOCK)
        {
            // Without spinning, a side that finds nothing at its check goes to FUTEX_WAIT and needs a FUTEX_WAKE.
            assertThat(blockingWaits).isPositive();
            assertThat(wakes).isPositive();
        }
    }
}
