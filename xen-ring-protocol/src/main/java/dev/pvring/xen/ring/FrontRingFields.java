/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import static dev.pvring.xen.ring.SharedRingDescriptor.HEADER_LENGTH;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The private state of a {@link FrontRing}, between {@link RingPadding} and the 128 bytes {@link FrontRing} adds
 * after it: the fields its single thread writes on every message sit on cache lines of their own.
 */
abstract class FrontRingFields extends RingPadding
{
    final AtomicBuffer buffer;
    final int base;
    final int entrySize;
    final int size;
    final int mask;
    final int slotBase;
    /** {@code size * entrySize}: the slot area after the header ({@link RingSlots} accesses it). */
    final int slotsLength;
    int reqProdPvt;
    /** {@code rsp_cons + size} as of the last refresh (never more): {@link FrontRing#claimRequest()}'s fast-path bound;
     * set to {@code req_prod_pvt} when the ring breaks, so claims go to the slow path. */
    int claimLimit;
    int reqProdPublished;
    int rspCons;
    int rspProdSeen;
    RingFault fault = RingFault.NONE;

    FrontRingFields(
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
        this.claimLimit = startIndex + size;
        this.reqProdPvt = startIndex;
        this.reqProdPublished = startIndex;
        this.rspCons = startIndex;
        this.rspProdSeen = startIndex;
    }
}
