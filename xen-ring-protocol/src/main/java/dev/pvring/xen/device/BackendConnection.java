/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.GrantTable;
import dev.pvring.xen.platform.Platform;

/** {@link BackendContext} of one connection attempt of one device. */
final class BackendConnection extends Connection implements BackendContext
{
    /** Largest ring page order any protocol uses (blkif: 4, vchan data rings go through mapPages). */
    static final int MAX_RING_ORDER = 8;

    BackendConnection(
        final Platform platform,
        final String type,
        final int devid,
        final int frontendDomid,
        final String frontendPath,
        final String backendPath,
        final int generation)
    {
        super(platform, type, devid, frontendDomid, platform.domid(), frontendPath, backendPath, generation);
    }

    @Override
    public String frontendKey(final String key)
    {
        return readKey(frontendPath, key);
    }

    @Override
    public long frontendNumber(final String key, final long defaultValue)
    {
        return number(frontendPath, key, defaultValue);
    }

    @Override
    public boolean frontendFlag(final String key)
    {
        return flag(frontendPath, key);
    }

    @Override
    public String backendKey(final String key)
    {
        return readKey(backendPath, key);
    }

    @Override
    public RingPages mapRing(final String refKey, final String orderKey, final int maxOrder)
    {
        int order = 0;
        if (null != orderKey)
        {
            final long value = frontendNumber(orderKey, -2);
            if (-2 != value)
            {
                if (value < 0 || value > Math.min(maxOrder, MAX_RING_ORDER))
                {
                    fail("bad ring page order: " + orderKey + "=" + frontendKey(orderKey) + " max=" + maxOrder);
                    return null;
                }
                order = (int)value;
            }
        }
        final int pages = 1 << order;
        final int[] refs = new int[pages];
        final boolean numbered = null != orderKey && (pages > 1 || null == frontendKey(refKey));
        for (int i = 0; i < pages; i++)
        {
            final String key = numbered ? refKey + i : refKey;
            final long ref = frontendNumber(key, -1);
            if (ref < GrantTable.NR_RESERVED_ENTRIES || ref > Integer.MAX_VALUE)
            {
                fail("bad or missing grant ref: " + key + "=" + frontendKey(key));
                return null;
            }
            refs[i] = (int)ref;
        }
        return map(refs, false, "ring " + refKey);
    }

    @Override
    public RingPages mapPages(final int[] refs, final boolean readOnly)
    {
        if (refs.length == 0 || Integer.bitCount(refs.length) != 1)
        {
            fail("page count must be a power of two: pages=" + refs.length);
            return null;
        }
        return map(refs, readOnly, "pages");
    }

    @Override
    public int bindPort(final String key)
    {
        final long remote = frontendNumber(key, -1);
        if (remote <= 0 || remote > Integer.MAX_VALUE)
        {
            fail("bad or missing event channel: " + key + "=" + frontendKey(key));
            return EventChannels.INVALID_PORT;
        }
        final int port = platform.eventChannels().bindInterdomain(frontendDomid, (int)remote);
        if (port <= 0)
        {
            fail("cannot bind event channel: " + key + "=" + remote + " result=" + EventChannels.describe(port));
            return port;
        }
        addPort(port);
        return port;
    }
}
