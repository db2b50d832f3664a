/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A reusable list of grant copy segments executed in one call, like a batch of {@code GNTTABOP_copy}
 * operations ({@code IOCTL_GNTDEV_GRANT_COPY}): each segment copies between a local buffer and a range of a
 * foreign domain's granted page, with one {@link GrantStatus} per segment. Allocate one per driver and reuse
 * it; adding, copying and clearing allocate nothing.
 * <p>
 * The local side (buffer, offset, length) is this process's own business and is checked when a segment is
 * added ({@link IllegalArgumentException}). The foreign side (domain, ref, offset) usually comes from a
 * peer's ring request and is only checked by {@link GrantTable#copy(GrantCopyBatch)}: a segment leaving its
 * 4 KiB page gets {@link GrantStatus#BAD_COPY_ARG}, a bad ref {@link GrantStatus#BAD_GNTREF}, and so on, while
 * the other segments are still copied. Not thread safe.
 */
public final class GrantCopyBatch
{
    private final boolean[] toForeign;
    private final int[] domids;
    private final int[] refs;
    private final int[] foreignOffsets;
    private final DirectBuffer[] localBuffers;
    private final int[] localOffsets;
    private final int[] lengths;
    private final int[] statuses;
    private int size;
    private SimCopyScratch simScratch;

    /**
     * Creates an empty batch.
     *
     * @param capacity most segments (positive).
     */
    public GrantCopyBatch(final int capacity)
    {
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("copy batch capacity must be positive: capacity=" + capacity);
        }
        toForeign = new boolean[capacity];
        domids = new int[capacity];
        refs = new int[capacity];
        foreignOffsets = new int[capacity];
        localBuffers = new DirectBuffer[capacity];
        localOffsets = new int[capacity];
        lengths = new int[capacity];
        statuses = new int[capacity];
    }

    /**
     * Adds a segment copying {@code length} bytes from a foreign granted page into a local buffer.
     *
     * @param domid         the granting domain.
     * @param ref           its grant ref.
     * @param foreignOffset byte offset in the granted page.
     * @param dst           local destination.
     * @param dstOffset     offset in {@code dst}.
     * @param length        bytes (the foreign range must stay within one page to succeed).
     * @return the segment's index.
     * @throws IllegalArgumentException if the local range is outside {@code dst}.
     * @throws IllegalStateException    if the batch is full.
     */
    public int addFromForeign(
        final int domid, final int ref, final int foreignOffset, final MutableDirectBuffer dst, final int dstOffset,
        final int length)
    {
        return add(false, domid, ref, foreignOffset, dst, dstOffset, length);
    }

    /**
     * Adds a segment copying {@code length} bytes from a local buffer into a foreign granted page (the grant
     * must be writable).
     *
     * @param src           local source.
     * @param srcOffset     offset in {@code src}.
     * @param domid         the granting domain.
     * @param ref           its grant ref.
     * @param foreignOffset byte offset in the granted page.
     * @param length        bytes (the foreign range must stay within one page to succeed).
     * @return the segment's index.
     * @throws IllegalArgumentException if the local range is outside {@code src}.
     * @throws IllegalStateException    if the batch is full.
     */
    public int addToForeign(
        final DirectBuffer src, final int srcOffset, final int domid, final int ref, final int foreignOffset,
        final int length)
    {
        return add(true, domid, ref, foreignOffset, src, srcOffset, length);
    }

    private int add(
        final boolean toForeign, final int domid, final int ref, final int foreignOffset, final DirectBuffer local,
        final int localOffset, final int length)
    {
        if (size == domids.length)
        {
            throw new IllegalStateException("copy batch is full: capacity=" + domids.length);
        }
        if (length < 0 || localOffset < 0 || (long)localOffset + length > local.capacity())
        {
            throw new IllegalArgumentException(
                "copy segment outside the local buffer: offset=" + localOffset + " length=" + length + " capacity=" +
                local.capacity());
        }
        final int index = size++;
        this.toForeign[index] = toForeign;
        domids[index] = domid;
        refs[index] = ref;
        foreignOffsets[index] = foreignOffset;
        localBuffers[index] = local;
        localOffsets[index] = localOffset;
        lengths[index] = length;
        statuses[index] = GrantStatus.NOT_DONE;
        return index;
    }

    /**
     * Empties the batch for reuse (drops the references to local buffers).
     */
    public void clear()
    {
        for (int i = 0; i < size; i++)
        {
            localBuffers[i] = null;
        }
        size = 0;
    }

    /**
     * Whether a segment's foreign range lies within one page, as a grant copy requires ({@code GNTST_bad_copy_arg}
     * otherwise).
     *
     * @param foreignOffset byte offset in the granted page.
     * @param length        bytes.
     * @return true if {@code [foreignOffset, foreignOffset + length)} is inside the page.
     */
    static boolean isWithinPage(final int foreignOffset, final int length)
    {
        return foreignOffset >= 0 && length >= 0 && (long)foreignOffset + length <= GrantTable.PAGE_SIZE;
    }

    /**
     * The simulated grant table's working state for this batch, created on first use.
     */
    SimCopyScratch simScratch()
    {
        SimCopyScratch scratch = simScratch;
        if (scratch == null)
        {
            scratch = new SimCopyScratch(domids.length);
            simScratch = scratch;
        }
        return scratch;
    }

    /**
     * Number of segments.
     *
     * @return the size.
     */
    public int size()
    {
        return size;
    }

    /**
     * Most segments.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return domids.length;
    }

    /**
     * Whether a segment writes into the foreign page.
     *
     * @param index segment index.
     * @return true for local-to-foreign, false for foreign-to-local.
     */
    public boolean isToForeign(final int index)
    {
        return toForeign[checkIndex(index)];
    }

    /**
     * The granting domain of a segment.
     *
     * @param index segment index.
     * @return the domid.
     */
    public int domid(final int index)
    {
        return domids[checkIndex(index)];
    }

    /**
     * The grant ref of a segment.
     *
     * @param index segment index.
     * @return the ref.
     */
    public int ref(final int index)
    {
        return refs[checkIndex(index)];
    }

    /**
     * The offset of a segment within the foreign page.
     *
     * @param index segment index.
     * @return the offset (unchecked until the copy).
     */
    public int foreignOffset(final int index)
    {
        return foreignOffsets[checkIndex(index)];
    }

    /**
     * The local buffer of a segment (to be cast to {@link MutableDirectBuffer} for foreign-to-local segments).
     *
     * @param index segment index.
     * @return the buffer.
     */
    public DirectBuffer localBuffer(final int index)
    {
        return localBuffers[checkIndex(index)];
    }

    /**
     * The offset of a segment within its local buffer.
     *
     * @param index segment index.
     * @return the offset.
     */
    public int localOffset(final int index)
    {
        return localOffsets[checkIndex(index)];
    }

    /**
     * The byte count of a segment.
     *
     * @param index segment index.
     * @return the length.
     */
    public int length(final int index)
    {
        return lengths[checkIndex(index)];
    }

    /**
     * The result of a segment.
     *
     * @param index segment index.
     * @return {@link GrantStatus#OKAY}, a negative {@code GNTST_*} code, or {@link GrantStatus#NOT_DONE}.
     */
    public int status(final int index)
    {
        return statuses[checkIndex(index)];
    }

    /**
     * Records a segment's result (for {@link GrantTable} implementations).
     *
     * @param index  segment index.
     * @param status a {@code GNTST_*} code.
     */
    public void status(final int index, final int status)
    {
        statuses[checkIndex(index)] = status;
    }

    private int checkIndex(final int index)
    {
        if (index < 0 || index >= size)
        {
            throw new IndexOutOfBoundsException("copy batch index out of range: index=" + index + " size=" + size);
        }
        return index;
    }

    @Override
    public String toString()
    {
        return "GrantCopyBatch{size=" + size + ", capacity=" + domids.length + "}";
    }
}
