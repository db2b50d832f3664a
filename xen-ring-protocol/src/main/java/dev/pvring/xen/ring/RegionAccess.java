/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Unchecked accesses to a shared region at a <em>location</em>: a {@code byte[]} and an {@code Unsafe} offset into
 * it, or {@code null} and a native address (an Agrona buffer's {@code byteArray()}/{@code addressOffset()} pair),
 * for the byte rings' hot paths. Callers check the region's range once per call; the private-buffer side of a
 * copy is checked here, once per copy.
 * <p>
 * Every method tests the array for {@code null} and then makes an access whose base C2 knows statically: the
 * constant {@code null} (native) or a non-null {@code byte[]}. Agrona's buffers pass their {@code byteArray} field
 * as the base, which C2 cannot type once heap and off-heap buffers both ran through the one {@code UnsafeApi} call
 * site: it then compiles a <em>mixed</em> access, fenced on both sides by compiler barriers after which every
 * field is reloaded and every bounds check redone. Native copies use the address-only {@code UnsafeApi}
 * methods and heap copies the {@code *Unaligned} ones, so they add nothing to the shared profile of the
 * {@code (Object, long)} methods that Agrona's buffers use. Copies up to {@link #INLINE_LIMIT} bytes are 8-byte
 * loads and stores that C2 inlines; longer ones go through {@code Unsafe.copyMemory} (a stub call, which costs
 * more than the copy itself for tens of bytes, and less for a frame).
 * <p>
 * Package-private twin of {@code dev.pvring.shmstream.RegionAccess} (one copy per module, to keep this unchecked
 * code out of any exported package).
 */
final class RegionAccess
{
    /** Longest copy made of inline 8-byte moves; longer copies call {@code Unsafe.copyMemory}. */
    static final int INLINE_LIMIT = 256;

    private RegionAccess()
    {
    }

    /**
     * Acquire load of an int: later loads and stores stay after it.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address.
     * @return the value.
     */
    static int getIntAcquire(final byte[] array, final long address)
    {
        return array == null ? UnsafeApi.getIntAcquire(null, address) : UnsafeApi.getIntAcquire(array, address);
    }

    /**
     * Release store of an int: earlier loads and stores complete before it.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address.
     * @param value   value.
     */
    static void putIntRelease(final byte[] array, final long address, final int value)
    {
        if (array == null)
        {
            UnsafeApi.putIntRelease(null, address, value);
        }
        else
        {
            UnsafeApi.putIntRelease(array, address, value);
        }
    }

    /**
     * Copies {@code length} bytes out of the region into {@code dst}, checking the destination range once. Every
     * source byte is read exactly once.
     *
     * @param srcArray   region array, or null for native memory.
     * @param srcAddress offset in the array, or native address (range checked by the caller).
     * @param dst        destination, an {@link UnsafeBuffer} (other buffers: the caller uses their accessors).
     * @param dstIndex   destination offset.
     * @param length     bytes, at least 0.
     * @throws IndexOutOfBoundsException if the destination range is outside {@code dst}.
     */
    static void copyOut(
        final byte[] srcArray, final long srcAddress, final UnsafeBuffer dst, final int dstIndex, final int length)
    {
        checkRange(dst, dstIndex, length);
        copy(srcArray, srcAddress, dst.byteArray(), dst.addressOffset() + dstIndex, length);
    }

    /**
     * Copies {@code length} bytes from {@code src} into the region, checking the source range once.
     *
     * @param src        source, an {@link UnsafeBuffer}.
     * @param srcIndex   source offset.
     * @param dstArray   region array, or null for native memory.
     * @param dstAddress offset in the array, or native address (range checked by the caller).
     * @param length     bytes, at least 0.
     * @throws IndexOutOfBoundsException if the source range is outside {@code src}.
     */
    static void copyIn(
        final UnsafeBuffer src, final int srcIndex, final byte[] dstArray, final long dstAddress, final int length)
    {
        checkRange(src, srcIndex, length);
        copy(src.byteArray(), src.addressOffset() + srcIndex, dstArray, dstAddress, length);
    }

    private static void checkRange(final DirectBuffer buffer, final int index, final int length)
    {
        if (index < 0 || length < 0 || index > buffer.capacity() - length)
        {
            throw new IndexOutOfBoundsException(
                "range outside the buffer: index=" + index + " length=" + length + " capacity=" + buffer.capacity());
        }
    }

    /**
     * Copies {@code length} bytes between two locations.
     *
     * @param srcArray   source array, or null for native memory.
     * @param srcAddress source offset in the array, or native address.
     * @param dstArray   destination array, or null for native memory.
     * @param dstAddress destination offset in the array, or native address.
     * @param length     bytes, at least 0.
     */
    static void copy(
        final byte[] srcArray, final long srcAddress, final byte[] dstArray, final long dstAddress, final int length)
    {
        if (srcArray == null)
        {
            if (dstArray == null)
            {
                if (length > INLINE_LIMIT)
                {
                    UnsafeApi.copyMemory(srcAddress, dstAddress, length);
                    return;
                }
                int i = 0;
                for (; i <= length - 8; i += 8)
                {
                    UnsafeApi.putLong(dstAddress + i, UnsafeApi.getLong(srcAddress + i));
                }
                for (; i < length; i++)
                {
                    UnsafeApi.putByte(dstAddress + i, UnsafeApi.getByte(srcAddress + i));
                }
            }
            else
            {
                if (length > INLINE_LIMIT)
                {
                    UnsafeApi.copyMemory(null, srcAddress, dstArray, dstAddress, length);
                    return;
                }
                int i = 0;
                for (; i <= length - 8; i += 8)
                {
                    UnsafeApi.putLongUnaligned(dstArray, dstAddress + i, UnsafeApi.getLong(srcAddress + i));
                }
                for (; i < length; i++)
                {
                    UnsafeApi.putByte(dstArray, dstAddress + i, UnsafeApi.getByte(srcAddress + i));
                }
            }
        }
        else if (dstArray == null)
        {
            if (length > INLINE_LIMIT)
            {
                UnsafeApi.copyMemory(srcArray, srcAddress, null, dstAddress, length);
                return;
            }
            int i = 0;
            for (; i <= length - 8; i += 8)
            {
                UnsafeApi.putLong(dstAddress + i, UnsafeApi.getLongUnaligned(srcArray, srcAddress + i));
            }
            for (; i < length; i++)
            {
                UnsafeApi.putByte(dstAddress + i, UnsafeApi.getByte(srcArray, srcAddress + i));
            }
        }
        else
        {
            if (length > INLINE_LIMIT)
            {
                UnsafeApi.copyMemory(srcArray, srcAddress, dstArray, dstAddress, length);
                return;
            }
            int i = 0;
            for (; i <= length - 8; i += 8)
            {
                UnsafeApi.putLongUnaligned(dstArray, dstAddress + i, UnsafeApi.getLongUnaligned(srcArray, srcAddress + i));
            }
            for (; i < length; i++)
            {
                UnsafeApi.putByte(dstArray, dstAddress + i, UnsafeApi.getByte(srcArray, srcAddress + i));
            }
        }
    }
}
