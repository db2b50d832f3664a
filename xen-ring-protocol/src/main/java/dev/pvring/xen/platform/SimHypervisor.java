/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static dev.pvring.xen.platform.SimEventChannelDescriptor.PORT_BINDING_OFFSET;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.PORT_EVENT_OFFSET;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.PORT_FLAGS_OFFSET;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.PORT_OWNER_OFFSET;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.STATE_FREE;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.STATE_INTERDOMAIN;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.STATE_PEER_CLOSED;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.STATE_RESERVED;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.binding;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.remoteDomid;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.remotePort;
import static dev.pvring.xen.platform.SimEventChannelDescriptor.state;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.pvring.core.FutexEvent;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The simulated hypervisor's cross-domain operations that are not on a hot path: taking a grant's pin lock
 * (with take-over from dead processes), closing ports on behalf of a domain, tearing a destroyed domain
 * down, and reclaiming what dead processes held.
 */
public final class SimHypervisor
{
    /**
     * Longest wait for a grant's pin lock held by another live process (legitimate holders keep it for
     * microseconds): map and copy then fail with {@link GrantStatus#EAGAIN}, unmap marks the maptrack slot
     * {@link SimGrantTableDescriptor#MAPTRACK_STALE stale}.
     */
    static final long LOCK_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** {@link #releaseMaptrack}: the slot is free; it held no counted pin. */
    static final int SLOT_FREED = 0;
    /** {@link #releaseMaptrack}: the slot is free and its pin was dropped. */
    static final int SLOT_UNPINNED = 1;
    /** {@link #releaseMaptrack}: the pin lock was not available; the slot stays, marked stale, pin still counted. */
    static final int SLOT_STALE = 2;

    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int LOCK_SPINS = 100;
    private static final int LOCK_YIELDS = 1_000;
    private static final long LOCK_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    /**
     * What {@link SimSystem#reclaim()} released.
     *
     * @param ports        ports closed (their peers now see {@link EventChannels#PEER_CLOSED}).
     * @param mappings     foreign mappings unpinned.
     * @param grants       grants ended.
     * @param stillMapped  grants of dead processes left in place because a peer still maps them.
     * @param pages        pages freed.
     * @param locks        pin locks taken over and repaired.
     */
    public record ReclaimReport(int ports, int mappings, int grants, int stillMapped, int pages, int locks)
    {
        /**
         * Total items released.
         *
         * @return the sum (excluding {@code stillMapped}).
         */
        public int total()
        {
            return ports + mappings + grants + pages + locks;
        }
    }

    private final SimSystem system;

    SimHypervisor(final SimSystem system)
    {
        this.system = system;
    }

    /**
     * Whether a process exists (this process always does).
     *
     * @param pid the pid.
     * @return true if alive.
     */
    static boolean isProcessAlive(final int pid)
    {
        return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Takes a ref's pin lock, spinning (then yielding, then parking) while a live process holds it, until
     * {@code deadlineNanos}; a lock held by a dead process is taken over and the ref's pins recomputed from the
     * grantee's maptrack. Every process maps every grant file read-write, so a hostile domain can write any live
     * pid into a lock word of its own grants and keep it there: the deadline turns that into a failure of the
     * one operation instead of a hang.
     *
     * @param granter       the granting domain.
     * @param ref           a ref in range.
     * @param deadlineNanos {@link System#nanoTime()} after which to give up (a past deadline tries briefly).
     * @return true if taken (unlock with {@link #unlockGrant}); false if another live process held it throughout.
     */
    boolean lockGrant(final SimDomainView granter, final int ref, final long deadlineNanos)
    {
        final AtomicBuffer grants = granter.grants;
        final int active = granter.activeOffset(ref);
        final int pid = system.pid();
        if (SimGrantProtocol.tryLock(grants, active, pid))
        {
            return true;
        }
        int spins = 0;
        long lastCheck = System.nanoTime();
        while (true)
        {
            final int holder = SimGrantProtocol.lockHolderVolatile(grants, active);
            if (holder == 0 && SimGrantProtocol.tryLock(grants, active, pid))
            {
                return true;
            }
            if (++spins < LOCK_SPINS)
            {
                Thread.onSpinWait();
                continue;
            }
            final long now = System.nanoTime();
            if (now - deadlineNanos >= 0)
            {
                return false;
            }
            if (spins < LOCK_YIELDS)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(LOCK_PARK_NANOS);
            }
            if (holder != 0 && now - lastCheck >= LIVENESS_CHECK_NANOS)
            {
                lastCheck = now;
                if (!isProcessAlive(holder) && SimGrantProtocol.casLockHolder(grants, active, holder, pid))
                {
                    repairGrant(granter, ref);
                    return true;
                }
            }
        }
    }

    /**
     * {@link #lockGrant(SimDomainView, int, long)} with a deadline {@link #LOCK_TIMEOUT_NANOS} from now, taken
     * only if the lock is not free at once (no clock read on the uncontended path).
     *
     * @param granter the granting domain.
     * @param ref     a ref in range.
     * @return true if taken; false if another live process held it throughout.
     */
    boolean lockGrant(final SimDomainView granter, final int ref)
    {
        return SimGrantProtocol.tryLock(granter.grants, granter.activeOffset(ref), system.pid()) ||
            lockGrant(granter, ref, lockDeadline());
    }

    /**
     * The deadline of one grant operation that needs a pin lock.
     *
     * @return {@link System#nanoTime()} plus {@link #LOCK_TIMEOUT_NANOS}.
     */
    static long lockDeadline()
    {
        return System.nanoTime() + LOCK_TIMEOUT_NANOS;
    }

    void unlockGrant(final SimDomainView granter, final int ref)
    {
        SimGrantProtocol.unlock(granter.grants, granter.activeOffset(ref));
    }

    /**
     * Recomputes a ref's pins from the maptrack of the domain its header names; the caller holds the lock.
     */
    void repairGrant(final SimDomainView granter, final int ref)
    {
        final int header = granter.grants.getIntVolatile(granter.entryOffset(ref));
        final SimDomainView mapper = system.view(GrantEntryV1Descriptor.domid(header));
        int readOnly = 0;
        int writable = 0;
        if (mapper != null)
        {
            final AtomicBuffer maptrack = mapper.grants;
            for (int slot = 0; slot < mapper.maptrack; slot++)
            {
                final int offset = mapper.maptrackOffset(slot);
                if (maptrack.getIntVolatile(offset + SimGrantTableDescriptor.MAPTRACK_OWNER_OFFSET) == 0)
                {
                    continue;
                }
                // Acquire: the generation and ref written before MAPPED are visible.
                final int target = maptrack.getIntAcquire(offset + SimGrantTableDescriptor.MAPTRACK_TARGET_OFFSET);
                final int flags = target >>> 16;
                if ((flags & SimGrantTableDescriptor.MAPTRACK_MAPPED) != 0 && (target & 0xFFFF) == granter.domid &&
                    maptrack.getIntOpaque(offset + SimGrantTableDescriptor.MAPTRACK_GENERATION_OFFSET) ==
                    granter.generation &&
                    maptrack.getIntOpaque(offset + SimGrantTableDescriptor.MAPTRACK_REF_OFFSET) == ref)
                {
                    if ((flags & SimGrantTableDescriptor.MAPTRACK_READ_ONLY) != 0)
                    {
                        readOnly++;
                    }
                    else
                    {
                        writable++;
                    }
                }
            }
        }
        SimGrantProtocol.repair(
            granter.grants, granter.entryOffset(ref), granter.activeOffset(ref), readOnly, writable);
    }

    /**
     * Sets a port's pending bit and, if it was not pending and the port is unmasked, rings its doorbell and
     * the domain's upcall doorbell. Cold-path version (allocates the doorbell views).
     */
    void setPendingAndDeliver(final SimDomainView domain, final int port)
    {
        if (SimEventProtocol.setPending(domain.events, domain.portOffset(port) + PORT_FLAGS_OFFSET))
        {
            ring(domain, port);
        }
    }

    /**
     * Rings a port's doorbell and its domain's upcall doorbell (cold path).
     */
    void ring(final SimDomainView domain, final int port)
    {
        new FutexEvent(domain.events, domain.portOffset(port) + PORT_EVENT_OFFSET).notifyPeer();
        new FutexEvent(domain.events, SimEventChannelDescriptor.UPCALL_OFFSET).notifyPeer();
    }

    /**
     * Closes a port on behalf of its domain: frees it, and if it was connected, marks the peer port
     * {@code PEER_CLOSED} and wakes the peer. Local waiters are woken too (they see the port free).
     *
     * @param domain the port's domain.
     * @param port   the port.
     * @param owner  expected owner pid, or 0 to close whatever holds it (reclaim, teardown).
     * @return true if this call closed it.
     */
    boolean closePort(final SimDomainView domain, final int port, final int owner)
    {
        final AtomicBuffer events = domain.events;
        final int offset = domain.portOffset(port);
        while (true)
        {
            final long binding = events.getLongVolatile(offset + PORT_BINDING_OFFSET);
            final int state = state(binding);
            if (state == STATE_FREE)
            {
                return false;
            }
            if (owner != 0 && events.getIntVolatile(offset + PORT_OWNER_OFFSET) != owner)
            {
                return false;
            }
            if (state == STATE_RESERVED && owner != 0)
            {
                return false;
            }
            // Claim the teardown: a concurrent bind (UNBOUND) or peer close (INTERDOMAIN) now fails its CAS.
            final long reserved = binding(STATE_RESERVED, remoteDomid(binding), system.pid());
            if (!events.compareAndSetLong(offset + PORT_BINDING_OFFSET, binding, reserved))
            {
                continue;
            }
            if (state == STATE_INTERDOMAIN)
            {
                markPeerClosed(domain.domid, port, remoteDomid(binding), remotePort(binding));
            }
            events.putInt(offset + PORT_FLAGS_OFFSET, 0);
            events.putInt(offset + PORT_OWNER_OFFSET, 0);
            // Release: flags and owner are reset before another process can claim the port.
            events.putLongRelease(offset + PORT_BINDING_OFFSET, binding(STATE_FREE, 0, 0));
            new FutexEvent(events, offset + PORT_EVENT_OFFSET).notifyPeer();
            return true;
        }
    }

    private void markPeerClosed(final int domid, final int port, final int remoteDomid, final int remotePort)
    {
        final SimDomainView remote = system.view(remoteDomid);
        if (remote == null || remotePort <= 0 || remotePort >= remote.ports)
        {
            return;
        }
        final int remoteOffset = remote.portOffset(remotePort) + PORT_BINDING_OFFSET;
        if (remote.events.compareAndSetLong(
            remoteOffset, binding(STATE_INTERDOMAIN, domid, port), binding(STATE_PEER_CLOSED, domid, port)))
        {
            // Wake the peer so a wait returns PEER_CLOSED instead of sleeping to its timeout.
            setPendingAndDeliver(remote, remotePort);
        }
    }

    /**
     * Fires an armed unmap or end notification: clears the byte in the page (still pinned or owned by the
     * caller), then notifies the peer of {@code port} of {@code portDomain}. Cold path.
     *
     * @param portDomain the domain owning {@code port} (the mapper or the granter).
     * @param word       the notify word ({@link SimGrantTableDescriptor#notifyWord}), 0 if not armed.
     * @param port       the local port.
     * @param pageDomain the domain whose memory holds the page.
     * @param frame      the page's frame in {@code pageDomain}.
     */
    void fireNotify(
        final SimDomainView portDomain, final int word, final int port, final SimDomainView pageDomain,
        final int frame)
    {
        final int actions = word >>> 16;
        if ((actions & SimGrantTableDescriptor.NOTIFY_CLEAR_BYTE) != 0 && frame >= 0 && frame < pageDomain.pages)
        {
            try
            {
                pageDomain.memory().putByteVolatile(
                    (int)DomainMemoryDescriptor.frameOffset(frame) + (word & (GrantTable.PAGE_SIZE - 1)), (byte)0);
            }
            catch (final RuntimeException | InternalError ex)
            {
                // The granting domain's memory is gone (destroyed and unlinked, or truncated under this mapping,
                // which the JVM reports as InternalError): nobody can see the byte.
            }
        }
        if ((actions & SimGrantTableDescriptor.NOTIFY_SEND_EVENT) == 0 || port <= 0 || port >= portDomain.ports)
        {
            return;
        }
        final long binding = portDomain.events.getLongVolatile(portDomain.portOffset(port) + PORT_BINDING_OFFSET);
        if (state(binding) != STATE_INTERDOMAIN)
        {
            return;
        }
        final SimDomainView remote = system.view(remoteDomid(binding));
        final int remotePort = remotePort(binding);
        if (remote != null && remotePort > 0 && remotePort < remote.ports &&
            remote.events.getLongVolatile(remote.portOffset(remotePort) + PORT_BINDING_OFFSET) ==
            binding(STATE_INTERDOMAIN, portDomain.domid, port))
        {
            setPendingAndDeliver(remote, remotePort);
        }
    }

    /**
     * Fires and disarms a granter's end notification of one ref, if armed.
     */
    void fireEndNotify(final SimDomainView granter, final int ref)
    {
        final int active = granter.activeOffset(ref);
        final int word = granter.grants.getAndSetInt(active + SimGrantTableDescriptor.ACTIVE_NOTIFY_OFFSET, 0);
        if (word != 0)
        {
            // Each word read once into a local; fireNotify range-checks the copies.
            final int port = granter.grants.getIntOpaque(active + SimGrantTableDescriptor.ACTIVE_NOTIFY_PORT_OFFSET);
            final int frame =
                granter.grants.getIntOpaque(granter.entryOffset(ref) + GrantEntryV1Descriptor.FRAME_OFFSET);
            fireNotify(granter, word, port, granter, frame);
        }
    }

    /**
     * Unpins one maptrack entry of {@code mapper} (the mapping itself is gone or its process is dead) and frees
     * the slot. If the granter's pin lock cannot be taken before {@code deadlineNanos} (another live process
     * holds it), nothing blocks: the slot keeps its pin and owner and is marked
     * {@link SimGrantTableDescriptor#MAPTRACK_STALE stale}, to be released by a later call (the page is already
     * unmapped by then; the granter only cannot end access until the pin is dropped).
     *
     * @return {@link #SLOT_FREED}, {@link #SLOT_UNPINNED} or {@link #SLOT_STALE}.
     */
    int releaseMaptrack(final SimDomainView mapper, final int slot, final long deadlineNanos)
    {
        final AtomicBuffer maptrack = mapper.grants;
        final int offset = mapper.maptrackOffset(slot);
        final int target = maptrack.getIntAcquire(offset + SimGrantTableDescriptor.MAPTRACK_TARGET_OFFSET);
        final int flags = target >>> 16;
        int result = SLOT_FREED;
        if ((flags & SimGrantTableDescriptor.MAPTRACK_MAPPED) != 0)
        {
            final int granterDomid = target & 0xFFFF;
            final int generation = maptrack.getIntOpaque(offset + SimGrantTableDescriptor.MAPTRACK_GENERATION_OFFSET);
            final int ref = maptrack.getIntOpaque(offset + SimGrantTableDescriptor.MAPTRACK_REF_OFFSET);
            final SimDomainView granter = system.view(granterDomid);
            if (granter != null && granter.generation == generation && ref >= 0 && ref < granter.entries)
            {
                if (!lockGrant(granter, ref, deadlineNanos))
                {
                    maptrack.putIntRelease(offset + SimGrantTableDescriptor.MAPTRACK_TARGET_OFFSET,
                        SimGrantTableDescriptor.maptrackTarget(
                        granterDomid, flags | SimGrantTableDescriptor.MAPTRACK_STALE));
                    return SLOT_STALE;
                }
                try
                {
                    // Still pinned here: the byte is cleared in the page the peer shares, never in a reused one.
                    final int word = maptrack.getAndSetInt(offset + SimGrantTableDescriptor.MAPTRACK_NOTIFY_OFFSET, 0);
                    final int port =
                        maptrack.getIntOpaque(offset + SimGrantTableDescriptor.MAPTRACK_NOTIFY_PORT_OFFSET);
                    final int frame = granter.grants.getIntOpaque(
                        granter.activeOffset(ref) + SimGrantTableDescriptor.ACTIVE_FRAME_OFFSET);
                    fireNotify(mapper, word, port, granter, frame);
                    maptrack.putIntRelease(offset + SimGrantTableDescriptor.MAPTRACK_TARGET_OFFSET, 0);
                    SimGrantProtocol.unpin(granter.grants, granter.entryOffset(ref), granter.activeOffset(ref),
                        (flags & SimGrantTableDescriptor.MAPTRACK_READ_ONLY) != 0);
                    result = SLOT_UNPINNED;
                }
                finally
                {
                    unlockGrant(granter, ref);
                }
            }
        }
        maptrack.putInt(offset + SimGrantTableDescriptor.MAPTRACK_NOTIFY_OFFSET, 0);
        maptrack.putIntRelease(offset + SimGrantTableDescriptor.MAPTRACK_TARGET_OFFSET, 0);
        maptrack.putIntRelease(offset + SimGrantTableDescriptor.MAPTRACK_OWNER_OFFSET, 0);
        return result;
    }

    /**
     * Releases a dying domain's ports and mappings (its own grants stay: peers keep their mappings of its
     * memory until they unmap, like a zombie domain on Xen).
     */
    void tearDown(final SimDomainView domain)
    {
        // One deadline for all pin locks: locks held by live processes cost one timeout in total, not one each.
        final long deadline = lockDeadline();
        // Notifications first: they go out through the domain's ports, which are closed last.
        for (int slot = 0; slot < domain.maptrack; slot++)
        {
            final int ownerOffset = domain.maptrackOffset(slot) + SimGrantTableDescriptor.MAPTRACK_OWNER_OFFSET;
            if (domain.grants.getIntVolatile(ownerOffset) != 0)
            {
                releaseMaptrack(domain, slot, deadline);
            }
        }
        for (int ref = 0; ref < domain.entries; ref++)
        {
            fireEndNotify(domain, ref);
        }
        for (int port = 1; port < domain.ports; port++)
        {
            closePort(domain, port, 0);
        }
    }

    ReclaimReport reclaim()
    {
        final Map<Integer, Boolean> alive = new HashMap<>();
        int ports = 0;
        int mappings = 0;
        int grants = 0;
        int stillMapped = 0;
        int pages = 0;
        int locks = 0;
        // One deadline for all pin locks (see tearDown).
        final long deadline = lockDeadline();
        for (int domid = 0; domid < system.maxDomains(); domid++)
        {
            final SimDomainView domain = system.view(domid);
            if (domain == null)
            {
                continue;
            }
            final AtomicBuffer table = domain.grants;
            for (int slot = 0; slot < domain.maptrack; slot++)
            {
                final int owner = table.getIntVolatile(domain.maptrackOffset(slot) +
                    SimGrantTableDescriptor.MAPTRACK_OWNER_OFFSET);
                if (owner != 0 && !isAlive(alive, owner) && releaseMaptrack(domain, slot, deadline) == SLOT_UNPINNED)
                {
                    mappings++;
                }
            }
            for (int ref = 0; ref < domain.entries; ref++)
            {
                final int active = domain.activeOffset(ref);
                final int holder = SimGrantProtocol.lockHolderVolatile(table, active);
                if (holder != 0 && !isAlive(alive, holder) &&
                    SimGrantProtocol.casLockHolder(table, active, holder, system.pid()))
                {
                    repairGrant(domain, ref);
                    unlockGrant(domain, ref);
                    locks++;
                }
                final int owner = table.getIntVolatile(active + SimGrantTableDescriptor.ACTIVE_OWNER_OFFSET);
                if (owner == 0 || isAlive(alive, owner))
                {
                    continue;
                }
                fireEndNotify(domain, ref);
                final int entry = domain.entryOffset(ref);
                final int result = SimGrantProtocol.tryEnd(table, entry);
                if (result == SimGrantProtocol.END_BUSY)
                {
                    stillMapped++;
                    continue;
                }
                if (result == SimGrantProtocol.END_OK)
                {
                    releaseFrameGrant(domain, table.getIntOpaque(entry + GrantEntryV1Descriptor.FRAME_OFFSET));
                    grants++;
                }
                table.compareAndSetInt(active + SimGrantTableDescriptor.ACTIVE_OWNER_OFFSET, owner, 0);
            }
            // Ports last: the notifications above go out through them.
            final AtomicBuffer events = domain.events;
            for (int port = 1; port < domain.ports; port++)
            {
                final int offset = domain.portOffset(port);
                final long binding = events.getLongVolatile(offset + PORT_BINDING_OFFSET);
                if (state(binding) == STATE_FREE)
                {
                    continue;
                }
                final int owner = state(binding) == STATE_RESERVED ?
                    remotePort(binding) : events.getIntVolatile(offset + PORT_OWNER_OFFSET);
                if (!isAlive(alive, owner) && closePort(domain, port, 0))
                {
                    ports++;
                }
            }
            for (int frame = 0; frame < domain.pages; frame++)
            {
                final int offset = domain.frameOffset(frame);
                final int owner = table.getIntVolatile(offset + SimGrantTableDescriptor.FRAME_OWNER_OFFSET);
                if (owner != 0 && !isAlive(alive, owner) &&
                    table.getIntVolatile(offset + SimGrantTableDescriptor.FRAME_GRANTS_OFFSET) == 0 &&
                    table.compareAndSetInt(offset + SimGrantTableDescriptor.FRAME_OWNER_OFFSET, owner, 0))
                {
                    pages++;
                }
            }
        }
        return new ReclaimReport(ports, mappings, grants, stillMapped, pages, locks);
    }

    /**
     * Uncounts a grant of a frame; the frame (read once by the caller) is range-checked here.
     */
    void releaseFrameGrant(final SimDomainView domain, final int frame)
    {
        if (frame >= 0 && frame < domain.pages)
        {
            domain.grants.getAndAddInt(domain.frameOffset(frame) + SimGrantTableDescriptor.FRAME_GRANTS_OFFSET, -1);
        }
    }

    private static boolean isAlive(final Map<Integer, Boolean> cache, final int pid)
    {
        if (pid == 0)
        {
            return false;
        }
        return cache.computeIfAbsent(pid, SimHypervisor::isProcessAlive);
    }
}
