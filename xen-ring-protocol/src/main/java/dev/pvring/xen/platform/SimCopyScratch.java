/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Per-batch working state of {@link SimGrantTable#copy}: for each segment of the current run, the granter's view
 * and memory, the pinned frame, and whether this segment took its ref's pin lock; plus a small open-addressing
 * table finding the segment that holds a (domid, ref) lock, so a ref named twice in one run is locked once.
 * Kept on the {@link GrantCopyBatch} (one caller thread) so that a grant table shared by threads needs no
 * per-thread state.
 */
final class SimCopyScratch
{
    /** Marks a segment that is not pinned (failed, skipped or already done). */
    static final int NOT_PINNED = -1;

    final SimDomainView[] views;
    final AtomicBuffer[] memories;
    final int[] frames;
    final boolean[] ownsLock;
    private final int[] lockTable;
    private final int[] usedSlots;
    private int used;

    SimCopyScratch(final int capacity)
    {
        views = new SimDomainView[capacity];
        memories = new AtomicBuffer[capacity];
        frames = new int[capacity];
        ownsLock = new boolean[capacity];
        lockTable = new int[Integer.highestOneBit(Math.max(1, capacity)) << 2];
        usedSlots = new int[capacity];
    }

    /**
     * The segment of this run holding the lock of {@code (domid, ref)}, or -1.
     */
    int lockHolder(final GrantCopyBatch batch, final int domid, final int ref)
    {
        final int mask = lockTable.length - 1;
        for (int slot = hash(domid, ref) & mask; ; slot = (slot + 1) & mask)
        {
            final int entry = lockTable[slot];
            if (entry == 0)
            {
                return -1;
            }
            final int index = entry - 1;
            if (batch.domid(index) == domid && batch.ref(index) == ref)
            {
                return index;
            }
        }
    }

    /**
     * Records that segment {@code index} holds its ref's lock (at most one segment per ref, at most capacity).
     */
    void recordLock(final int index, final int domid, final int ref)
    {
        final int mask = lockTable.length - 1;
        int slot = hash(domid, ref) & mask;
        while (lockTable[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }
        lockTable[slot] = index + 1;
        usedSlots[used++] = slot;
    }

    /**
     * Forgets the locks of the run (they were released) and the views and memories it referenced.
     */
    void endRun(final int start, final int end)
    {
        for (int i = 0; i < used; i++)
        {
            lockTable[usedSlots[i]] = 0;
        }
        used = 0;
        for (int i = start; i < end; i++)
        {
            views[i] = null;
            memories[i] = null;
        }
    }

    private static int hash(final int domid, final int ref)
    {
        final int h = (ref * 0x9E3779B9) ^ domid;
        return h ^ (h >>> 16);
    }
}
