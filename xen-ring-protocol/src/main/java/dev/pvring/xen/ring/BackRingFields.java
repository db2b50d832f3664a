/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import static dev.pvring.xen.ring.SharedRingDescriptor.HEADER_LENGTH;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The private state of a {@link BackRing}, between {@link RingPadding} and the 128 bytes {@link BackRing} adds
 * after it: the fields its single thread writes on every message sit on cache lines of their own.
 */
abstract class BackRingFields extends RingPadding
{
    final AtomicBuffer buffer;
    final int base;
    final int entrySize;
    final int size;
    final int mask;
    final int slotBase;
    /** {@code size * entrySize}: the slot area after the header ({@link RingSlots} accesses it). */
    final int slotsLength;
    int rspProdPvt;
    /** {@code min(req_prod seen, rsp_prod_pvt + size)} as of the last refresh (never more): {@link BackRing#copyRequest}'s
     * fast-path bound; {@code req_cons} when the ring is broken. */
    int copyLimit;
    /** {@code req_cons}, or {@code rsp_prod_pvt} once the ring is broken: {@link BackRing#claimResponse()}'s bound. */
    int answerLimit;
    int rspProdPublished;
    int reqCons;
    int reqProdSeen;
    RingFault fault = RingFault.NONE;

    BackRingFields(
        final AtomicBuffer buffer, final int base, final int ringBytes, final int entrySize, final int startIndex)
    {
        SharedRingDescriptor.checkBounds(buffer, base, ringBytes);
        if (buffer instanceof ReadOnlyAtomicBuffer)
        {
            // The slot writers store raw: on a read-only page that would be SIGSEGV, not an exception.
            throw new IllegalArgumentException("a ring needs a writable mapping: buffer=" + buffer);
        }
        this.buffer = buffer;
        this.base = base;
        this.entrySize = entrySize;
        this.size = SharedRingDescriptor.ringSize(ringBytes, entrySize);
        this.mask = size - 1;
        this.slotBase = base + HEADER_LENGTH;
        this.slotsLength = size * entrySize;
        this.copyLimit = startIndex;
        this.answerLimit = startIndex;
        this.rspProdPvt = startIndex;
        this.rspProdPublished = startIndex;
        this.reqCons = startIndex;
        this.reqProdSeen = startIndex;
    }
}
