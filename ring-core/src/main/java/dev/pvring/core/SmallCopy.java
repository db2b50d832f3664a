/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Copies ring entries (tens to a few hundred bytes) between buffers with plain 8-byte loads and stores that
 * the JIT inlines, as a C compiler inlines a struct copy. Agrona's {@code getBytes}/{@code putBytes} go through
 * {@code Unsafe.copyMemory}, a stub call that costs more than the copy itself at these sizes; above
 * {@link #INLINE_LIMIT} bytes this class delegates to it.
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
     */
    public static void copy(
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
        if (i <= length - 4)
        {
            dst.putInt(dstIndex + i, src.getInt(srcIndex + i));
            i += 4;
        }
        for (; i < length; i++)
        {
            dst.putByte(dstIndex + i, src.getByte(srcIndex + i));
        }
    }
}
