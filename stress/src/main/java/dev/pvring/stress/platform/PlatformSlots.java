/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.stress.platform;

import java.util.concurrent.atomic.AtomicInteger;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Zeroed 128-byte slots of one anonymous shared mapping, handed out round robin to jcstress states (mapping a
 * page per state would be far too slow). A slot is reused only after {@link #SLOTS} newer states, long after
 * the epoch that used it ended; the claiming state zeroes it. Each slot holds a miniature of the simulated
 * grant and event files at the offsets below, which is all the protocol functions touch.
 */
final class PlatformSlots
{
    /** Bytes per slot. */
    static final int SLOT_LENGTH = 128;
    /** A {@code grant_entry_v1} (8 bytes). */
    static final int ENTRY = 0;
    /** Its active entry (32 bytes). */
    static final int ACTIVE = 16;
    /** A port's flags word (4 bytes). */
    static final int FLAGS = 48;
    /** A doorbell sequence word (4 bytes). */
    static final int SEQUENCE = 56;
    /** Page data on its own cache line. */
    static final int DATA = 64;

    private static final int SLOTS = 1 << 16;

    private final AtomicBuffer buffer = SharedMemory.anonymous((long)SLOT_LENGTH * SLOTS).buffer();
    private final AtomicInteger next = new AtomicInteger();

    PlatformSlots()
    {
        buffer.verifyAlignment();
    }

    AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * Claims and zeroes a slot.
     *
     * @return its offset.
     */
    int claim()
    {
        final int slot = (next.getAndIncrement() & (SLOTS - 1)) * SLOT_LENGTH;
        buffer.setMemory(slot, SLOT_LENGTH, (byte)0);
        return slot;
    }
}
