/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.stress.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.pvring.core.ParkingEvent;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The publish-then-wake protocol of the in-process {@link ParkingEvent}, with its real code paths.
 */
public final class ParkingEventTests
{
    private static final int DATA = 0x2A;

    private ParkingEventTests()
    {
    }

    /**
     * A notification publishes the data written before it. The producer writes a plain field and calls
     * {@link ParkingEvent#notifyPeer()}; the consumer takes a token, and if the data is not there calls
     * {@link ParkingEvent#await(int, long)} with a zero timeout (it registers, re-checks and returns without
     * parking), then reads the data again.
     * <p>
     * JMM rule: release/acquire through the sequence. The plain data store precedes, in program order, the
     * volatile {@code getAndAdd} of the sequence (at least a release); {@code await} reports a notification only
     * after an acquire read that observed the increment, and an acquire that reads a release's value sees
     * everything written before it, so the data read that follows must see the data.
     * <p>
     * Result: {@code r1} data at the first check; {@code r2} 0 no wait, 1 notified, 2 timed out; {@code r3} data
     * after the wait.
     */
    @JCStressTest
    @Description("ParkingEvent: await() reporting a notification implies the data is visible")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "Data seen before waiting.")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "Notified, and the data is visible.")
    @Outcome(id = "0, 2, 0", expect = ACCEPTABLE, desc = "Timed out before the producer ran.")
    @Outcome(id = "0, 2, 1", expect = ACCEPTABLE, desc = "Timed out; the data arrived before the re-read.")
    @Outcome(id = "0, 1, 0", expect = FORBIDDEN, desc = "Notified but the data is not visible.")
    @Outcome(expect = FORBIDDEN, desc = "Impossible combination.")
    @State
    public static class NotifiedImpliesData
    {
        private final ParkingEvent event = new ParkingEvent();
        private int data;

        /**
         * Writes the data, then rings the doorbell.
         */
        @Actor
        public void producer()
        {
            data = DATA;
            event.notifyPeer();
        }

        /**
         * Token, check, zero-timeout await, check again.
         *
         * @param r the three results.
         */
        @Actor
        public void consumer(final III_Result r)
        {
            final int token = event.prepareWait();
            if (data == DATA)
            {
                r.r1 = 1;
                r.r3 = 1;
                return;
            }
            r.r2 = event.await(token, 0) ? 1 : 2;
            r.r3 = data == DATA ? 1 : 0;
        }
    }
}
