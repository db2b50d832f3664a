/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.pvring.xen.store.XenStore;
import dev.pvring.xen.store.XenStoreException;
import dev.pvring.xen.store.XsError;
import dev.pvring.xen.store.XsWatchEvent;

/**
 * The one reader of a xenstore connection's watch events for the runners that use it: a daemon thread that
 * blocks in {@link XenStore#awaitWatchEvent} (reading the socket as the client's leader, so replies to other
 * threads' requests are delivered too) and hands each event to the runner that registered its token, which
 * wakes. It runs only while watches are registered, and sleeps in the kernel between events (a one-second
 * timeout lets it notice that the last watch went away).
 */
final class WatchPump
{
    private static final Map<XenStore, WatchPump> PUMPS = new WeakHashMap<>();
    private static final AtomicLong TOKENS = new AtomicLong();
    private static final long POLL_SECONDS = 1;

    private final XenStore store;
    private final String name;
    private final Map<String, Registered> tokens = new HashMap<>();
    private Thread thread;

    private WatchPump(final XenStore store, final String name)
    {
        this.store = store;
        this.name = name;
    }

    /** An event for a runner. */
    record Delivery(XsWatchEvent event, DeviceRunner.WatchListener listener)
    {
    }

    private record Registered(DeviceRunner runner, DeviceRunner.WatchListener listener)
    {
    }

    static WatchPump of(final XenStore store, final String name)
    {
        synchronized (PUMPS)
        {
            return PUMPS.computeIfAbsent(store, s -> new WatchPump(s, name));
        }
    }

    static void forget(final DeviceRunner runner)
    {
        synchronized (PUMPS)
        {
            for (final WatchPump pump : PUMPS.values())
            {
                pump.forgetRunner(runner);
            }
        }
    }

    String watch(final DeviceRunner runner, final String path, final DeviceRunner.WatchListener listener)
    {
        final String token = "pvring-dev-" + ProcessHandle.current().pid() + "-" + TOKENS.incrementAndGet();
        synchronized (this)
        {
            tokens.put(token, new Registered(runner, listener));
            if (null == thread)
            {
                thread = new Thread(this::pump, "pvring-xs-pump-" + name);
                thread.setDaemon(true);
                thread.start();
            }
        }
        store.watch(path, token);
        return token;
    }

    void unwatch(final String path, final String token)
    {
        synchronized (this)
        {
            tokens.remove(token);
        }
        try
        {
            store.unwatch(path, token);
        }
        catch (final XenStoreException ex)
        {
            if (!ex.isConnectionBroken() && !ex.is(XsError.ENOENT))
            {
                throw ex;
            }
        }
    }

    private synchronized void forgetRunner(final DeviceRunner runner)
    {
        final Iterator<Registered> it = tokens.values().iterator();
        while (it.hasNext())
        {
            if (it.next().runner() == runner)
            {
                it.remove();
            }
        }
    }

    private void pump()
    {
        while (true)
        {
            synchronized (this)
            {
                if (tokens.isEmpty())
                {
                    thread = null;
                    return;
                }
            }
            final XsWatchEvent event;
            try
            {
                event = store.awaitWatchEvent(null, POLL_SECONDS, TimeUnit.SECONDS);
            }
            catch (final XenStoreException | java.nio.channels.ClosedSelectorException ex)
            {
                // the connection broke or was closed: no more events will come
                synchronized (this)
                {
                    thread = null;
                }
                return;
            }
            if (null == event)
            {
                continue;
            }
            final Registered target;
            synchronized (this)
            {
                target = tokens.get(event.token());
            }
            if (null != target)
            {
                target.runner().deliver(new Delivery(event, target.listener()));
            }
        }
    }
}
