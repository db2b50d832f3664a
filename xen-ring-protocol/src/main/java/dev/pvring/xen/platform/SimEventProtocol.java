/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static dev.pvring.xen.platform.SimEventChannelDescriptor.FLAG_MASKED;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.FLAG_PENDING;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The pending/mask steps of a simulated event channel port, as stateless functions over the port's flags word
 * ({@link SimEventChannelDescriptor#PORT_FLAGS_OFFSET}), shared by {@link SimEventChannels},
 * {@link SimHypervisor} and the jcstress tests of {@code dev.pvring.stress.platform}.
 * <p>
 * Every change is a compare-and-set of the one flags word, so {@link #setPending} and {@link #unmask} are
 * linearizable against each other: when an event arrives on a masked port, exactly one of the two sees
 * "pending and unmasked" and tells its caller to ring the doorbell (Xen's {@code evtchn_set_pending} and
 * {@code evtchn_unmask}); an event on an already pending port rings nothing (it is coalesced).
 */
public final class SimEventProtocol
{
    private SimEventProtocol()
    {
    }

    /**
     * Sets the pending bit.
     *
     * @param events      event channel file buffer.
     * @param flagsOffset absolute offset of the port's flags word.
     * @return true if the caller must ring the port's doorbell (the bit was clear and the port is unmasked).
     */
    public static boolean setPending(final AtomicBuffer events, final int flagsOffset)
    {
        int flags = events.getIntVolatile(flagsOffset);
        while (true)
        {
            if ((flags & FLAG_PENDING) != 0)
            {
                return false;
            }
            // Full fence: what the notifier wrote before (ring entries) is visible before the pending bit.
            final int witness = events.compareAndExchangeInt(flagsOffset, flags, flags | FLAG_PENDING);
            if (witness == flags)
            {
                return (flags & FLAG_MASKED) == 0;
            }
            flags = witness;
        }
    }

    /**
     * Clears the pending bit if it is set and the port is unmasked (taking the event).
     *
     * @param events      event channel file buffer.
     * @param flagsOffset absolute offset of the port's flags word.
     * @return true if an event was taken.
     */
    public static boolean consumePending(final AtomicBuffer events, final int flagsOffset)
    {
        int flags = events.getIntVolatile(flagsOffset);
        while ((flags & FLAG_PENDING) != 0 && (flags & FLAG_MASKED) == 0)
        {
            final int witness = events.compareAndExchangeInt(flagsOffset, flags, flags & ~FLAG_PENDING);
            if (witness == flags)
            {
                return true;
            }
            flags = witness;
        }
        return false;
    }

    /**
     * Sets the mask bit.
     *
     * @param events      event channel file buffer.
     * @param flagsOffset absolute offset of the port's flags word.
     */
    public static void mask(final AtomicBuffer events, final int flagsOffset)
    {
        int flags = events.getIntVolatile(flagsOffset);
        while ((flags & FLAG_MASKED) == 0)
        {
            final int witness = events.compareAndExchangeInt(flagsOffset, flags, flags | FLAG_MASKED);
            if (witness == flags)
            {
                return;
            }
            flags = witness;
        }
    }

    /**
     * Clears the mask bit.
     *
     * @param events      event channel file buffer.
     * @param flagsOffset absolute offset of the port's flags word.
     * @return true if the caller must ring the port's doorbell (an event arrived while masked).
     */
    public static boolean unmask(final AtomicBuffer events, final int flagsOffset)
    {
        int flags = events.getIntVolatile(flagsOffset);
        while ((flags & FLAG_MASKED) != 0)
        {
            // Full fence; the same word as setPending's CAS, so exactly one of the two rings.
            final int witness = events.compareAndExchangeInt(flagsOffset, flags, flags & ~FLAG_MASKED);
            if (witness == flags)
            {
                return (flags & FLAG_PENDING) != 0;
            }
            flags = witness;
        }
        return false;
    }
}
