/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import static dev.pvring.xen.ring.SharedRingDescriptor.REQ_EVENT_OFFSET;
import static dev.pvring.xen.ring.SharedRingDescriptor.REQ_PROD_OFFSET;
import static dev.pvring.xen.ring.SharedRingDescriptor.RSP_EVENT_OFFSET;
import static dev.pvring.xen.ring.SharedRingDescriptor.RSP_PROD_OFFSET;

import dev.pvring.core.RingIndex;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The back end of a Xen {@code io/ring.h} ring: consumes requests, produces responses. The Java twin of
 * {@code struct NAME_back_ring} and the {@code BACK_RING_*}/{@code RING_*} macros.
 * <p>
 * A back end never initialises the shared page (the front end owns it; re-initialising loses requests the
 * front already posted, mirage-net-xen #68): it only {@link #attach attaches}.
 * <p>
 * Consuming copies: {@link #unconsumedRequests()} reads {@code req_prod} once and validates it
 * ({@code RING_REQUEST_PROD_OVERFLOW}); {@link #copyRequest(MutableDirectBuffer, int, int)} copies each request
 * out of the shared slot once ({@code RING_COPY_REQUEST}) and refuses to consume past the free response slots
 * ({@code RING_REQUEST_CONS_OVERFLOW}). A hostile front end moves the ring to
 * {@link RingFault#REQUEST_PROD_OVERFLOW}; nothing is thrown, nothing more is consumed.
 * <p>
 * Producing is in place: {@link #claimResponse()} returns the next response slot's offset in {@link #buffer()};
 * {@link #pushResponsesAndCheckNotify()} publishes them. Single-threaded, like the C structure.
 * <p>
 * The slot accessors ({@link #putResponse}, {@link #putLong(int, long)} and the like, {@link #copyRequest}) check
 * the private side, and that the buffer still holds the whole ring (one compare: a mapping detached at unmap makes
 * them throw); the slot addresses are the ring's own arithmetic, checked against the slot area.
 */
public final class BackRing extends RingEnd
{
    private int rspProdPvt;
    /** {@code min(req_prod seen, rsp_prod_pvt + size)} as of the last refresh (never more): {@link #copyRequest}'s
     * fast-path bound; {@code req_cons} when the ring is broken. */
    private int copyLimit;
    /** {@code req_cons}, or {@code rsp_prod_pvt} once the ring is broken: {@link #claimResponse()}'s bound. */
    private int answerLimit;
    private int rspProdPublished;
    private int reqCons;
    private int reqProdSeen;
    // 128 bytes after the private state (RingPadding holds the 128 before the shared fields): see RingPadding.
    private byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    private byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    private byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    private byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
    private byte q064, q065, q066, q067, q068, q069, q070, q071, q072, q073, q074, q075, q076, q077, q078, q079;
    private byte q080, q081, q082, q083, q084, q085, q086, q087, q088, q089, q090, q091, q092, q093, q094, q095;
    private byte q096, q097, q098, q099, q100, q101, q102, q103, q104, q105, q106, q107, q108, q109, q110, q111;
    private byte q112, q113, q114, q115, q116, q117, q118, q119, q120, q121, q122, q123, q124, q125, q126, q127;

    private BackRing(
        final AtomicBuffer buffer, final int base, final int ringBytes, final int entrySize, final int startIndex)
    {
        super(buffer, base, ringBytes, entrySize);
        this.copyLimit = startIndex;
        this.answerLimit = startIndex;
        this.rspProdPvt = startIndex;
        this.rspProdPublished = startIndex;
        this.reqCons = startIndex;
        this.reqProdSeen = startIndex;
    }

    /**
     * {@code BACK_RING_ATTACH}: attaches to a ring the front end initialised, with private indices at
     * {@code startIndex} (0 for a fresh ring, {@code rsp_prod} when re-attaching). Writes nothing.
     *
     * @param buffer     mapping of the ring page(s).
     * @param base       ring offset (4-byte aligned).
     * @param ringBytes  ring length including the header.
     * @param entrySize  entry bytes.
     * @param startIndex value for {@code rsp_prod_pvt} and {@code req_cons}.
     * @return the back ring.
     */
    public static BackRing attach(
        final AtomicBuffer buffer, final int base, final int ringBytes, final int entrySize, final int startIndex)
    {
        return new BackRing(buffer, base, ringBytes, entrySize, startIndex);
    }

    /**
     * Attaches at the current shared {@code rsp_prod}, the usual choice when connecting to a ring the front end
     * just initialised or re-initialised (a hostile front end can only hurt itself with this value: every later
     * index is validated against it).
     *
     * @param buffer    mapping.
     * @param base      ring offset.
     * @param ringBytes ring length.
     * @param entrySize entry bytes.
     * @return the back ring.
     */
    public static BackRing attach(final AtomicBuffer buffer, final int base, final int ringBytes, final int entrySize)
    {
        SharedRingDescriptor.checkBounds(buffer, base, ringBytes);
        return new BackRing(buffer, base, ringBytes, entrySize, buffer.getIntAcquire(base + RSP_PROD_OFFSET));
    }

    /**
     * {@code req_cons}: next request to consume.
     *
     * @return private consumer index.
     */
    public int reqCons()
    {
        return reqCons;
    }

    /**
     * {@code rsp_prod_pvt}: next response slot to claim.
     *
     * @return private producer index.
     */
    public int rspProdPvt()
    {
        return rspProdPvt;
    }

    /**
     * Requests consumed but not yet answered: responses that may be claimed.
     *
     * @return owed responses.
     */
    public int owedResponses()
    {
        return reqCons - rspProdPvt;
    }

    /**
     * {@code RING_HAS_UNCONSUMED_REQUESTS} with {@code RING_REQUEST_PROD_OVERFLOW}: reads {@code req_prod}
     * once (acquire), validates it, and returns
     * {@code min(req_prod - req_cons, size - (req_cons - rsp_prod_pvt))}: never more requests than there are
     * free response slots. An impossible {@code req_prod} breaks the ring and returns 0.
     *
     * @return requests that may be copied now.
     */
    public int unconsumedRequests()
    {
        if (fault != RingFault.NONE)
        {
            return 0;
        }
        final int prod = RingSlots.getIndexAcquire(buffer, slotBase, slotsLength, REQ_PROD_OFFSET);
        final int cons = reqCons;
        if (RingIndex.exceeds(rspProdPvt, prod, size) || RingIndex.exceeds(cons, prod, size))
        {
            breakRing();
            return 0;
        }
        reqProdSeen = prod;
        final int pending = RingIndex.minUnsigned(prod - cons, size - (cons - rspProdPvt));
        copyLimit = cons + pending;
        return pending;
    }

    /**
     * {@code RING_COPY_REQUEST}: copies the request at {@code req_cons} out of shared memory and advances
     * {@code req_cons}. Stops at the {@code req_prod} read by the last {@link #unconsumedRequests()} and when no
     * response slot would be free for it ({@code RING_REQUEST_CONS_OVERFLOW}).
     *
     * @param dst       private buffer receiving the copy.
     * @param dstOffset where in {@code dst}.
     * @param length    bytes to copy, at most {@link #entrySize()}.
     * @return true if a request was copied.
     */
    public boolean copyRequest(final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        // Small enough (<= 35 bytecodes) to be inlined at any call site, like C's macro; rare cases out of line.
        checkLength(length);
        if (reqCons == copyLimit && !refreshCopyLimit())
        {
            return false;
        }
        copyNextRequest(dst, dstOffset, length);
        return true;
    }

    /**
     * The batch form of {@link #copyRequest}: copies up to {@code maxCount} requests at {@code req_cons} out of
     * shared memory into {@code dst} (request {@code k} at {@code dstOffset + k * stride}), each once, and advances
     * {@code req_cons} past them. The same limits as {@link #copyRequest} (the last {@code req_prod} read, the free
     * response slots); both buffer ranges are checked once per call and the indices stay in registers. Validate
     * the copies, never the slots.
     *
     * @param dst       private buffer receiving the copies.
     * @param dstOffset where the first copy goes.
     * @param stride    bytes between copies in {@code dst}, at least {@code length}.
     * @param length    bytes to copy per request, at most {@link #entrySize()}.
     * @param maxCount  most requests to copy, at least 0.
     * @return requests copied (0 when none is available or the ring is broken).
     * @throws IllegalArgumentException if {@code length}, {@code stride} or {@code maxCount} is out of range.
     * @throws IndexOutOfBoundsException if {@code dst} cannot hold the copies.
     */
    public int copyRequests(
        final MutableDirectBuffer dst, final int dstOffset, final int stride, final int length, final int maxCount)
    {
        checkLength(length);
        if (maxCount < 0)
        {
            throw new IllegalArgumentException("maxCount must not be negative: maxCount=" + maxCount);
        }
        if (reqCons == copyLimit && !refreshCopyLimit())
        {
            return 0;
        }
        final int cons = reqCons;
        final int count = Math.min(copyLimit - cons, maxCount);
        RingSlots.copyEntriesOut(
            buffer, slotBase, slotsLength, mask, entrySize, cons, count, dst, dstOffset, stride, length);
        reqCons = cons + count;
        answerLimit = cons + count;
        return count;
    }

    /**
     * Takes up to {@code maxCount} requests at {@code req_cons} without copying them ({@code req_cons += n}): the
     * same limits as {@link #copyRequest} (the last {@code req_prod} read, the free response slots). The requests
     * taken have the ring indices {@code first} to {@code first + n - 1}, where {@code first} is {@link #reqCons()}
     * before the call; copy each with {@link #copyEntry} before claiming the response that reuses its slot. Their
     * responses can be claimed at once ({@link #claimResponses}).
     *
     * @param maxCount most requests to take, at least 0.
     * @return requests taken (0 when none is available or the ring is broken).
     * @throws IllegalArgumentException if {@code maxCount} is negative.
     */
    public int consumeRequests(final int maxCount)
    {
        if (maxCount < 0)
        {
            throw new IllegalArgumentException("maxCount must not be negative: maxCount=" + maxCount);
        }
        if (reqCons == copyLimit && !refreshCopyLimit())
        {
            return 0;
        }
        final int cons = reqCons;
        final int count = Math.min(copyLimit - cons, maxCount);
        reqCons = cons + count;
        answerLimit = cons + count;
        return count;
    }

    private void copyNextRequest(final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        final int cons = reqCons;
        RingSlots.copyEntryOut(buffer, slotBase, slotsLength, cons & mask, entrySize, dst, dstOffset, length);
        reqCons = cons + 1;
        answerLimit = cons + 1;
    }

    /**
     * Moves the ring to {@link RingFault#REQUEST_PROD_OVERFLOW}: nothing more is copied or claimed.
     */
    private void breakRing()
    {
        fault = RingFault.REQUEST_PROD_OVERFLOW;
        copyLimit = reqCons;
        answerLimit = rspProdPvt;
    }

    /**
     * Recomputes {@link #copyLimit} from the {@code req_prod} last seen and the response slots freed since.
     *
     * @return true if a request may be copied now.
     */
    private boolean refreshCopyLimit()
    {
        if (fault != RingFault.NONE)
        {
            return false;
        }
        final int cons = reqCons;
        copyLimit = cons + RingIndex.minUnsigned(reqProdSeen - cons, size - (cons - rspProdPvt));
        return copyLimit != cons;
    }

    /**
     * Claims the slot at {@code rsp_prod_pvt} for a response and advances it. A response may only answer a
     * consumed request.
     *
     * @return the slot's offset in {@link #buffer()}, or {@link RingStatus#BROKEN}.
     * @throws IllegalStateException if every consumed request is already answered (a caller bug).
     */
    public int claimResponse()
    {
        final int prodPvt = rspProdPvt;
        if (prodPvt == answerLimit)
        {
            return claimResponseFailure();
        }
        rspProdPvt = prodPvt + 1;
        return slotOffset(prodPvt);
    }

    /**
     * The batch form of {@link #claimResponse()}: claims up to {@code count} response slots for consumed, unanswered
     * requests. The slots are those of indices {@code rspProdPvt()} (read before the call) onwards: write response
     * {@code k} at {@link #slotOffset(int) slotOffset(first + k)}, then push.
     *
     * @param count most slots to claim, at least 0.
     * @return slots claimed (at most {@link #owedResponses()}), or {@link RingStatus#BROKEN}.
     * @throws IllegalArgumentException if {@code count} is negative.
     */
    public int claimResponses(final int count)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("count must not be negative: count=" + count);
        }
        if (fault != RingFault.NONE)
        {
            return RingStatus.BROKEN;
        }
        final int prodPvt = rspProdPvt;
        final int claimed = Math.min(answerLimit - prodPvt, count);
        rspProdPvt = prodPvt + claimed;
        return claimed;
    }

    private int claimResponseFailure()
    {
        if (fault != RingFault.NONE)
        {
            return RingStatus.BROKEN;
        }
        throw new IllegalStateException(
            "no consumed request to answer: rspProdPvt=" + Integer.toUnsignedString(rspProdPvt) + " reqCons=" +
            Integer.toUnsignedString(reqCons));
    }

    /**
     * Copies a response built in a private buffer into a claimed slot ({@code *RING_GET_RESPONSE(...) = rsp}):
     * {@code slotOffset} as {@link #claimResponse()} returned it, {@code length} at most {@link #entrySize()}.
     *
     * @param slotOffset where in {@link #buffer()} (a claimed slot).
     * @param src        the private response.
     * @param srcIndex   where in {@code src}.
     * @param length     bytes.
     * @throws IndexOutOfBoundsException if either range is outside its buffer or the slot area.
     */
    public void putResponse(final int slotOffset, final DirectBuffer src, final int srcIndex, final int length)
    {
        RingSlots.putEntry(buffer, slotBase, slotsLength, slotOffset, src, srcIndex, length);
    }

    /**
     * {@code RING_PUSH_RESPONSES}.
     */
    public void pushResponses()
    {
        final int prodPvt = rspProdPvt;
        // wmb + store: the front end sees the response bodies before the new rsp_prod.
        RingSlots.putIndexRelease(buffer, slotBase, slotsLength, RSP_PROD_OFFSET, prodPvt);
        rspProdPublished = prodPvt;
    }

    /**
     * {@code RING_PUSH_RESPONSES_AND_CHECK_NOTIFY}.
     *
     * @return true if the caller must notify the front end.
     */
    public boolean pushResponsesAndCheckNotify()
    {
        final int oldProd = rspProdPublished;
        final int newProd = rspProdPvt;
        // Volatile store = wmb + store + mb: bodies before rsp_prod, and rsp_prod globally visible before we read
        // rsp_event (StoreLoad), closing the race with the front end's finalCheckForResponses().
        RingSlots.putIndexVolatile(buffer, slotBase, slotsLength, RSP_PROD_OFFSET, newProd);
        rspProdPublished = newProd;
        final int event = RingSlots.getIndexVolatile(buffer, slotBase, slotsLength, RSP_EVENT_OFFSET);
        return RingIndex.isNotifyRequired(newProd, oldProd, event);
    }

    /**
     * {@code RING_FINAL_CHECK_FOR_REQUESTS}: before sleeping, asks to be notified at the next request
     * ({@code req_event = req_cons + 1}) and checks again.
     *
     * @return true if requests are pending (do not sleep).
     */
    public boolean finalCheckForRequests()
    {
        return finalCheckForRequests(1);
    }

    /**
     * Like {@link #finalCheckForRequests()} but asks to be woken only after {@code count} more requests
     * ({@code req_event = req_cons + count}); wait with a timeout.
     *
     * @param count requests to wait for, at least 1.
     * @return true if requests are pending (do not sleep).
     */
    public boolean finalCheckForRequests(final int count)
    {
        if (count < 1)
        {
            throw new IllegalArgumentException("event count must be at least 1: count=" + count);
        }
        if (unconsumedRequests() != 0)
        {
            return true;
        }
        if (fault != RingFault.NONE)
        {
            return false;
        }
        // Store event then mb (volatile store + volatile load): either the front end sees the new req_event when
        // it checks after pushing, or we see its new req_prod here (Dekker).
        RingSlots.putIndexVolatile(buffer, slotBase, slotsLength, REQ_EVENT_OFFSET, reqCons + count);
        return unconsumedRequests() != 0;
    }

    @Override
    public String toString()
    {
        return "BackRing{size=" + size + ", entrySize=" + entrySize + ", reqCons=" + Integer.toUnsignedString(reqCons) +
            ", rspProdPvt=" + Integer.toUnsignedString(rspProdPvt) + ", fault=" + fault + "}";
    }
}
