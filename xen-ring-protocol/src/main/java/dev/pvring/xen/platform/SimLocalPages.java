/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The simulated domain's page allocator as seen by one process: frames of the domain's memory file, claimed
 * by compare-and-set of their owner word in the frame table ({@link SimGrantTableDescriptor}), so several
 * processes of one domain never hand out the same frame. Freeing a frame that an active grant still names
 * is refused (XSA-396: such a page may still be mapped by the peer).
 */
final class SimLocalPages implements LocalPages
{
    private static final byte[] DETACHED = new byte[0];

    private final SimDomainView own;
    private final AtomicBuffer table;
    private final int pid;
    private final LocalPage[] allocated;
    private final LocalPageRange[] rangeOf;
    private int frameHint;
    private volatile boolean closed;

    SimLocalPages(final SimSystem system, final SimDomainView own)
    {
        this.own = own;
        this.table = own.grants;
        this.pid = system.pid();
        this.allocated = new LocalPage[own.pages];
        this.rangeOf = new LocalPageRange[own.pages];
    }

    @Override
    public LocalPage allocate()
    {
        checkOpen();
        final int pages = own.pages;
        final int start = frameHint;
        for (int i = 0; i < pages; i++)
        {
            final int frame = (start + i) % pages;
            final int ownerOffset = own.frameOffset(frame) + SimGrantTableDescriptor.FRAME_OWNER_OFFSET;
            if (table.getIntVolatile(ownerOffset) == 0 && table.compareAndSetInt(ownerOffset, 0, pid))
            {
                frameHint = frame + 1 < pages ? frame + 1 : 0;
                final AtomicBuffer memory = own.memory();
                final int offset = (int)DomainMemoryDescriptor.frameOffset(frame);
                // Zero before handing out: a granted page never shows a previous user's data (XSA-403).
                memory.setMemory(offset, GrantTable.PAGE_SIZE, (byte)0);
                final LocalPage page = new LocalPage(frame, new UnsafeBuffer(memory, offset, GrantTable.PAGE_SIZE));
                synchronized (allocated)
                {
                    allocated[frame] = page;
                }
                return page;
            }
        }
        return null;
    }

    @Override
    public LocalPageRange allocateContiguous(final int count)
    {
        checkOpen();
        if (count < 1 || count > GrantTable.MAX_REGION_PAGES)
        {
            throw new IllegalArgumentException(
                "page count out of range: count=" + count + " max=" + GrantTable.MAX_REGION_PAGES);
        }
        final int pages = own.pages;
        int first = 0;
        while (first + count <= pages)
        {
            int claimed = 0;
            while (claimed < count)
            {
                final int ownerOffset = own.frameOffset(first + claimed) + SimGrantTableDescriptor.FRAME_OWNER_OFFSET;
                if (table.getIntVolatile(ownerOffset) != 0 || !table.compareAndSetInt(ownerOffset, 0, pid))
                {
                    break;
                }
                claimed++;
            }
            if (claimed == count)
            {
                final AtomicBuffer memory = own.memory();
                final int offset = (int)DomainMemoryDescriptor.frameOffset(first);
                // Zero before handing out: a granted page never shows a previous user's data (XSA-403).
                memory.setMemory(offset, count * GrantTable.PAGE_SIZE, (byte)0);
                final LocalPageRange range =
                    new LocalPageRange(first, count, new UnsafeBuffer(memory, offset, count * GrantTable.PAGE_SIZE));
                synchronized (allocated)
                {
                    for (int i = 0; i < count; i++)
                    {
                        allocated[first + i] = range.page(i);
                        rangeOf[first + i] = range;
                    }
                }
                return range;
            }
            for (int i = 0; i < claimed; i++)
            {
                table.putIntRelease(own.frameOffset(first + i) + SimGrantTableDescriptor.FRAME_OWNER_OFFSET, 0);
            }
            // The frame at first + claimed is taken: no run can include it.
            first += claimed + 1;
        }
        return null;
    }

