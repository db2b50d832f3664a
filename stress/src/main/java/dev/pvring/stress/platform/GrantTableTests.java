/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.stress.platform;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.pvring.xen.platform.GrantStatus;
import dev.pvring.xen.platform.SimGrantProtocol;
import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The simulated grant table's revoke race (XSA-396, XSA-230), on the real {@link SimGrantProtocol} functions
 * over shared memory: a mapper pinning a ref (the simulated hypervisor, holding the ref's pin lock) against the
 * granting domain ending access (no lock, one compare-and-set on the entry's header word).
 */
public final class GrantTableTests
{
    private static final PlatformSlots SLOTS = new PlatformSlots();
    private static final int MAPPER = 0;
    private static final int PAGES = 16;
    private static final int FRAME = 3;
    private static final int NEW_FRAME = 5;

    private GrantTableTests()
    {
    }

    /**
     * Pin versus end access on a granted ref: both compare-and-set the same header word from the same value.
     * Result: {@code r1} pinned, {@code r2} ended.
     */
    @JCStressTest
    @Description("Grant pin vs end access: exactly one wins")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Mapper pinned first; end access failed (page kept).")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "Granter ended first; the pin was refused.")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Mapped a page whose access ended: XSA-396.")
    @Outcome(expect = FORBIDDEN, desc = "Neither won, or impossible value.")
    @State
    public static class PinVersusEnd
    {
        private final AtomicBuffer buffer = SLOTS.buffer();
        private final int slot = SLOTS.claim();

        /** A ref granted writable to the mapper. */
        public PinVersusEnd()
        {
            SimGrantProtocol.publish(buffer, slot + PlatformSlots.ENTRY, MAPPER, FRAME, false);
        }

        /**
         * The simulated hypervisor maps the ref for the mapper.
         *
         * @param r results.
         */
        @Actor
        public void mapper(final II_Result r)
        {
            final int active = slot + PlatformSlots.ACTIVE;
            if (!SimGrantProtocol.tryLock(buffer, active, 1))
            {
                r.r1 = -1;
                return;
            }
            final int frame = SimGrantProtocol.pin(buffer, slot + PlatformSlots.ENTRY, active, MAPPER, false, PAGES);
            r.r1 = frame == FRAME ? 1 : 0;
            SimGrantProtocol.unlock(buffer, active);
        }

        /**
         * The granting domain ends access.
         *
         * @param r results.
         */
        @Actor
        public void granter(final II_Result r)
        {
            r.r2 = SimGrantProtocol.tryEnd(buffer, slot + PlatformSlots.ENTRY) == SimGrantProtocol.END_OK ? 1 : 0;
        }
    }

    /**
     * A copy into a pinned page, then unpin, against the granter ending access and reading its page: the
     * unpin's compare-and-set releases the copy. Result: {@code r1} ended, {@code r2} page word read after
     * ending (-1 if not ended).
     */
    @JCStressTest
    @Description("Unpin after a copy vs end access: a granter that ends access sees the copied data")
    @Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "Ended after the unpin and saw the copy.")
    @Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "End access failed: still pinned.")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "Ended access but the copy was not visible.")
    @Outcome(expect = FORBIDDEN, desc = "Impossible value.")
    @State
    public static class UnpinPublishesTheCopy
    {
        private final AtomicBuffer buffer = SLOTS.buffer();
        private final int slot = SLOTS.claim();

        /** A ref granted writable and pinned once (a copy in progress). */
        public UnpinPublishesTheCopy()
        {
            SimGrantProtocol.publish(buffer, slot + PlatformSlots.ENTRY, MAPPER, FRAME, false);
            SimGrantProtocol.pin(buffer, slot + PlatformSlots.ENTRY, slot + PlatformSlots.ACTIVE, MAPPER, false, PAGES);
        }

        /**
         * Finishes the copy (a plain store into the page), then drops the pin.
         */
        @Actor
        public void copier()
        {
            buffer.putInt(slot + PlatformSlots.DATA, 42);
            SimGrantProtocol.unpin(buffer, slot + PlatformSlots.ENTRY, slot + PlatformSlots.ACTIVE, false);
        }

        /**
         * Ends access and, if that worked, reads the page.
         *
         * @param r results.
         */
        @Actor
        public void granter(final II_Result r)
        {
            if (SimGrantProtocol.tryEnd(buffer, slot + PlatformSlots.ENTRY) == SimGrantProtocol.END_OK)
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
    }

    /**
     * End access and re-grant the same ref for another frame (same grantee and flags: an ABA on the header
     * word) against a pin: the pin reads the frame only after its compare-and-set, so it never gets the old,
     * revoked frame. Result: {@code r1} pinned frame or negative status, {@code r2} regranted.
     */
    @JCStressTest
    @Description("End + regrant (header ABA) vs pin: the pinned frame is never the revoked one")
    @Outcome(id = "3, 0", expect = ACCEPTABLE, desc = "Pinned the original grant; end access failed.")
    @Outcome(id = "-3, 1", expect = ACCEPTABLE, desc = "Pinned between end and regrant: bad ref.")
    @Outcome(id = "5, 1", expect = ACCEPTABLE, desc = "Pinned the new grant.")
    @Outcome(id = "3, 1", expect = FORBIDDEN, desc = "Pinned the revoked frame after it was re-granted.")
    @Outcome(expect = FORBIDDEN, desc = "Impossible value.")
    @State
    public static class RegrantAba
    {
        private final AtomicBuffer buffer = SLOTS.buffer();
        private final int slot = SLOTS.claim();

        /** A ref granted writable to the mapper for {@link #FRAME}. */
        public RegrantAba()
        {
            SimGrantProtocol.publish(buffer, slot + PlatformSlots.ENTRY, MAPPER, FRAME, false);
        }

        /**
         * Pins.
         *
         * @param r results.
         */
        @Actor
        public void mapper(final II_Result r)
        {
            final int frame = SimGrantProtocol.pin(buffer, slot + PlatformSlots.ENTRY, slot + PlatformSlots.ACTIVE,
                MAPPER, false, PAGES);
            r.r1 = frame >= 0 ? frame : frame == GrantStatus.BAD_GNTREF ? -3 : -100;
        }

        /**
         * Ends access and, if that worked, grants the ref again for another frame.
         *
         * @param r results.
         */
        @Actor
        public void granter(final II_Result r)
        {
            if (SimGrantProtocol.tryEnd(buffer, slot + PlatformSlots.ENTRY) == SimGrantProtocol.END_OK)
            {
                SimGrantProtocol.publish(buffer, slot + PlatformSlots.ENTRY, MAPPER, NEW_FRAME, false);
                r.r2 = 1;
            }
            else
            {
                r.r2 = 0;
            }
        }
    }
}
