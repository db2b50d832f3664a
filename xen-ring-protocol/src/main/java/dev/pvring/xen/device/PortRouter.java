/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;

import dev.pvring.xen.platform.EventChannels;

/**
 * Which runner and duty cycle own each port of one {@link EventChannels} instance. A runner's wait consumes
 * whatever ports of the process are pending, so runners sharing a platform route foreign ports to their owner.
 * Reads are lock-free (a volatile array indexed by port); writes, rare, are synchronised copy-on-write.
 */
final class PortRouter
{
    private static final Map<EventChannels, PortRouter> ROUTERS = new WeakHashMap<>();

    private volatile Route[] routes = new Route[64];

    private PortRouter()
    {
    }

    /** Owner of a port. */
    record Route(DeviceRunner runner, DeviceRunner.Task task)
    {
    }

    static PortRouter of(final EventChannels events)
    {
        synchronized (ROUTERS)
        {
            return ROUTERS.computeIfAbsent(events, e -> new PortRouter());
        }
    }

    Route get(final int port)
    {
        final Route[] current = routes;
        return port >= 0 && port < current.length ? current[port] : null;
    }

    synchronized void put(final int port, final DeviceRunner runner, final DeviceRunner.Task task)
    {
        Route[] next = routes;
        if (port >= next.length)
        {
            next = Arrays.copyOf(next, Math.max(port + 1, next.length * 2));
        }
        else
        {
            next = next.clone();
        }
        next[port] = new Route(runner, task);
        routes = next;
    }

    synchronized void remove(final int port, final DeviceRunner runner)
    {
        final Route[] current = routes;
        if (port >= 0 && port < current.length && null != current[port] && current[port].runner() == runner)
        {
            final Route[] next = current.clone();
            next[port] = null;
            routes = next;
        }
    }
}
