/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.stress.ring;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.pvring.xen.ring.BackRing;
import dev.pvring.xen.ring.ByteRingReader;
import dev.pvring.xen.ring.ByteRingWriter;
import dev.pvring.xen.ring.ConsoleRingDescriptor;
import dev.pvring.xen.ring.FrontRing;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * Proofs of the Xen ring's memory ordering: the front end and the back end are two actors on one shared ring
 * (an {@link UnsafeBuffer}; ordering through Agrona's acquire/release/volatile accessors is the same on or off
 * heap). Index starts are near 2^32 so the arithmetic crosses the wrap.
 */
public final class XenRingStressTests
{
    private static final int RING_BYTES = 4096;
    private static final int ENTRY = 64;
    private static final long PAYLOAD = 0x1122_3344_5566_7788L;

    private XenRingStressTests()
    {
    }

    /**
     * A request's body is visible to the back end once it sees the new {@code req_prod}: the front's release
     * store of {@code req_prod} (wmb) pairs with the back's acquire load (rmb).
     */
    @JCStressTest
    @Description("Request payload is visible before req_prod (wmb / rmb pairing), start index 0xFFFFFFFF.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Back end saw no request yet.")
    @Outcome(id = "1, 1234605616436508552", expect = ACCEPTABLE, desc = "Back end saw the request with its payload.")
    @Outcome(expect = FORBIDDEN, desc = "Back end saw req_prod but a stale or torn payload.")
    @State
    public static class RequestPublication
    {
        final UnsafeBuffer page = new UnsafeBuffer(new byte[RING_BYTES]);
        final FrontRing front = FrontRing.init(page, 0, RING_BYTES, ENTRY, 0xFFFF_FFFF);
        final BackRing back = BackRing.attach(page, 0, RING_BYTES, ENTRY, 0xFFFF_FFFF);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[ENTRY]);

        /** Front end: write the body in place, then publish. */
        @Actor
        public void front()
        {
            final int slot = front.claimRequest();
            page.putLong(slot, PAYLOAD);
            front.pushRequests();
        }

