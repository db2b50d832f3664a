/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

/**
 * Unsigned 32-bit free-running ring index arithmetic, as C's {@code RING_IDX} ({@code unsigned int}).
 * <p>
 * Indices are Java {@code int}s that wrap modulo 2^32 exactly like a C {@code uint32_t}; a difference
 * {@code b - a} is the unsigned distance, and every comparison of distances is unsigned
 * ({@link Integer#compareUnsigned(int, int)}). Never compare two indices directly: after the wrap
 * {@code 0x00000002} comes after {@code 0xFFFFFFFE}.
 */
public final class RingIndex
{
    private RingIndex()
    {
    }

    /**
     * Unsigned distance from {@code from} to {@code to}, modulo 2^32, as a non-negative {@code long}.
     *
     * @param from earlier index (e.g. consumer).
     * @param to   later index (e.g. producer).
     * @return {@code (uint32)(to - from)} in {@code [0, 2^32)}.
     */
    public static long distance(final int from, final int to)
    {
        return Integer.toUnsignedLong(to - from);
    }

    /**
     * Slot of a free-running index in a ring of {@code size} entries ({@code idx & (size - 1)}).
     *
     * @param index free-running index.
     * @param size  ring size, a power of two.
     * @return the slot in {@code [0, size)}.
     */
    public static int mask(final int index, final int size)
    {
        return index & (size - 1);
    }

    /**
     * The event-index notification test of Xen's {@code RING_PUSH_*_AND_CHECK_NOTIFY}:
     * {@code (RING_IDX)(new - event) < (RING_IDX)(new - old)}, true iff the consumer's {@code event} lies in
     * {@code (old, new]}, i.e. the producer just moved past the index the consumer asked to be woken at.
     *
     * @param newIndex producer index just published.
     * @param oldIndex producer index before this publication.
     * @param event    the consumer's event index.
     * @return true if the peer must be notified.
     */
    public static boolean isNotifyRequired(final int newIndex, final int oldIndex, final int event)
    {
        return Integer.compareUnsigned(newIndex - event, newIndex - oldIndex) < 0;
    }

    /**
     * Whether {@code (uint32)(to - from) > limit}: the overflow test of {@code RING_REQUEST_PROD_OVERFLOW}
     * and {@code RING_RESPONSE_PROD_OVERFLOW} (a peer claims more entries than the ring can hold).
     *
     * @param from  index the distance starts at.
     * @param to    index the peer published.
     * @param limit ring size.
     * @return true if the distance exceeds {@code limit}.
     */
    public static boolean exceeds(final int from, final int to, final int limit)
    {
        return Integer.compareUnsigned(to - from, limit) > 0;
    }

    /**
     * Whether {@code (uint32)(to - from) >= limit}, the test of {@code RING_REQUEST_CONS_OVERFLOW}.
     *
     * @param from  index the distance starts at.
     * @param to    later index.
     * @param limit ring size.
     * @return true if the distance reaches {@code limit}.
     */
    public static boolean reaches(final int from, final int to, final int limit)
    {
        return Integer.compareUnsigned(to - from, limit) >= 0;
    }

    /**
     * The smaller of two unsigned 32-bit counts.
     *
     * @param a unsigned count.
     * @param b unsigned count.
     * @return the unsigned minimum.
     */
    public static int minUnsigned(final int a, final int b)
    {
        return Integer.compareUnsigned(a, b) <= 0 ? a : b;
    }

    /**
     * Rounds down to a power of two, like Xen's {@code __RD32}; 0 stays 0.
     *
     * @param value unsigned 32-bit value.
     * @return the largest power of two {@code <= value}, or 0.
     */
    public static int roundDownToPowerOfTwo(final int value)
    {
        return Integer.highestOneBit(value);
    }

    /**
     * Whether {@code value} is a positive power of two.
     *
     * @param value candidate ring size.
     * @return true for 1, 2, 4, ... 2^30.
     */
    public static boolean isPowerOfTwo(final int value)
    {
        return value > 0 && (value & (value - 1)) == 0;
    }

    /**
     * Checks a ring size.
     *
     * @param size candidate size.
     * @return {@code size}.
     * @throws IllegalArgumentException unless {@code size} is a positive power of two.
     */
    public static int checkPowerOfTwo(final int size)
    {
        if (!isPowerOfTwo(size))
        {
            throw new IllegalArgumentException("ring size must be a positive power of two: size=" + size);
        }
        return size;
    }
}
