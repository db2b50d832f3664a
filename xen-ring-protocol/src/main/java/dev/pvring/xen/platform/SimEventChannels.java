/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static dev.pvring.xen.platform.SimEventChannelDescriptor.FLAG_MASKED;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.FLAG_PENDING;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.PORT_BINDING_OFFSET;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.PORT_EVENT_OFFSET;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.PORT_FLAGS_OFFSET;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.PORT_OWNER_OFFSET;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.STATE_FREE;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.STATE_INTERDOMAIN;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.STATE_PEER_CLOSED;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.STATE_RESERVED;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.STATE_UNBOUND;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.UPCALL_OFFSET;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.binding;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.remoteDomid;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.remotePort;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.state;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.pvring.core.FutexEvent;
import dev.pvring.core.Notifier;
import dev.pvring.core.Waiter;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The simulated event channels of one domain as seen by one process ({@link SimEventChannelDescriptor}).
 * <p>
 * Notify: one acquire load of the local binding word, one volatile load of the peer's binding word (is it
 * still bound to us?), one compare-and-set that sets the peer's pending bit; only if that bit was clear and
 * the port unmasked, the peer port's doorbell and the peer domain's upcall doorbell are rung (an atomic
 * increment each, plus {@code FUTEX_WAKE} only if somebody sleeps). So a storm of notifications costs the
 * receiver one wake-up per wait, and costs the sender no system call while the peer has not consumed the
 * previous event.
 * <p>
 * No-lost-wake-up argument: every 0-to-1 transition of an unmasked pending bit is followed by a doorbell
 * increment. A waiter takes the doorbell token, then reads the pending bit; if it reads 0, the next 0-to-1
 * transition happens after that read, so its increment comes after the token and the futex wait returns.
 * Unmasking is a compare-and-set on the same flags word, so exactly one of {notify, unmask} sees both the
 * pending bit and the cleared mask, and that one rings.
 */
final class SimEventChannels implements EventChannels
{
    private static final int DOMID_FIRST_RESERVED = 0x7FF0;

    private final SimSystem system;
    private final SimHypervisor hypervisor;
    private final SimDomainView own;
    private final AtomicBuffer events;
    private final int domid;
    private final int pid;
    private final AtomicReferenceArray<Port> ports;
    private final FutexEvent selfUpcall;
    private final ThreadLocal<FutexEvent> upcallWaiter;
    private volatile int[] open = new int[0];
    private int portHint = 1;
    private int pollCursor;
    private volatile boolean closed;

    SimEventChannels(final SimSystem system, final SimDomainView own)
    {
        this.system = system;
        this.hypervisor = system.hypervisor();
        this.own = own;
        this.events = own.events;
        this.domid = own.domid;
        this.pid = system.pid();
        this.ports = new AtomicReferenceArray<>(own.ports);
        this.selfUpcall = new FutexEvent(events, UPCALL_OFFSET);
        this.upcallWaiter = ThreadLocal.withInitial(() -> new FutexEvent(events, UPCALL_OFFSET));
    }

    /** This process's state for one open port. */
    private final class Port
    {
        final int number;
        final int offset;
        final FutexEvent doorbell;
        final FutexEvent selfRing;
        volatile Target target;
        long sent;
        long rings;

        Port(final int number)
        {
            this.number = number;
            this.offset = own.portOffset(number);
            this.doorbell = new FutexEvent(events, offset + PORT_EVENT_OFFSET);
            this.selfRing = new FutexEvent(events, offset + PORT_EVENT_OFFSET);
        }
    }

    /** Where notifications of a port go, cached per binding word (rebuilt only when the binding changes). */
    private static final class Target
    {
        final long binding;
        final AtomicBuffer events;
        final int bindingOffset;
        final int flagsOffset;
        final long expectedRemoteBinding;
        final FutexEvent portDoorbell;
        final FutexEvent upcall;

