/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.pvring.core.SharedMemory;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The simulated grant table of one domain as seen by one process (see {@link SimGrantProtocol} for the
 * shared-memory protocol and {@link SimGrantTableDescriptor} for the layout).
 * <p>
 * Granting claims a free ref by compare-and-set of its owner word (next-fit from a hint, so the usual
 * grant/end churn is O(1)), counts the grant on the frame and publishes the v1 entry. Mapping checks and pins
 * the granter's entry under its pin lock, records the mapping in this domain's maptrack and {@code mmap}s the
 * frame from the granter's memory file. Copying pins the entry for the duration of the copy (so ending access
 * fails meanwhile, as Xen's {@code GTF_reading}/{@code GTF_writing} make it) and copies through this process's
 * mapping of the granter's memory.
 * <p>
 * A pin lock another live process keeps (a hostile granter may write any pid into its own lock words) is waited
 * for at most {@link SimHypervisor#LOCK_TIMEOUT_NANOS}: map and copy then report {@link GrantStatus#EAGAIN};
 * unmap still unmaps the page at once and leaves the maptrack slot stale (its pin counted), released by a later
 * map, unmap or close.
 */
final class SimGrantTable implements GrantTable
{
    private static final int DOMID_FIRST_RESERVED = 0x7FF0;

    private final SimSystem system;
    private final SimHypervisor hypervisor;
    private final SimDomainView own;
    private final int domid;
    private final int pid;
    private final boolean[] grantedHere;
    private final Set<SimGrantMapping> mappings = ConcurrentHashMap.newKeySet();
    private final Set<SimGrantRegion> regions = ConcurrentHashMap.newKeySet();
    private final Queue<Integer> staleSlots = new ConcurrentLinkedQueue<>();
    private int refHint = NR_RESERVED_ENTRIES;
    private int slotHint;
    private volatile boolean closed;

    SimGrantTable(final SimSystem system, final SimDomainView own)
    {
        this.system = system;
        this.hypervisor = system.hypervisor();
        this.own = own;
        this.domid = own.domid;
        this.pid = system.pid();
        this.grantedHere = new boolean[own.entries];
    }

    @Override
    public int localDomid()
    {
        return domid;
    }

    @Override
    public int grantAccess(final int domid, final int frame, final boolean readOnly)
    {
        checkOpen();
        checkGrantee(domid);
        checkFrame(frame);
        final int ref = claimRef();
        if (ref < 0)
        {
            return GrantStatus.NO_SPACE;
        }
        publish(ref, domid, frame, readOnly);
        return ref;
    }

    @Override
    public void grantReserved(final int ref, final int domid, final int frame, final boolean readOnly)
    {
        checkOpen();
        if (ref < 0 || ref >= NR_RESERVED_ENTRIES)
        {
            throw new IllegalArgumentException(
                "reserved grant ref out of range: ref=" + ref + " reserved=" + NR_RESERVED_ENTRIES);
        }
        checkGrantee(domid);
        checkFrame(frame);
        final int ownerOffset = own.activeOffset(ref) + SimGrantTableDescriptor.ACTIVE_OWNER_OFFSET;
        if (!own.grants.compareAndSetInt(ownerOffset, 0, pid))
        {
            throw new IllegalStateException(
                "grant ref already in use: ref=" + ref + " owner=" + own.grants.getIntVolatile(ownerOffset));
        }
        publish(ref, domid, frame, readOnly);
    }

    private void publish(final int ref, final int domid, final int frame, final boolean readOnly)
    {
        own.grants.putInt(own.activeOffset(ref) + SimGrantTableDescriptor.ACTIVE_NOTIFY_OFFSET, 0);
        own.grants.getAndAddInt(own.frameOffset(frame) + SimGrantTableDescriptor.FRAME_GRANTS_OFFSET, 1);
        grantedHere[ref] = true;
        SimGrantProtocol.publish(own.grants, own.entryOffset(ref), domid, frame, readOnly);
    }

    private int claimRef()
    {
        final AtomicBuffer grants = own.grants;
        final int span = own.entries - NR_RESERVED_ENTRIES;
        final int start = refHint - NR_RESERVED_ENTRIES;
        for (int i = 0; i < span; i++)
        {
            final int ref = NR_RESERVED_ENTRIES + (start + i) % span;
            final int ownerOffset = own.activeOffset(ref) + SimGrantTableDescriptor.ACTIVE_OWNER_OFFSET;
            if (grants.getIntVolatile(ownerOffset) == 0 && grants.compareAndSetInt(ownerOffset, 0, pid))
            {
                refHint = ref + 1 < own.entries ? ref + 1 : NR_RESERVED_ENTRIES;
                return ref;
            }
        }
        return -1;
    }

    @Override
    public boolean tryEndAccess(final int ref)
    {
        checkOpen();
        if (ref < 0 || ref >= own.entries)
        {
            throw new IllegalArgumentException("grant ref out of range: ref=" + ref + " entries=" + own.entries);
        }
        final AtomicBuffer grants = own.grants;
        final int ownerOffset = own.activeOffset(ref) + SimGrantTableDescriptor.ACTIVE_OWNER_OFFSET;
        final int owner = grants.getIntVolatile(ownerOffset);
        if (owner == 0)
        {
            throw new IllegalStateException(
                "grant ref is not granted (never granted, or access already ended): ref=" + ref + " domid=" + domid);
        }
        if (owner != pid)
        {
            throw new IllegalStateException(
                "grant ref is held by another process: ref=" + ref + " owner=" + owner + " pid=" + pid);
        }
        final int entry = own.entryOffset(ref);
        final int result = SimGrantProtocol.tryEnd(grants, entry);
        if (result == SimGrantProtocol.END_BUSY)
        {
            return false;
        }
        if (result == SimGrantProtocol.END_NOT_GRANTED)
        {
            throw new IllegalStateException("grant ref is not active: ref=" + ref + " domid=" + domid);
        }
        hypervisor.fireEndNotify(own, ref);
        hypervisor.releaseFrameGrant(own, grants.getIntOpaque(entry + GrantEntryV1Descriptor.FRAME_OFFSET));
        grantedHere[ref] = false;
        // Release: the ended entry is visible before another process can claim the ref.
        grants.putIntRelease(ownerOffset, 0);
        return true;
    }

    @Override
    public void setEndNotify(final int ref, final int clearByteOffset, final int port)
    {
        checkOpen();
        checkNotify(clearByteOffset, port);
        if (ref < 0 || ref >= own.entries)
        {
            throw new IllegalArgumentException("grant ref out of range: ref=" + ref + " entries=" + own.entries);
        }
        final int active = own.activeOffset(ref);
        if (own.grants.getIntVolatile(active + SimGrantTableDescriptor.ACTIVE_OWNER_OFFSET) != pid ||
            (own.grants.getIntVolatile(own.entryOffset(ref)) & GrantEntryV1Descriptor.GTF_TYPE_MASK) == 0)
        {
            throw new IllegalStateException("grant ref is not granted by this process: ref=" + ref + " domid=" + domid);
        }
        own.grants.putInt(active + SimGrantTableDescriptor.ACTIVE_NOTIFY_PORT_OFFSET, port);
        // Release: the port is visible before the word that arms the notification.
        own.grants.putIntRelease(active + SimGrantTableDescriptor.ACTIVE_NOTIFY_OFFSET,
            SimGrantTableDescriptor.notifyWord(clearByteOffset, port));
    }

    @Override
    public void setUnmapNotify(final GrantMapping mapping, final int clearByteOffset, final int port)
    {
        checkOpen();
        checkNotify(clearByteOffset, port);
        if (!(mapping instanceof SimGrantMapping sim) || sim.owner != this)
        {
            throw new IllegalArgumentException("mapping was not made by this grant table: mapping=" + mapping +
                " domid=" + domid);
        }
        if (clearByteOffset >= 0 && sim.isReadOnly())
        {
            throw new IllegalArgumentException(
                "clearing a byte on unmap needs a writable mapping: domid=" + sim.domid() + " ref=" + sim.ref());
        }
        if (!sim.isMapped())
        {
            throw new IllegalStateException("grant mapping is unmapped: domid=" + sim.domid() + " ref=" + sim.ref());
        }
        final int slotOffset = own.maptrackOffset(sim.slot);
        own.grants.putInt(slotOffset + SimGrantTableDescriptor.MAPTRACK_NOTIFY_PORT_OFFSET, port);
        own.grants.putIntRelease(slotOffset + SimGrantTableDescriptor.MAPTRACK_NOTIFY_OFFSET,
            SimGrantTableDescriptor.notifyWord(clearByteOffset, port));
    }

    private void checkNotify(final int clearByteOffset, final int port)
    {
        if (clearByteOffset < -1 || clearByteOffset >= PAGE_SIZE)
        {
            throw new IllegalArgumentException(
                "byte to clear out of range: clearByteOffset=" + clearByteOffset + " pageSize=" + PAGE_SIZE);
        }
        if (port < 0)
        {
            throw new IllegalArgumentException("port must not be negative: port=" + port);
        }
    }

    @Override
    public int map(final GrantMapBatch batch)
    {
        checkOpen();
        retryStaleSlots(System.nanoTime());
        int mapped = 0;
        for (int i = 0; i < batch.size(); i++)
        {
            if (batch.status(i) != GrantStatus.NOT_DONE)
            {
                continue;
            }
            final SimGrantMapping mapping = mapOne(batch.domid(i), batch.ref(i), batch.isReadOnly(i), batch, i);
            if (mapping != null)
            {
                mapped++;
            }
        }
        return mapped;
    }

    private SimGrantMapping mapOne(
        final int granterDomid, final int ref, final boolean readOnly, final GrantMapBatch batch, final int index)
    {
        final SimDomainView granter = system.view(granterDomid);
        if (granter == null)
        {
            batch.complete(index, GrantStatus.BAD_DOMAIN, null);
            return null;
        }
        final long pinned = claimAndPin(granter, ref, readOnly);
        if (pinned < 0)
        {
            batch.complete(index, (int)pinned, null);
            return null;
        }
        final int slot = (int)(pinned >>> 32);
        final int frame = (int)pinned;
        final SharedMemory memory;
        try
        {
            memory = granter.memoryFile().map(DomainMemoryDescriptor.frameOffset(frame), PAGE_SIZE,
                readOnly ? SharedMemory.Access.READ_ONLY : SharedMemory.Access.READ_WRITE);
        }
        catch (final RuntimeException ex)
        {
            releaseSlot(slot);
            batch.complete(index, GrantStatus.GENERAL_ERROR, null);
            return null;
        }
        final SimGrantMapping mapping = new SimGrantMapping(this, granter, ref, slot, frame, readOnly, memory);
        mappings.add(mapping);
        batch.complete(index, GrantStatus.OKAY, mapping);
        return mapping;
    }

    @Override
    public GrantRegion mapRegion(
        final int granterDomid, final int[] refs, final int count, final boolean readOnly,
        final GrantMapFailure failure)
    {
        checkOpen();
        if (count < 1 || count > MAX_REGION_PAGES || count > refs.length)
        {
            throw new IllegalArgumentException("region page count out of range: count=" + count + " refs=" +
                refs.length + " max=" + MAX_REGION_PAGES);
        }
        failure.reset();
        retryStaleSlots(System.nanoTime());
        final SimDomainView granter = system.view(granterDomid);
        if (granter == null)
        {
            failure.set(0, GrantStatus.BAD_DOMAIN);
            return null;
        }
        final int[] regionRefs = java.util.Arrays.copyOf(refs, count);
        final int[] slots = new int[count];
        final long[] offsets = new long[count];
        for (int i = 0; i < count; i++)
        {
            final long pinned = claimAndPin(granter, regionRefs[i], readOnly);
            if (pinned < 0)
            {
                releaseSlots(slots, i);
                failure.set(i, (int)pinned);
                return null;
            }
            slots[i] = (int)(pinned >>> 32);
            offsets[i] = DomainMemoryDescriptor.frameOffset((int)pinned);
        }
        final SharedMemory memory;
        try
        {
            memory = granter.memoryFile().mapPages(offsets, count,
                readOnly ? SharedMemory.Access.READ_ONLY : SharedMemory.Access.READ_WRITE);
        }
        catch (final RuntimeException ex)
        {
            releaseSlots(slots, count);
            failure.set(failedPage(ex.getMessage()), GrantStatus.GENERAL_ERROR);
            return null;
        }
        final SimGrantRegion region = new SimGrantRegion(this, granter, regionRefs, slots, readOnly, memory);
        regions.add(region);
        return region;
    }

    /** The page index named by a {@code SharedFile.mapPages} failure ({@code page=i}), else 0. */
    private static int failedPage(final String message)
    {
        final int at = message == null ? -1 : message.indexOf(" page=");
        if (at < 0)
        {
            return 0;
        }
        int page = 0;
        for (int i = at + 6; i < message.length() && Character.isDigit(message.charAt(i)) && page < 1 << 20; i++)
        {
            page = page * 10 + message.charAt(i) - '0';
        }
        return page;
    }

    private void releaseSlots(final int[] slots, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            releaseSlot(slots[i]);
        }
    }

    @Override
    public boolean unmapRegion(final GrantRegion region)
    {
        if (!(region instanceof SimGrantRegion sim) || sim.owner != this)
        {
            throw new IllegalArgumentException("region was not mapped by this grant table: region=" + region +
                " domid=" + domid);
        }
        // munmap first: once the pins are dropped the granter may end access and reuse the pages.
        if (!sim.unmapPages())
        {
            return false;
        }
        releaseSlots(sim.slots, sim.slots.length);
        regions.remove(sim);
        return true;
    }

    /**
     * Claims a maptrack slot, records the mapping in it and pins the granter's entry.
     *
     * @return {@code slot << 32 | frame}, or a negative {@code GNTST_*} status (nothing claimed or pinned).
     */
    private long claimAndPin(final SimDomainView granter, final int ref, final boolean readOnly)
    {
        final int granterDomid = granter.domid;
        if (ref < 0 || ref >= granter.entries)
        {
            return GrantStatus.BAD_GNTREF;
        }
        final int slot = claimSlot();
        if (slot < 0)
        {
            return GrantStatus.NO_SPACE;
        }
        final AtomicBuffer maptrack = own.grants;
        final int slotOffset = own.maptrackOffset(slot);
        final int flags = readOnly ? SimGrantTableDescriptor.MAPTRACK_READ_ONLY : 0;
        maptrack.putInt(slotOffset + SimGrantTableDescriptor.MAPTRACK_GENERATION_OFFSET, granter.generation);
        maptrack.putInt(slotOffset + SimGrantTableDescriptor.MAPTRACK_REF_OFFSET, ref);
        maptrack.putInt(slotOffset + SimGrantTableDescriptor.MAPTRACK_NOTIFY_OFFSET, 0);
        maptrack.putInt(slotOffset + SimGrantTableDescriptor.MAPTRACK_TARGET_OFFSET,
            SimGrantTableDescriptor.maptrackTarget(granterDomid, flags));
        if (!hypervisor.lockGrant(granter, ref))
        {
            // Another live process holds the ref's pin lock (a hostile granter can write any pid there).
            freeSlot(slotOffset);
            return GrantStatus.EAGAIN;
        }
        final int frame;
        try
        {
            frame = SimGrantProtocol.pin(granter.grants, granter.entryOffset(ref), granter.activeOffset(ref), domid,
                readOnly, granter.pages);
            if (frame >= 0)
            {
                // Release: generation and ref are visible before MAPPED makes the slot count as a pin.
                maptrack.putIntRelease(slotOffset + SimGrantTableDescriptor.MAPTRACK_TARGET_OFFSET,
                    SimGrantTableDescriptor.maptrackTarget(
                    granterDomid, flags | SimGrantTableDescriptor.MAPTRACK_MAPPED));
            }
        }
        finally
        {
            hypervisor.unlockGrant(granter, ref);
        }
        if (frame < 0)
        {
            freeSlot(slotOffset);
            return frame;
        }
        return (long)slot << 32 | frame;
    }

    private int claimSlot()
    {
        final AtomicBuffer maptrack = own.grants;
        final int size = own.maptrack;
        final int start = slotHint;
        for (int i = 0; i < size; i++)
        {
            final int slot = (start + i) % size;
            final int ownerOffset = own.maptrackOffset(slot) + SimGrantTableDescriptor.MAPTRACK_OWNER_OFFSET;
            if (maptrack.getIntVolatile(ownerOffset) == 0 && maptrack.compareAndSetInt(ownerOffset, 0, pid))
            {
                slotHint = slot + 1 < size ? slot + 1 : 0;
                return slot;
            }
        }
        return -1;
    }

    private void freeSlot(final int slotOffset)
    {
        own.grants.putIntRelease(slotOffset + SimGrantTableDescriptor.MAPTRACK_TARGET_OFFSET, 0);
        own.grants.putIntRelease(slotOffset + SimGrantTableDescriptor.MAPTRACK_OWNER_OFFSET, 0);
    }

    @Override
    public int unmap(final GrantMapBatch batch)
    {
        retryStaleSlots(System.nanoTime());
        int unmapped = 0;
        for (int i = 0; i < batch.size(); i++)
        {
            final GrantMapping mapping = batch.mapping(i);
            if (mapping != null && unmapOwned(mapping))
            {
                unmapped++;
            }
        }
        return unmapped;
    }

    @Override
    public void unmap(final GrantMapping mapping)
    {
        unmapOwned(mapping);
    }

    private boolean unmapOwned(final GrantMapping mapping)
    {
        if (!(mapping instanceof SimGrantMapping sim) || sim.owner != this)
        {
            throw new IllegalArgumentException("mapping was not made by this grant table: mapping=" + mapping +
                " domid=" + domid);
        }
        // munmap first: once the pin is dropped the granter may end access and reuse the page.
        if (!sim.unmapPage())
        {
            return false;
        }
        releaseSlot(sim.slot);
        mappings.remove(sim);
        return true;
    }

    /**
     * Drops a slot's pin; if the ref's pin lock is held by another live process, the slot stays (marked stale,
     * still pinning the grant) and is retried by later calls, so unmapping never blocks on a peer.
     */
    private void releaseSlot(final int slot)
    {
        if (hypervisor.releaseMaptrack(own, slot, SimHypervisor.lockDeadline()) == SimHypervisor.SLOT_STALE)
        {
            staleSlots.add(slot);
        }
    }

    /**
     * Tries again to release the slots left stale, each until {@code deadlineNanos} (a past deadline tries each
     * lock briefly).
     */
    private void retryStaleSlots(final long deadlineNanos)
    {
        if (staleSlots.isEmpty())
        {
            return;
        }
        for (int i = staleSlots.size(); i > 0; i--)
        {
            final Integer slot = staleSlots.poll();
            if (slot == null)
            {
                return;
            }
            if (hypervisor.releaseMaptrack(own, slot, deadlineNanos) == SimHypervisor.SLOT_STALE)
            {
                staleSlots.add(slot);
            }
        }
    }

    int staleSlots()
    {
        return staleSlots.size();
    }

    /**
     * Copies the batch in runs of three passes: lock and pin every segment of the run, copy them all, then unpin
     * and unlock. A segment's data stores into the peer's memory are then not each waited for by the locked
     * instruction that unpins it (a full fence, which drains the store buffer): one segment's cache-line transfers
     * overlap the next ones'. A ref named twice in a run is locked once and pinned twice. A run ends before a lock
     * that is not free at once, so this process never waits for a lock while it holds another.
     */
    @Override
    public int copy(final GrantCopyBatch batch)
    {
        checkOpen();
        final SimCopyScratch scratch = batch.simScratch();
        final int size = batch.size();
        int copied = 0;
        int start = 0;
        while (start < size)
        {
            final int end = lockAndPinRun(batch, scratch, start, size);
            copied += copyRun(batch, scratch, start, end);
            unpinAndUnlockRun(batch, scratch, start, end);
            scratch.endRun(start, end);
            start = end;
        }
        return copied;
    }

    /**
     * Checks, locks and pins segments from {@code start}; a segment that fails gets its status.
     *
     * @return the end of the run (exclusive).
     */
    private int lockAndPinRun(
        final GrantCopyBatch batch, final SimCopyScratch scratch, final int start, final int size)
    {
        boolean holdsLocks = false;
        for (int i = start; i < size; i++)
        {
            scratch.frames[i] = SimCopyScratch.NOT_PINNED;
            scratch.ownsLock[i] = false;
            if (batch.status(i) != GrantStatus.NOT_DONE)
            {
                continue;
            }
            final int granterDomid = batch.domid(i);
            final SimDomainView granter = system.view(granterDomid);
            if (granter == null)
            {
                batch.status(i, GrantStatus.BAD_DOMAIN);
                continue;
            }
            final int ref = batch.ref(i);
            if (ref < 0 || ref >= granter.entries)
            {
                batch.status(i, GrantStatus.BAD_GNTREF);
                continue;
            }
            if (!GrantCopyBatch.isWithinPage(batch.foreignOffset(i), batch.length(i)))
            {
                batch.status(i, GrantStatus.BAD_COPY_ARG);
                continue;
            }
            final AtomicBuffer memory;
            try
            {
                memory = granter.memory();
            }
            catch (final RuntimeException ex)
            {
                batch.status(i, GrantStatus.GENERAL_ERROR);
                continue;
            }
            final int active = granter.activeOffset(ref);
            if (scratch.lockHolder(batch, granterDomid, ref) < 0)
            {
                if (!SimGrantProtocol.tryLock(granter.grants, active, pid))
                {
                    if (holdsLocks)
                    {
                        // Release what this run holds before waiting for a lock (no hold-and-wait across processes).
                        return i;
                    }
                    if (!hypervisor.lockGrant(granter, ref, SimHypervisor.lockDeadline()))
                    {
                        batch.status(i, GrantStatus.EAGAIN);
                        continue;
                    }
                }
                holdsLocks = true;
                scratch.ownsLock[i] = true;
                scratch.recordLock(i, granterDomid, ref);
            }
            scratch.views[i] = granter;
            final int frame =
                SimGrantProtocol.pin(granter.grants, granter.entryOffset(ref), active, domid, !batch.isToForeign(i),
                    granter.pages);
            if (frame < 0)
            {
                batch.status(i, frame);
                continue;
            }
            scratch.frames[i] = frame;
            scratch.memories[i] = memory;
        }
        return size;
    }

    private static int copyRun(
        final GrantCopyBatch batch, final SimCopyScratch scratch, final int start, final int end)
    {
        int copied = 0;
        for (int i = start; i < end; i++)
        {
            final int frame = scratch.frames[i];
            if (frame == SimCopyScratch.NOT_PINNED)
            {
                continue;
            }
            final int foreign = (int)DomainMemoryDescriptor.frameOffset(frame) + batch.foreignOffset(i);
            try
            {
                if (batch.isToForeign(i))
                {
                    scratch.memories[i].putBytes(foreign, batch.localBuffer(i), batch.localOffset(i), batch.length(i));
                }
                else
                {
                    ((MutableDirectBuffer)batch.localBuffer(i))
                        .putBytes(batch.localOffset(i), scratch.memories[i], foreign, batch.length(i));
                }
                batch.status(i, GrantStatus.OKAY);
                copied++;
            }
            catch (final InternalError fault)
            {
                // SIGBUS: the granter's memory file was truncated under our mapping (see SimSystem).
                batch.status(i, GrantStatus.GENERAL_ERROR);
            }
        }
        return copied;
    }

    private void unpinAndUnlockRun(
        final GrantCopyBatch batch, final SimCopyScratch scratch, final int start, final int end)
    {
        // Unpin every segment before unlocking any: a ref pinned by two segments is unlocked by the first one,
        // which must not happen while the second still counts its pin.
        for (int i = start; i < end; i++)
        {
            if (scratch.frames[i] != SimCopyScratch.NOT_PINNED)
            {
                final SimDomainView granter = scratch.views[i];
                final int ref = batch.ref(i);
                // The first locked instruction here orders every copy of the run before the pins drop: the granter
                // that then sees the pins gone and ends access sees no later write of ours.
                SimGrantProtocol.unpin(
                    granter.grants, granter.entryOffset(ref), granter.activeOffset(ref), !batch.isToForeign(i));
            }
        }
        for (int i = start; i < end; i++)
        {
            if (scratch.ownsLock[i])
            {
                hypervisor.unlockGrant(scratch.views[i], batch.ref(i));
            }
        }
    }

    void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final SimGrantMapping mapping : mappings)
        {
            unmapOwned(mapping);
        }
        for (final SimGrantRegion region : regions)
        {
            unmapRegion(region);
        }
        // One last bounded try; slots still stale stay owned by this pid until a reclaim after its exit.
        retryStaleSlots(SimHypervisor.lockDeadline());
        for (int ref = 0; ref < grantedHere.length; ref++)
        {
            if (grantedHere[ref])
            {
                // A grant still mapped by a peer stays (owned by this pid) until reclaimed after it is unmapped;
                // its end notification tells the peer now.
                hypervisor.fireEndNotify(own, ref);
                final int entry = own.entryOffset(ref);
                final int result = SimGrantProtocol.tryEnd(own.grants, entry);
                if (result == SimGrantProtocol.END_OK)
                {
                    hypervisor.releaseFrameGrant(
                        own, own.grants.getIntOpaque(entry + GrantEntryV1Descriptor.FRAME_OFFSET));
                }
                if (result != SimGrantProtocol.END_BUSY)
                {
                    own.grants.putIntRelease(own.activeOffset(ref) + SimGrantTableDescriptor.ACTIVE_OWNER_OFFSET, 0);
                }
                grantedHere[ref] = false;
            }
        }
    }

    int liveMappings()
    {
        return mappings.size();
    }

    int liveRegions()
    {
        return regions.size();
    }

    private void checkGrantee(final int grantee)
    {
        if (grantee < 0 || grantee >= DOMID_FIRST_RESERVED)
        {
            throw new IllegalArgumentException(
                "domid out of range: domid=" + grantee + " max=" + (DOMID_FIRST_RESERVED - 1));
        }
    }

    private void checkFrame(final int frame)
    {
        if (frame < 0 || frame >= own.pages)
        {
            throw new IllegalArgumentException("frame out of range: frame=" + frame + " pages=" + own.pages);
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
        return "SimGrantTable{domid=" + domid + ", entries=" + own.entries + ", mappings=" + mappings.size() + "}";
    }
}
