/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import dev.pvring.core.FutexEventDescriptor;
import dev.pvring.xen.ring.SharedRingDescriptor;

/**
 * Layout of the shared file of the round-trip benchmark (a /dev/shm file both ends map; bench-private, not a Xen
 * ABI), little-endian. Every field the two ends write sits in its own 128-byte block so no two writers share a
 * cache line (nor an adjacent-line prefetch pair):
 * <pre>
 *  offset  length  field
 *  0       4096    Xen io/ring.h ring, 1 page: 32 slots of 64 B (struct NAME_sring)
 *  4096    8       doorbell front -> back  (FutexEvent: u32 sequence, u32 waiters)
 *  4224    8       doorbell back -> front  (FutexEvent)
 *  4352    4       back state, written by the back end: 0 starting, 1 running, 2 stopped, 3 ring broken
 *  4480    4       stop request, written by the front end: 0 run, 1 stop
 *  ...             zero up to 8192
 * </pre>
 * C equivalent: {@code struct { uint8_t ring[4096]; struct { uint32_t seq, waiters; uint8_t pad[120]; } to_back,
 * to_front; struct { uint32_t v; uint8_t pad[124]; } back_state, stop; }}.
 */
public final class RoundTripFileDescriptor
{
    /** Offset of the Xen ring. */
    public static final int RING_OFFSET = 0;
    /** Bytes of the Xen ring (one page). */
    public static final int RING_LENGTH = SharedRingDescriptor.PAGE_SIZE;
    /** Bytes per request and per response slot. */
    public static final int ENTRY_LENGTH = 64;
    /** Spacing of the control blocks. */
    public static final int BLOCK_LENGTH = 128;
    /** Doorbell the front end rings for the back end. */
    public static final int TO_BACK_EVENT_OFFSET = RING_OFFSET + RING_LENGTH;
    /** Doorbell the back end rings for the front end. */
    public static final int TO_FRONT_EVENT_OFFSET = TO_BACK_EVENT_OFFSET + BLOCK_LENGTH;
    /** Back end's state word. */
    public static final int BACK_STATE_OFFSET = TO_FRONT_EVENT_OFFSET + BLOCK_LENGTH;
    /** Front end's stop request word. */
    public static final int STOP_OFFSET = BACK_STATE_OFFSET + BLOCK_LENGTH;
    /** Bytes of the file. */
    public static final int LENGTH = 2 * SharedRingDescriptor.PAGE_SIZE;

    /** Back state: not attached yet. */
    public static final int BACK_STARTING = 0;
    /** Back state: attached and echoing. */
    public static final int BACK_RUNNING = 1;
    /** Back state: stopped on request. */
    public static final int BACK_STOPPED = 2;
    /** Back state: the front end broke the ring (never expected). */
    public static final int BACK_BROKEN = 3;

    static
    {
        FutexEventDescriptor.checkOffset(TO_BACK_EVENT_OFFSET, LENGTH);
        FutexEventDescriptor.checkOffset(TO_FRONT_EVENT_OFFSET, LENGTH);
    }

    private RoundTripFileDescriptor()
    {
    }
}
