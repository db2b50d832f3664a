/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import static dev.pvring.xen.ring.SharedRingDescriptor.HEADER_LENGTH;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * What both ends of a ring share: the mapping, the ring's geometry, the slot arithmetic ({@code RING_GET_REQUEST}
 * and {@code RING_GET_RESPONSE} are the same), the field writers for slots and the fault. {@link FrontRing} and
 * {@link BackRing} add their private indices and the 128 bytes of padding after them.
 */
abstract class RingEnd extends RingPadding
{
    final AtomicBuffer buffer;
    final int base;
    final int entrySize;
    final int size;
    final int mask;
    final int slotBase;
    /** {@code size * entrySize}: the slot area after the header ({@link RingSlots} accesses it). */
    final int slotsLength;
    RingFault fault = RingFault.NONE;

    RingEnd(final AtomicBuffer buffer, final int base, final int ringBytes, final int entrySize)
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
    }

    /**
     * The buffer slot offsets refer to.
     *
     * @return the mapping.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * Offset of the ring in {@link #buffer()}.
     *
     * @return base offset.
     */
    public int baseOffset()
    {
        return base;
    }

    /**
     * {@code RING_SIZE}: entries in the ring.
     *
     * @return nr_ents.
     */
    public int size()
    {
        return size;
    }

    /**
     * Bytes per entry.
     *
     * @return entry size.
     */
    public int entrySize()
    {
        return entrySize;
    }

    /**
     * Offset in {@link #buffer()} of the slot of a free-running index ({@code RING_GET_REQUEST},
     * {@code RING_GET_RESPONSE}).
     *
     * @param index any ring index.
     * @return the slot offset.
     */
    public int slotOffset(final int index)
    {
        return slotBase + (index & mask) * entrySize;
    }

    /**
     * Writes 8 bytes (native byte order) into the slot area, e.g. a field of a claimed slot.
     *
     * @param offset where in {@link #buffer()}.
     * @param value  the value.
     * @throws IndexOutOfBoundsException if the field is outside the slot area.
     */
    public void putLong(final int offset, final long value)
    {
        RingSlots.putLong(buffer, slotBase, slotsLength, offset, value);
    }

    /**
     * Writes 4 bytes (native byte order) into the slot area.
     *
     * @param offset where in {@link #buffer()}.
     * @param value  the value.
     * @throws IndexOutOfBoundsException if the field is outside the slot area.
     */
    public void putInt(final int offset, final int value)
    {
        RingSlots.putInt(buffer, slotBase, slotsLength, offset, value);
    }

    /**
     * Writes 2 bytes (native byte order) into the slot area.
     *
     * @param offset where in {@link #buffer()}.
     * @param value  the value.
     * @throws IndexOutOfBoundsException if the field is outside the slot area.
     */
    public void putShort(final int offset, final short value)
    {
        RingSlots.putShort(buffer, slotBase, slotsLength, offset, value);
    }

    /**
     * Writes 1 byte into the slot area.
     *
     * @param offset where in {@link #buffer()}.
     * @param value  the value.
     * @throws IndexOutOfBoundsException if the field is outside the slot area.
     */
    public void putByte(final int offset, final byte value)
    {
        RingSlots.putByte(buffer, slotBase, slotsLength, offset, value);
    }

    /**
     * Copies an entry built in a private buffer into the slot of ring index {@code index}
     * ({@code *RING_GET_REQUEST(r, index) = req}, or {@code RING_GET_RESPONSE}'s): the indexed form of
     * {@link FrontRing#putRequest}/{@link BackRing#putResponse}, for the slots {@link FrontRing#claimRequests} or
     * {@link BackRing#claimResponses} claimed (index {@code first + k}). Any index names a slot of this ring
     * ({@code index & (size - 1)}), so only {@code length} is checked against the entry: in a loop over claimed
     * slots the check runs once, not per entry.
     *
     * @param index    a ring index (free-running).
     * @param src      the private entry.
     * @param srcIndex where in {@code src}.
     * @param length   bytes, at most {@link #entrySize()}.
     * @throws IndexOutOfBoundsException if {@code length} is negative or over {@link #entrySize()}, or the source
     *                                   range is outside {@code src}.
     */
    public void putEntry(final int index, final DirectBuffer src, final int srcIndex, final int length)
    {
        RingSlots.putEntryAt(buffer, slotBase, slotsLength, mask, entrySize, index, src, srcIndex, length);
    }

    /**
     * Writes 8 bytes (native byte order) at {@code field} in the slot of ring index {@code index}
     * ({@code RING_GET_REQUEST(r, index)->field = value}); see {@link #putEntry} for what is checked.
     *
     * @param index a ring index (free-running).
     * @param field byte offset of the field in the entry.
     * @param value the value.
     * @throws IndexOutOfBoundsException if the field is outside the entry.
     */
    public void putEntryLong(final int index, final int field, final long value)
    {
        RingSlots.putEntryLong(buffer, slotBase, slotsLength, mask, entrySize, index, field, value);
    }

    /**
     * Writes 4 bytes (native byte order) at {@code field} in the slot of ring index {@code index}.
     *
     * @param index a ring index (free-running).
     * @param field byte offset of the field in the entry.
     * @param value the value.
     * @throws IndexOutOfBoundsException if the field is outside the entry.
     */
    public void putEntryInt(final int index, final int field, final int value)
    {
        RingSlots.putEntryInt(buffer, slotBase, slotsLength, mask, entrySize, index, field, value);
    }

    /**
     * Writes 2 bytes (native byte order) at {@code field} in the slot of ring index {@code index}.
     *
     * @param index a ring index (free-running).
     * @param field byte offset of the field in the entry.
     * @param value the value.
     * @throws IndexOutOfBoundsException if the field is outside the entry.
     */
    public void putEntryShort(final int index, final int field, final short value)
    {
        RingSlots.putEntryShort(buffer, slotBase, slotsLength, mask, entrySize, index, field, value);
    }

    /**
     * Writes 1 byte at {@code field} in the slot of ring index {@code index}.
     *
     * @param index a ring index (free-running).
     * @param field byte offset of the field in the entry.
     * @param value the value.
     * @throws IndexOutOfBoundsException if the field is outside the entry.
     */
    public void putEntryByte(final int index, final int field, final byte value)
    {
        RingSlots.putEntryByte(buffer, slotBase, slotsLength, mask, entrySize, index, field, value);
    }

    /**
     * Copies the first {@code length} bytes of the entry at ring index {@code index} out of shared memory into a
     * private buffer ({@code RING_COPY_REQUEST(r, index, &req)}, or {@code RING_COPY_RESPONSE}'s): the indexed form
     * of {@link BackRing#copyRequest}/{@link FrontRing#copyResponse}, for the entries
     * {@link BackRing#consumeRequests} or {@link FrontRing#consumeResponses} took (index {@code first + k}). It
     * reads the slot once and moves no index, so a loop over taken entries keeps the ring's indices in registers and
     * this small method inlines into it (a batch call made once per poll may stay an out-of-line call). Any index
     * names a slot of this ring ({@code index & (size - 1)}); copy an entry before its slot is reused (a response
     * claimed for a taken request, a request claimed after taken responses), then validate the copy, never the slot.
     *
     * @param index     a ring index (free-running).
     * @param dst       private buffer receiving the copy.
     * @param dstOffset where the copy goes.
     * @param length    bytes to copy, at most {@link #entrySize()}.
     * @throws IllegalArgumentException  if {@code length} is negative or over {@link #entrySize()}.
     * @throws IndexOutOfBoundsException if {@code dst} cannot hold the copy.
     */
    public void copyEntry(final int index, final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        checkLength(length);
        RingSlots.copyEntryOut(buffer, slotBase, slotsLength, index & mask, entrySize, dst, dstOffset, length);
    }

    /**
     * Why the ring stopped, or {@link RingFault#NONE}.
     *
     * @return the fault.
     */
    public RingFault fault()
    {
        return fault;
    }

    /**
     * Whether the peer broke the protocol.
     *
     * @return true once broken.
     */
    public boolean isBroken()
    {
        return fault != RingFault.NONE;
    }

    void checkLength(final int length)
    {
        if (length < 0 || length > entrySize)
        {
            throw new IllegalArgumentException(
                "copy length must be within the entry: length=" + length + " entrySize=" + entrySize);
        }
    }
}
