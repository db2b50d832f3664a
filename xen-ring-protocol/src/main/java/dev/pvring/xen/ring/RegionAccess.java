/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import dev.pvring.core.internal.RawMemory;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The byte ring's view of {@link RawMemory} (unchecked accesses at a location: a {@code byte[]} and an offset, or
 * {@code null} and a native address, each with a base C2 knows): which buffers may be accessed raw, the ordered
 * index accesses, one range check, and copies made inline up to {@link #INLINE_LIMIT} bytes (longer ones through
 * {@code Unsafe.copyMemory}: for the run-time lengths of these rings the stub measured faster above 32 bytes).
 * Callers check the region's range once per call.
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
        return RawMemory.isRawReadable(buffer);
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
        return RawMemory.isRawWritable(buffer);
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
        return RawMemory.getIntAcquire(array, address);
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
        RawMemory.putIntRelease(array, address, value);
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
        RawMemory.copyInlineUpTo(INLINE_LIMIT, srcArray, srcAddress, dstArray, dstAddress, length);
    }
}
