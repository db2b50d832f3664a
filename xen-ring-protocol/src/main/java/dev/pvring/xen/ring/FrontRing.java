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
 * The front end of a Xen {@code io/ring.h} ring: produces requests, consumes responses. The Java twin of
 * {@code struct NAME_front_ring} and the {@code FRONT_RING_*}/{@code RING_*} macros; private state
 * ({@code req_prod_pvt}, {@code rsp_cons}) lives in this object, the shared page holds only the four indices
 * and the entries (see {@link SharedRingDescriptor}).
 * <p>
 * Producing is in place: {@link #claimRequest()} returns the offset of the next free slot in
 * {@link #buffer()}, the caller writes the request there (no staging copy), and {@link #pushRequests()} or
 * {@link #pushRequestsAndCheckNotify()} publishes every claimed request with one index store. The ring never
 * notifies; the caller rings the event channel when push says so.
 * <p>
 * Consuming copies: {@link #copyResponse(MutableDirectBuffer, int, int)} copies a response out of the shared
 * slot once ({@code RING_COPY_RESPONSE}); validate the copy, never the slot. A back end that publishes an
 * impossible {@code rsp_prod} moves the ring to {@link RingFault#RESPONSE_PROD_OVERFLOW}: nothing is thrown,
 * consumers see no more responses and claims return {@link RingStatus#BROKEN}.
 * <p>
 * The slot accessors ({@link #putRequest}, {@link #putLong(int, long)} and the like, {@link #copyResponse}) check
 * the private side, and that the buffer still holds the whole ring (one compare: a mapping detached at unmap makes
 * them throw); the slot addresses are the ring's own arithmetic, checked against the slot area.
 * <p>
 * Single-threaded: one producing/consuming thread per ring (as in C); the peer is another thread or process.
 */
public final class FrontRing extends RingEnd
{
    private int reqProdPvt;
    /** {@code rsp_cons + size} as of the last refresh (never more): {@link #claimRequest()}'s fast-path bound;
     * set to {@code req_prod_pvt} when the ring breaks, so claims go to the slow path. */
    private int claimLimit;
    private int reqProdPublished;
    private int rspCons;
    private int rspProdSeen;
    // 128 bytes after the private state (RingPadding holds the 128 before the shared fields): see RingPadding.
    private byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    private byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    private byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    private byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
    private byte q064, q065, q066, q067, q068, q069, q070, q071, q072, q073, q074, q075, q076, q077, q078, q079;
    private byte q080, q081, q082, q083, q084, q085, q086, q087, q088, q089, q090, q091, q092, q093, q094, q095;
    private byte q096, q097, q098, q099, q100, q101, q102, q103, q104, q105, q106, q107, q108, q109, q110, q111;
    private byte q112, q113, q114, q115, q116, q117, q118, q119, q120, q121, q122, q123, q124, q125, q126, q127;

    private FrontRing(
        final AtomicBuffer buffer, final int base, final int ringBytes, final int entrySize, final int startIndex)
    {
        super(buffer, base, ringBytes, entrySize);
        this.claimLimit = startIndex + size;
        this.reqProdPvt = startIndex;
        this.reqProdPublished = startIndex;
        this.rspCons = startIndex;
        this.rspProdSeen = startIndex;
    }

    /**
     * {@code XEN_FRONT_RING_INIT}: initialises the shared header ({@code SHARED_RING_INIT}: indices 0, events 1)
     * and attaches at index 0.
     *
     * @param buffer    mapping of the ring page(s).
     * @param base      offset of the ring in the buffer (4-byte aligned).
     * @param ringBytes ring length including the header (4096 per page).
     * @param entrySize {@code sizeof(union NAME_sring_entry)}.
     * @return the front ring.
     */
    public static FrontRing init(final AtomicBuffer buffer, final int base, final int ringBytes, final int entrySize)
    {
        SharedRingDescriptor.checkBounds(buffer, base, ringBytes);
        SharedRingDescriptor.ringSize(ringBytes, entrySize);
        SharedRingDescriptor.sharedRingInit(buffer, base);
        return new FrontRing(buffer, base, ringBytes, entrySize, 0);
    }

    /**
     * Initialises the shared header with every index at {@code startIndex} (events at {@code startIndex + 1})
     * and attaches there: {@code SHARED_RING_INIT} followed by setting {@code req_prod = rsp_prod = start} and
     * {@code FRONT_RING_ATTACH(start)}. Lets tests start just below the 2^32 wrap.
     *
     * @param buffer     mapping.
     * @param base       ring offset.
     * @param ringBytes  ring length.
     * @param entrySize  entry bytes.
     * @param startIndex first index.
     * @return the front ring.
     */
    public static FrontRing init(
        final AtomicBuffer buffer, final int base, final int ringBytes, final int entrySize, final int startIndex)
    {
        SharedRingDescriptor.checkBounds(buffer, base, ringBytes);
        SharedRingDescriptor.ringSize(ringBytes, entrySize);
        SharedRingDescriptor.sharedRingInit(buffer, base);
        buffer.putInt(base + REQ_EVENT_OFFSET, startIndex + 1);
        buffer.putInt(base + RSP_EVENT_OFFSET, startIndex + 1);
        buffer.putInt(base + RSP_PROD_OFFSET, startIndex);
        buffer.putIntRelease(base + REQ_PROD_OFFSET, startIndex);
        return new FrontRing(buffer, base, ringBytes, entrySize, startIndex);
    }

    /**
     * {@code FRONT_RING_ATTACH}: takes over a ring whose shared page is already initialised (e.g. after
     * reconnecting), with private indices at {@code startIndex}. Writes nothing to shared memory.
     *
     * @param buffer     mapping.
     * @param base       ring offset.
     * @param ringBytes  ring length.
     * @param entrySize  entry bytes.
     * @param startIndex value for {@code req_prod_pvt} and {@code rsp_cons}.
     * @return the front ring.
     */
    public static FrontRing attach(
        final AtomicBuffer buffer, final int base, final int ringBytes, final int entrySize, final int startIndex)
    {
        return new FrontRing(buffer, base, ringBytes, entrySize, startIndex);
    }

    /**
     * {@code req_prod_pvt}: index of the next request to claim.
     *
     * @return private producer index.
     */
    public int reqProdPvt()
    {
        return reqProdPvt;
    }

    /**
     * {@code rsp_cons}: index of the next response to consume.
     *
     * @return private consumer index.
     */
    public int rspCons()
    {
        return rspCons;
    }

    /**
     * {@code RING_FREE_REQUESTS}: {@code size - (req_prod_pvt - rsp_cons)}.
     *
     * @return free request slots.
     */
    public int freeRequests()
    {
        return size - (reqProdPvt - rspCons);
    }

    /**
     * {@code RING_FULL}.
     *
     * @return true if no request can be claimed until responses are consumed.
     */
    public boolean isFull()
    {
        return reqProdPvt - rspCons == size;
    }

    /**
     * Requests claimed but not yet pushed.
     *
     * @return unpublished requests.
     */
    public int unpublishedRequests()
    {
        return reqProdPvt - reqProdPublished;
    }

    /**
     * Claims the slot at {@code req_prod_pvt} for a request and advances {@code req_prod_pvt}
     * ({@code RING_GET_REQUEST(r, r->req_prod_pvt++)} guarded by {@code RING_FULL}).
     *
     * @return the slot's offset in {@link #buffer()}, {@link RingStatus#FULL} or {@link RingStatus#BROKEN}.
     */
    public int claimRequest()
    {
        // Inlined at any call site, like C's macro, and so is the refresh (once per ring's worth of claims): a call
        // left in a caller's loop, even a cold one (the JIT does not inline cold calls over 35 bytecodes), makes the
        // JIT reload every field after it on every iteration.
        final int prodPvt = reqProdPvt;
        if (prodPvt == claimLimit)
        {
            final int limit = rspCons + size;
            if (limit == prodPvt || fault != RingFault.NONE)
            {
                return fault != RingFault.NONE ? RingStatus.BROKEN : RingStatus.FULL;
            }
            claimLimit = limit;
        }
        reqProdPvt = prodPvt + 1;
        return slotOffset(prodPvt);
    }

    /**
     * The batch form of {@link #claimRequest()}: claims up to {@code count} free request slots at once. The slots
     * are those of indices {@code reqProdPvt()} (read before the call) onwards: write request {@code k} at
     * {@link #slotOffset(int) slotOffset(first + k)}, then push once.
     *
     * @param count most slots to claim, at least 0.
     * @return slots claimed (0 when the ring is full), or {@link RingStatus#BROKEN}.
     * @throws IllegalArgumentException if {@code count} is negative.
     */
    public int claimRequests(final int count)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("count must not be negative: count=" + count);
        }
        if (fault != RingFault.NONE)
        {
            return RingStatus.BROKEN;
        }
        final int prodPvt = reqProdPvt;
        final int limit = rspCons + size;
        claimLimit = limit; // claimRequest()'s bound must never lag behind req_prod_pvt
        final int claimed = Math.min(limit - prodPvt, count);
        reqProdPvt = prodPvt + claimed;
        return claimed;
    }

    /**
     * Copies a request built in a private buffer into a claimed slot ({@code *RING_GET_REQUEST(...) = req}):
     * {@code slotOffset} as {@link #claimRequest()} returned it, {@code length} at most {@link #entrySize()}.
     *
     * @param slotOffset where in {@link #buffer()} (a claimed slot).
     * @param src        the private request.
     * @param srcIndex   where in {@code src}.
     * @param length     bytes.
     * @throws IndexOutOfBoundsException if either range is outside its buffer or the slot area.
     */
    public void putRequest(final int slotOffset, final DirectBuffer src, final int srcIndex, final int length)
    {
        RingSlots.putEntry(buffer, slotBase, slotsLength, slotOffset, src, srcIndex, length);
    }

    /**
     * {@code RING_PUSH_REQUESTS}: publishes every claimed request.
     */
    public void pushRequests()
    {
        final int prodPvt = reqProdPvt;
        // wmb + store: the back end sees the request bodies before the new req_prod.
        RingSlots.putIndexRelease(buffer, slotBase, slotsLength, REQ_PROD_OFFSET, prodPvt);
        reqProdPublished = prodPvt;
    }

    /**
     * {@code RING_PUSH_REQUESTS_AND_CHECK_NOTIFY}: publishes every claimed request and tells whether the back
     * end asked to be woken for one of them ({@code req_event} in {@code (old, new]}).
     *
     * @return true if the caller must notify the back end.
     */
    public boolean pushRequestsAndCheckNotify()
    {
        final int oldProd = reqProdPublished;
        final int newProd = reqProdPvt;
        // Volatile store = wmb + store + mb: the bodies are visible before req_prod, and req_prod is globally
        // visible before req_event is read below (StoreLoad), closing the race with finalCheckForRequests().
        RingSlots.putIndexVolatile(buffer, slotBase, slotsLength, REQ_PROD_OFFSET, newProd);
        reqProdPublished = newProd;
        final int event = RingSlots.getIndexVolatile(buffer, slotBase, slotsLength, REQ_EVENT_OFFSET);
        return RingIndex.isNotifyRequired(newProd, oldProd, event);
    }

    /**
     * {@code RING_HAS_UNCONSUMED_RESPONSES} with the overflow check: reads {@code rsp_prod} once (acquire:
     * responses written before it are visible), validates it and returns how many responses may be copied.
     * A {@code rsp_prod} more than {@code size} ahead of {@code rsp_cons}, or ahead of the requests published,
     * breaks the ring ({@link RingFault#RESPONSE_PROD_OVERFLOW}) and returns 0.
     *
     * @return unconsumed responses, 0 when none or broken.
     */
    public int unconsumedResponses()
    {
        if (fault != RingFault.NONE)
        {
            return 0;
        }
        final int prod = RingSlots.getIndexAcquire(buffer, slotBase, slotsLength, RSP_PROD_OFFSET);
        final int cons = rspCons;
        if (RingIndex.exceeds(cons, prod, size) || RingIndex.exceeds(cons, prod, reqProdPublished - cons))
        {
            breakRing();
            return 0;
        }
        rspProdSeen = prod;
        return prod - cons;
    }

    /**
     * {@code RING_COPY_RESPONSE}: copies the response at {@code rsp_cons} out of shared memory and advances
     * {@code rsp_cons}. Only responses counted by the last {@link #unconsumedResponses()} are copied, so the
     * shared {@code rsp_prod} is read once per batch.
     *
     * @param dst       private buffer receiving the copy.
     * @param dstOffset where in {@code dst}.
     * @param length    bytes to copy, at most {@link #entrySize()}.
     * @return true if a response was copied, false if none is available (or the ring is broken).
     */
    public boolean copyResponse(final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        // Small enough to be inlined at any call site; a broken ring has rspProdSeen == rspCons.
        checkLength(length);
        if (rspCons == rspProdSeen)
        {
            return false;
        }
        copyNextResponse(dst, dstOffset, length);
        return true;
    }

    /**
     * The batch form of {@link #copyResponse}: copies up to {@code maxCount} of the responses counted by the last
     * {@link #unconsumedResponses()} into {@code dst} (response {@code k} at {@code dstOffset + k * stride}), each
     * once, and advances {@code rsp_cons}. Both ranges are checked once per call; validate the copies.
     *
     * @param dst       private buffer receiving the copies.
     * @param dstOffset where the first copy goes.
     * @param stride    bytes between copies in {@code dst}, at least {@code length}.
     * @param length    bytes to copy per response, at most {@link #entrySize()}.
     * @param maxCount  most responses to copy, at least 0.
     * @return responses copied (0 when none is available or the ring is broken).
     * @throws IllegalArgumentException if {@code length}, {@code stride} or {@code maxCount} is out of range.
     * @throws IndexOutOfBoundsException if {@code dst} cannot hold the copies.
     */
    public int copyResponses(
        final MutableDirectBuffer dst, final int dstOffset, final int stride, final int length, final int maxCount)
    {
        checkLength(length);
        if (maxCount < 0)
        {
            throw new IllegalArgumentException("maxCount must not be negative: maxCount=" + maxCount);
        }
        final int cons = rspCons;
        final int count = Math.min(rspProdSeen - cons, maxCount);
        RingSlots.copyEntriesOut(
            buffer, slotBase, slotsLength, mask, entrySize, cons, count, dst, dstOffset, stride, length);
        rspCons = cons + count;
        return count;
    }

    /**
     * Takes up to {@code maxCount} of the responses counted by the last {@link #unconsumedResponses()} without
     * copying them ({@code rsp_cons += n}). The responses taken have the ring indices {@code first} to
     * {@code first + n - 1}, where {@code first} is {@link #rspCons()} before the call; copy each with
     * {@link #copyEntry} before claiming requests (their slots become free).
     *
     * @param maxCount most responses to take, at least 0.
     * @return responses taken (0 when none is available or the ring is broken).
     * @throws IllegalArgumentException if {@code maxCount} is negative.
     */
    public int consumeResponses(final int maxCount)
    {
        if (maxCount < 0)
        {
            throw new IllegalArgumentException("maxCount must not be negative: maxCount=" + maxCount);
        }
        final int cons = rspCons;
        final int count = Math.min(rspProdSeen - cons, maxCount);
        rspCons = cons + count;
        return count;
    }

    private void copyNextResponse(final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        final int cons = rspCons;
        RingSlots.copyEntryOut(buffer, slotBase, slotsLength, cons & mask, entrySize, dst, dstOffset, length);
        rspCons = cons + 1;
    }

    /**
     * Moves the ring to {@link RingFault#RESPONSE_PROD_OVERFLOW}: nothing more is copied or claimed.
     */
    private void breakRing()
    {
        fault = RingFault.RESPONSE_PROD_OVERFLOW;
        rspProdSeen = rspCons;
        claimLimit = reqProdPvt;
    }

    /**
     * {@code RING_FINAL_CHECK_FOR_RESPONSES}: before sleeping, asks to be notified at the next response
     * ({@code rsp_event = rsp_cons + 1}) and checks again, closing the race with a back end that pushed in
     * between.
     *
     * @return true if responses are pending (do not sleep).
     */
    public boolean finalCheckForResponses()
    {
        return finalCheckForResponses(1);
    }

    /**
     * Like {@link #finalCheckForResponses()} but asks to be woken only after {@code count} more responses
     * ({@code rsp_event = rsp_cons + count}): fewer notifications, at the cost of sleeping until the count is
     * reached, so wait with a timeout.
     *
     * @param count responses to wait for, at least 1.
     * @return true if responses are pending (do not sleep).
     */
    public boolean finalCheckForResponses(final int count)
    {
        if (count < 1)
        {
            throw new IllegalArgumentException("event count must be at least 1: count=" + count);
        }
        if (unconsumedResponses() != 0)
        {
            return true;
        }
        if (fault != RingFault.NONE)
        {
            return false;
        }
        // Store event then mb (volatile store + volatile load): either the back end sees the new rsp_event when
        // it checks after pushing, or we see its new rsp_prod here (Dekker).
        RingSlots.putIndexVolatile(buffer, slotBase, slotsLength, RSP_EVENT_OFFSET, rspCons + count);
        return unconsumedResponses() != 0;
    }

    @Override
    public String toString()
    {
        return "FrontRing{size=" + size + ", entrySize=" + entrySize + ", reqProdPvt=" +
            Integer.toUnsignedString(reqProdPvt) + ", rspCons=" + Integer.toUnsignedString(rspCons) + ", fault=" +
            fault + "}";
    }
}
