/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import dev.pvring.xen.platform.LocalPage;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Pages a frontend granted to its backend for data (granted once per connection, reused for every request:
 * no grant or end-access per request). Owned by the connection: the framework ends the grants and frees the
 * pages after the driver's disconnect (deferred while the backend still maps one), exactly once.
 */
public final class GrantedPages
{
    private final LocalPage[] pages;
    private final int[] refs;
    private final boolean readOnly;

    GrantedPages(final LocalPage[] pages, final int[] refs, final boolean readOnly)
    {
        this.pages = pages;
        this.refs = refs;
        this.readOnly = readOnly;
    }

    /**
     * Number of pages.
     *
     * @return the count.
     */
    public int count()
    {
        return pages.length;
    }

    /**
     * The grant ref of a page (what goes into a request).
     *
     * @param index 0..count-1.
     * @return the ref.
     */
    public int ref(final int index)
    {
        return refs[index];
    }

    /**
     * The bytes of a page.
     *
     * @param index 0..count-1.
     * @return a 4096-byte view.
     */
    public AtomicBuffer buffer(final int index)
    {
        return pages[index].buffer();
    }

    /**
     * Whether the backend may only read the pages.
     *
     * @return true if granted read-only.
     */
    public boolean isReadOnly()
    {
        return readOnly;
    }

    LocalPage page(final int index)
    {
        return pages[index];
    }

    @Override
    public String toString()
    {
        return "GrantedPages{count=" + pages.length + " readOnly=" + readOnly + "}";
    }
}