    @Override
    public void free(final LocalPageRange range)
    {
        final int first = range.firstFrame();
        final int count = range.pages();
        synchronized (allocated)
        {
            if (first + count > own.pages || rangeOf[first] != range)
            {
                throw new IllegalArgumentException("range does not belong to this allocator (or is already free): " +
                    "firstFrame=" + first + " pages=" + count + " domid=" + own.domid);
            }
            for (int i = 0; i < count; i++)
            {
                final int grants = table.getIntVolatile(own.frameOffset(first + i) +
                    SimGrantTableDescriptor.FRAME_GRANTS_OFFSET);
                if (grants != 0)
                {
                    throw new IllegalStateException("page is still granted: frame=" + (first + i) + " grants=" +
                        grants + " (end access first; if ending failed, the peer still maps it and the range must " +
                        "not be reused)");
                }
            }
            for (int i = 0; i < count; i++)
            {
                allocated[first + i] = null;
                rangeOf[first + i] = null;
            }
            range.detach();
            for (int i = 0; i < count; i++)
            {
                // Release: our last writes to the page happen before another process can claim it.
                table.putIntRelease(own.frameOffset(first + i) + SimGrantTableDescriptor.FRAME_OWNER_OFFSET, 0);
            }
        }
    }

    @Override
    public void free(final LocalPage page)
    {
        final int frame = page.frame();
        if (frame >= own.pages)
        {
            throw new IllegalArgumentException("page does not belong to this domain: frame=" + frame + " pages=" +
                own.pages + " domid=" + own.domid);
        }
        synchronized (allocated)
        {
            if (rangeOf[frame] != null && allocated[frame] == page)
            {
                throw new IllegalArgumentException(
                    "page belongs to a range; free the range: frame=" + frame + " range=" + rangeOf[frame]);
            }
        }
        final int offset = own.frameOffset(frame);
        final int owner = table.getIntVolatile(offset + SimGrantTableDescriptor.FRAME_OWNER_OFFSET);
        if (owner == 0)
        {
            throw new IllegalStateException("page is already free: frame=" + frame + " domid=" + own.domid);
        }
        if (owner != pid)
        {
            throw new IllegalArgumentException(
                "page is held by another process: frame=" + frame + " owner=" + owner + " pid=" + pid);
        }
        final int grants = table.getIntVolatile(offset + SimGrantTableDescriptor.FRAME_GRANTS_OFFSET);
        if (grants != 0)
        {
            throw new IllegalStateException("page is still granted: frame=" + frame + " grants=" + grants +
                " (end access first; if ending failed, the peer still maps it and the page must not be reused)");
        }
        synchronized (allocated)
        {
            if (allocated[frame] == page)
            {
                allocated[frame] = null;
            }
        }
        // Detach the view so a stale use fails instead of writing into a page someone else gets next.
        page.buffer().wrap(DETACHED);
        // Release: our last writes to the page happen before another process can claim it.
        table.putIntRelease(offset + SimGrantTableDescriptor.FRAME_OWNER_OFFSET, 0);
    }

    @Override
    public int freePages()
    {
        int free = 0;
        for (int frame = 0; frame < own.pages; frame++)
        {
            if (table.getIntVolatile(own.frameOffset(frame) + SimGrantTableDescriptor.FRAME_OWNER_OFFSET) == 0)
            {
                free++;
            }
        }
        return free;
    }

    void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        synchronized (allocated)
        {
            for (int frame = 0; frame < allocated.length; frame++)
            {
                final LocalPage page = allocated[frame];
                if (page != null &&
                    table.getIntVolatile(own.frameOffset(frame) + SimGrantTableDescriptor.FRAME_GRANTS_OFFSET) == 0)
                {
                    allocated[frame] = null;
                    if (rangeOf[frame] != null)
                    {
                        rangeOf[frame].buffer().wrap(DETACHED);
                        rangeOf[frame] = null;
                    }
                    page.buffer().wrap(DETACHED);
                    table.putIntRelease(own.frameOffset(frame) + SimGrantTableDescriptor.FRAME_OWNER_OFFSET, 0);
                }
            }
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("platform is closed: domid=" + own.domid);
        }
    }

    @Override
    public String toString()
    {
        return "SimLocalPages{domid=" + own.domid + ", pages=" + own.pages + "}";
    }
}
