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
    private long staged;

    /**
     * Remembers the 6-byte MAC at {@code offset} of a private copy of an extra-info slot.
     *
     * @param extra  the copy.
     * @param offset offset of {@code u.mcast.addr}.
     */
    public void stage(final DirectBuffer extra, final int offset)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (extra.getByte(offset + i) & 0xFF);
        }
        staged = mac;
    }

    /**
     * Adds the staged address.
     *
     * @return false if the filter is full.
     */
    public boolean addStaged()
    {
        if (contains(staged))
        {
            return true;
        }
        if (count == MAX)
        {
            return false;
        }
        addresses[count++] = staged;
        return true;
    }

    /**
     * Removes the staged address (absent is fine).
     *
     * @return true.
     */
    public boolean removeStaged()
    {
        for (int i = 0; i < count; i++)
        {
            if (addresses[i] == staged)
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
