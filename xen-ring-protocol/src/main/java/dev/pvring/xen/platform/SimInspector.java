/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Read-only snapshots of a {@link SimSystem} for tools and tests: domains, grants, ports and mappings with the
 * pid holding each and whether that process is alive (what {@code pvring sim ls} prints). Each value is read
 * once; a snapshot of a busy system is not atomic as a whole.
 */
public final class SimInspector
{
    /**
     * One domain.
     *
     * @param domid           domain id.
     * @param name            name.
     * @param state           slot state ({@code "alive"}, ...).
     * @param generation      incarnation of the domid.
     * @param pages           frames.
     * @param usedPages       frames allocated by some process.
     * @param grantEntries    grant refs.
     * @param activeGrants    refs granted or held.
     * @param ports           ports (including port 0).
     * @param openPorts       ports not free.
     * @param maptrackEntries maptrack size.
     * @param mappings        foreign grants this domain maps.
     * @param creatorPid      pid of the process that created it.
     */
    public record DomainInfo(
        int domid, String name, String state, int generation, int pages, int usedPages, int grantEntries,
        int activeGrants, int ports, int openPorts, int maptrackEntries, int mappings, int creatorPid)
    {
    }

    /**
     * One grant ref in use.
     *
     * @param ref          the ref.
     * @param grantee      the domid in the entry.
     * @param flags        the entry's {@code GTF_*} flags.
     * @param frame        the entry's frame.
     * @param readOnlyPins read-only mappings and copies in progress.
     * @param writablePins writable mappings and copies in progress.
     * @param owner        pid of the granting process (0 if none).
     * @param ownerAlive   whether that process lives.
     * @param lockHolder   pid holding the pin lock (0 if unlocked).
     */
    public record GrantInfo(
        int ref, int grantee, int flags, int frame, int readOnlyPins, int writablePins, int owner, boolean ownerAlive,
        int lockHolder)
    {
        /**
         * All pins.
         *
         * @return read-only plus writable pins.
         */
        public int mapCount()
        {
            return readOnlyPins + writablePins;
        }
    }

    /**
     * One port in use.
     *
     * @param port        the port.
     * @param state       {@code SimEventChannelDescriptor.STATE_*}.
     * @param remoteDomid remote domain.
     * @param remotePort  remote port (for a reserved port: the pid working on it).
     * @param pending     pending bit.
     * @param masked      mask bit.
     * @param owner       pid that opened it.
     * @param ownerAlive  whether that process lives.
     * @param deliveries  doorbell rings so far (notifications that found it not pending).
     * @param waiters     threads sleeping on it now.
     */
    public record PortInfo(
        int port, int state, int remoteDomid, int remotePort, boolean pending, boolean masked, int owner,
        boolean ownerAlive, int deliveries, int waiters)
    {
    }

    /**
     * One foreign grant this domain maps.
     *
     * @param slot       maptrack slot.
     * @param granter    granting domain.
     * @param ref        its ref.
     * @param readOnly   read-only mapping.
     * @param mapped     whether the pin is counted (false while being set up or torn down).
     * @param owner      pid of the mapping process.
     * @param ownerAlive whether that process lives.
     */
    public record MappingInfo(
        int slot, int granter, int ref, boolean readOnly, boolean mapped, int owner, boolean ownerAlive)
    {
    }

    private final SimSystem system;
    private final Map<Integer, Boolean> alive = new HashMap<>();

    /**
     * Inspects a system.
     *
     * @param system an open system.
     */
    public SimInspector(final SimSystem system)
    {
        this.system = system;
    }

    /**
     * Every existing domain.
     *
     * @return the domains, by domid.
     */
    public List<DomainInfo> domains()
    {
        final List<DomainInfo> domains = new ArrayList<>();
        final AtomicBuffer slots = system.systemBuffer();
        for (int domid = 0; domid < system.maxDomains(); domid++)
        {
            final long word = system.stateWordAcquire(domid);
            final int state = SimSystemDescriptor.state(word);
            if (state == SimSystemDescriptor.DOMAIN_FREE)
            {
                continue;
            }
            final int slot = SimSystemDescriptor.slotOffset(domid);
            final SimDomainView view = system.view(domid);
            int usedPages = 0;
            int activeGrants = 0;
            int openPorts = 0;
            int mappings = 0;
            if (view != null)
            {
                usedPages = pages(view);
                activeGrants = grants(domid).size();
                openPorts = ports(domid).size();
                mappings = mappings(domid).size();
            }
            domains.add(new DomainInfo(domid, system.domainName(domid), SimSystemDescriptor.describeState(state),
                SimSystemDescriptor.generation(word), slots.getInt(slot + SimSystemDescriptor.SLOT_PAGES_OFFSET),
                usedPages, slots.getInt(slot + SimSystemDescriptor.SLOT_GRANT_ENTRIES_OFFSET), activeGrants,
                slots.getInt(slot + SimSystemDescriptor.SLOT_PORTS_OFFSET), openPorts,
                slots.getInt(slot + SimSystemDescriptor.SLOT_MAPTRACK_OFFSET), mappings,
                slots.getInt(slot + SimSystemDescriptor.SLOT_CREATOR_PID_OFFSET)));
        }
        return domains;
    }

