/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Shareable pages for the Linux platform: a pool of anonymous shared memory; "frame" {@code f} is page
 * {@code f} of the pool. {@link LinuxGrantTable#grantAccess} puts a {@code gntalloc} page in its place (same
 * address, contents kept), so a {@link LocalPage}'s view stays valid across grant and end of access.
 */
final class LinuxLocalPages implements LocalPages
{
    private static final byte[] DETACHED = new byte[0];

    private final SharedMemory pool;
    private final int pages;
    private final boolean[] used;
    private final LocalPage[] allocated;
    private final LocalPageRange[] rangeOf;
    private final int[] grants;
    private int freeCount;
    private int frameHint;

    LinuxLocalPages(final int pages)
    {
        if (pages < 1 || pages > SimGrantTableDescriptor.MAX_PAGES)
        {
            throw new IllegalArgumentException("pages out of range: pages=" + pages + " min=1 max=" +
                SimGrantTableDescriptor.MAX_PAGES);
        }
        this.pool = SharedMemory.anonymous((long)pages * GrantTable.PAGE_SIZE);
        this.pages = pages;
        this.used = new boolean[pages];
        this.allocated = new LocalPage[pages];
        this.rangeOf = new LocalPageRange[pages];
        this.grants = new int[pages];
        this.freeCount = pages;
    }

    long address(final int frame)
    {
        return pool.address() + (long)frame * GrantTable.PAGE_SIZE;
    }

    int pages()
    {
        return pages;
    }

    AtomicBuffer pool()
    {
        return pool.buffer();
    }

    synchronized void granted(final int frame, final int delta)
    {
        grants[frame] += delta;
    }

    synchronized int grants(final int frame)
    {
        return grants[frame];
    }

    @Override
    public synchronized LocalPage allocate()
    {
        if (freeCount == 0)
        {
            return null;
        }
        int frame = frameHint;
        while (used[frame])
        {
            frame = frame + 1 < pages ? frame + 1 : 0;
        }
        frameHint = frame + 1 < pages ? frame + 1 : 0;
        used[frame] = true;
        freeCount--;
        final int offset = frame * GrantTable.PAGE_SIZE;
        // Zero before handing out: a granted page never shows a previous user's data (XSA-403).
        pool.buffer().setMemory(offset, GrantTable.PAGE_SIZE, (byte)0);
        final LocalPage page = new LocalPage(frame, new UnsafeBuffer(pool.buffer(), offset, GrantTable.PAGE_SIZE));
        allocated[frame] = page;
        return page;
    }

    @Override
    public synchronized LocalPageRange allocateContiguous(final int count)
    {
        if (count < 1 || count > GrantTable.MAX_REGION_PAGES)
        {
            throw new IllegalArgumentException(
                "page count out of range: count=" + count + " max=" + GrantTable.MAX_REGION_PAGES);
        }
        int run = 0;
        for (int frame = 0; frame < pages; frame++)
        {
            run = used[frame] ? 0 : run + 1;
            if (run == count)
            {
                final int first = frame - count + 1;
                final int offset = first * GrantTable.PAGE_SIZE;
                pool.buffer().setMemory(offset, count * GrantTable.PAGE_SIZE, (byte)0);
                final LocalPageRange range = new LocalPageRange(
                    first, count, new UnsafeBuffer(pool.buffer(), offset, count * GrantTable.PAGE_SIZE));
                for (int i = 0; i < count; i++)
                {
                    used[first + i] = true;
                    allocated[first + i] = range.page(i);
                    rangeOf[first + i] = range;
                }
                freeCount -= count;
                return range;
            }
        }
        return null;
    }

    @Override
    public synchronized void free(final LocalPageRange range)
    {
        final int first = range.firstFrame();
        final int count = range.pages();
        if (first + count > pages || rangeOf[first] != range)
        {
            throw new IllegalArgumentException(
                "range does not belong to this allocator (or is already free): firstFrame=" + first + " pages=" + count);
        }
        for (int i = 0; i < count; i++)
        {
            if (grants[first + i] != 0)
            {
                throw new IllegalStateException("page is still granted: frame=" + (first + i) + " grants=" +
                    grants[first + i] + " (end access first)");
            }
        }
        range.detach();
        for (int i = 0; i < count; i++)
        {
            used[first + i] = false;
            allocated[first + i] = null;
            rangeOf[first + i] = null;
        }
        freeCount += count;
    }

    @Override
    public synchronized void free(final LocalPage page)
    {
        final int frame = page.frame();
        if (frame >= pages || allocated[frame] != page)
        {
            throw new IllegalArgumentException("page does not belong to this allocator: frame=" + frame);
        }
        if (rangeOf[frame] != null)
        {
            throw new IllegalArgumentException(
                "page belongs to a range; free the range: frame=" + frame + " range=" + rangeOf[frame]);
        }
        if (grants[frame] != 0)
        {
            throw new IllegalStateException("page is still granted: frame=" + frame + " grants=" + grants[frame] +
                " (end access first)");
        }
        allocated[frame] = null;
        page.buffer().wrap(DETACHED);
        used[frame] = false;
        freeCount++;
    }

    @Override
    public synchronized int freePages()
    {
        return freeCount;
    }

    void close()
    {
        pool.close();
    }
}
