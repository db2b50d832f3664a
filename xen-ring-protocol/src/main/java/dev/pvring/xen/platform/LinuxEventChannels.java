/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicIntegerArray;

import dev.pvring.core.Notifier;
import dev.pvring.core.Waiter;
import dev.pvring.core.linux.LibC;

/**
 * {@link EventChannels} on Linux {@code /dev/xen/evtchn} (one file descriptor, opened non-blocking).
 * <b>Untested against real Xen</b> (no Xen host in CI).
 * <p>
 * The kernel queues fired ports on the descriptor and masks each until it is written back. This class drains
 * that queue into per-port PENDING bits kept in this process (and writes each port back at once, so the kernel
 * keeps delivering), and implements masking on those bits; a wait blocks in {@code ppoll} on the descriptor.
 * Limits compared with the simulated platform: one thread may block in {@link #wait}/{@link #waitPending} at a
 * time per instance (open one platform per driver thread), and Linux does not report a peer's close, so
 * {@link #wait} never returns {@link #PEER_CLOSED} and {@link #isConnected} only says the port is bound.
 */
final class LinuxEventChannels implements EventChannels
{
    private static final int MAX_PORTS = 1 << 17;
    private static final int OPEN = 1;
    private static final int PENDING = 2;
    private static final int MASKED = 4;
    private static final int EINVAL = 22;
    private static final int ESRCH = 3;

    private final LinuxDevice device;
    private final int domid;
    private final AtomicIntegerArray flags = new AtomicIntegerArray(MAX_PORTS);
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBuffer = arena.allocate(256, 4);
    private final MemorySegment waitErrno = LibC.allocateErrnoState(arena);
    private volatile int[] open = new int[0];

    LinuxEventChannels(final LinuxDevice device, final int domid)
    {
        this.device = device;
        this.domid = domid;
    }

    @Override
    public int localDomid()
    {
        return domid;
    }

    @Override
    public synchronized int allocateUnbound(final int remoteDomid)
    {
        if (remoteDomid < 0 || remoteDomid >= 0x7FF0)
        {
            throw new IllegalArgumentException("domid out of range: domid=" + remoteDomid + " max=32751");
        }
        device.arg.set(ValueLayout.JAVA_INT, 0, remoteDomid);
        final int port = device.ioctl(EvtchnDescriptor.IOCTL_BIND_UNBOUND_PORT);
        if (port < 0)
        {
            return NO_FREE_PORT;
        }
        register(port);
        return port;
    }

    @Override
    public synchronized int bindInterdomain(final int remoteDomid, final int remotePort)
    {
        device.arg.set(ValueLayout.JAVA_INT, EvtchnDescriptor.BIND_REMOTE_DOMAIN_OFFSET, remoteDomid);
        device.arg.set(ValueLayout.JAVA_INT, EvtchnDescriptor.BIND_REMOTE_PORT_OFFSET, remotePort);
        final int port = device.ioctl(EvtchnDescriptor.IOCTL_BIND_INTERDOMAIN);
        if (port < 0)
        {
            return switch (device.lastErrno())
            {
                case ESRCH -> NO_SUCH_DOMAIN;
                case EINVAL -> INVALID_PORT;
                default -> NO_FREE_PORT;
            };
        }
        register(port);
        return port;
    }

    private void register(final int port)
    {
        if (port <= 0 || port >= MAX_PORTS)
        {
            throw new PlatformException("evtchn returned an out-of-range port: port=" + port);
        }
        flags.set(port, OPEN);
        final int[] current = open;
        final int[] next = java.util.Arrays.copyOf(current, current.length + 1);
        next[current.length] = port;
        open = next;
    }

    private int check(final int port)
    {
        if (port <= 0 || port >= MAX_PORTS)
        {
            throw new IllegalArgumentException("event channel port out of range: port=" + port + " ports=" + MAX_PORTS);
        }
        if ((flags.get(port) & OPEN) == 0)
        {
            throw new IllegalStateException(
                "event channel port is not open in this process: port=" + port + " domid=" + domid);
        }
        return port;
    }

    @Override
    public synchronized int notify(final int port)
    {
        check(port);
        device.arg.set(ValueLayout.JAVA_INT, 0, port);
        return device.ioctl(EvtchnDescriptor.IOCTL_NOTIFY) < 0 ? NOT_CONNECTED : OK;
    }

