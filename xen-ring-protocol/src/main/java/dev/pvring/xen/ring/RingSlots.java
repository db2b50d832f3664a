/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import dev.pvring.core.internal.RawMemory;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The slot area of a ring ({@code size * entrySize} bytes after the shared header) and the header's indices as both
 * ends access them: entries copied out once ({@code RING_COPY_*}), entries and fields written in place, indices read
 * and published. Each access checks the private side, that the buffer still holds the whole ring (one compare: a
 * mapping detached at unmap makes it throw), and, for offsets a caller passes, that they lie in the slot area; then
 * it moves the bytes raw. The buffer's address is read per access, never cached. Static, with the ring's own fields
 * as arguments: an object of its own between the ring and its slots cost 8-12 % per message (one more load per
 * access, REQ64 batch 32, A/B).
 */
final class RingSlots
{
    private RingSlots()
    {
    }

    /** Copies an entry built in a private buffer into the slot at {@code slotOffset} (a claimed one). */
    static void putEntry(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int slotOffset,
        final DirectBuffer src, final int srcIndex, final int length)
    {
        copyIntoSlot(buffer, slotAddress(buffer, slotBase, slotsLength) +
            checkSlotRange(slotBase, slotsLength, slotOffset, length), src, srcIndex, length);
    }

    static void putLong(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int offset, final long value)
    {
        final long address =
            slotAddress(buffer, slotBase, slotsLength) + checkSlotRange(slotBase, slotsLength, offset, Long.BYTES);
        RawMemory.putLong(buffer.byteArray(), address, value);
    }

    static void putInt(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int offset, final int value)
    {
        final long address =
            slotAddress(buffer, slotBase, slotsLength) + checkSlotRange(slotBase, slotsLength, offset, Integer.BYTES);
        RawMemory.putInt(buffer.byteArray(), address, value);
    }

    static void putShort(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int offset, final short value)
    {
        final long address =
            slotAddress(buffer, slotBase, slotsLength) + checkSlotRange(slotBase, slotsLength, offset, Short.BYTES);
        RawMemory.putShort(buffer.byteArray(), address, value);
    }

    static void putByte(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int offset, final byte value)
    {
        final long address =
            slotAddress(buffer, slotBase, slotsLength) + checkSlotRange(slotBase, slotsLength, offset, Byte.BYTES);
        RawMemory.putByte(buffer.byteArray(), address, value);
    }

    /** Copies an entry built in a private buffer into the slot of ring index {@code index} (any value). */
    static void putEntryAt(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int mask, final int entrySize,
        final int index, final DirectBuffer src, final int srcIndex, final int length)
    {
        copyIntoSlot(buffer, entryField(buffer, slotBase, slotsLength, mask, entrySize, index, 0, length), src,
            srcIndex, length);
    }

    /** Copies {@code length} bytes of {@code src} to {@code dst}, a location in the ring the caller checked. */
    private static void copyIntoSlot(
        final AtomicBuffer buffer, final long dst, final DirectBuffer src, final int srcIndex, final int length)
    {
        final byte[] ringArray = buffer.byteArray();
        if (ringArray == null)
        {
            RawMemory.copyIntoNative(src, srcIndex, dst, length); // shared memory: one kind tested, not two
        }
        else
        {
            RawMemory.copyIn(src, srcIndex, ringArray, dst, length);
        }
    }

    static void putEntryLong(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int mask, final int entrySize,
        final int index, final int field, final long value)
    {
        RawMemory.putLong(buffer.byteArray(),
            entryField(buffer, slotBase, slotsLength, mask, entrySize, index, field, Long.BYTES), value);
    }

    static void putEntryInt(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int mask, final int entrySize,
        final int index, final int field, final int value)
    {
        RawMemory.putInt(buffer.byteArray(),
            entryField(buffer, slotBase, slotsLength, mask, entrySize, index, field, Integer.BYTES), value);
    }

    static void putEntryShort(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int mask, final int entrySize,
        final int index, final int field, final short value)
    {
        RawMemory.putShort(buffer.byteArray(),
            entryField(buffer, slotBase, slotsLength, mask, entrySize, index, field, Short.BYTES), value);
    }

    static void putEntryByte(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int mask, final int entrySize,
        final int index, final int field, final byte value)
    {
        RawMemory.putByte(buffer.byteArray(),
            entryField(buffer, slotBase, slotsLength, mask, entrySize, index, field, Byte.BYTES), value);
    }