        Target(final long binding, final SimDomainView remote, final int remotePort, final long expectedRemoteBinding)
        {
            this.binding = binding;
            this.events = remote.events;
            final int offset = remote.portOffset(remotePort);
            this.bindingOffset = offset + PORT_BINDING_OFFSET;
            this.flagsOffset = offset + PORT_FLAGS_OFFSET;
            this.expectedRemoteBinding = expectedRemoteBinding;
            this.portDoorbell = new FutexEvent(remote.events, offset + PORT_EVENT_OFFSET);
            this.upcall = new FutexEvent(remote.events, UPCALL_OFFSET);
        }
    }

    @Override
    public int localDomid()
    {
        return domid;
    }

    @Override
    public int allocateUnbound(final int remoteDomid)
    {
        checkOpen();
        if (remoteDomid < 0 || remoteDomid >= DOMID_FIRST_RESERVED)
        {
            throw new IllegalArgumentException(
                "domid out of range: domid=" + remoteDomid + " max=" + (DOMID_FIRST_RESERVED - 1));
        }
        final int port = claimPort(remoteDomid);
        if (port < 0)
        {
            return NO_FREE_PORT;
        }
        // Release: flags and owner (written in claimPort) are visible before the port can be bound.
        events.putLongRelease(own.portOffset(port) + PORT_BINDING_OFFSET, binding(STATE_UNBOUND, remoteDomid, 0));
        register(port);
        return port;
    }

    @Override
    public int bindInterdomain(final int remoteDomid, final int remotePort)
    {
        checkOpen();
        final SimDomainView remote = system.view(remoteDomid);
        if (remote == null)
        {
            return NO_SUCH_DOMAIN;
        }
        if (remotePort <= 0 || remotePort >= remote.ports)
        {
            return INVALID_PORT;
        }
        final int port = claimPort(remoteDomid);
        if (port < 0)
        {
            return NO_FREE_PORT;
        }
        final int offset = own.portOffset(port);
        // One CAS checks that the remote port is unbound FOR US and connects it to our new port; from here the
        // peer can notify us (our port is still RESERVED but its pending bit is live).
        if (!remote.events.compareAndSetLong(remote.portOffset(remotePort) + PORT_BINDING_OFFSET,
            binding(STATE_UNBOUND, domid, 0), binding(STATE_INTERDOMAIN, domid, port)))
        {
            events.putInt(offset + PORT_OWNER_OFFSET, 0);
            events.putLongRelease(offset + PORT_BINDING_OFFSET, binding(STATE_FREE, 0, 0));
            return INVALID_PORT;
        }
        final long bound = binding(STATE_INTERDOMAIN, remoteDomid, remotePort);
        // Volatile (store-load fence, Dekker with the peer's close): either the peer's close sees INTERDOMAIN and
        // marks us PEER_CLOSED, or the load below sees its port no longer bound to us and we mark ourselves, so a
        // wait returns PEER_CLOSED instead of sleeping.
        events.putLongVolatile(offset + PORT_BINDING_OFFSET, bound);
        if (remote.events.getLongVolatile(remote.portOffset(remotePort) + PORT_BINDING_OFFSET) !=
            binding(STATE_INTERDOMAIN, domid, port) &&
            events.compareAndSetLong(offset + PORT_BINDING_OFFSET, bound,
            binding(STATE_PEER_CLOSED, remoteDomid, remotePort)))
        {
            hypervisor.setPendingAndDeliver(own, port);
        }
        register(port);
        return port;
    }

    private int claimPort(final int remoteDomid)
    {
        final int size = own.ports;
        final int start = portHint;
        final long reserved = binding(STATE_RESERVED, remoteDomid, pid);
        for (int i = 0; i < size - 1; i++)
        {
            final int port = 1 + (start - 1 + i) % (size - 1);
            final int offset = own.portOffset(port) + PORT_BINDING_OFFSET;
            if (events.getLongVolatile(offset) == 0 && events.compareAndSetLong(offset, 0, reserved))
            {
                portHint = port + 1 < size ? port + 1 : 1;
                events.putInt(own.portOffset(port) + PORT_FLAGS_OFFSET, 0);
                events.putInt(own.portOffset(port) + PORT_OWNER_OFFSET, pid);
                return port;
            }
        }
        return -1;
    }

