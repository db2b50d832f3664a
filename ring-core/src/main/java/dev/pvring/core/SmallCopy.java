/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import dev.pvring.core.internal.RawMemory;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Copies ring entries (tens to a few hundred bytes) between buffers with plain 8-byte loads and stores that
 * the JIT inlines, as a C compiler inlines a struct copy. Agrona's {@code getBytes}/{@code putBytes} go through
 * {@code Unsafe.copyMemory}, a stub call that costs more than the copy itself at these sizes; above
 * {@link #INLINE_LIMIT} bytes this class delegates to it.
 * <p>
 * When both buffers are {@link UnsafeBuffer}s (and the copy is inline), both ranges are bounds-checked once per
 * copy (always, whatever {@code agrona.disable.bounds.checks} says), then the bytes move through raw loads and
 * stores on the buffers' {@code byteArray()}/{@code addressOffset()}: a per-8-byte bounds check (which also
 * reloads the buffer's fields after every raw store) made the copy several times longer than the struct copy it
 * stands for, and cut how many cache misses a consumer overlaps. Any other {@link MutableDirectBuffer} goes
 * through its own accessors (an expandable destination still grows), checked as Agrona's accessors check.
 * <p>
 * Every source byte is read exactly once, so a copy out of shared memory is a single fetch
 * ({@code RING_COPY_REQUEST}): validate the destination, never the source. Byte order is irrelevant (bytes
 * move as they are).
 */
public final class SmallCopy
{
    /** Largest length copied inline; longer copies use {@code Unsafe.copyMemory}. */
    public static final int INLINE_LIMIT = 256;

    private SmallCopy()
    {
    }

    /**
     * Copies {@code length} bytes from {@code src} at {@code srcIndex} to {@code dst} at {@code dstIndex}.
     *
     * @param src      source buffer (e.g. a shared ring slot).
     * @param srcIndex source offset.
     * @param dst      destination buffer.
     * @param dstIndex destination offset.
     * @param length   bytes to copy.
     * @throws IndexOutOfBoundsException if either range is outside its buffer.
     */
    public static void copy(
        final DirectBuffer src, final int srcIndex, final MutableDirectBuffer dst, final int dstIndex, final int length)
    {
        if (length > INLINE_LIMIT || !RawMemory.isRawReadable(src) || !RawMemory.isRawWritable(dst))
        {
            copyThroughAccessors(src, srcIndex, dst, dstIndex, length);
            return;
        }
        src.boundsCheck(srcIndex, length);
        dst.boundsCheck(dstIndex, length);
        // Fields into locals once: a raw store may alias anything, so the JIT would reload them per access.
        final byte[] srcArray = src.byteArray();
        final long srcAddress = src.addressOffset() + srcIndex;
        final byte[] dstArray = dst.byteArray();
        final long dstAddress = dst.addressOffset() + dstIndex;
        // RawMemory runs one loop per kind of memory, each with a base the JIT knows is null or a byte[] (no mixed
        // access, whose compiler barriers would cost several times the copy).
        RawMemory.copy(srcArray, srcAddress, dstArray, dstAddress, length);
    }

    /**
     * Copies {@code count} consecutive entries of a ring out of it: entry {@code k} is the slot of free-running
     * index {@code firstIndex + k} ({@code slotBase + ((firstIndex + k) & mask) * entrySize}, wrapping) and goes to
     * {@code dstOffset + k * stride}. Both ranges are checked once for the whole batch (the ring's whole slot area
     * and the destination's {@code count} strides), then each entry moves as {@link #copy} moves it, with the
     * index arithmetic in registers: the batch form of {@code RING_COPY_REQUEST}. Every source byte is read once.
     * The destination must already hold all copies (an expandable buffer is not grown).
     *
     * @param ring       the ring's buffer.
     * @param slotBase   offset of slot 0.
     * @param mask       ring size - 1 (the size a power of two).
     * @param entrySize  bytes per slot.
     * @param firstIndex free-running index of the first entry.
     * @param count      entries to copy, at most the ring size.
     * @param dst        destination.
     * @param dstOffset  where entry 0 goes.
     * @param stride     bytes between entries in {@code dst}, at least {@code length}.
     * @param length     bytes copied per entry, at most {@code entrySize} and {@link #INLINE_LIMIT}.
     * @throws IllegalArgumentException if a size argument is inconsistent.
     * @throws IndexOutOfBoundsException if the slot area or the destination range is outside its buffer.
     */
    public static void copyRingEntries(
        final DirectBuffer ring, final int slotBase, final int mask, final int entrySize, final int firstIndex,
        final int count, final MutableDirectBuffer dst, final int dstOffset, final int stride, final int length)
    {
        if (length < 0 || length > entrySize || length > INLINE_LIMIT || stride < length || count < 0 ||
            count > mask + 1 || (mask & (mask + 1)) != 0 || mask < 0)
        {
            throw new IllegalArgumentException("inconsistent ring copy: length=" + length + " entrySize=" + entrySize +
                " stride=" + stride + " count=" + count + " mask=" + mask);
        }
        if (count == 0)
        {
            return;
        }
        checkRange(ring, slotBase, (long)(mask + 1) * entrySize);
        checkRange(dst, dstOffset, (long)(count - 1) * stride + length);
        if (!RawMemory.isRawReadable(ring) || !RawMemory.isRawWritable(dst))
        {
            for (int k = 0; k < count; k++)
            {
                copyThroughAccessors(
                    ring, slotBase + ((firstIndex + k) & mask) * entrySize, dst, dstOffset + k * stride, length);
            }
            return;
        }
        final byte[] srcArray = ring.byteArray();
        final long srcBase = ring.addressOffset() + slotBase;
        final byte[] dstArray = dst.byteArray();
        final long dstBase = dst.addressOffset() + dstOffset;
        for (int k = 0; k < count; k++)
        {
            final long srcAddress = srcBase + (long)((firstIndex + k) & mask) * entrySize;
            final long dstAddress = dstBase + (long)k * stride;
            RawMemory.copy(srcArray, srcAddress, dstArray, dstAddress, length);
        }
    }

    private static void checkRange(final DirectBuffer buffer, final int offset, final long length)
    {
        if (offset < 0 || offset + length > buffer.capacity())
        {
            throw new IndexOutOfBoundsException(
                "range outside the buffer: offset=" + offset + " length=" + length + " capacity=" + buffer.capacity());
        }
    }

    private static void copyThroughAccessors(
        final DirectBuffer src, final int srcIndex, final MutableDirectBuffer dst, final int dstIndex, final int length)
    {
        if (length > INLINE_LIMIT)
        {
            src.getBytes(srcIndex, dst, dstIndex, length);
            return;
        }
        int i = 0;
        for (; i <= length - 8; i += 8)
        {
            dst.putLong(dstIndex + i, src.getLong(srcIndex + i));
        }
        for (; i < length; i++)
        {
            dst.putByte(dstIndex + i, src.getByte(srcIndex + i));
        }
    }
}
