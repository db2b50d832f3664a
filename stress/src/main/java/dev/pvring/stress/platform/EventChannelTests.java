/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.stress.platform;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.pvring.xen.platform.SimEventProtocol;
import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The simulated event channel's pending/mask handshake on the real {@link SimEventProtocol} functions over
 * shared memory.
 */
public final class EventChannelTests
{
    private static final PlatformSlots SLOTS = new PlatformSlots();

    private EventChannelTests()
    {
    }

    /**
     * A notification on a masked port against unmasking it: exactly one of the two rings the doorbell (Xen's
     * set_pending/unmask). Result: {@code r1} notifier rang, {@code r2} unmasker rang.
     */
    @JCStressTest
    @Description("Notify vs unmask on a masked port: exactly one rings")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "Event arrived while masked; unmask delivered it.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Unmasked first; the notification rang.")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "Lost event: nobody rang.")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Delivered twice.")
    @Outcome(expect = FORBIDDEN, desc = "Impossible value.")
    @State
    public static class NotifyVersusUnmask
    {
        private final AtomicBuffer buffer = SLOTS.buffer();
        private final int flags = SLOTS.claim() + PlatformSlots.FLAGS;

        /** A masked port. */
        public NotifyVersusUnmask()
        {
            SimEventProtocol.mask(buffer, flags);
        }

        /**
         * Notifies.
         *
         * @param r results.
         */
        @Actor
        public void notifier(final II_Result r)
        {
            r.r1 = SimEventProtocol.setPending(buffer, flags) ? 1 : 0;
        }

        /**
         * Unmasks.
         *
         * @param r results.
         */
        @Actor
        public void unmasker(final II_Result r)
        {
            r.r2 = SimEventProtocol.unmask(buffer, flags) ? 1 : 0;
        }
    }

    /**
     * A notification (data, pending bit, doorbell increment if it rang) against a waiter (doorbell token,
     * consume the pending bit, read the data if it got the event). No lost wake-up: a waiter that took no event
     * must see the doorbell move past its token (so its futex wait returns). Result: {@code r1} took the event,
     * {@code r2} data read (-1 if no event), {@code r3} doorbell moved past the token by the end.
     */
    @JCStressTest
    @Description("Notify vs waiter token + consume: no lost wake-up, event implies data")
    @Outcome(id = "1, 42, 0", expect = ACCEPTABLE, desc = "Notified before the token: took event and data.")
    @Outcome(id = "1, 42, 1", expect = ACCEPTABLE, desc = "Took the event; the doorbell also moved (spurious wake).")
    @Outcome(id = "0, -1, 1", expect = ACCEPTABLE, desc = "No event yet; the doorbell moved, the wait returns.")
    @Outcome(id = "0, -1, 0", expect = FORBIDDEN, desc = "Lost wake-up: no event and the doorbell did not move.")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "Took the event but not the data.")
    @Outcome(expect = FORBIDDEN, desc = "Impossible value.")
    @State
    public static class NotifyVersusWaiter
    {
        private final AtomicBuffer buffer = SLOTS.buffer();
        private final int slot = SLOTS.claim();
        private int token;

        /**
         * Publishes data, sets pending, rings if it must.
         */
        @Actor
        public void notifier()
        {
            buffer.putInt(slot + PlatformSlots.DATA, 42);
            if (SimEventProtocol.setPending(buffer, slot + PlatformSlots.FLAGS))
            {
                buffer.getAndAddInt(slot + PlatformSlots.SEQUENCE, 1);
            }
        }

        /**
         * Takes the token, then tries to take the event.
         *
         * @param r results.
         */
        @Actor
        public void waiter(final III_Result r)
        {
            token = buffer.getIntAcquire(slot + PlatformSlots.SEQUENCE);
            if (SimEventProtocol.consumePending(buffer, slot + PlatformSlots.FLAGS))
            {
                r.r1 = 1;
                r.r2 = buffer.getInt(slot + PlatformSlots.DATA);
            }
            else
            {
                r.r1 = 0;
                r.r2 = -1;
            }
        }

        /**
         * Did the doorbell move past the waiter's token?
         *
         * @param r results.
         */
        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = buffer.getIntVolatile(slot + PlatformSlots.SEQUENCE) != token ? 1 : 0;
        }
    }
}
