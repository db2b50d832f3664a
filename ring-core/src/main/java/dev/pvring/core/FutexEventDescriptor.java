/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

/**
 * Layout of a {@link FutexEvent} in shared memory: two native-endian 32-bit words, 4-byte aligned.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 sequence (futex word, u32)                    |  0
 *  +---------------------------------------------------------------+
 *  |                 waiters (u32, sleeping or about to)           |  4
 *  +---------------------------------------------------------------+
 * </pre>
 * C equivalent: {@code struct { uint32_t sequence; uint32_t waiters; }}. A notifier increments
 * {@code sequence}, then issues {@code FUTEX_WAKE} only if {@code waiters != 0}; a waiter increments
 * {@code waiters} before {@code FUTEX_WAIT(sequence, token)} and decrements it afterwards.
 */
public final class FutexEventDescriptor
{
    /** Offset of the sequence word (the futex word). */
    public static final int SEQUENCE_OFFSET = 0;
    /** Offset of the waiter count. */
    public static final int WAITERS_OFFSET = 4;
    /** Bytes used. */
    public static final int LENGTH = 8;
    /** Required alignment of the base offset. */
    public static final int ALIGNMENT = 4;

    private FutexEventDescriptor()
    {
    }

    /**
     * Checks that an event fits at {@code offset} of a region of {@code capacity} bytes, aligned.
     *
     * @param offset   base offset.
     * @param capacity region bytes.
     * @return {@code offset}.
     */
    public static int checkOffset(final int offset, final int capacity)
    {
        if (offset < 0 || (offset & (ALIGNMENT - 1)) != 0 || offset > capacity - LENGTH)
        {
            throw new IllegalArgumentException(
                "futex event must be 4-byte aligned and inside the region: offset=" + offset + " capacity=" + capacity);
        }
        return offset;
    }
}
