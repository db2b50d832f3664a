/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.platform;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.pvring.xen.platform.EventChannels;
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

/**
 * Event channel notify-to-wake round trip: dom0 (the benchmark thread) notifies its port and waits; dom1
 * echoes. The peer is another process ({@code peer=process}, what drivers do) or a thread of this JVM
 * ({@code peer=thread}, the setting of the C anchor {@code perf-kit/anchors futex}, a cross-core FUTEX_WAIT /
 * FUTEX_WAKE ping-pong between two threads). {@code wait=block} sleeps in the futex (both sides), {@code
 * wait=spin} polls the pending bit (no system call on either side).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class EventChannelRoundTripBenchmark
{
    @Param({"process", "thread"})
    private String peer;

    @Param({"block", "spin"})
    private String wait;

    private SimBenchSystem sim;
    private EventChannels events;
    private int port;
    private Process process;
    private Thread thread;

    /**
     * Creates the system and starts the echo peer.
     *
     * @throws IOException if the peer process cannot start.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        sim = new SimBenchSystem();
        events = sim.dom0.eventChannels();
        port = events.allocateUnbound(1);
        final boolean spin = "spin".equals(wait);
        if ("process".equals(peer))
        {
            sim.dom1.close();
            final String java = ProcessHandle.current().info().command().orElse("java");
            process = new ProcessBuilder(List.of(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EventChannelEchoPeer.class.getName(), sim.directory.toString(), Integer.toString(port), wait))
                .inheritIO().start();
        }
        else
        {
            thread = new Thread(() -> EventChannelEchoPeer.run(sim.dom1.eventChannels(), port, spin), "echo-peer");
            thread.setDaemon(true);
            thread.start();
        }
        // The first round trip also waits for the peer to bind.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!events.isConnected(port))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("echo peer did not bind within 60 s");
            }
            Thread.yield();
        }
    }

    /**
     * One notify and the wait for the echo.
     *
     * @return the wait result (consumed by JMH).
     */
    @Benchmark
    public int roundTrip()
    {
        events.notify(port);
        if ("spin".equals(wait))
        {
            int result;
            while ((result = events.wait(port, 0)) == EventChannels.TIMED_OUT)
            {
                Thread.onSpinWait();
            }
            return result;
        }
        return events.wait(port, -1);
    }

    /**
     * Stops the peer (by closing the port) and deletes the system.
     *
     * @throws InterruptedException if interrupted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        events.close(port);
        if (process != null)
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
        if (thread != null)
        {
            thread.join(10_000);
        }
        sim.close();
    }
}