    /**
     * Moves the ports the kernel queued into the PENDING bits and unmasks them in the kernel.
     */
    private synchronized void drain()
    {
        while (true)
        {
            final long read = LibC.read(device.errno, device.fd, readBuffer, readBuffer.byteSize());
            if (read <= 0)
            {
                return;
            }
            for (long i = 0; i < read; i += 4)
            {
                final int port = readBuffer.get(ValueLayout.JAVA_INT, i);
                if (port > 0 && port < MAX_PORTS)
                {
                    int f;
                    do
                    {
                        f = flags.get(port);
                    }
                    while ((f & OPEN) != 0 && !flags.compareAndSet(port, f, f | PENDING));
                }
            }
            LibC.write(device.errno, device.fd, readBuffer, read);
        }
    }

    private boolean consume(final int port)
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
        while (!flags.compareAndSet(port, f, f & ~PENDING));
        return true;
    }

    @Override
    public int wait(final int port, final long timeoutNanos)
    {
        check(port);
        final long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        while (true)
        {
            drain();
            if ((flags.get(port) & OPEN) == 0)
            {
                return CLOSED;
            }
            if (consume(port))
            {
                return NOTIFIED;
            }
            if (timeoutNanos == 0)
            {
                return TIMED_OUT;
            }
            final long remaining = timeoutNanos < 0 ? -1 : deadline - System.nanoTime();
            if (timeoutNanos > 0 && remaining <= 0)
            {
                return TIMED_OUT;
            }
            device.awaitReadable(waitErrno, remaining);
        }
    }

    @Override
    public boolean poll(final int port)
    {
        check(port);
        drain();
        return consume(port);
    }

    @Override
    public int pollPending(final int[] ports)
    {
        drain();
        int found = 0;
        for (final int port : open)
        {
            if (found == ports.length)
            {
                break;
            }
            if (consume(port))
            {
                ports[found++] = port;
            }
        }
        return found;
    }

    @Override
    public int waitPending(final int[] ports, final long timeoutNanos)
    {
        final long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        while (true)
        {
            final int found = pollPending(ports);
            if (found > 0 || timeoutNanos == 0)
            {
                return found;
            }
            final long remaining = timeoutNanos < 0 ? -1 : deadline - System.nanoTime();
            if (timeoutNanos > 0 && remaining <= 0)
            {
                return 0;
            }
            device.awaitReadable(waitErrno, remaining);
        }
    }

    @Override
    public void mask(final int port)
    {
        check(port);
        int f;
        do
        {
            f = flags.get(port);
        }
        while (!flags.compareAndSet(port, f, f | MASKED));
    }

    @Override
    public void unmask(final int port)
    {
        check(port);
        int f;
        do
        {
            f = flags.get(port);
        }
        while (!flags.compareAndSet(port, f, f & ~MASKED));
    }

    @Override
    public synchronized void close(final int port)
    {
        check(port);
        device.arg.set(ValueLayout.JAVA_INT, 0, port);
        device.ioctl(EvtchnDescriptor.IOCTL_UNBIND);
        flags.set(port, 0);
        final int[] current = open;
        open = java.util.Arrays.stream(current).filter(p -> p != port).toArray();
    }

    @Override
    public boolean isConnected(final int port)
    {
        check(port);
        return true;
    }

    @Override
    public Notifier notifier(final int port)
    {
        check(port);
        return new Notifier()
        {
            private long sent;

            @Override
            public void notifyPeer()
            {
                sent++;
                LinuxEventChannels.this.notify(port);
            }

            @Override
            public long notificationsSent()
            {
                return sent;
            }

            @Override
            public long wakeUpsIssued()
            {
                return sent;
            }
        };
    }

    @Override
    public Waiter waiter(final int port)
    {
        check(port);
        return new Waiter()
        {
            private long blocking;
            private long taken;

            @Override
            public int prepareWait()
            {
                return 0;
            }

            @Override
            public boolean await(final int token, final long timeoutNanos)
            {
                blocking++;
                final boolean notified = LinuxEventChannels.this.wait(port, timeoutNanos) == NOTIFIED;
                if (notified)
                {
                    taken++;
                }
                return notified;
            }

            @Override
            public long blockingWaits()
            {
                return blocking;
            }

            @Override
            public long wakeUpsTaken()
            {
                return taken;
            }
        };
    }

    synchronized void close()
    {
        for (final int port : open)
        {
            device.arg.set(ValueLayout.JAVA_INT, 0, port);
            device.ioctl(EvtchnDescriptor.IOCTL_UNBIND);
            flags.set(port, 0);
        }
        open = new int[0];
        arena.close();
    }
}