    /** Copies {@code length} bytes of the entry in slot {@code slot} (index & mask) out, once, into {@code dst}. */
    static void copyEntryOut(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int slot, final int entrySize,
        final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        final long src = slotAddress(buffer, slotBase, slotsLength) + (long)slot * entrySize;
        final byte[] ringArray = buffer.byteArray();
        if (ringArray == null)
        {
            RawMemory.copyOutOfNative(src, dst, dstOffset, length); // shared memory: one kind tested, not two
        }
        else
        {
            RawMemory.copyOut(ringArray, src, dst, dstOffset, length);
        }
    }

    /** The batch form of {@link #copyEntryOut}: entry {@code k} (index {@code firstIndex + k}) to
     * {@code dstOffset + k * stride}. */
    static void copyEntriesOut(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int mask, final int entrySize,
        final int firstIndex, final int count, final MutableDirectBuffer dst, final int dstOffset, final int stride,
        final int length)
    {
        if (stride < length)
        {
            throw new IllegalArgumentException("stride must hold a copy: stride=" + stride + " length=" + length);
        }
        RawMemory.copyEntriesOut(buffer.byteArray(), slotAddress(buffer, slotBase, slotsLength), mask, entrySize,
            firstIndex, count, dst, dstOffset, stride, length);
    }

    /** {@code req_prod} or {@code rsp_prod} (acquire) at {@code fieldOffset} in the shared header. */
    static int getIndexAcquire(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int fieldOffset)
    {
        return RawMemory.getIntAcquire(buffer.byteArray(), headerField(buffer, slotBase, slotsLength, fieldOffset));
    }

    /** A header index, volatile (the event indices, read after a volatile store). */
    static int getIndexVolatile(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int fieldOffset)
    {
        return RawMemory.getIntVolatile(buffer.byteArray(), headerField(buffer, slotBase, slotsLength, fieldOffset));
    }

    /** A producer index, release store ({@code RING_PUSH_*}). */
    static void putIndexRelease(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int fieldOffset, final int value)
    {
        RawMemory.putIntRelease(buffer.byteArray(), headerField(buffer, slotBase, slotsLength, fieldOffset), value);
    }

    /** A header index, volatile store (release, then a full fence: {@code *_AND_CHECK_NOTIFY}, final checks). */
    static void putIndexVolatile(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int fieldOffset, final int value)
    {
        RawMemory.putIntVolatile(buffer.byteArray(), headerField(buffer, slotBase, slotsLength, fieldOffset), value);
    }

    /** Location of a field of the shared header (just before slot 0), checked as every slot access is. */
    private static long headerField(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int fieldOffset)
    {
        return slotAddress(buffer, slotBase, slotsLength) - SharedRingDescriptor.HEADER_LENGTH + fieldOffset;
    }

    /**
     * Location of slot 0 in the buffer's memory, after checking the buffer still holds the whole ring.
     *
     * @throws IndexOutOfBoundsException if the buffer was detached (its memory unmapped) or re-wrapped shorter.
     */
    private static long slotAddress(final AtomicBuffer buffer, final int slotBase, final int slotsLength)
    {
        final int capacity = buffer.capacity();
        final int slotsEnd = slotBase + slotsLength;
        if (capacity < slotsEnd)
        {
            // As any access through a detached mapping: an exception, never a touch of unmapped memory.
            throw new IndexOutOfBoundsException(
                "ring buffer no longer holds the ring (unmapped?): capacity=" + capacity + " slotsEnd=" + slotsEnd);
        }
        return buffer.addressOffset() + slotBase;
    }

    /**
     * Location of {@code [field, field + length)} in the slot of ring index {@code index}, or throws if the range
     * leaves the entry. Only the field is checked: {@code (index & mask) * entrySize} is a slot of this ring for any
     * index ({@code mask = size - 1}, {@code size * entrySize = slotsLength}), so the range stays in the slot area.
     * A constant field and length make the check loop-invariant: C2 hoists it out of a caller's loop over entries.
     */
    private static long entryField(
        final AtomicBuffer buffer, final int slotBase, final int slotsLength, final int mask, final int entrySize,
        final int index, final int field, final int length)
    {
        if (RawMemory.isOutside(field, length, entrySize))
        {
            throw new IndexOutOfBoundsException(
                "outside the entry: field=" + field + " length=" + length + " entrySize=" + entrySize);
        }
        return slotAddress(buffer, slotBase, slotsLength) + (long)(index & mask) * entrySize + field;
    }

    /** Offset of {@code [offset, offset + length)} from slot 0, or throws if it leaves the slot area. */
    private static int checkSlotRange(final int slotBase, final int slotsLength, final int offset, final int length)
    {
        final int relative = offset - slotBase;
        if (RawMemory.isOutside(relative, length, slotsLength))
        {
            throw new IndexOutOfBoundsException("outside the ring's slots: offset=" + offset + " length=" + length +
                " slots=[" + slotBase + ", " + (slotBase + slotsLength) + ")");
        }
        return relative;
    }
}
