/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net.back;

import org.agrona.DirectBuffer;

/**
 * The multicast addresses a frontend subscribed to with {@code XEN_NETIF_EXTRA_TYPE_MCAST_ADD/DEL} extras
 * (Linux's {@code xenvif_mcast_add/del}: at most {@link #MAX} entries, adding beyond fails, deleting an absent
 * address succeeds). One per vif; not thread safe.
 */
public final class MulticastFilter
{
    /** Linux's {@code XEN_NETBK_MCAST_MAX}. */
    public static final int MAX = 64;
    private final long[] addresses = new long[MAX];
    private int count;

    /** An empty filter. */
    public MulticastFilter()
    {
    }

    /**
     * Reads a 6-byte MAC (first byte most significant) from a private copy.
     *
     * @param buffer the copy.
     * @param offset where the address starts.
     * @return the address in the low 48 bits.
     */
    public static long mac(final DirectBuffer buffer, final int offset)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (buffer.getByte(offset + i) & 0xFF);
        }
        return mac;
    }

    /**
     * Subscribes an address.
     *
     * @param mac address.
     * @return false if the filter is full.
     */
    public boolean add(final long mac)
    {
        if (contains(mac))
        {
            return true;
        }
        if (count == MAX)
        {
            return false;
        }
        addresses[count++] = mac;
        return true;
    }

    /**
     * Unsubscribes an address (absent is fine).
     *
     * @param mac address.
     * @return true.
     */
    public boolean remove(final long mac)
    {
        for (int i = 0; i < count; i++)
        {
            if (addresses[i] == mac)
            {
                addresses[i] = addresses[--count];
                break;
            }
        }
        return true;
    }

    /**
     * Whether a MAC (48 bits, first byte most significant) is subscribed.
     *
     * @param mac address.
     * @return true if present.
     */
    public boolean contains(final long mac)
    {
        for (int i = 0; i < count; i++)
        {
            if (addresses[i] == mac)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Subscribed addresses.
     *
     * @return count.
     */
    public int size()
    {
        return count;
    }
}