    private int pages(final SimDomainView view)
    {
        int used = 0;
        for (int frame = 0; frame < view.pages; frame++)
        {
            if (view.grants.getIntVolatile(view.frameOffset(frame) + SimGrantTableDescriptor.FRAME_OWNER_OFFSET) != 0)
            {
                used++;
            }
        }
        return used;
    }

    /**
     * The grant refs of a domain that are granted, held by a process, or locked.
     *
     * @param domid the domain.
     * @return the refs in use (empty if the domain does not exist).
     */
    public List<GrantInfo> grants(final int domid)
    {
        final List<GrantInfo> grants = new ArrayList<>();
        final SimDomainView view = system.view(domid);
        if (view == null)
        {
            return grants;
        }
        final AtomicBuffer table = view.grants;
        for (int ref = 0; ref < view.entries; ref++)
        {
            final int header = table.getIntVolatile(view.entryOffset(ref));
            final int active = view.activeOffset(ref);
            final int owner = table.getIntVolatile(active + SimGrantTableDescriptor.ACTIVE_OWNER_OFFSET);
            final int lock = table.getIntVolatile(active + SimGrantTableDescriptor.ACTIVE_LOCK_OFFSET);
            final int flags = GrantEntryV1Descriptor.flags(header);
            if (flags == 0 && owner == 0 && lock == 0)
            {
                continue;
            }
            final int pins = table.getIntVolatile(active + SimGrantTableDescriptor.ACTIVE_PINS_OFFSET);
            grants.add(new GrantInfo(ref, GrantEntryV1Descriptor.domid(header), flags,
                table.getIntVolatile(view.entryOffset(ref) + GrantEntryV1Descriptor.FRAME_OFFSET), pins & 0xFFFF,
                pins >>> 16, owner, isAlive(owner), lock));
        }
        return grants;
    }

    /**
     * The ports of a domain that are not free.
     *
     * @param domid the domain.
     * @return the ports in use (empty if the domain does not exist).
     */
    public List<PortInfo> ports(final int domid)
    {
        final List<PortInfo> ports = new ArrayList<>();
        final SimDomainView view = system.view(domid);
        if (view == null)
        {
            return ports;
        }
        final AtomicBuffer events = view.events;
        for (int port = 1; port < view.ports; port++)
        {
            final int offset = view.portOffset(port);
            final long binding = events.getLongVolatile(offset + SimEventChannelDescriptor.PORT_BINDING_OFFSET);
            final int state = SimEventChannelDescriptor.state(binding);
            if (state == SimEventChannelDescriptor.STATE_FREE)
            {
                continue;
            }
            final int flags = events.getIntVolatile(offset + SimEventChannelDescriptor.PORT_FLAGS_OFFSET);
            final int owner = events.getIntVolatile(offset + SimEventChannelDescriptor.PORT_OWNER_OFFSET);
            final int event = offset + SimEventChannelDescriptor.PORT_EVENT_OFFSET;
            ports.add(new PortInfo(port, state, SimEventChannelDescriptor.remoteDomid(binding),
                SimEventChannelDescriptor.remotePort(binding), (flags & SimEventChannelDescriptor.FLAG_PENDING) != 0,
                (flags & SimEventChannelDescriptor.FLAG_MASKED) != 0, owner, isAlive(owner),
                events.getIntVolatile(event + dev.pvring.core.FutexEventDescriptor.SEQUENCE_OFFSET),
                events.getIntVolatile(event + dev.pvring.core.FutexEventDescriptor.WAITERS_OFFSET)));
        }
        return ports;
    }

    /**
     * The foreign grants a domain maps (its maptrack slots in use).
     *
     * @param domid the mapping domain.
     * @return the mappings (empty if the domain does not exist).
     */
    public List<MappingInfo> mappings(final int domid)
    {
        final List<MappingInfo> mappings = new ArrayList<>();
        final SimDomainView view = system.view(domid);
        if (view == null)
        {
            return mappings;
        }
        final AtomicBuffer table = view.grants;
        for (int slot = 0; slot < view.maptrack; slot++)
        {
            final int offset = view.maptrackOffset(slot);
            final int owner = table.getIntVolatile(offset + SimGrantTableDescriptor.MAPTRACK_OWNER_OFFSET);
            if (owner == 0)
            {
                continue;
            }
            final int target = table.getIntAcquire(offset + SimGrantTableDescriptor.MAPTRACK_TARGET_OFFSET);
            final int flags = target >>> 16;
            mappings.add(new MappingInfo(slot, target & 0xFFFF,
                table.getInt(offset + SimGrantTableDescriptor.MAPTRACK_REF_OFFSET),
                (flags & SimGrantTableDescriptor.MAPTRACK_READ_ONLY) != 0,
                (flags & SimGrantTableDescriptor.MAPTRACK_MAPPED) != 0, owner, isAlive(owner)));
        }
        return mappings;
    }

    private boolean isAlive(final int pid)
    {
        return pid != 0 && alive.computeIfAbsent(pid, SimHypervisor::isProcessAlive);
    }
}
