/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Per-port state of one {@code /dev/xen/evtchn} descriptor (open, pending, masked) and the drain from the
 * kernel's queue into it, with a late end of interrupt (the idea of Linux's {@code lateeoi}, XSA-332): a port
 * read from the kernel stays masked there until the consumer takes its event, so however fast a peer notifies,
 * the kernel delivers each port at most once per event consumed. {@link #drain()} does exactly one read of at
 * most {@link #BATCH} ports, so it is bounded whatever the peer does and never holds a lock other calls need for
 * longer than one read.
 * <p>
 * Thread safe: {@link #drain()} serializes its reads; the per-port words change by compare-and-set.
 */
final class EvtchnPending
{
    /** Most ports a descriptor can bind. */
    static final int MAX_PORTS = 1 << 17;
    /** Most ports taken from the kernel per {@link #drain()} (one 256-byte read). */
    static final int BATCH = 64;

    private static final int OPEN = 1;
    private static final int PENDING = 2;
    private static final int MASKED = 4;
    /** The kernel has the port masked until it is written back (after the consumer took the event). */
    private static final int EOI_DUE = 8;

    private final EvtchnPortQueue queue;
    private final AtomicIntegerArray flags = new AtomicIntegerArray(MAX_PORTS);
    private final int[] read = new int[BATCH];

    EvtchnPending(final EvtchnPortQueue queue)
    {
        this.queue = queue;
    }

    /**
     * Marks a newly bound port open, nothing pending.
     *
     * @param port a port in range.
     */
    void open(final int port)
    {
        flags.set(port, OPEN);
    }

    /**
     * Forgets a port (after unbinding it, which also clears the kernel's mask).
     *
     * @param port a port in range.
     */
    void close(final int port)
    {
        flags.set(port, 0);
    }

    boolean isOpen(final int port)
    {
        return (flags.get(port) & OPEN) != 0;
    }

    /**
     * One read of the kernel's queue: each open port read becomes pending (its kernel mask stays until
     * {@link #consume}); ports out of range or not open are ignored and stay masked in the kernel.
     *
     * @return the number of ports marked pending.
     */
    int drain()
    {
        synchronized (read)
        {
            final int count = Math.min(queue.read(read), BATCH);
            int marked = 0;
            for (int i = 0; i < count; i++)
            {
                final int port = read[i];
                if (port > 0 && port < MAX_PORTS && markPending(port))
                {
                    marked++;
                }
            }
            return marked;
        }
    }

    private boolean markPending(final int port)
    {
        int f;
        do
        {
            f = flags.get(port);
            if ((f & OPEN) == 0)
            {
                return false;
            }
        }
        while (!flags.compareAndSet(port, f, f | PENDING | EOI_DUE));
        return true;
    }

    /**
     * Takes the port's event if it is pending and not masked, and only then lets the kernel deliver the port
     * again.
     *
     * @param port a port in range.
     * @return true if an event was taken.
     */
    boolean consume(final int port)
    {
        int f;
        do
        {
            f = flags.get(port);
            if ((f & (PENDING | MASKED)) != PENDING)
            {
                return false;
            }
        }
        while (!flags.compareAndSet(port, f, f & ~(PENDING | EOI_DUE)));
        if ((f & EOI_DUE) != 0)
        {
            queue.unmask(port);
        }
        return true;
    }

    /**
     * Masks a port locally: its events stay pending (and the kernel keeps it masked) until {@link #unmask}.
     *
     * @param port a port in range.
     */
    void mask(final int port)
    {
        int f;
        do
        {
            f = flags.get(port);
        }
        while (!flags.compareAndSet(port, f, f | MASKED));
    }

    /**
     * Unmasks a port locally; a pending event is taken by the next {@link #consume}.
     *
     * @param port a port in range.
     */
    void unmask(final int port)
    {
        int f;
        do
        {
            f = flags.get(port);
        }
        while (!flags.compareAndSet(port, f, f & ~MASKED));
    }
}
