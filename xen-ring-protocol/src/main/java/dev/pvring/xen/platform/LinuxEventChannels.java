/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.pvring.core.Notifier;
import dev.pvring.core.Waiter;
import dev.pvring.core.linux.LibC;

/**
 * {@link EventChannels} on Linux {@code /dev/xen/evtchn} (one file descriptor, opened non-blocking).
 * <b>Untested against real Xen</b> (no Xen host in CI).
 * <p>
 * The kernel queues fired ports on the descriptor and masks each until it is written back. This class drains
 * that queue into per-port PENDING bits kept in this process ({@link EvtchnPending}): one read of at most 64
 * ports per drain, and a port is written back only when its event is consumed (a late end of interrupt, as Linux's
 * {@code lateeoi} does against XSA-332), so a peer notifying in a loop gets at most one delivery per event this
 * process takes, and no call loops for as long as the peer keeps notifying. Masking works on those bits; a wait
 * blocks in {@code ppoll} on the descriptor.
 * Limits compared with the simulated platform: one thread may block in {@link #wait}/{@link #waitPending} at a
 * time per instance (open one platform per driver thread), and Linux does not report a peer's close, so
 * {@link #wait} never returns {@link #PEER_CLOSED} and {@link #isConnected} only says the port is bound.
 */
final class LinuxEventChannels implements EventChannels
{
    private static final int MAX_PORTS = EvtchnPending.MAX_PORTS;
    private static final int EINVAL = 22;
    private static final int ESRCH = 3;

    private final LinuxDevice device;
    private final int domid;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment waitErrno = LibC.allocateErrnoState(arena);
    private final EvtchnPending pending;
    private volatile int[] open = new int[0];

    LinuxEventChannels(final LinuxDevice device, final int domid)
    {
        this.device = device;
        this.domid = domid;
        this.pending = new EvtchnPending(new DeviceQueue());
    }

    /** Reads and writes of the descriptor, each with its own buffer and errno capture (not the ioctl ones). */
    private final class DeviceQueue implements EvtchnPortQueue
    {
        private final MemorySegment readBuffer = arena.allocate(EvtchnPending.BATCH * Integer.BYTES, 4);
        private final MemorySegment readErrno = LibC.allocateErrnoState(arena);
        private final MemorySegment eoiBuffer = arena.allocate(Integer.BYTES, 4);
        private final MemorySegment eoiErrno = LibC.allocateErrnoState(arena);

        @Override
        public int read(final int[] ports)
        {
            final long bytes = LibC.read(readErrno, device.fd, readBuffer,
                Math.min(readBuffer.byteSize(), (long)ports.length * Integer.BYTES));
            if (bytes <= 0)
            {
                return 0;
            }
            final int count = (int)(bytes / Integer.BYTES);
            for (int i = 0; i < count; i++)
            {
                ports[i] = readBuffer.get(ValueLayout.JAVA_INT, (long)i * Integer.BYTES);
            }
            return count;
        }

        @Override
        public synchronized void unmask(final int port)
        {
            eoiBuffer.set(ValueLayout.JAVA_INT, 0, port);
            LibC.write(eoiErrno, device.fd, eoiBuffer, Integer.BYTES);
        }
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
        pending.open(port);
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
        if (!pending.isOpen(port))
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

    @Override
    public int wait(final int port, final long timeoutNanos)
    {
        check(port);
        final long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        while (true)
        {
            pending.drain();
            if (!pending.isOpen(port))
            {
                return CLOSED;
            }
            if (pending.consume(port))
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
        pending.drain();
        return pending.consume(port);
    }

    @Override
    public int pollPending(final int[] ports)
    {
        pending.drain();
        int found = 0;
        for (final int port : open)
        {
            if (found == ports.length)
            {
                break;
            }
            if (pending.consume(port))
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
        pending.mask(check(port));
    }

    @Override
    public void unmask(final int port)
    {
        pending.unmask(check(port));
    }

    @Override
    public synchronized void close(final int port)
    {
        check(port);
        device.arg.set(ValueLayout.JAVA_INT, 0, port);
        device.ioctl(EvtchnDescriptor.IOCTL_UNBIND);
        pending.close(port);
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
            pending.close(port);
        }
        open = new int[0];
        arena.close();
    }
}
