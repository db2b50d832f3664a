/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import org.agrona.concurrent.AtomicBuffer;

/**
 * A frontend's pool of data pages granted ONCE to the backend domain and reused for every request, as Linux
 * blkfront's persistent grants and netfront's buffer pages: no grant or end of access per request, so the
 * backend can keep them mapped ({@link PersistentGrantCache}). Pages are handed out by int handle
 * (0..{@link #capacity()}-1, a natural request id), last released first (LIFO: the hottest page in cache and in the
 * backend's cache goes out again).
 * <p>
 * Every page stays granted (read-only or writable for the whole pool, as chosen at creation) from
 * {@link #create} to {@link #close()}. A page's contents are visible to the backend while it is granted: put in a
 * page only what the backend may see (pages come zero-filled from {@link LocalPages}, XSA-403).
 * <p>
 * {@link #close()} ends access on every page exactly once, whether acquired or not. A page whose end of access
 * fails (the backend still maps it, XSA-396, security catalogue T5) is quarantined: never handed out or freed
 * again; {@link #quarantinedPages()} reports it and {@link #retryQuarantined()} tries again later (and frees the
 * page if the backend has let go). Allocation-free after creation; not thread safe (one driver thread).
 */
public final class GrantPagePool implements AutoCloseable
{
    /** {@link #acquire()}: no free page. */
    public static final int EMPTY = -1;

    private final GrantTable grants;
    private final LocalPages localPages;
    private final int domid;
    private final boolean readOnly;
    private final LocalPage[] pages;
    private final int[] refs;
    private final int[] free;
    private final boolean[] inUse;
    private final boolean[] quarantined;
    private int freeCount;
    private int quarantinedCount;
    private boolean closed;

    private GrantPagePool(
        final GrantTable grants, final LocalPages localPages, final int domid, final boolean readOnly,
        final LocalPage[] pages, final int[] refs)
    {
        this.grants = grants;
        this.localPages = localPages;
        this.domid = domid;
        this.readOnly = readOnly;
        this.pages = pages;
        this.refs = refs;
        this.free = new int[pages.length];
        this.inUse = new boolean[pages.length];
        this.quarantined = new boolean[pages.length];
        // LIFO stack with page 0 on top.
        for (int i = 0; i < pages.length; i++)
        {
            free[i] = pages.length - 1 - i;
        }
        this.freeCount = pages.length;
    }

    /**
     * Allocates {@code count} pages and grants each to {@code domid} (set-up time, not a hot path).
     *
     * @param grants     the local grant table.
     * @param localPages the local page allocator.
     * @param domid      the backend domain.
     * @param count      number of pages (positive).
     * @param readOnly   whether the backend may only read the pages (requests carrying data to the backend:
     *                   netfront TX, blkfront writes); false lets it write (netfront RX, blkfront reads).
     * @return the pool, or {@code null} if the domain has too few free pages or grant refs (whatever was taken is
     *     given back).
     * @throws IllegalArgumentException if {@code count} is not positive or {@code domid} is out of range.
     */
    public static GrantPagePool create(
        final GrantTable grants, final LocalPages localPages, final int domid, final int count, final boolean readOnly)
    {
        if (count < 1)
        {
            throw new IllegalArgumentException("pool size must be positive: count=" + count);
        }
        final LocalPage[] pages = new LocalPage[count];
        final int[] refs = new int[count];
        int made = 0;
        boolean ok = false;
        try
        {
            for (; made < count; made++)
            {
                final LocalPage page = localPages.allocate();
                if (page == null)
                {
                    return null;
                }
                final int ref = grants.grantAccess(domid, page.frame(), readOnly);
                if (ref < 0)
                {
                    localPages.free(page);
                    return null;
                }
                pages[made] = page;
                refs[made] = ref;
            }
            ok = true;
            return new GrantPagePool(grants, localPages, domid, readOnly, pages, refs);
        }
        finally
        {
            if (!ok)
            {
                for (int i = 0; i < made; i++)
                {
                    // Not yet announced to anybody: nobody can map these refs, ending succeeds.
                    if (grants.tryEndAccess(refs[i]))
                    {
                        localPages.free(pages[i]);
                    }
                }
            }
        }
    }

    /**
     * Takes the most recently released free page.
     *
     * @return its handle (0..{@link #capacity()}-1), or {@link #EMPTY} if every page is in use.
     * @throws IllegalStateException after {@link #close()}.
     */
    public int acquire()
    {
        checkOpen();
        if (freeCount == 0)
        {
            return EMPTY;
        }
        final int page = free[--freeCount];
        inUse[page] = true;
        return page;
    }

