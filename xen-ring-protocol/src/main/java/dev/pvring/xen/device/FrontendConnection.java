/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.LocalPage;
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
        if (order > 0)
        {
            fail("multi-page rings are not supported on this platform yet: order=" + order);
            return null;
        }
        final GrantedPages granted = grantPages(1, false);
        if (null == granted)
        {
            return null;
        }
        keys.put(refKey, Integer.toString(granted.ref(0)));
        return new RingPages(granted.buffer(0), 1, new int[] {granted.ref(0)});
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
            grants.add(new Granted(ref, page));
            pages[i] = page;
            refs[i] = ref;
        }
        return new GrantedPages(pages, refs, readOnly);
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
