/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.pvring.xen.net.back.MulticastFilter;
import dev.pvring.xen.net.back.NetbackQueue;
import dev.pvring.xen.net.back.NetbackVif;
import dev.pvring.xen.net.front.NetfrontQueue;
import dev.pvring.xen.platform.SimDomainConfig;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimSystem;

/**
 * A simulated host for data-path tests: dom0 (backend) and guests 1..n (frontends) in a unique /dev/shm
 * directory, and helpers that connect a netfront queue to a netback vif without the XenBus lifecycle.
 */
final class NetSim implements AutoCloseable
{
    final Path directory = Path.of("/dev/shm/pvring-test", "net-" + UUID.randomUUID());
    final SimSystem system;
    final SimPlatform dom0;
    final List<SimPlatform> guests = new ArrayList<>();
    final Arena arena = Arena.ofShared();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    NetSim(final int guestCount)
    {
        system = SimSystem.create(directory, 8, SimDomainConfig.defaults(0));
        dom0 = system.join(0);
        for (int d = 1; d <= guestCount; d++)
        {
            dom0.createDomain(SimDomainConfig.defaults(d));
            guests.add(system.join(d));
        }
    }

    SimPlatform guest(final int domid)
    {
        return guests.get(domid - 1);
    }

    /** A frontend queue in {@code domid} and the backend vif serving it in dom0. */
    Pair connect(final int domid, final boolean split)
    {
        final NetfrontQueue front = NetfrontQueue.allocate(guest(domid), 0, split);
        final StringBuilder why = new StringBuilder();
        final MulticastFilter filter = new MulticastFilter();
        final NetbackQueue back = NetbackQueue.connect(dom0, domid, front.txRingRef(), front.rxRingRef(),
            front.txPort(), front.rxPort(), filter, why);
        if (back == null)
        {
            throw new AssertionError(why.toString());
        }
        final NetbackVif vif = new NetbackVif(domid, 0, new NetbackQueue[] {back}, filter);
        front.refillRx();
        closeables.add(front);
        closeables.add(vif);
        return new Pair(front, back, vif);
    }

    record Pair(NetfrontQueue front, NetbackQueue back, NetbackVif vif)
    {
    }

    @Override
    public void close()
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            try
            {
                closeables.get(i).close();
            }
            catch (final Exception ignored)
            {
                // best effort in tests
            }
        }
        for (final SimPlatform g : guests)
        {
            g.close();
        }
        dom0.close();
        system.close();
        SimSystem.delete(directory);
        arena.close();
    }
}
