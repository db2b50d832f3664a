/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pvring.core.linux.LibC;
import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.SimDomainConfig;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner's wake-ups without any lifecycle: a port of another domain, a file descriptor (a pipe standing in for
 * a TAP device), a wake from another thread, and ports routed between two runners sharing one platform.
 */
class DeviceRunnerTest
{
    private static final long SYS_PIPE2 = 293;
    private static final int O_NONBLOCK = 0x800;

    private Path directory;
    private SimSystem system;
    private SimPlatform dom0;
    private SimPlatform dom1;

    @BeforeEach
    void setUp()
    {
        directory = Path.of("/dev/shm/pvring-test", "runner-" + UUID.randomUUID());
        system = SimSystem.create(directory, 4, SimDomainConfig.defaults(0).withPages(64));
        dom0 = system.join(0);
        dom0.createDomain(SimDomainConfig.defaults(1).withPages(64));
        dom1 = system.join(1);
    }

    @AfterEach
    void tearDown()
    {
        dom1.close();
        dom0.close();
        system.close();
        SimSystem.delete(directory);
    }

    @Test
    @Timeout(30)
    void shouldRunADutyCycleWhenItsPortFiresAndSleepOtherwise() throws Exception
    {
        final EventChannels remote = dom0.eventChannels();
        final int remotePort = remote.allocateUnbound(1);
        try (DeviceRunner runner = new DeviceRunner(dom1, "ports"))
        {
            final int port = dom1.eventChannels().bindInterdomain(0, remotePort);
            final AtomicInteger calls = new AtomicInteger();
            runner.addPort(port, () ->
            {
                calls.incrementAndGet();
                return 0;
            });
            while (runner.doWork() > 0)
            {
                // initial pass
            }
            final int before = calls.get();
            assertThat(runner.awaitWork(TimeUnit.MILLISECONDS.toNanos(50))).as("nothing pending").isFalse();
            assertThat(runner.doWork()).isZero();
            assertThat(calls.get()).as("not called without an event").isEqualTo(before);
            for (int i = 1; i <= 100; i++)
            {
                remote.notify(remotePort);
                assertThat(runner.awaitWork(TimeUnit.SECONDS.toNanos(5))).isTrue();
                runner.doWork();
                assertThat(calls.get()).isEqualTo(before + i);
            }
            assertThat(runner.sleeps()).as("slept between events").isGreaterThanOrEqualTo(100);
        }
        assertThat(new dev.pvring.xen.platform.SimInspector(system).ports(1)).as("wake-up ports closed")
            .allMatch(p -> p.port() != 0 && p.remoteDomid() == 0);
    }

    @Test
    @Timeout(30)
    void shouldWakeOnAReadableDescriptorAndRearmItOnlyWhenTheCycleIsIdle() throws Exception
    {
        try (Arena arena = Arena.ofConfined(); DeviceRunner runner = new DeviceRunner(dom1, "fds"))
        {
            final MemorySegment errno = LibC.allocateErrnoState(arena);
            final MemorySegment fds = arena.allocate(8, 4);
            assertThat(LibC.syscall(errno, SYS_PIPE2, fds.address(), O_NONBLOCK, 0, 0, 0, 0)).isZero();
            final int readFd = fds.get(ValueLayout.JAVA_INT, 0);
            final int writeFd = fds.get(ValueLayout.JAVA_INT, 4);
            final MemorySegment buffer = arena.allocate(64);
            final AtomicInteger bytes = new AtomicInteger();
            final AtomicInteger calls = new AtomicInteger();
            final Registration registration = runner.watchFd(readFd, () ->
            {
                calls.incrementAndGet();
                final long n = LibC.read(errno, readFd, buffer, 64);
                if (n > 0)
                {
                    bytes.addAndGet((int)n);
                    return 1;
                }
                return 0;
            });
            final Thread writer = new Thread(() ->
            {
                try (Arena a = Arena.ofConfined())
                {
                    final MemorySegment one = a.allocate(1);
                    final MemorySegment e = LibC.allocateErrnoState(a);
                    for (int i = 0; i < 50; i++)
                    {
                        LibC.write(e, writeFd, one, 1);
                        Thread.sleep(2);
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            writer.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (bytes.get() < 50 && System.nanoTime() < deadline)
            {
                if (0 == runner.doWork())
                {
                    runner.awaitWork(TimeUnit.SECONDS.toNanos(1));
                }
            }
            writer.join();
            assertThat(bytes.get()).isEqualTo(50);
            assertThat(runner.sleeps()).as("slept between writes").isPositive();
            // Finish the last pass and take stale wake-ups (a wake-up may outlive the work it announced).
            while (runner.doWork() > 0 || runner.awaitWork(0))
            {
                Thread.onSpinWait();
            }
            final int callsAfter = calls.get();
            assertThat(runner.awaitWork(TimeUnit.MILLISECONDS.toNanos(100))).as("drained pipe: no wake-up").isFalse();
            runner.doWork();
            assertThat(calls.get()).as("an empty descriptor does not spin the cycle").isEqualTo(callsAfter);
            registration.close();
            LibC.close(errno, readFd);
            LibC.close(errno, writeFd);
        }
    }

    @Test
    @Timeout(30)
    void shouldRouteAPortTakenByAnotherRunnerOfTheSamePlatformToItsOwner() throws Exception
    {
        final EventChannels remote = dom0.eventChannels();
        final int remotePort = remote.allocateUnbound(1);
        try (DeviceRunner owner = new DeviceRunner(dom1, "owner"); DeviceRunner other = new DeviceRunner(dom1, "other"))
        {
            final int port = dom1.eventChannels().bindInterdomain(0, remotePort);
            final AtomicInteger calls = new AtomicInteger();
            owner.addPort(port, () ->
            {
                calls.incrementAndGet();
                return 0;
            });
            owner.doWork();
            final int before = calls.get();
            remote.notify(remotePort);
            // The other runner's wait consumes the pending port of this process and hands it to its owner.
            assertThat(other.awaitWork(TimeUnit.SECONDS.toNanos(5))).isTrue();
            other.doWork();
            assertThat(owner.awaitWork(TimeUnit.SECONDS.toNanos(5))).isTrue();
            owner.doWork();
            assertThat(calls.get()).isEqualTo(before + 1);
        }
    }

    @Test
    @Timeout(30)
    void shouldWakeFromAnotherThread() throws Exception
    {
        try (DeviceRunner runner = new DeviceRunner(dom1, "wake"))
        {
            final AtomicInteger calls = new AtomicInteger();
            final Registration registration = runner.add(() ->
            {
                calls.incrementAndGet();
                return 0;
            });
            runner.doWork();
            final Thread waker = new Thread(() ->
            {
                try
                {
                    Thread.sleep(50);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                registration.wake();
            });
            waker.start();
            final long start = System.nanoTime();
            assertThat(runner.awaitWork(TimeUnit.SECONDS.toNanos(10))).isTrue();
            assertThat(System.nanoTime() - start).as("woken by the other thread, not the timeout")
                .isLessThan(TimeUnit.SECONDS.toNanos(5));
            runner.doWork();
            assertThat(calls.get()).isEqualTo(2);
            waker.join();
        }
    }
}
