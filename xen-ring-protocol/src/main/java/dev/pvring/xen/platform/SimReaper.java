/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The simulated hypervisor's reaper: notices dead domain processes by itself, as a hypervisor does when a domain
 * dies, and releases what they held (the same as {@link SimSystem#reclaim()} and {@code pvring sim reclaim}), so
 * their peers see their ports closed without anyone running reclaim by hand.
 *
 * <p>Owns no thread: the host (a CLI command, a test, an embedder) calls {@link #reapOnce()} or runs
 * {@link #run(BooleanSupplier, long)} on a thread it owns. Liveness is tested by pid like {@code reclaim}.
 */
public final class SimReaper
{
    private final SimSystem system;

    /**
     * A reaper for a system.
     *
     * @param system the system (stays owned by the caller).
     */
    public SimReaper(final SimSystem system)
    {
        this.system = Objects.requireNonNull(system, "system");
    }

    /**
     * One scan: releases what dead processes hold.
     *
     * @return items released (0 when no process died since the last scan).
     */
    public int reapOnce()
    {
        return system.reclaim().total();
    }

    /**
     * Scans every {@code intervalNanos} until {@code stop} returns true, on the caller's thread.
     *
     * @param stop          checked before each scan.
     * @param intervalNanos the pause between scans, e.g. 20 ms.
     * @return items released in total.
     */
    public long run(final BooleanSupplier stop, final long intervalNanos)
    {
        if (intervalNanos <= 0)
        {
            throw new IllegalArgumentException("intervalNanos=" + intervalNanos);
        }
        long released = 0;
        while (!stop.getAsBoolean())
        {
            released += reapOnce();
            LockSupport.parkNanos(intervalNanos);
        }
        return released;
    }
}