    private synchronized void register(final int port)
    {
        ports.set(port, new Port(port));
        final int[] current = open;
        final int[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = port;
        open = next;
    }

    private synchronized Port unregister(final int port)
    {
        final Port removed = ports.getAndSet(port, null);
        if (removed != null)
        {
            final int[] current = open;
            final int[] next = new int[current.length - 1];
            int j = 0;
            for (final int p : current)
            {
                if (p != port)
                {
                    next[j++] = p;
                }
            }
            open = next;
        }
        return removed;
    }

    private Port port(final int port)
    {
        if (port <= 0 || port >= own.ports)
        {
            throw new IllegalArgumentException("event channel port out of range: port=" + port + " ports=" + own.ports);
        }
        final Port p = ports.get(port);
        if (p == null)
        {
            throw new IllegalStateException(
                "event channel port is not open in this process: port=" + port + " domid=" + domid);
        }
        return p;
    }

    @Override
    public int notify(final int port)
    {
        final Port p = port(port);
        final long binding = events.getLongAcquire(p.offset + PORT_BINDING_OFFSET);
        if (state(binding) != STATE_INTERDOMAIN)
        {
            return NOT_CONNECTED;
        }
        Target target = p.target;
        if (target == null || target.binding != binding)
        {
            target = refresh(p, binding);
            if (target == null)
            {
                return NOT_CONNECTED;
            }
        }
        final AtomicBuffer remote = target.events;
        if (remote.getLongVolatile(target.bindingOffset) != target.expectedRemoteBinding)
        {
            return NOT_CONNECTED;
        }
        p.sent++;
        if (SimEventProtocol.setPending(remote, target.flagsOffset))
        {
            p.rings++;
            target.portDoorbell.notifyPeer();
            target.upcall.notifyPeer();
        }
        return OK;
    }

    private Target refresh(final Port p, final long binding)
    {
        final SimDomainView remote = system.view(remoteDomid(binding));
        final int remotePort = remotePort(binding);
        if (remote == null || remotePort <= 0 || remotePort >= remote.ports)
        {
            return null;
        }
        final Target target = new Target(binding, remote, remotePort, binding(STATE_INTERDOMAIN, domid, p.number));
        p.target = target;
        return target;
    }

    @Override
    public int wait(final int port, final long timeoutNanos)
    {
        final Port p = port(port);
        final long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        final int flagsOffset = p.offset + PORT_FLAGS_OFFSET;
        while (true)
        {
            final int token = p.doorbell.prepareWait();
            final long binding = events.getLongVolatile(p.offset + PORT_BINDING_OFFSET);
            if (ports.get(port) != p || state(binding) == STATE_FREE)
            {
                return CLOSED;
            }
            if (state(binding) == STATE_PEER_CLOSED)
            {
                // Reported at once, consuming a last event (the peer's close rang it): check the ring once more.
                consumePending(flagsOffset);
                return PEER_CLOSED;
            }
            final int flags = events.getIntVolatile(flagsOffset);
            if ((flags & FLAG_PENDING) != 0 && (flags & FLAG_MASKED) == 0)
            {
                if (events.compareAndSetInt(flagsOffset, flags, flags & ~FLAG_PENDING))
                {
                    return NOTIFIED;
                }
                continue;
            }
            long wait = -1;
            if (timeoutNanos == 0)
            {
                return TIMED_OUT;
            }
            if (timeoutNanos > 0)
            {
                wait = deadline - System.nanoTime();
                if (wait <= 0)
                {
                    return TIMED_OUT;
                }
            }
            p.doorbell.await(token, wait);
        }
    }

    @Override
    public boolean poll(final int port)
    {
        return consumePending(port(port).offset + PORT_FLAGS_OFFSET);
    }

    private boolean consumePending(final int flagsOffset)
    {
        return SimEventProtocol.consumePending(events, flagsOffset);
    }

    @Override
    public int pollPending(final int[] out)
    {
        final int[] snapshot = open;
        final int size = snapshot.length;
        if (size == 0 || out.length == 0)
        {
            return 0;
        }
        // Rotate the starting point so a full output array cannot starve the ports at the end.
        final int start = Math.floorMod(pollCursor, size);
        int found = 0;
        for (int i = 0; i < size && found < out.length; i++)
        {
            final int port = snapshot[(start + i) % size];
            if (ports.get(port) != null && consumePending(own.portOffset(port) + PORT_FLAGS_OFFSET))
            {
                out[found++] = port;
            }
        }
        pollCursor = start + 1;
        return found;
    }

    @Override
    public int waitPending(final int[] out, final long timeoutNanos)
    {
        final FutexEvent upcall = upcallWaiter.get();
        final long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        while (true)
        {
            final int token = upcall.prepareWait();
            final int found = pollPending(out);
            if (found > 0 || timeoutNanos == 0)
            {
                return found;
            }
            long wait = -1;
            if (timeoutNanos > 0)
            {
                wait = deadline - System.nanoTime();
                if (wait <= 0)
                {
                    return 0;
                }
            }
            upcall.await(token, wait);
        }
    }

    @Override
    public void mask(final int port)
    {
        SimEventProtocol.mask(events, port(port).offset + PORT_FLAGS_OFFSET);
    }

    @Override
    public void unmask(final int port)
    {
        final Port p = port(port);
        if (SimEventProtocol.unmask(events, p.offset + PORT_FLAGS_OFFSET))
        {
            p.selfRing.notifyPeer();
            selfUpcall.notifyPeer();
        }
    }

    @Override
    public void close(final int port)
    {
        port(port);
        final Port removed = unregister(port);
        if (removed != null)
        {
            hypervisor.closePort(own, port, pid);
        }
    }

    @Override
    public boolean isConnected(final int port)
    {
        return state(events.getLongVolatile(port(port).offset + PORT_BINDING_OFFSET)) == STATE_INTERDOMAIN;
    }

    @Override
    public Notifier notifier(final int port)
    {
        final Port p = port(port);
        return new Notifier()
        {
            @Override
            public void notifyPeer()
            {
                SimEventChannels.this.notify(p.number);
            }

            @Override
            public long notificationsSent()
            {
                return p.sent;
            }

            @Override
            public long wakeUpsIssued()
            {
                return p.rings;
            }
        };
    }

    @Override
    public Waiter waiter(final int port)
    {
        final Port p = port(port);
        final FutexEvent doorbell = new FutexEvent(events, p.offset + PORT_EVENT_OFFSET);
        final int flagsOffset = p.offset + PORT_FLAGS_OFFSET;
        return new Waiter()
        {
            @Override
            public int prepareWait()
            {
                final int token = doorbell.prepareWait();
                // The caller checks its ring after this: consuming the bit here keeps later notifications
                // ringing (a pending bit left set would coalesce them all away).
                consumePending(flagsOffset);
                return token;
            }

            @Override
            public boolean await(final int token, final long timeoutNanos)
            {
                final int state = state(events.getLongVolatile(p.offset + PORT_BINDING_OFFSET));
                if (state == STATE_PEER_CLOSED || state == STATE_FREE)
                {
                    // Never sleep on a dead port: the caller's next check finds it not connected.
                    return true;
                }
                return doorbell.await(token, timeoutNanos);
            }

            @Override
            public long blockingWaits()
            {
                return doorbell.blockingWaits();
            }

            @Override
            public long wakeUpsTaken()
            {
                return doorbell.wakeUpsTaken();
            }
        };
    }

    int openPorts()
    {
        return open.length;
    }

    void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final int port : open)
        {
            if (unregister(port) != null)
            {
                hypervisor.closePort(own, port, pid);
            }
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("platform is closed: domid=" + domid);
        }
    }

    @Override
    public String toString()
    {
        return "SimEventChannels{domid=" + domid + ", open=" + open.length + "}";
    }
}
