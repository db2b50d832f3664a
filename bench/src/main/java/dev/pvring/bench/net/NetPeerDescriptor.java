/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.net;

import dev.pvring.core.SharedMemory;

/**
 * Layout of the one-page region shared by {@link NetRingBenchmark} (netfront, the JMH JVM) and {@link NetbackPeer}
 * (netback, a child JVM): the start/stop handshake and the peer's counters. Each group written by one side sits
 * on its own 128-byte block. Native endian, naturally aligned.
 * <pre>
 *   offset  field                       writer   reader
 *   0       control state (u32)         both     both     STARTING, READY, STOP_REQUESTED, STOPPED, FAILED
 *   128     peer packets (u64)          peer     bench    TX: packets netback handed to its handler;
 *                                                         RX: packets netback put in netfront's buffers
 *   136     peer bytes (u64)            peer     bench    bytes of those packets
 *   144     peer notifications (u64)    peer     bench    event-channel notifies sent by netback
 *   152     peer bad packets (u64)      peer     bench    TX: out-of-sequence or wrong-length packets seen
 *   160     peer drops (u64)            peer     bench    netback's txDropped + rxDropped + copyFailures
 *   256     end
 * </pre>
 * Counters are written with {@code putLongRelease} after every batch of the peer's loop and read with
 * {@code getLongAcquire}; they are cumulative from the peer's start.
 */
final class NetPeerDescriptor
{
    /** Spacing between groups written by different sides. */
    static final int BLOCK_LENGTH = 128;
    /** Start/stop handshake word. */
    static final int CONTROL_OFFSET = 0;
    /** Packets the peer counted (see the table). */
    static final int PACKETS_OFFSET = CONTROL_OFFSET + BLOCK_LENGTH;
    /** Bytes of those packets. */
    static final int BYTES_OFFSET = PACKETS_OFFSET + 8;
    /** Event-channel notifications sent by netback. */
    static final int NOTIFICATIONS_OFFSET = BYTES_OFFSET + 8;
    /** Packets out of sequence or of the wrong length (TX). */
    static final int BAD_OFFSET = NOTIFICATIONS_OFFSET + 8;
    /** Packets netback dropped or failed to copy. */
    static final int DROPS_OFFSET = BAD_OFFSET + 8;
    /** Bytes used. */
    static final int LENGTH = PACKETS_OFFSET + BLOCK_LENGTH;
    /** Bytes to map (one page). */
    static final int REGION_LENGTH = SharedMemory.PAGE_SIZE;

    /** Control: the peer has not connected yet. */
    static final int STARTING = 0;
    /** Control: the peer is connected and serving. */
    static final int READY = 1;
    /** Control: the benchmark asks the peer to stop. */
    static final int STOP_REQUESTED = 2;
    /** Control: the peer published its final counters and disconnected. */
    static final int STOPPED = 3;
    /** Control: the peer could not connect or its queue broke (details in its output). */
    static final int FAILED = 4;

    /** Byte offset of the 8-byte sequence number in every benchmark frame (after the Ethernet header). */
    static final int SEQUENCE_OFFSET = 14;

    private NetPeerDescriptor()
    {
    }
}