        /**
         * Back end: read req_prod once, copy the request.
         *
         * @param r requests seen, payload copied.
         */
        @Actor
        public void back(final JJ_Result r)
        {
            final int n = back.unconsumedRequests();
            r.r1 = n;
            if (n > 0 && back.copyRequest(copy, 0, 8))
            {
                r.r2 = copy.getLong(0);
            }
        }
    }

    /**
     * A response's body is visible to the front end once it sees the new {@code rsp_prod}.
     */
    @JCStressTest
    @Description("Response payload is visible before rsp_prod, start index 0xFFFFFFFF.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Front end saw no response yet.")
    @Outcome(id = "1, 1234605616436508552", expect = ACCEPTABLE, desc = "Front end saw the response with its payload.")
    @Outcome(expect = FORBIDDEN, desc = "Front end saw rsp_prod but a stale or torn payload.")
    @State
    public static class ResponsePublication
    {
        final UnsafeBuffer page = new UnsafeBuffer(new byte[RING_BYTES]);
        final FrontRing front = FrontRing.init(page, 0, RING_BYTES, ENTRY, 0xFFFF_FFFF);
        final BackRing back = BackRing.attach(page, 0, RING_BYTES, ENTRY, 0xFFFF_FFFF);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[ENTRY]);

        {
            front.claimRequest();
            front.pushRequests();
            back.unconsumedRequests();
            back.copyRequest(copy, 0, ENTRY);
        }

        /** Back end: answer the consumed request in place, then publish. */
        @Actor
        public void back()
        {
            final int slot = back.claimResponse();
            page.putLong(slot, PAYLOAD);
            back.pushResponses();
        }

        /**
         * Front end: read rsp_prod once, copy the response.
         *
         * @param r responses seen, payload copied.
         */
        @Actor
        public void front(final JJ_Result r)
        {
            final int n = front.unconsumedResponses();
            r.r1 = n;
            if (n > 0 && front.copyResponse(copy, 0, 8))
            {
                r.r2 = copy.getLong(0);
            }
        }
    }

    /**
     * The event-index hold-off cannot lose a wake-up: the front end publishes a request and checks
     * {@code req_event} ({@code RING_PUSH_REQUESTS_AND_CHECK_NOTIFY}: store, mb, load) while the back end, about
     * to sleep, sets {@code req_event} and re-checks {@code req_prod} ({@code RING_FINAL_CHECK_FOR_REQUESTS}:
     * store, mb, load). A Dekker pattern: at least one of them sees the other's store. The back end has already
     * consumed one request and its {@code req_event} is stale, so the front end notifies only if it sees the
     * new event. Indices cross 2^32.
     */
    @JCStressTest
    @Description("Notify hold-off vs final check (Dekker): the back end never sleeps on a request nobody notified.")
    @Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Notified, and the back end saw the request anyway.")
    @Outcome(id = "true, false", expect = ACCEPTABLE, desc = "Back end sleeps, front end notifies it.")
    @Outcome(id = "false, true", expect = ACCEPTABLE, desc = "No notification needed: the back end saw the request.")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "Lost wake-up: the back end sleeps on a pending request.")
    @State
    public static class NotifyHoldOff
    {
        final UnsafeBuffer page = new UnsafeBuffer(new byte[RING_BYTES]);
        final FrontRing front = FrontRing.init(page, 0, RING_BYTES, ENTRY, 0xFFFF_FFFF);
        final BackRing back = BackRing.attach(page, 0, RING_BYTES, ENTRY, 0xFFFF_FFFF);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[ENTRY]);

        {
            // one request round trip: req_cons = 0, req_event stays 0 (stale, not armed for the next request)
            front.claimRequest();
            front.pushRequestsAndCheckNotify();
            back.unconsumedRequests();
            back.copyRequest(copy, 0, ENTRY);
            back.claimResponse();
            back.pushResponses();
            front.unconsumedResponses();
            front.copyResponse(copy, 0, ENTRY);
        }

        /**
         * Front end publishes the next request.
         *
         * @param r r1 = must notify.
         */
        @Actor
        public void front(final ZZ_Result r)
        {
            front.claimRequest();
            r.r1 = front.pushRequestsAndCheckNotify();
        }

        /**
         * Back end's last look before sleeping.
         *
         * @param r r2 = work pending (do not sleep).
         */
        @Actor
        public void back(final ZZ_Result r)
        {
            r.r2 = back.finalCheckForRequests();
        }
    }

    /**
     * The same hold-off for responses ({@code RING_FINAL_CHECK_FOR_RESPONSES} against
     * {@code RING_PUSH_RESPONSES_AND_CHECK_NOTIFY}).
     */
    @JCStressTest
    @Description("Response notify hold-off vs the front end's final check (Dekker).")
    @Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Notified, and the front end saw the response anyway.")
    @Outcome(id = "true, false", expect = ACCEPTABLE, desc = "Front end sleeps, back end notifies it.")
    @Outcome(id = "false, true", expect = ACCEPTABLE, desc = "No notification needed.")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "Lost wake-up on a pending response.")
    @State
    public static class ResponseNotifyHoldOff
    {
        final UnsafeBuffer page = new UnsafeBuffer(new byte[RING_BYTES]);
        final FrontRing front = FrontRing.init(page, 0, RING_BYTES, ENTRY, 0xFFFF_FFFE);
        final BackRing back = BackRing.attach(page, 0, RING_BYTES, ENTRY, 0xFFFF_FFFE);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[ENTRY]);

        {
            // two requests outstanding; the first is answered and consumed, rsp_event left stale
            front.claimRequest();
            front.claimRequest();
            front.pushRequests();
            back.unconsumedRequests();
            back.copyRequest(copy, 0, ENTRY);
            back.copyRequest(copy, 0, ENTRY);
            back.claimResponse();
            back.pushResponsesAndCheckNotify();
            front.unconsumedResponses();
            front.copyResponse(copy, 0, ENTRY);
        }

        /**
         * Back end answers the second request.
         *
         * @param r r1 = must notify.
         */
        @Actor
        public void back(final ZZ_Result r)
        {
            back.claimResponse();
            r.r1 = back.pushResponsesAndCheckNotify();
        }

        /**
         * Front end's last look before sleeping.
         *
         * @param r r2 = work pending.
         */
        @Actor
        public void front(final ZZ_Result r)
        {
            r.r2 = front.finalCheckForResponses();
        }
    }

    /**
     * Console bytes are visible once the reader sees the new {@code out_prod}; indices cross 2^32.
     */
    @JCStressTest
    @Description("Console ring: bytes written before out_prod are read intact.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Nothing read yet.")
    @Outcome(id = "4, 1145258561", expect = ACCEPTABLE, desc = "All four bytes 'ABCD' read.")
    @Outcome(expect = FORBIDDEN, desc = "Stale or partial bytes behind a published index.")
    @State
    public static class ConsoleBytePublication
    {
        final UnsafeBuffer page = new UnsafeBuffer(new byte[RING_BYTES]);
        final ByteRingWriter guest;
        final ByteRingReader backend;
        final UnsafeBuffer text = new UnsafeBuffer(new byte[] {'A', 'B', 'C', 'D'});
        final UnsafeBuffer into = new UnsafeBuffer(new byte[8]);

        {
            page.putInt(ConsoleRingDescriptor.OUT_PROD_OFFSET, 0xFFFF_FFFE);
            page.putInt(ConsoleRingDescriptor.OUT_CONS_OFFSET, 0xFFFF_FFFE);
            guest = new ByteRingWriter(page, ConsoleRingDescriptor.OUT_OFFSET, ConsoleRingDescriptor.OUT_LENGTH,
                ConsoleRingDescriptor.OUT_CONS_OFFSET, ConsoleRingDescriptor.OUT_PROD_OFFSET);
            backend = new ByteRingReader(page, ConsoleRingDescriptor.OUT_OFFSET, ConsoleRingDescriptor.OUT_LENGTH,
                ConsoleRingDescriptor.OUT_CONS_OFFSET, ConsoleRingDescriptor.OUT_PROD_OFFSET);
        }

        /** Guest writes "ABCD" (wraps inside the ring: the last two bytes of the array, then the first two). */
        @Actor
        public void guest()
        {
            guest.write(text, 0, 4);
        }

        /**
         * Backend reads whatever is published.
         *
         * @param r bytes read, the bytes as a little-endian int.
         */
        @Actor
        public void backend(final II_Result r)
        {
            final int n = backend.read(into, 0, 8);
            r.r1 = n;
            r.r2 = n == 4 ? into.getInt(0) : 0;
        }
    }
}
