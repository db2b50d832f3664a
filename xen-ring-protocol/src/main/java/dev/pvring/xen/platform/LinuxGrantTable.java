/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import dev.pvring.core.SharedMemory;
import dev.pvring.core.linux.LibC;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link GrantTable} on Linux {@code /dev/xen}: {@code gntalloc} grants, {@code gntdev} maps and copies.
 * <b>Untested against real Xen</b> (no Xen host in CI); the ioctl layouts are checked against the headers.
 * <p>
 * Granting: {@code gntalloc} cannot grant an existing page, so {@link #grantAccess} allocates a granted page
 * for the domid and maps it over the local page's address ({@code MAP_FIXED}), keeping its contents; a frame
 * can therefore be granted to one domain at a time. Ending access deallocates the grant and puts a fresh
 * anonymous page back at the address; the kernel keeps the old page until the peer unmaps it, so
 * {@link #tryEndAccess} always succeeds and the caller may reuse the page at once (the peer never sees it
 * again). Reserved refs are set up by the toolstack and are not available here.
 * <p>
 * Mapping: one {@code MAP_GRANT_REF} + {@code mmap} per entry (so each entry has its own result; the kernel
 * does not pass the hypervisor's status through, so a failed entry reports {@link GrantStatus#GENERAL_ERROR}),
 * placed into a preallocated address slot with a preallocated buffer view; unmapping puts an anonymous page
 * back into the slot (which removes the gntdev mapping) and then unregisters the grant. A stale buffer after
 * unmap therefore reads harmless memory instead of crashing. Copying: one {@code IOCTL_GNTDEV_GRANT_COPY} per
 * batch with a preallocated segment array and the hypervisor's per-segment {@code GNTST_*} status; heap
 * buffers are bounced through native memory.
 */
final class LinuxGrantTable implements GrantTable
{
    private final LinuxDevice gntdev;
    private final LinuxDevice gntalloc;
    private final LinuxLocalPages pages;
    private final int domid;
    private final Int2IntHashMap refToFrame = new Int2IntHashMap(-1);
    private final long[] frameIndex;
    private final AtomicBuffer scratch = new UnsafeBuffer(new byte[PAGE_SIZE]);
    private final SharedMemory slots;
    private final AtomicBuffer[] writableViews;
    private final AtomicBuffer[] readOnlyViews;
    private final int[] freeSlots;
    private int freeSlotCount;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment copyArg;
    private MemorySegment segments;
    private MemorySegment bounce;
    private final UnsafeBuffer bounceView = new UnsafeBuffer(new byte[0]);
    private int[] segmentIndex = new int[0];
    private final MemorySegment regionArg;
    private final java.util.Set<LinuxGrantRegion> regions = new java.util.HashSet<>();

    LinuxGrantTable(final LinuxDevice gntdev, final LinuxDevice gntalloc, final LinuxLocalPages pages,
        final int domid, final int mappingSlots)
    {
        this.gntdev = gntdev;
        this.gntalloc = gntalloc;
        this.pages = pages;
        this.domid = domid;
        this.frameIndex = new long[pages.pages()];
        java.util.Arrays.fill(frameIndex, -1);
        this.slots = SharedMemory.anonymous((long)mappingSlots * PAGE_SIZE);
        this.writableViews = new AtomicBuffer[mappingSlots];
        this.readOnlyViews = new AtomicBuffer[mappingSlots];
        this.freeSlots = new int[mappingSlots];
        for (int i = 0; i < mappingSlots; i++)
        {
            final long address = slots.address() + (long)i * PAGE_SIZE;
            writableViews[i] = new UnsafeBuffer(address, PAGE_SIZE);
            readOnlyViews[i] = new ReadOnlyAtomicBuffer(address, PAGE_SIZE, "gntdev slot " + i);
            freeSlots[i] = mappingSlots - 1 - i;
        }
        this.freeSlotCount = mappingSlots;
        this.copyArg = arena.allocate(GntdevDescriptor.COPY_LENGTH, 8);
        this.regionArg = arena.allocate(Math.max(GntdevDescriptor.mapLength(MAX_REGION_PAGES),
            GntallocDescriptor.allocLength(MAX_REGION_PAGES)), 8);
    }

    @Override
    public int localDomid()
    {
        return domid;
    }

    @Override
    public synchronized int grantAccess(final int domid, final int frame, final boolean readOnly)
    {
        if (domid < 0 || domid >= 0x7FF0)
        {
            throw new IllegalArgumentException("domid out of range: domid=" + domid + " max=32751");
        }
        if (frame < 0 || frame >= frameIndex.length)
        {
            throw new IllegalArgumentException("frame out of range: frame=" + frame + " pages=" + frameIndex.length);
        }
        if (frameIndex[frame] >= 0)
        {
            throw new IllegalStateException("frame is already granted (gntalloc grants a page to one domain at a " +
                "time): frame=" + frame);
        }
        final MemorySegment arg = gntalloc.arg;
        arg.fill((byte)0);
        arg.set(ValueLayout.JAVA_SHORT, GntallocDescriptor.ALLOC_DOMID_OFFSET, (short)domid);
        arg.set(ValueLayout.JAVA_SHORT, GntallocDescriptor.ALLOC_FLAGS_OFFSET,
            (short)(readOnly ? 0 : GntallocDescriptor.FLAG_WRITABLE));
        arg.set(ValueLayout.JAVA_INT, GntallocDescriptor.ALLOC_COUNT_OFFSET, 1);
        if (gntalloc.ioctl(GntallocDescriptor.IOCTL_ALLOC_GREF) < 0)
        {
            final int errno = gntalloc.lastErrno();
            if (errno == 28 || errno == 12)
            {
                return GrantStatus.NO_SPACE;
            }
            throw new PlatformException("gntalloc alloc failed: domid=" + domid + " " + gntalloc.lastError());
        }
        final long index = arg.get(ValueLayout.JAVA_LONG, GntallocDescriptor.ALLOC_INDEX_OFFSET);
        final int ref = arg.get(ValueLayout.JAVA_INT, GntallocDescriptor.ALLOC_GREF_IDS_OFFSET);
        final int offset = frame * PAGE_SIZE;
        scratch.putBytes(0, pages.pool(), offset, PAGE_SIZE);
        final long mapped = gntalloc.mmap(pages.address(frame), LibC.PROT_READ | LibC.PROT_WRITE,
            LibC.MAP_SHARED | LinuxDevice.MAP_FIXED, index);
        if (mapped == LibC.MAP_FAILED)
        {
            final String error = gntalloc.lastError();
            dealloc(index);
            throw new PlatformException(
                "cannot map the gntalloc page over the local page: frame=" + frame + " " + error);
        }
        pages.pool().putBytes(offset, scratch, 0, PAGE_SIZE);
        frameIndex[frame] = index;
        refToFrame.put(ref, frame);
        pages.granted(frame, 1);
        return ref;
    }

    @Override
    public synchronized int grantAccess(
        final int domid, final LocalPageRange range, final boolean readOnly, final int[] refs)
    {
        final int count = range.pages();
        final int first = range.firstFrame();
        if (domid < 0 || domid >= 0x7FF0)
        {
            throw new IllegalArgumentException("domid out of range: domid=" + domid + " max=32751");
        }
        if (refs.length < count)
        {
            throw new IllegalArgumentException("refs array too short: length=" + refs.length + " pages=" + count);
        }
        if (first + count > frameIndex.length)
        {
            throw new IllegalArgumentException(
                "range out of the pool: firstFrame=" + first + " pages=" + count + " pool=" + frameIndex.length);
        }
        for (int i = 0; i < count; i++)
        {
            if (frameIndex[first + i] >= 0)
            {
                throw new IllegalStateException("frame is already granted (gntalloc grants a page to one domain at " +
                    "a time): frame=" + (first + i));
            }
        }
        GntallocDescriptor.encodeAlloc(regionArg, domid, readOnly, count);
        if (gntalloc.ioctl(GntallocDescriptor.IOCTL_ALLOC_GREF, regionArg) < 0)
        {
            final int errno = gntalloc.lastErrno();
            if (errno == 28 || errno == 12)
            {
                return GrantStatus.NO_SPACE;
            }
            throw new PlatformException(
                "gntalloc alloc failed: domid=" + domid + " count=" + count + " " + gntalloc.lastError());
        }
        final long index = regionArg.get(ValueLayout.JAVA_LONG, GntallocDescriptor.ALLOC_INDEX_OFFSET);
        final long length = (long)count * PAGE_SIZE;
        final int offset = first * PAGE_SIZE;
        final byte[] saved = new byte[(int)length];
        pages.pool().getBytes(offset, saved);
        // One mmap of the N granted pages over the local range (contents kept through the copy).
        final long mapped = LibC.mmap(gntalloc.errno, pages.address(first), length, LibC.PROT_READ | LibC.PROT_WRITE,
            LibC.MAP_SHARED | LinuxDevice.MAP_FIXED, gntalloc.fd, index);
        if (mapped == LibC.MAP_FAILED)
        {
            final String error = gntalloc.lastError();
            dealloc(index, count);
            throw new PlatformException("cannot map the gntalloc pages over the local range: firstFrame=" + first +
                " pages=" + count + " " + error);
        }
        pages.pool().putBytes(offset, saved);
        for (int i = 0; i < count; i++)
        {
            final int ref = regionArg.get(ValueLayout.JAVA_INT,
                GntallocDescriptor.ALLOC_GREF_IDS_OFFSET + (long)i * Integer.BYTES);
            // Each page of the allocation is its own gntalloc index: it can be deallocated on its own.
            frameIndex[first + i] = index + (long)i * PAGE_SIZE;
            refToFrame.put(ref, first + i);
            pages.granted(first + i, 1);
            refs[i] = ref;
        }
        return GrantStatus.OKAY;
    }

    @Override
    public void grantReserved(final int ref, final int domid, final int frame, final boolean readOnly)
    {
        throw new IllegalStateException(
            "reserved grant refs are written by the toolstack; /dev/xen/gntalloc cannot set them: ref=" + ref);
    }

    @Override
    public synchronized boolean tryEndAccess(final int ref)
    {
        final int frame = refToFrame.get(ref);
        if (frame < 0)
        {
            throw new IllegalStateException("grant ref is not granted by this process: ref=" + ref);
        }
        final int offset = frame * PAGE_SIZE;
        scratch.putBytes(0, pages.pool(), offset, PAGE_SIZE);
        dealloc(frameIndex[frame]);
        // A fresh page at the same address: the old one stays with the peer until it unmaps (kernel-deferred).
        final long fresh = LibC.mmap(gntalloc.errno, pages.address(frame), PAGE_SIZE, LibC.PROT_READ | LibC.PROT_WRITE,
            LibC.MAP_SHARED | LibC.MAP_ANONYMOUS | LinuxDevice.MAP_FIXED, -1, 0);
        if (fresh == LibC.MAP_FAILED)
        {
            throw new PlatformException("cannot replace an ended grant's page: frame=" + frame + " " +
                gntalloc.lastError());
        }
        pages.pool().putBytes(offset, scratch, 0, PAGE_SIZE);
        frameIndex[frame] = -1;
        refToFrame.remove(ref);
        pages.granted(frame, -1);
        return true;
    }

    private void dealloc(final long index)
    {
        dealloc(index, 1);
    }

    private void dealloc(final long index, final int count)
    {
        final MemorySegment arg = gntalloc.arg;
        arg.fill((byte)0);
        arg.set(ValueLayout.JAVA_LONG, GntallocDescriptor.DEALLOC_INDEX_OFFSET, index);
        arg.set(ValueLayout.JAVA_INT, GntallocDescriptor.DEALLOC_COUNT_OFFSET, count);
        gntalloc.ioctl(GntallocDescriptor.IOCTL_DEALLOC_GREF);
    }

    @Override
    public synchronized void setEndNotify(final int ref, final int clearByteOffset, final int port)
    {
        final int frame = refToFrame.get(ref);
        if (frame < 0)
        {
            throw new IllegalStateException("grant ref is not granted by this process: ref=" + ref);
        }
        setNotify(gntalloc, GntallocDescriptor.IOCTL_SET_UNMAP_NOTIFY, frameIndex[frame], clearByteOffset, port);
    }

    @Override
    public synchronized void setUnmapNotify(final GrantMapping mapping, final int clearByteOffset, final int port)
    {
        if (!(mapping instanceof LinuxGrantMapping linux) || linux.owner != this)
        {
            throw new IllegalArgumentException("mapping was not made by this grant table: mapping=" + mapping);
        }
        if (clearByteOffset >= 0 && linux.isReadOnly())
        {
            throw new IllegalArgumentException("clearing a byte on unmap needs a writable mapping: domid=" +
                linux.domid() + " ref=" + linux.ref());
        }
        if (!linux.isMapped())
        {
            throw new IllegalStateException(
                "grant mapping is unmapped: domid=" + linux.domid() + " ref=" + linux.ref());
        }
        setNotify(gntdev, GntdevDescriptor.IOCTL_SET_UNMAP_NOTIFY, linux.index, clearByteOffset, port);
    }

    private static void setNotify(
        final LinuxDevice device, final long request, final long index, final int clearByteOffset, final int port)
    {
        if (clearByteOffset < -1 || clearByteOffset >= PAGE_SIZE || port < 0)
        {
            throw new IllegalArgumentException(
                "notify out of range: clearByteOffset=" + clearByteOffset + " port=" + port);
        }
        final MemorySegment arg = device.arg;
        arg.fill((byte)0);
        arg.set(ValueLayout.JAVA_LONG, GntdevDescriptor.NOTIFY_INDEX_OFFSET, index + Math.max(clearByteOffset, 0));
        arg.set(ValueLayout.JAVA_INT, GntdevDescriptor.NOTIFY_ACTION_OFFSET,
            (clearByteOffset >= 0 ? GntdevDescriptor.UNMAP_NOTIFY_CLEAR_BYTE : 0) |
            (port > 0 ? GntdevDescriptor.UNMAP_NOTIFY_SEND_EVENT : 0));
        arg.set(ValueLayout.JAVA_INT, GntdevDescriptor.NOTIFY_PORT_OFFSET, port);
        if (device.ioctl(request) < 0)
        {
            throw new PlatformException("set unmap notify failed: path=" + device.path + " " + device.lastError());
        }
    }

    @Override
    public synchronized int map(final GrantMapBatch batch)
    {
        int mapped = 0;
        for (int i = 0; i < batch.size(); i++)
        {
            if (batch.status(i) != GrantStatus.NOT_DONE)
            {
                continue;
            }
            if (freeSlotCount == 0)
            {
                batch.complete(i, GrantStatus.NO_SPACE, null);
                continue;
            }
            final boolean readOnly = batch.isReadOnly(i);
            final MemorySegment arg = gntdev.arg;
            arg.fill((byte)0);
            arg.set(ValueLayout.JAVA_INT, GntdevDescriptor.MAP_COUNT_OFFSET, 1);
            arg.set(ValueLayout.JAVA_INT, GntdevDescriptor.MAP_REFS_OFFSET + GntdevDescriptor.GRANT_REF_DOMID_OFFSET,
                batch.domid(i));
            arg.set(ValueLayout.JAVA_INT, GntdevDescriptor.MAP_REFS_OFFSET + GntdevDescriptor.GRANT_REF_REF_OFFSET,
                batch.ref(i));
            if (gntdev.ioctl(GntdevDescriptor.IOCTL_MAP_GRANT_REF) < 0)
            {
                batch.complete(i, GrantStatus.GENERAL_ERROR, null);
                continue;
            }
            final long index = arg.get(ValueLayout.JAVA_LONG, GntdevDescriptor.MAP_INDEX_OFFSET);
            final int slot = freeSlots[--freeSlotCount];
            final long address = slots.address() + (long)slot * PAGE_SIZE;
            final long result = gntdev.mmap(address, LibC.PROT_READ | (readOnly ? 0 : LibC.PROT_WRITE),
                LibC.MAP_SHARED | LinuxDevice.MAP_FIXED, index);
            if (result == LibC.MAP_FAILED)
            {
                restoreSlot(slot);
                unregister(index);
                freeSlots[freeSlotCount++] = slot;
                batch.complete(i, GrantStatus.GENERAL_ERROR, null);
                continue;
            }
            batch.complete(i, GrantStatus.OKAY, new LinuxGrantMapping(this, slot, index, batch.domid(i), batch.ref(i),
                readOnly, readOnly ? readOnlyViews[slot] : writableViews[slot]));
            mapped++;
        }
        return mapped;
    }

    @Override
    public synchronized GrantRegion mapRegion(
        final int domid, final int[] refs, final int count, final boolean readOnly, final GrantMapFailure failure)
    {
        if (count < 1 || count > MAX_REGION_PAGES || count > refs.length)
        {
            throw new IllegalArgumentException("region page count out of range: count=" + count + " refs=" +
                refs.length + " max=" + MAX_REGION_PAGES);
        }
        failure.reset();
        GntdevDescriptor.encodeMap(regionArg, domid, refs, count);
        if (gntdev.ioctl(GntdevDescriptor.IOCTL_MAP_GRANT_REF, regionArg) < 0)
        {
            // Nothing registered; the refs were not even looked at (out of gntdev grants, or bad memory).
            failure.set(0, gntdev.lastErrno() == 12 ? GrantStatus.NO_SPACE : GrantStatus.GENERAL_ERROR);
            return null;
        }
        final long index = regionArg.get(ValueLayout.JAVA_LONG, GntdevDescriptor.MAP_INDEX_OFFSET);
        final long length = (long)count * PAGE_SIZE;
        final long address = LibC.mmap(gntdev.errno, 0, length, LibC.PROT_READ | (readOnly ? 0 : LibC.PROT_WRITE),
            LibC.MAP_SHARED, gntdev.fd, index);
        if (address == LibC.MAP_FAILED)
        {
            // The hypervisor refused some entry; the kernel does not say which: find it one ref at a time.
            unregister(index, count);
            final int failed = firstFailing(domid, refs, count, readOnly);
            failure.set(Math.max(failed, 0), GrantStatus.GENERAL_ERROR);
            return null;
        }
        final LinuxGrantRegion region = new LinuxGrantRegion(this, index, domid, java.util.Arrays.copyOf(refs, count),
            readOnly, SharedMemory.adoptMapping(null, index,
            readOnly ? SharedMemory.Access.READ_ONLY : SharedMemory.Access.READ_WRITE, address, length));
        regions.add(region);
        return region;
    }

    /**
     * Maps each ref alone (and unmaps it again) to find the first one the hypervisor refuses.
     *
     * @return its index, or -1 if every ref maps alone (a transient failure).
     */
    private int firstFailing(final int domid, final int[] refs, final int count, final boolean readOnly)
    {
        for (int i = 0; i < count; i++)
        {
            GntdevDescriptor.encodeMap(regionArg, domid, refs, i, 1);
            if (gntdev.ioctl(GntdevDescriptor.IOCTL_MAP_GRANT_REF, regionArg) < 0)
            {
                return i;
            }
            final long index = regionArg.get(ValueLayout.JAVA_LONG, GntdevDescriptor.MAP_INDEX_OFFSET);
            final long address = LibC.mmap(gntdev.errno, 0, PAGE_SIZE,
                LibC.PROT_READ | (readOnly ? 0 : LibC.PROT_WRITE), LibC.MAP_SHARED, gntdev.fd, index);
            if (address == LibC.MAP_FAILED)
            {
                unregister(index, 1);
                return i;
            }
            LibC.munmap(gntdev.errno, address, PAGE_SIZE);
            unregister(index, 1);
        }
        return -1;
    }

    @Override
    public synchronized boolean unmapRegion(final GrantRegion region)
    {
        if (!(region instanceof LinuxGrantRegion linux) || linux.owner != this)
        {
            throw new IllegalArgumentException("region was not mapped by this grant table: region=" + region);
        }
        // munmap first, then unregister (the order gntdev documents).
        if (!linux.unmapPages())
        {
            return false;
        }
        unregister(linux.index, linux.pages());
        regions.remove(linux);
        return true;
    }

    private void restoreSlot(final int slot)
    {
        // Replacing the mapping removes the gntdev one (what munmap would do) and keeps the slot harmless.
        LibC.mmap(gntdev.errno, slots.address() + (long)slot * PAGE_SIZE, PAGE_SIZE, LibC.PROT_READ | LibC.PROT_WRITE,
            LibC.MAP_SHARED | LibC.MAP_ANONYMOUS | LinuxDevice.MAP_FIXED, -1, 0);
    }

    private void unregister(final long index)
    {
        unregister(index, 1);
    }

    private void unregister(final long index, final int count)
    {
        final MemorySegment arg = gntdev.arg;
        arg.fill((byte)0);
        arg.set(ValueLayout.JAVA_LONG, GntdevDescriptor.UNMAP_INDEX_OFFSET, index);
        arg.set(ValueLayout.JAVA_INT, GntdevDescriptor.UNMAP_COUNT_OFFSET, count);
        gntdev.ioctl(GntdevDescriptor.IOCTL_UNMAP_GRANT_REF);
    }

    @Override
    public synchronized int unmap(final GrantMapBatch batch)
    {
        int unmapped = 0;
        for (int i = 0; i < batch.size(); i++)
        {
            final GrantMapping mapping = batch.mapping(i);
            if (mapping != null && unmapOne(mapping))
            {
                unmapped++;
            }
        }
        return unmapped;
    }

    @Override
    public synchronized void unmap(final GrantMapping mapping)
    {
        unmapOne(mapping);
    }

    private boolean unmapOne(final GrantMapping mapping)
    {
        if (!(mapping instanceof LinuxGrantMapping linux) || linux.owner != this)
        {
            throw new IllegalArgumentException("mapping was not made by this grant table: mapping=" + mapping);
        }
        if (!linux.isMapped())
        {
            return false;
        }
        linux.markUnmapped();
        restoreSlot(linux.slot);
        unregister(linux.index);
        freeSlots[freeSlotCount++] = linux.slot;
        return true;
    }

    @Override
    public synchronized int copy(final GrantCopyBatch batch)
    {
        ensureCopyCapacity(batch.size());
        int count = 0;
        for (int i = 0; i < batch.size(); i++)
        {
            if (batch.status(i) != GrantStatus.NOT_DONE)
            {
                continue;
            }
            final int foreignOffset = batch.foreignOffset(i);
            final int length = batch.length(i);
            if (!GrantCopyBatch.isWithinPage(foreignOffset, length))
            {
                batch.status(i, GrantStatus.BAD_COPY_ARG);
                continue;
            }
            final boolean toForeign = batch.isToForeign(i);
            final DirectBuffer local = batch.localBuffer(i);
            final long localAddress;
            if (local.byteArray() == null)
            {
                localAddress = local.addressOffset() + batch.localOffset(i);
            }
            else
            {
                localAddress = bounce.address() + (long)count * PAGE_SIZE;
                if (toForeign)
                {
                    bounceView.putBytes(count * PAGE_SIZE, local, batch.localOffset(i), length);
                }
            }
            final long segment = (long)count * GntdevDescriptor.SEGMENT_LENGTH;
            final long foreign = segment + (toForeign ? GntdevDescriptor.SEGMENT_DEST_OFFSET :
                GntdevDescriptor.SEGMENT_SOURCE_OFFSET);
            final long mine = segment + (toForeign ? GntdevDescriptor.SEGMENT_SOURCE_OFFSET :
                GntdevDescriptor.SEGMENT_DEST_OFFSET);
            segments.set(ValueLayout.JAVA_INT, foreign + GntdevDescriptor.FOREIGN_REF_OFFSET, batch.ref(i));
            segments.set(ValueLayout.JAVA_SHORT, foreign + GntdevDescriptor.FOREIGN_OFFSET_OFFSET,
                (short)foreignOffset);
            segments.set(ValueLayout.JAVA_SHORT, foreign + GntdevDescriptor.FOREIGN_DOMID_OFFSET,
                (short)batch.domid(i));
            segments.set(ValueLayout.JAVA_LONG, mine, localAddress);
            segments.set(ValueLayout.JAVA_SHORT, segment + GntdevDescriptor.SEGMENT_LEN_OFFSET, (short)length);
            segments.set(ValueLayout.JAVA_SHORT, segment + GntdevDescriptor.SEGMENT_FLAGS_OFFSET,
                (short)(toForeign ? GntdevDescriptor.GNTCOPY_DEST_GREF : GntdevDescriptor.GNTCOPY_SOURCE_GREF));
            segments.set(ValueLayout.JAVA_SHORT, segment + GntdevDescriptor.SEGMENT_STATUS_OFFSET, (short)0);
            segmentIndex[count++] = i;
        }
        if (count == 0)
        {
            return 0;
        }
        copyArg.set(ValueLayout.JAVA_INT, GntdevDescriptor.COPY_COUNT_OFFSET, count);
        copyArg.set(ValueLayout.JAVA_LONG, GntdevDescriptor.COPY_SEGMENTS_OFFSET, segments.address());
        final boolean failed = gntdev.ioctl(GntdevDescriptor.IOCTL_GRANT_COPY, copyArg) < 0;
        int copied = 0;
        for (int k = 0; k < count; k++)
        {
            final int i = segmentIndex[k];
            final int status = failed ? GrantStatus.GENERAL_ERROR : segments.get(ValueLayout.JAVA_SHORT,
                (long)k * GntdevDescriptor.SEGMENT_LENGTH + GntdevDescriptor.SEGMENT_STATUS_OFFSET);
            final DirectBuffer local = batch.localBuffer(i);
            if (status == GrantStatus.OKAY && !batch.isToForeign(i) && local.byteArray() != null)
            {
                ((MutableDirectBuffer)local).putBytes(batch.localOffset(i), bounceView, k * PAGE_SIZE, batch.length(i));
            }
            batch.status(i, status);
            if (status == GrantStatus.OKAY)
            {
                copied++;
            }
        }
        return copied;
    }

    private void ensureCopyCapacity(final int capacity)
    {
        if (segmentIndex.length < capacity)
        {
            segments = arena.allocate((long)capacity * GntdevDescriptor.SEGMENT_LENGTH, 8);
            bounce = arena.allocate((long)capacity * PAGE_SIZE, PAGE_SIZE);
            bounceView.wrap(bounce.address(), capacity * PAGE_SIZE);
            segmentIndex = new int[capacity];
        }
    }

    synchronized void close()
    {
        for (final LinuxGrantRegion region : regions.toArray(new LinuxGrantRegion[0]))
        {
            unmapRegion(region);
        }
        final int[] refs = refToFrame.keySet().stream().mapToInt(Integer::intValue).toArray();
        for (final int ref : refs)
        {
            tryEndAccess(ref);
        }
        slots.close();
        arena.close();
    }
}
