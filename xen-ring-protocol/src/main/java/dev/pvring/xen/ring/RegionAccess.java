/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import org.agrona.DirectBuffer;
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
 * loads and stores that C2 inlines; longer ones go through {@code Unsafe.copyMemory} (a stub call with wide
 * moves, which measured faster than 8-byte moves from 64 bytes up).
 * <p>
 * Package-private twin of {@code dev.pvring.shmstream.RegionAccess} (one copy per module, to keep this unchecked
 * code out of any exported package).
 */
final class RegionAccess
{
    /**
     * Longest copy made of inline 8-byte moves; longer copies call {@code Unsafe.copyMemory}. Measured (A/B, heap
     * and off-heap private buffers): at 64 bytes the stub call beat eight 8-byte moves (byte ring 18.0 -> 14.0 ns
     * per message), at 16 bytes the inline moves were no slower (within noise).
     */
    static final int INLINE_LIMIT = 32;

    private RegionAccess()
    {
    }

    /**
     * Whether {@code buffer} may be read raw through its {@code byteArray()}/{@code addressOffset()}: a plain
     * {@link UnsafeBuffer} or a {@link ReadOnlyAtomicBuffer} (which overrides only mutators). Any other class
     * (a subclass or a test double) may give reads a meaning of its own and goes through its accessors.
     *
     * @param buffer the buffer.
     * @return true to read it raw.
     */
    static boolean rawReadable(final DirectBuffer buffer)
    {
        final Class<?> type = buffer.getClass();
        return type == UnsafeBuffer.class || type == ReadOnlyAtomicBuffer.class;
    }

    /**
     * Whether {@code buffer} may be written raw: exactly an {@link UnsafeBuffer}. A {@link ReadOnlyAtomicBuffer}
     * must throw on a write rather than let a raw store fault on its read-only page; subclasses and test doubles
     * keep their accessors.
     *
     * @param buffer the buffer.
     * @return true to write it raw.
     */
    static boolean rawWritable(final DirectBuffer buffer)
    {
        return buffer.getClass() == UnsafeBuffer.class;
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
     * @param dst        destination, {@link #rawWritable} (other buffers: the caller uses their accessors).
     * @param dstIndex   destination offset.
     * @param length     bytes, at least 0.
     * @throws IndexOutOfBoundsException if the destination range is outside {@code dst}.
     */
    static void copyOut(
        final byte[] srcArray, final long srcAddress, final DirectBuffer dst, final int dstIndex, final int length)
    {
        checkRange(dst, dstIndex, length);
        copy(srcArray, srcAddress, dst.byteArray(), dst.addressOffset() + dstIndex, length);
    }

    /**
     * Copies {@code length} bytes from {@code src} into the region, checking the source range once.
     *
     * @param src        source, {@link #rawReadable}.
     * @param srcIndex   source offset.
     * @param dstArray   region array, or null for native memory.
     * @param dstAddress offset in the array, or native address (range checked by the caller).
     * @param length     bytes, at least 0.
     * @throws IndexOutOfBoundsException if the source range is outside {@code src}.
     */
    static void copyIn(
        final DirectBuffer src, final int srcIndex, final byte[] dstArray, final long dstAddress, final int length)
    {
        checkRange(src, srcIndex, length);
        copy(src.byteArray(), src.addressOffset() + srcIndex, dstArray, dstAddress, length);
    }

    /**
     * Checks that {@code [index, index + length)} lies in {@code buffer}.
     *
     * @param buffer the buffer.
     * @param index  first byte.
     * @param length bytes.
     * @throws IndexOutOfBoundsException if it does not.
     */
    static void checkRange(final DirectBuffer buffer, final int index, final int length)
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
        // A small dispatcher and one small method per kind of memory, so that C2 inlines the one a call site uses.
        if (srcArray == null)
        {
            if (dstArray == null)
            {
                nativeToNative(srcAddress, dstAddress, length);
            }
            else
            {
                nativeToArray(srcAddress, dstArray, dstAddress, length);
            }
        }
        else if (dstArray == null)
        {
            arrayToNative(srcArray, srcAddress, dstAddress, length);
        }
        else
        {
            arrayToArray(srcArray, srcAddress, dstArray, dstAddress, length);
        }
    }

    private static void nativeToNative(final long srcAddress, final long dstAddress, final int length)
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

    private static void nativeToArray(final long srcAddress, final byte[] dst, final long dstOffset, final int length)
    {
        if (length > INLINE_LIMIT)
        {
            UnsafeApi.copyMemory(null, srcAddress, dst, dstOffset, length);
            return;
        }
        int i = 0;
        for (; i <= length - 8; i += 8)
        {
            UnsafeApi.putLongUnaligned(dst, dstOffset + i, UnsafeApi.getLong(srcAddress + i));
        }
        for (; i < length; i++)
        {
            UnsafeApi.putByte(dst, dstOffset + i, UnsafeApi.getByte(srcAddress + i));
        }
    }

    private static void arrayToNative(final byte[] src, final long srcOffset, final long dstAddress, final int length)
    {
        if (length > INLINE_LIMIT)
        {
            UnsafeApi.copyMemory(src, srcOffset, null, dstAddress, length);
            return;
        }
        int i = 0;
        for (; i <= length - 8; i += 8)
        {
            UnsafeApi.putLong(dstAddress + i, UnsafeApi.getLongUnaligned(src, srcOffset + i));
        }
        for (; i < length; i++)
        {
            UnsafeApi.putByte(dstAddress + i, UnsafeApi.getByte(src, srcOffset + i));
        }
    }

    private static void arrayToArray(
        final byte[] src, final long srcOffset, final byte[] dst, final long dstOffset, final int length)
    {
        if (length > INLINE_LIMIT)
        {
            UnsafeApi.copyMemory(src, srcOffset, dst, dstOffset, length);
            return;
        }
        int i = 0;
        for (; i <= length - 8; i += 8)
        {
            UnsafeApi.putLongUnaligned(dst, dstOffset + i, UnsafeApi.getLongUnaligned(src, srcOffset + i));
        }
        for (; i < length; i++)
        {
            UnsafeApi.putByte(dst, dstOffset + i, UnsafeApi.getByte(src, srcOffset + i));
        }
    }
}
