/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.device;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.pvring.xen.device.DeviceRunner;
import dev.pvring.xen.device.Registration;
import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.SimDomainConfig;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimSystem;
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
 * Event-to-{@code doWork} round trip through a {@link DeviceRunner}: the benchmark thread (dom0) notifies a port
 * and blocks on its echo; in dom1 a runner thread serving {@code devices} ports (one busy, the others idle
 * registrations) sleeps in the platform's wait, wakes, dispatches the port to its duty cycle, whose
 * {@code doWork} notifies back. Half of the round trip is the runner's wake-up latency. Compare with
 * {@code EventChannelRoundTripBenchmark peer=thread wait=block} (a bare thread waiting on the port) and the C
 * anchor {@code perf-kit/anchors futex} (cross-core FUTEX_WAIT/FUTEX_WAKE ping-pong), run the same day.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class RunnerWakeUpBenchmark
{
    @Param({"1", "64"})
    private int devices;

    private final Path directory = Path.of("/dev/shm/pvring-bench", "runner-" + UUID.randomUUID());
    private SimSystem system;
    private SimPlatform dom0;
    private SimPlatform dom1;
    private EventChannels events;
    private int port;
    private DeviceRunner runner;
    private Thread thread;

    /** Creates the system, binds the ports and starts the runner thread. */
    @Setup(Level.Trial)
    public void setUp()
    {
        system = SimSystem.create(directory, 4, SimDomainConfig.defaults(0));
        dom0 = system.join(0);
        dom0.createDomain(SimDomainConfig.defaults(1));
        dom1 = system.join(1);
        events = dom0.eventChannels();
        final EventChannels peer = dom1.eventChannels();
        runner = new DeviceRunner(dom1, "bench");
        port = events.allocateUnbound(1);
        final int echoPort = peer.bindInterdomain(0, port);
        runner.addPort(echoPort, () ->
        {
            peer.notify(echoPort);
            return 0;
        });
        for (int i = 1; i < devices; i++)
        {
            final int idle = peer.bindInterdomain(0, events.allocateUnbound(1));
            final Registration unused = runner.addPort(idle, () -> 0);
        }
        thread = new Thread(() -> runner.run(() -> true), "runner");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * One notify and the wait for the echo from the runner's duty cycle.
     *
     * @return the wait result (consumed by JMH).
     */
    @Benchmark
    public int roundTrip()
    {
        events.notify(port);
        return events.wait(port, -1);
    }

    /**
     * Stops the runner and deletes the system.
     *
     * @throws InterruptedException if interrupted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        runner.stop();
        thread.join(10_000);
        runner.close();
        dom1.close();
        dom0.close();
        system.close();
        SimSystem.delete(directory);
    }
}
