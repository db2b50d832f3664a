/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

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
     * Acquire load of a long: later loads and stores stay after it.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address (8-byte aligned).
     * @return the value.
     */
    static long getLongAcquire(final byte[] array, final long address)
    {
        return RawMemory.getLongAcquire(array, address);
    }

    /**
     * Opaque (single-copy atomic, unordered) load of a long.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address (8-byte aligned).
     * @return the value.
     */
    static long getLongOpaque(final byte[] array, final long address)
    {
        return RawMemory.getLongOpaque(array, address);
    }

    /**
     * Opaque (single-copy atomic, unordered) store of a long.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address (8-byte aligned).
     * @param value   value.
     */
    static void putLongOpaque(final byte[] array, final long address, final long value)
    {
        RawMemory.putLongOpaque(array, address, value);
    }

    /**
     * Release store of a long: earlier loads and stores complete before it.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address (8-byte aligned).
     * @param value   value.
     */
    static void putLongRelease(final byte[] array, final long address, final long value)
    {
        RawMemory.putLongRelease(array, address, value);
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
