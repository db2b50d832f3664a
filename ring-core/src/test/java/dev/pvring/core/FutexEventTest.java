/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvring.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FutexEventTest
{
    static final int PING_EVENT = 0;
    static final int PONG_EVENT = 64;
    static final int PING_WORD = 128;
    static final int PONG_WORD = 192;

    @Test
    void shouldReturnAtOnceWhenNotifiedAfterTheToken()
    {
        try (SharedMemory m = SharedMemory.anonymous(4096))
        {
            final FutexEvent event = new FutexEvent(m.buffer(), 0);
            final int token = event.prepareWait();
            event.notifyPeer();
            assertThat(event.await(token, TimeUnit.SECONDS.toNanos(10))).isTrue();
            assertThat(event.blockingWaits()).isZero();
            assertThat(event.wakeUpsIssued()).as("nobody slept, so no FUTEX_WAKE").isZero();
            assertThat(event.notificationsSent()).isEqualTo(1);
            assertThat(event.wakeUpsTaken()).isEqualTo(1);
        }
    }

    @Test
    void shouldTimeOutWithoutNotification()
    {
        try (SharedMemory m = SharedMemory.anonymous(4096))
        {
            final FutexEvent event = new FutexEvent(m.buffer(), 8);
            final long start = System.nanoTime();
            assertThat(event.await(event.prepareWait(), TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
            assertThat(event.blockingWaits()).isEqualTo(1);
            assertThat(event.waitersVolatile()).isZero();
        }
    }

    @Test
    void shouldRejectHeapOrMisalignedWords()
    {
        assertThatThrownBy(() -> new FutexEvent(new UnsafeBuffer(new byte[64]), 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("off-heap");
        try (SharedMemory m = SharedMemory.anonymous(4096))
        {
            assertThatThrownBy(() -> new FutexEvent(m.buffer(), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("futex event must be 4-byte aligned and inside the region: offset=2 capacity=4096");
            assertThatThrownBy(() -> new FutexEvent(m.buffer(), 4092))
                .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @Timeout(60)
    void shouldWakeASleepingThread() throws Exception
    {
        try (SharedMemory m = SharedMemory.anonymous(4096))
        {
            final FutexEvent waiterSide = new FutexEvent(m.buffer(), 0);
            final FutexEvent notifierSide = new FutexEvent(m.buffer(), 0);
            final AtomicReference<Boolean> result = new AtomicReference<>();
            final int token = waiterSide.prepareWait();
            final Thread t = new Thread(() -> result.set(waiterSide.await(token, TimeUnit.SECONDS.toNanos(30))));
            t.start();
            while (notifierSide.waitersVolatile() == 0)
            {
                Thread.onSpinWait();
            }
            Thread.sleep(50);
            notifierSide.notifyPeer();
            t.join();
            assertThat(result.get()).isTrue();
            assertThat(notifierSide.wakeUpsIssued()).isEqualTo(1);
            assertThat(waiterSide.blockingWaits()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(120)
    void shouldWakeAWaiterInAnotherJvm() throws Exception
    {
        final Path file = Files.createTempFile(Path.of("/dev/shm"), "pvring-futex", ".shm");
        Files.delete(file);
        try (SharedMemory m = SharedMemory.create(file, 4096);
             ChildJvm child = ChildJvm.start(FutexChild.class, file.toString(), "single"))
        {
            final FutexEvent ping = new FutexEvent(m.buffer(), PING_EVENT);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ping.waitersVolatile() == 0)
            {
                assertThat(System.nanoTime()).as("child never waited: %s", child.output()).isLessThan(deadline);
                Thread.sleep(1);
            }
            Thread.sleep(100); // let the child enter FUTEX_WAIT
            ping.notifyPeer();
            assertThat(child.waitFor(60)).as(child.output()).isZero();
            assertThat(ping.wakeUpsIssued()).isEqualTo(1);
            assertThat(child.output()).contains("woken=true blockingWaits=1");
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    @Test
    @Timeout(180)
    void shouldPingPongAcrossJvmsWithBlockingWaits() throws Exception
    {
        final int rounds = 2000;
        final Path file = Files.createTempFile(Path.of("/dev/shm"), "pvring-futex", ".shm");
        Files.delete(file);
        try (SharedMemory m = SharedMemory.create(file, 4096);
             ChildJvm child = ChildJvm.start(FutexChild.class, file.toString(), "pingpong", Integer.toString(rounds)))
        {
            final UnsafeBuffer buffer = (UnsafeBuffer)m.buffer();
            final FutexEvent ping = new FutexEvent(buffer, PING_EVENT);
            final FutexEvent pong = new FutexEvent(buffer, PONG_EVENT);
            // spin 0, yield 0: every wait that finds no work goes to the kernel
            final SpinYieldBlockIdleStrategy idle = new SpinYieldBlockIdleStrategy(pong, 0, 0, TimeUnit.SECONDS.toNanos(1));
            for (int i = 1; i <= rounds; i++)
            {
                buffer.putIntRelease(PING_WORD, i);
                ping.notifyPeer();
                idle.reset();
                while (buffer.getIntAcquire(PONG_WORD) != i)
                {
                    idle.idle();
                    assertThat(child.isAlive() || buffer.getIntAcquire(PONG_WORD) == i).as(child.output()).isTrue();
                }
            }
            assertThat(child.waitFor(60)).as(child.output()).isZero();
            assertThat(pong.blockingWaits()).as("parent slept in the kernel").isPositive();
            assertThat(pong.wakeUpsTaken()).isPositive();
            assertThat(child.output()).contains("rounds=" + rounds);
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The other process of the cross-JVM tests.
     */
    public static final class FutexChild
    {
        public static void main(final String[] args) throws Exception
        {
            try (SharedMemory m = SharedMemory.open(Path.of(args[0]), SharedMemory.Access.READ_WRITE))
            {
                final UnsafeBuffer buffer = (UnsafeBuffer)m.buffer();
                final FutexEvent ping = new FutexEvent(buffer, PING_EVENT);
                if ("single".equals(args[1]))
                {
                    final boolean woken = ping.await(ping.prepareWait(), TimeUnit.SECONDS.toNanos(50));
                    System.out.println("woken=" + woken + " blockingWaits=" + ping.blockingWaits());
                    System.exit(woken ? 0 : 1);
                }
                final int rounds = Integer.parseInt(args[2]);
                final FutexEvent pong = new FutexEvent(buffer, PONG_EVENT);
                final SpinYieldBlockIdleStrategy idle = new SpinYieldBlockIdleStrategy(ping, 0, 0,
                    TimeUnit.SECONDS.toNanos(1));
                for (int i = 1; i <= rounds; i++)
                {
                    idle.reset();
                    while (buffer.getIntAcquire(PING_WORD) != i)
                    {
                        idle.idle();
                    }
                    buffer.putIntRelease(PONG_WORD, i);
                    pong.notifyPeer();
                }
                System.out.println("rounds=" + rounds + " blockingWaits=" + ping.blockingWaits() + " wakeUpsIssued=" +
                    pong.wakeUpsIssued());
            }
        }
    }
}