    /**
     * Gives a page back for reuse (it stays granted).
     *
     * @param page a handle from {@link #acquire()}.
     * @throws IllegalArgumentException if the handle is out of range.
     * @throws IllegalStateException    if the page is not in use (released twice), or after {@link #close()}.
     */
    public void release(final int page)
    {
        checkOpen();
        checkPage(page);
        if (!inUse[page])
        {
            throw new IllegalStateException("page is not in use (released twice?): page=" + page + " ref=" + refs[page]);
        }
        inUse[page] = false;
        free[freeCount++] = page;
    }

    /**
     * The grant ref of a page (what goes into a request's {@code gref}).
     *
     * @param page a page handle.
     * @return the ref.
     */
    public int ref(final int page)
    {
        return refs[checkPage(page)];
    }

    /**
     * The bytes of a page (read-write for this domain, {@link GrantTable#PAGE_SIZE} long).
     *
     * @param page a page handle.
     * @return the view.
     */
    public AtomicBuffer buffer(final int page)
    {
        return pages[checkPage(page)].buffer();
    }

    /**
     * The local frame of a page.
     *
     * @param page a page handle.
     * @return the frame.
     */
    public int frame(final int page)
    {
        return pages[checkPage(page)].frame();
    }

    /**
     * Whether a page is handed out.
     *
     * @param page a page handle.
     * @return true between {@link #acquire()} and {@link #release(int)}.
     */
    public boolean isInUse(final int page)
    {
        return inUse[checkPage(page)];
    }

    /**
     * Number of pages {@link #acquire()} can still hand out.
     *
     * @return free pages.
     */
    public int available()
    {
        return closed ? 0 : freeCount;
    }

    /**
     * Number of pages.
     *
     * @return the pool size.
     */
    public int capacity()
    {
        return pages.length;
    }

    /**
     * The backend domain the pages are granted to.
     *
     * @return its domid.
     */
    public int domid()
    {
        return domid;
    }

    /**
     * Whether the backend may only read the pages.
     *
     * @return true for a read-only pool.
     */
    public boolean isReadOnly()
    {
        return readOnly;
    }

    /**
     * Pages whose end of access failed at {@link #close()} (or later retries) and that are never reused.
     *
     * @return the count (0 while open).
     */
    public int quarantinedPages()
    {
        return quarantinedCount;
    }

    /**
     * Whether a page is quarantined.
     *
     * @param page a page handle.
     * @return true if its end of access failed and has not succeeded since.
     */
    public boolean isQuarantined(final int page)
    {
        return quarantined[checkPage(page)];
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Ends access on every page exactly once and frees the pages whose access ended. Pages the backend still
     * maps are quarantined (see the class comment). Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        freeCount = 0;
        for (int page = 0; page < pages.length; page++)
        {
            inUse[page] = false;
            endAccess(page);
        }
    }

    /**
     * After {@link #close()}: tries again to end access on the quarantined pages; each one that ends is freed.
     *
     * @return the number of pages released by this call.
     * @throws IllegalStateException if the pool is still open.
     */
    public int retryQuarantined()
    {
        if (!closed)
        {
            throw new IllegalStateException("pool is open: retry ending access after close: domid=" + domid);
        }
        int released = 0;
        for (int page = 0; page < pages.length; page++)
        {
            if (quarantined[page])
            {
                quarantined[page] = false;
                quarantinedCount--;
                if (endAccess(page))
                {
                    released++;
                }
            }
        }
        return released;
    }

    private boolean endAccess(final int page)
    {
        if (grants.tryEndAccess(refs[page]))
        {
            localPages.free(pages[page]);
            return true;
        }
        // XSA-396: the backend still maps the page; it must never be reused or freed.
        quarantined[page] = true;
        quarantinedCount++;
        return false;
    }

    private int checkPage(final int page)
    {
        if (page < 0 || page >= pages.length)
        {
            throw new IllegalArgumentException("page handle out of range: page=" + page + " capacity=" + pages.length);
        }
        return page;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("grant page pool is closed: domid=" + domid);
        }
    }

    @Override
    public String toString()
    {
        return "GrantPagePool{domid=" + domid + ", capacity=" + pages.length + ", available=" + available() +
            ", readOnly=" + readOnly + ", quarantined=" + quarantinedCount + (closed ? ", closed" : "") + "}";
    }
}
