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
    private final int[] freeFrames;
    private final LocalPage[] allocated;
    private final int[] grants;
    private int freeCount;

    LinuxLocalPages(final int pages)
    {
        if (pages < 1 || pages > SimGrantTableDescriptor.MAX_PAGES)
        {
            throw new IllegalArgumentException("pages out of range: pages=" + pages + " min=1 max=" +
                SimGrantTableDescriptor.MAX_PAGES);
        }
        this.pool = SharedMemory.anonymous((long)pages * GrantTable.PAGE_SIZE);
        this.pages = pages;
        this.freeFrames = new int[pages];
        this.allocated = new LocalPage[pages];
        this.grants = new int[pages];
        for (int i = 0; i < pages; i++)
        {
            freeFrames[i] = pages - 1 - i;
        }
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
        final int frame = freeFrames[--freeCount];
        final int offset = frame * GrantTable.PAGE_SIZE;
        pool.buffer().setMemory(offset, GrantTable.PAGE_SIZE, (byte)0);
        final LocalPage page = new LocalPage(frame, new UnsafeBuffer(pool.buffer(), offset, GrantTable.PAGE_SIZE));
        allocated[frame] = page;
        return page;
    }

    @Override
    public synchronized void free(final LocalPage page)
    {
        final int frame = page.frame();
        if (frame >= pages || allocated[frame] != page)
        {
            throw new IllegalArgumentException("page does not belong to this allocator: frame=" + frame);
        }
        if (grants[frame] != 0)
        {
            throw new IllegalStateException("page is still granted: frame=" + frame + " grants=" + grants[frame] +
                " (end access first)");
        }
        allocated[frame] = null;
        page.buffer().wrap(DETACHED);
        freeFrames[freeCount++] = frame;
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
