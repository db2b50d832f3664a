/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.core;

import static dev.pvring.bench.core.PingPongDescriptor.PING_EVENT_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.PING_VALUE_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.PONG_EVENT_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.PONG_VALUE_OFFSET;

import dev.pvring.core.FutexEvent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * The pinger side of the doorbell round trip, driven by the JMH thread: publish a new ping value, ring the ping
 * doorbell, wait (per {@link WaitMode}) until the echo has sent the same value back. Not thread safe.
 */
final class Pinger
{
    private final AtomicBuffer buffer;
    private final FutexEvent ping;
    private final FutexEvent pong;
    private final IdleStrategy idle;
    private int sequence;
    private long roundTrips;

    /**
     * @param buffer the {@link PingPongDescriptor} region.
     * @param mode   how to wait for pongs.
     */
    Pinger(final AtomicBuffer buffer, final WaitMode mode)
    {
        this.buffer = buffer;
        this.ping = new FutexEvent(buffer, PING_EVENT_OFFSET);
        this.pong = new FutexEvent(buffer, PONG_EVENT_OFFSET);
        this.idle = mode.idleStrategy(pong);
        this.sequence = buffer.getIntAcquire(PING_VALUE_OFFSET);
    }

    /**
     * One round trip: ping, then wait for the matching pong.
     *
     * @return the round-trip number (wraps at 2^32).
     */
    int roundTrip()
    {
        final AtomicBuffer buffer = this.buffer;
        final int value = ++sequence;
        // Release: the echo's acquire of the ping value sees everything before it (here: nothing else).
        buffer.putIntRelease(PING_VALUE_OFFSET, value);
        ping.notifyPeer();
        final IdleStrategy idle = this.idle;
        idle.reset();
        // Acquire: pairs with the echo's putIntRelease of the pong value.
        while (buffer.getIntAcquire(PONG_VALUE_OFFSET) != value)
        {
            idle.idle();
        }
        roundTrips++;
        return value;
    }

    /**
     * Rings the ping doorbell without a new value, so a sleeping echo wakes up and sees a stop request.
     */
    void wakeEcho()
    {
        ping.notifyPeer();
    }

    /**
     * @return round trips completed.
     */
    long roundTrips()
    {
        return roundTrips;
    }

    /**
     * @return notifications this side sent on the ping doorbell.
     */
    long notificationsSent()
    {
        return ping.notificationsSent();
    }

    /**
     * @return {@code FUTEX_WAKE} calls this side issued on the ping doorbell.
     */
    long wakeUpsIssued()
    {
        return ping.wakeUpsIssued();
    }

    /**
     * @return waits on the pong doorbell that went to the kernel.
     */
    long blockingWaits()
    {
        return pong.blockingWaits();
    }
}
