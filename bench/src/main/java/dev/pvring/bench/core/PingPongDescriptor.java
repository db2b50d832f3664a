/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.core;

import dev.pvring.core.FutexEventDescriptor;
import dev.pvring.core.SharedMemory;

/**
 * Layout of the one-page region shared by the pinger (the JMH thread) and the echo (a thread or a child JVM)
 * of the doorbell round-trip benchmarks. Each group written by one side sits on its own 128-byte block
 * (two cache lines, so the adjacent-line prefetcher does not couple them). Native endian, naturally aligned.
 * <pre>
 *   offset  field                     writer   reader
 *   0       ping FutexEvent           both     both     (sequence += 1 by the pinger, waiters by the echo)
 *   128     ping value (u32)          pinger   echo     round-trip number, putIntRelease
 *   256     pong FutexEvent           both     both     (sequence by the echo, waiters by the pinger)
 *   384     pong value (u32)          echo     pinger   echoed round-trip number, putIntRelease
 *   512     echo rounds (u64)         echo     pinger   counters, putLongOpaque after every echo
 *   520     echo FUTEX_WAKEs (u64)
 *   528     echo blocking waits (u64)
 *   536     echo notifications (u64)
 *   640     control state (u32)       both     both     STARTING, READY, STOP_REQUESTED, STOPPED
 *   768     end
 * </pre>
 * C equivalent: {@code struct { struct futex_event ping; char p0[120]; uint32_t ping_value; char p1[124];
 * struct futex_event pong; char p2[120]; uint32_t pong_value; char p3[124]; uint64_t echo_counters[4];
 * char p4[96]; uint32_t control; }}.
 */
final class PingPongDescriptor
{
    /** Spacing between groups written by different sides. */
    static final int BLOCK_LENGTH = 128;
    /** Doorbell rung by the pinger, waited on by the echo. */
    static final int PING_EVENT_OFFSET = 0;
    /** Round-trip number the pinger publishes. */
    static final int PING_VALUE_OFFSET = PING_EVENT_OFFSET + BLOCK_LENGTH;
    /** Doorbell rung by the echo, waited on by the pinger. */
    static final int PONG_EVENT_OFFSET = PING_VALUE_OFFSET + BLOCK_LENGTH;
    /** Round-trip number the echo sends back. */
    static final int PONG_VALUE_OFFSET = PONG_EVENT_OFFSET + BLOCK_LENGTH;
    /** Echo-side counters: rounds echoed. */
    static final int ECHO_ROUNDS_OFFSET = PONG_VALUE_OFFSET + BLOCK_LENGTH;
    /** Echo-side counters: {@code FUTEX_WAKE} calls issued on the pong doorbell. */
    static final int ECHO_WAKE_UPS_OFFSET = ECHO_ROUNDS_OFFSET + 8;
    /** Echo-side counters: waits on the ping doorbell that went to the kernel. */
    static final int ECHO_BLOCKING_WAITS_OFFSET = ECHO_WAKE_UPS_OFFSET + 8;
    /** Echo-side counters: notifications sent on the pong doorbell. */
    static final int ECHO_NOTIFICATIONS_OFFSET = ECHO_BLOCKING_WAITS_OFFSET + 8;
    /** Start/stop handshake word. */
    static final int CONTROL_OFFSET = ECHO_ROUNDS_OFFSET + BLOCK_LENGTH;
    /** Bytes used. */
    static final int LENGTH = CONTROL_OFFSET + BLOCK_LENGTH;
    /** Bytes to map (one page). */
    static final int REGION_LENGTH = SharedMemory.PAGE_SIZE;

    /** Control: the echo has not attached yet. */
    static final int STARTING = 0;
    /** Control: the echo is attached and echoing. */
    static final int READY = 1;
    /** Control: the pinger asks the echo to exit. */
    static final int STOP_REQUESTED = 2;
    /** Control: the echo has left its loop. */
    static final int STOPPED = 3;

    static
    {
        if (FutexEventDescriptor.LENGTH > BLOCK_LENGTH || LENGTH > REGION_LENGTH)
        {
            throw new ExceptionInInitializerError("ping-pong layout does not fit: length=" + LENGTH);
        }
    }

    private PingPongDescriptor()
    {
    }
}
