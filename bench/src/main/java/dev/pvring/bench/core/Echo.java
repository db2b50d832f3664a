/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.core;

import static dev.pvring.bench.core.PingPongDescriptor.CONTROL_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.ECHO_BLOCKING_WAITS_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.ECHO_NOTIFICATIONS_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.ECHO_ROUNDS_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.ECHO_WAKE_UPS_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.PING_EVENT_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.PING_VALUE_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.PONG_EVENT_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.PONG_VALUE_OFFSET;
import static dev.pvring.bench.core.PingPongDescriptor.READY;
import static dev.pvring.bench.core.PingPongDescriptor.STOPPED;
import static dev.pvring.bench.core.PingPongDescriptor.STOP_REQUESTED;

import dev.pvring.core.FutexEvent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * The echo side of the doorbell round trip: waits on the ping doorbell for a new ping value, copies it to the
 * pong value and rings the pong doorbell, until the pinger requests a stop. Runs on a thread of the benchmark
 * JVM or as the main loop of {@link EchoProcess}.
 */
final class Echo implements Runnable
{
    private final AtomicBuffer buffer;
    private final WaitMode mode;

    /**
     * @param buffer the {@link PingPongDescriptor} region.
     * @param mode   how to wait for pings.
     */
    Echo(final AtomicBuffer buffer, final WaitMode mode)
    {
        this.buffer = buffer;
        this.mode = mode;
    }

    @Override
    public void run()
    {
        final AtomicBuffer buffer = this.buffer;
        final FutexEvent ping = new FutexEvent(buffer, PING_EVENT_OFFSET);
        final FutexEvent pong = new FutexEvent(buffer, PONG_EVENT_OFFSET);
        final IdleStrategy idle = mode.idleStrategy(ping);
        int last = buffer.getIntAcquire(PING_VALUE_OFFSET);
        long rounds = 0;
        // Release: the pinger may start pinging once it sees READY.
        buffer.putIntRelease(CONTROL_OFFSET, READY);
        idle.reset();
        while (true)
        {
            // Acquire: pairs with the pinger's putIntRelease of the ping value.
            final int value = buffer.getIntAcquire(PING_VALUE_OFFSET);
            if (value != last)
            {
                last = value;
                // Release: the pinger's acquire of the pong value sees everything before it.
                buffer.putIntRelease(PONG_VALUE_OFFSET, value);
                pong.notifyPeer();
                rounds++;
                // Opaque: statistics the pinger samples between iterations; no ordering needed.
                buffer.putLongOpaque(ECHO_ROUNDS_OFFSET, rounds);
                buffer.putLongOpaque(ECHO_WAKE_UPS_OFFSET, pong.wakeUpsIssued());
                buffer.putLongOpaque(ECHO_BLOCKING_WAITS_OFFSET, ping.blockingWaits());
                buffer.putLongOpaque(ECHO_NOTIFICATIONS_OFFSET, pong.notificationsSent());
                idle.reset();
            }
            else if (buffer.getIntAcquire(CONTROL_OFFSET) == STOP_REQUESTED)
            {
                break;
            }
            else
            {
                idle.idle();
            }
        }
        buffer.putIntRelease(CONTROL_OFFSET, STOPPED);
    }
}
