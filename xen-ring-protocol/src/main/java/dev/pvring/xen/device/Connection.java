/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import java.util.ArrayList;
import java.util.List;

import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.GrantMapBatch;
import dev.pvring.xen.platform.GrantMapping;
import dev.pvring.xen.platform.GrantStatus;
import dev.pvring.xen.platform.LocalPage;
import dev.pvring.xen.platform.Platform;
import dev.pvring.xen.store.XenStore;
import dev.pvring.xen.store.XenStoreException;

/**
 * Everything one connection of one device acquired (ports, mappings, grants, pages), released exactly once.
 * Also the common part of both contexts: identity, peer-key reads that never throw on peer data, failure.
 */
abstract class Connection implements DeviceContext
{
    final Platform platform;
    final XenStore store;
    final String type;
    final int devid;
    final int frontendDomid;
    final int backendDomid;
    final String frontendPath;
    final String backendPath;
    final int generation;
    final List<Integer> ports = new ArrayList<>();
    final List<GrantMapBatch> mappings = new ArrayList<>();
    final List<Granted> grants = new ArrayList<>();
    DeviceRunner.Task task;
    String failure;
    boolean released;

    /** A page granted to the peer. */
    record Granted(int ref, LocalPage page)
    {
    }

    Connection(
        final Platform platform,
        final String type,
        final int devid,
        final int frontendDomid,
        final int backendDomid,
        final String frontendPath,
        final String backendPath,
        final int generation)
    {
        this.platform = platform;
        this.store = platform.xenStore();
        this.type = type;
        this.devid = devid;
        this.frontendDomid = frontendDomid;
        this.backendDomid = backendDomid;
        this.frontendPath = frontendPath;
        this.backendPath = backendPath;
        this.generation = generation;
    }

    @Override
    public String type()
    {
        return type;
    }

    @Override
    public int devid()
    {
        return devid;
    }

    @Override
    public int frontendDomid()
    {
        return frontendDomid;
    }

    @Override
    public int backendDomid()
    {
        return backendDomid;
    }

    @Override
    public String frontendPath()
    {
        return frontendPath;
    }

    @Override
    public String backendPath()
    {
        return backendPath;
    }

    @Override
    public int generation()
    {
        return generation;
    }

    @Override
    public Platform platform()
    {
        return platform;
    }

    @Override
    public void fail(final String reason)
    {
        if (null == failure)
        {
            failure = reason;
        }
    }

    @Override
    public String failure()
    {
        return failure;
    }

    /** Reads a key (peer data or own), {@code null} if missing or unreadable; a broken connection still throws. */
    String readKey(final String dir, final String key)
    {
        return readOrNull(store, dir + "/" + key);
    }

    static String readOrNull(final XenStore store, final String path)
    {
        try
        {
            return store.readStringOrNull(XenStore.NO_TRANSACTION, path);
        }
        catch (final XenStoreException ex)
        {
            if (ex.isConnectionBroken())
            {
                throw ex;
            }
            return null;
        }
    }

    /** A non-negative decimal (surrounding whitespace allowed), or -1; never throws. */
    static long parseNumber(final String value)
    {
        if (null == value)
        {
            return -1;
        }
        final String text = value.strip();
        if (text.isEmpty() || text.length() > 18)
        {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    long number(final String dir, final String key, final long defaultValue)
    {
        final String value = readKey(dir, key);
        return null == value ? defaultValue : parseNumber(value);
    }

    boolean flag(final String dir, final String key)
    {
        return 1 == number(dir, key, 0);
    }

    /** Records a port and routes its events to this connection's data path task (set after connect). */
    void addPort(final int port)
    {
        ports.add(port);
    }

    /** Whether every port of the connection is still bound to a live peer. */
    boolean portsConnected()
    {
        final EventChannels events = platform.eventChannels();
        for (int i = 0; i < ports.size(); i++)
        {
            if (!events.isConnected(ports.get(i)))
            {
                return false;
            }
        }
        return true;
    }

    /** Maps refs of the frontend domain one page each (contiguous multi-page maps come with GrantPagePool). */
    RingPages map(final int[] refs, final boolean readOnly, final String what)
    {
        if (refs.length != 1)
        {
            fail(what + ": multi-page mappings are not supported on this platform yet: pages=" + refs.length);
            return null;
        }
        final GrantMapBatch batch = new GrantMapBatch(refs.length);
        for (final int ref : refs)
        {
            batch.add(frontendDomid, ref, readOnly);
        }
        platform.grantTable().map(batch);
        for (int i = 0; i < batch.size(); i++)
        {
            if (GrantStatus.OKAY != batch.status(i))
            {
                fail(what + ": map failed: index=" + i + " ref=" + refs[i] + " status=" + batch.status(i));
                platform.grantTable().unmap(batch);
                return null;
            }
        }
        mappings.add(batch);
        final GrantMapping mapping = batch.mapping(0);
        return new RingPages(mapping.buffer(), refs.length, refs.clone());
    }

    /**
     * Releases what the connection holds: ports closed, mappings unmapped, grants ended and pages freed.
     * Grants the peer still maps are returned for a later retry.
     *
     * @return grants whose access could not end yet (empty on the backend side).
     */
    List<Granted> release(final DeviceRunner runner)
    {
        if (released)
        {
            return List.of();
        }
        released = true;
        final EventChannels events = platform.eventChannels();
        for (final int port : ports)
        {
            runner.unregisterPort(port);
            try
            {
                events.close(port);
            }
            catch (final IllegalStateException ex)
            {
                // already closed by the platform (peer teardown): nothing held
            }
        }
        ports.clear();
        for (final GrantMapBatch batch : mappings)
        {
            platform.grantTable().unmap(batch);
        }
        mappings.clear();
        final List<Granted> stillMapped = new ArrayList<>();
        for (final Granted g : grants)
        {
            if (!endGrant(platform, g))
            {
                stillMapped.add(g);
            }
        }
        grants.clear();
        return stillMapped;
    }

    /** Ends a grant and frees its page; false if the peer still maps it. */
    static boolean endGrant(final Platform platform, final Granted g)
    {
        if (!platform.grantTable().tryEndAccess(g.ref()))
        {
            return false;
        }
        platform.localPages().free(g.page());
        return true;
    }
}
