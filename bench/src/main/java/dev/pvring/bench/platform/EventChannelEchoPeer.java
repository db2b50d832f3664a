/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.platform;

import java.nio.file.Path;

import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimSystem;

/**
 * The echo side of {@link EventChannelRoundTripBenchmark}: binds dom1 to dom0's port and answers every event
 * with one, until dom0 closes. Runs as a separate process ({@link #main}) or as a thread ({@link #run}).
 */
public final class EventChannelEchoPeer
{
    private EventChannelEchoPeer()
    {
    }

    /**
     * Usage: {@code EventChannelEchoPeer DIRECTORY PORT spin|block}.
     *
     * @param args system directory, dom0's unbound port, wait mode.
     */
    public static void main(final String[] args)
    {
        try (SimSystem system = SimSystem.open(Path.of(args[0])); SimPlatform dom1 = system.join(1))
        {
            run(dom1.eventChannels(), Integer.parseInt(args[1]), "spin".equals(args[2]));
        }
    }

    /**
     * Binds and echoes until the peer closes.
     *
     * @param events dom1's event channels.
     * @param port   dom0's unbound port.
     * @param spin   poll instead of blocking.
     */
    public static void run(final EventChannels events, final int port, final boolean spin)
    {
        final int local = events.bindInterdomain(0, port);
        if (local <= 0)
        {
            throw new IllegalStateException("bind failed: " + EventChannels.describe(local));
        }
        while (true)
        {
            final int result;
            if (spin)
            {
                int r;
                while ((r = events.wait(local, 0)) == EventChannels.TIMED_OUT)
                {
                    Thread.onSpinWait();
                }
                result = r;
            }
            else
            {
                result = events.wait(local, -1);
            }
            if (result != EventChannels.NOTIFIED)
            {
                events.close(local);
                return;
            }
            events.notify(local);
        }
    }
}
