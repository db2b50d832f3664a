/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
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
        if (length > INLINE_LIMIT || !(src instanceof UnsafeBuffer) || !(dst instanceof UnsafeBuffer))
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
        int i = 0;
        for (; i <= length - 8; i += 8)
        {
            UnsafeApi.putLong(dstArray, dstAddress + i, UnsafeApi.getLong(srcArray, srcAddress + i));
        }
        for (; i < length; i++)
        {
            UnsafeApi.putByte(dstArray, dstAddress + i, UnsafeApi.getByte(srcArray, srcAddress + i));
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
