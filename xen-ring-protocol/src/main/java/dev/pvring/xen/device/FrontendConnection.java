/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.GrantPagePool;
import dev.pvring.xen.platform.GrantStatus;
import dev.pvring.xen.platform.LocalPage;
import dev.pvring.xen.platform.LocalPageRange;
import dev.pvring.xen.platform.Platform;

/** {@link FrontendContext} of one connection attempt of one device. */
final class FrontendConnection extends Connection implements FrontendContext
{
    final Map<String, String> keys = new LinkedHashMap<>();

    FrontendConnection(
        final Platform platform,
        final String type,
        final int devid,
        final int backendDomid,
        final String frontendPath,
        final String backendPath,
        final int generation)
    {
        super(platform, type, devid, platform.domid(), backendDomid, frontendPath, backendPath, generation);
    }

    @Override
    public String backendKey(final String key)
    {
        return readKey(backendPath, key);
    }

    @Override
    public long backendNumber(final String key, final long defaultValue)
    {
        return number(backendPath, key, defaultValue);
    }

    @Override
    public boolean backendFlag(final String key)
    {
        return flag(backendPath, key);
    }

    @Override
    public String frontendKey(final String key)
    {
        return readKey(frontendPath, key);
    }

    @Override
    public RingPages grantRing(final String refKey, final String orderKey, final int order)
    {
        if (order < 0 || order > BackendConnection.MAX_RING_ORDER || (order > 0 && null == orderKey))
        {
            throw new IllegalArgumentException("bad ring order: order=" + order + " orderKey=" + orderKey);
        }
        final int pages = 1 << order;
        final LocalPageRange range = platform.localPages().allocateContiguous(pages);
        if (null == range)
        {
            fail("no " + pages + " contiguous free pages for ring " + refKey);
            return null;
        }
        final int[] refs = new int[pages];
        if (platform.grantTable().grantAccess(backendDomid, range, false, refs) != GrantStatus.OKAY)
        {
            platform.localPages().free(range);
            fail("grant table full: ring " + refKey + " pages=" + pages);
            return null;
        }
        grants.add(new Granted(refs, null, range, null));
        if (1 == pages)
        {
            keys.put(refKey, Integer.toString(refs[0]));
        }
        else
        {
            keys.put(orderKey, Integer.toString(order));
            for (int i = 0; i < pages; i++)
            {
                keys.put(refKey + i, Integer.toString(refs[i]));
            }
        }
        return new RingPages(range.buffer(), pages, refs.clone());
    }

    @Override
    public GrantedPages grantPages(final int count, final boolean readOnly)
    {
        if (count <= 0)
        {
            throw new IllegalArgumentException("count must be positive: count=" + count);
        }
        final LocalPage[] pages = new LocalPage[count];
        final int[] refs = new int[count];
        for (int i = 0; i < count; i++)
        {
            final LocalPage page = platform.localPages().allocate();
            if (null == page)
            {
                fail("out of pages: wanted=" + count + " got=" + i);
                return null;
            }
            final int ref = platform.grantTable().grantAccess(backendDomid, page.frame(), readOnly);
            if (ref < 0)
            {
                platform.localPages().free(page);
                fail("grant table full: wanted=" + count + " got=" + i + " status=" + ref);
                return null;
            }
            grants.add(new Granted(new int[] {ref}, page, null, null));
            pages[i] = page;
            refs[i] = ref;
        }
        return new GrantedPages(pages, refs, readOnly);
    }

    @Override
    public GrantPagePool pagePool(final int count, final boolean readOnly)
    {
        final GrantPagePool pool;
        try
        {
            pool = GrantPagePool.create(platform.grantTable(), platform.localPages(), backendDomid, count, readOnly);
        }
        catch (final IllegalStateException ex)
        {
            fail("cannot create a page pool: count=" + count + " " + ex.getMessage());
            return null;
        }
        if (null == pool)
        {
            fail("cannot create a page pool: count=" + count);
            return null;
        }
        grants.add(new Granted(new int[0], null, null, pool));
        return pool;
    }

    @Override
    public int allocatePort(final String key)
    {
        final int port = platform.eventChannels().allocateUnbound(backendDomid);
        if (port <= 0)
        {
            fail("cannot allocate event channel: " + key + " result=" + EventChannels.describe(port));
            return port;
        }
        addPort(port);
        keys.put(key, Integer.toString(port));
        return port;
    }

    @Override
    public void writeKey(final String key, final String value)
    {
        if (null == key || key.isEmpty() || key.startsWith("/") || null == value)
        {
            throw new IllegalArgumentException("key must be relative and value present: key=" + key);
        }
        keys.put(key, value);
    }
}
