/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A watch on the other end's {@code state} node. The caller waits on its own thread, with a timeout: no thread
 * is owned here. Tolerant of skipped states: each wake-up re-reads the node and checks it against the set of
 * acceptable states, so a peer jumping from InitWait to Connected (Linux netfront skips Initialised) or straight
 * to Closed is fine; a missing or garbage node reads as {@link XenbusState#UNKNOWN}.
 */
public final class XenbusStateWatch implements AutoCloseable
{
    private static final AtomicLong TOKENS = new AtomicLong();

    private final XenStore store;
    private final String statePath;
    private final String token;
    private boolean closed;

    XenbusStateWatch(final XenStore store, final String deviceDir)
    {
        this.store = store;
        this.statePath = XenBus.statePath(deviceDir);
        this.token = "pvring-xenbus-" + ProcessHandle.current().pid() + "-" + TOKENS.incrementAndGet();
        store.watch(statePath, token);
    }

    /**
     * The watched node.
     *
     * @return {@code <dir>/state}.
     */
    public String statePath()
    {
        return statePath;
    }

    /**
     * Reads the state now.
     *
     * @return current state ({@link XenbusState#UNKNOWN} if missing or garbage).
     */
    public XenbusState current()
    {
        return XenBus.readState(store, statePath);
    }

    /**
     * Waits until the state is one of {@code acceptable}.
     *
     * @param acceptable states to wait for.
     * @param timeout    maximum wait.
     * @param unit       unit of {@code timeout}.
     * @return the state reached, or {@code null} on timeout.
     */
    public XenbusState await(final Set<XenbusState> acceptable, final long timeout, final TimeUnit unit)
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true)
        {
            final XenbusState state = current();
            if (acceptable.contains(state))
            {
                return state;
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                return null;
            }
            store.awaitWatchEvent(token, remaining, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Removes the watch (idempotent; a broken connection is ignored).
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            store.unwatch(statePath, token);
        }
        catch (final XenStoreException ex)
        {
            if (!ex.isConnectionBroken() && !ex.is(XsError.ENOENT))
            {
                throw ex;
            }
        }
        while (null != store.awaitWatchEvent(token, 0, TimeUnit.NANOSECONDS))
        {
            // drain events queued for this token
        }
    }
}
