/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.stress.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.pvring.core.FutexEvent;
import dev.pvring.core.FutexEventDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The publish-then-wake protocol of {@link FutexEvent} on real off-heap shared memory: a producer writes data
 * with a plain store and calls {@link FutexEvent#notifyPeer()}; a consumer takes a token with
 * {@link FutexEvent#prepareWait()}, checks for the data and sleeps only while the sequence still equals its token.
 * <p>
 * jcstress actors must never block, so a sleep is never left to the kernel: {@link NoLostWakeUp} runs the real
 * producer and stops the consumer at the point where it would enter {@code FUTEX_WAIT}; {@link NotifiedImpliesData}
 * runs the real {@link FutexEvent#await(int, long)} with a zero timeout (a real {@code FUTEX_WAIT} that returns at
 * once).
 */
public final class FutexEventTests
{
    private static final int EVENT_OFFSET = 0;
    private static final int SEQUENCE_OFFSET = EVENT_OFFSET + FutexEventDescriptor.SEQUENCE_OFFSET;
    private static final int WAITERS_OFFSET = EVENT_OFFSET + FutexEventDescriptor.WAITERS_OFFSET;
    private static final int DATA_OFFSET = SlotPool.SECOND_LINE_OFFSET;
    private static final int DATA = 0x2A;

    private FutexEventTests()
    {
    }

    /**
     * No lost wake-up. The producer is the real {@link FutexEvent#notifyPeer()}: {@code getAndAdd(sequence, 1)}
     * then a volatile read of {@code waiters}, {@code FUTEX_WAKE} if non-zero. The consumer takes its token with the
     * real {@link FutexEvent#prepareWait()}, reads the data, and if it is not there performs the registration and
     * re-check of {@link FutexEvent#await(int, long)} ({@code getAndAdd(waiters, 1)}, then a volatile read of
     * {@code sequence}); a sequence still equal to the token means it would now call {@code FUTEX_WAIT(token)}
     * and stay registered while asleep.
     * <p>
     * JMM rule: all four shared accesses use the volatile access mode, so they act as synchronization actions
     * in one total synchronization order consistent with each thread's program order (JLS 17.4.4). The two
     * threads each write one word and then read the other's (Dekker), so at least one of them sees the other's
     * write: either the consumer sees the new sequence and does not sleep, or the producer sees the waiter and
     * wakes it. The token is an acquire read, so if it already includes the increment, the data written before
     * the increment (a volatile read-modify-write, at least a release) is visible and the consumer never reaches
     * the re-check.
     * <p>
     * Result: {@code r1} data seen at the first check, {@code r2} the consumer would sleep, {@code r3} the producer
     * issued {@code FUTEX_WAKE}.
     */
    @JCStressTest
    @Description("FutexEvent: a consumer that decides to sleep is always woken, or sees the data first")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "Data seen before waiting: no wait, no wake-up.")
    @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "Re-check saw the new sequence; producer saw no waiter.")
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "Re-check saw the new sequence; a spare FUTEX_WAKE.")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "Consumer sleeps and the producer wakes it.")
    @Outcome(id = "0, 1, 0", expect = FORBIDDEN, desc = "LOST WAKE-UP: consumer sleeps, nobody wakes it.")
    @Outcome(expect = FORBIDDEN, desc = "Impossible: a consumer that saw the data never registers as a waiter.")
    @State
    public static class NoLostWakeUp
    {
        private static final SlotPool POOL = SlotPool.anonymous();

        private final AtomicBuffer buffer = POOL.writerView();
        private final int slot = POOL.claim();
        private final FutexEvent producerSide = new FutexEvent(buffer, slot + EVENT_OFFSET);
        private final FutexEvent consumerSide = new FutexEvent(buffer, slot + EVENT_OFFSET);

        /**
         * Writes the data, then rings the doorbell.
         *
         * @param r {@code r3}: whether {@code FUTEX_WAKE} was issued.
         */
        @Actor
        public void producer(final III_Result r)
        {
            buffer.putInt(slot + DATA_OFFSET, DATA);
            producerSide.notifyPeer();
            r.r3 = (int)producerSide.wakeUpsIssued();
        }

        /**
         * Takes the token, checks for data, then registers and re-checks as {@code await} does.
         *
         * @param r {@code r1}: data seen; {@code r2}: would sleep.
         */
        @Actor
        public void consumer(final III_Result r)
        {
            final int token = consumerSide.prepareWait();
            if (buffer.getInt(slot + DATA_OFFSET) == DATA)
            {
                r.r1 = 1;
                return;
            }
            // FutexEvent.await: register (full fence), then re-read the sequence before FUTEX_WAIT(token).
            buffer.getAndAddInt(slot + WAITERS_OFFSET, 1);
            r.r2 = buffer.getIntVolatile(slot + SEQUENCE_OFFSET) == token ? 1 : 0;
        }
    }

    /**
     * A notification publishes the data written before it, and {@code await} always deregisters. The producer
     * writes the data (plain store) and calls the real {@link FutexEvent#notifyPeer()}; the consumer takes a
     * token, and if the data is not there calls the real {@link FutexEvent#await(int, long)} with a zero
     * timeout, then reads the data again. The arbiter reads the shared waiter count after both finished.
     * <p>
     * JMM rule: release/acquire through the sequence word. The producer's plain data store precedes, in program
     * order, its volatile {@code getAndAdd} of the sequence (at least a release); {@code await} reports a
     * notification only after an acquire read that observed that increment, and an acquire that reads a release's
     * value sees everything written before it, so the data read that follows must see the data.
     * <p>
     * Result: {@code r1} data at the first check; {@code r2} 0 no wait, 1 {@code await} returned notified, 2
     * {@code await} timed out; {@code r3} data after the wait; {@code r4} waiters left registered.
     */
    @JCStressTest
    @Description("FutexEvent: await() reporting a notification implies the data is visible; waiters return to 0")
    @Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE, desc = "Data seen before waiting.")
    @Outcome(id = "0, 1, 1, 0", expect = ACCEPTABLE, desc = "Notified, and the data is visible.")
    @Outcome(id = "0, 2, 0, 0", expect = ACCEPTABLE, desc = "Timed out before the producer ran.")
    @Outcome(id = "0, 2, 1, 0", expect = ACCEPTABLE, desc = "Timed out; the data arrived before the re-read.")
    @Outcome(id = "0, 1, 0, 0", expect = FORBIDDEN, desc = "Notified but the data is not visible.")
    @Outcome(expect = FORBIDDEN, desc = "Waiter count left non-zero, or an impossible combination.")
    @State
    public static class NotifiedImpliesData
    {
        private static final SlotPool POOL = SlotPool.anonymous();

        private final AtomicBuffer buffer = POOL.writerView();
        private final int slot = POOL.claim();
        private final FutexEvent producerSide = new FutexEvent(buffer, slot + EVENT_OFFSET);
        private final FutexEvent consumerSide = new FutexEvent(buffer, slot + EVENT_OFFSET);

        /**
         * Writes the data, then rings the doorbell.
         */
        @Actor
        public void producer()
        {
            buffer.putInt(slot + DATA_OFFSET, DATA);
            producerSide.notifyPeer();
        }

        /**
         * Token, check, zero-timeout await, check again.
         *
         * @param r {@code r1} to {@code r3}.
         */
        @Actor
        public void consumer(final IIII_Result r)
        {
            final int token = consumerSide.prepareWait();
            if (buffer.getInt(slot + DATA_OFFSET) == DATA)
            {
                r.r1 = 1;
                r.r3 = 1;
                return;
            }
            r.r2 = consumerSide.await(token, 0) ? 1 : 2;
            r.r3 = buffer.getInt(slot + DATA_OFFSET) == DATA ? 1 : 0;
        }

        /**
         * Reads the waiter count once both actors have finished.
         *
         * @param r {@code r4}.
         */
        @Arbiter
        public void waitersLeft(final IIII_Result r)
        {
            r.r4 = consumerSide.waitersVolatile();
        }
    }
}
