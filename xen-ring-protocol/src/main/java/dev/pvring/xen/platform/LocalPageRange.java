/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * N consecutive local frames ({@code firstFrame .. firstFrame + N - 1}) with one contiguous read-write view of
 * N x {@link GrantTable#PAGE_SIZE} bytes: what a frontend grants as a multi-page ring or a vchan ring. Each page
 * is also a {@link LocalPage} ({@link #page(int)}, same memory) whose frame goes to
 * {@link GrantTable#grantAccess(int, int, boolean)}, or grant all at once with
 * {@link GrantTable#grantAccess(int, LocalPageRange, boolean, int[])}.
 * <p>
 * Obtained from {@link LocalPages#allocateContiguous(int)} zero-filled; the views stay valid until
 * {@link LocalPages#free(LocalPageRange)} or the platform is closed.
 */
public final class LocalPageRange
{
    private final int firstFrame;
    private final AtomicBuffer buffer;
    private final LocalPage[] pages;

    /**
     * Describes a range (for {@link LocalPages} implementations).
     *
     * @param firstFrame first frame number (non-negative).
     * @param pages      number of pages (positive).
     * @param buffer     a view of exactly {@code pages * PAGE_SIZE} bytes.
     */
    public LocalPageRange(final int firstFrame, final int pages, final AtomicBuffer buffer)
    {
        if (firstFrame < 0 || pages < 1)
        {
            throw new IllegalArgumentException(
                "range must start at a frame and hold a page: firstFrame=" + firstFrame + " pages=" + pages);
        }
        if (buffer.capacity() != (long)pages * GrantTable.PAGE_SIZE)
        {
            throw new IllegalArgumentException("range buffer must hold exactly its pages: capacity=" +
                buffer.capacity() + " pages=" + pages + " pageSize=" + GrantTable.PAGE_SIZE);
        }
        this.firstFrame = firstFrame;
        this.buffer = buffer;
        this.pages = new LocalPage[pages];
        for (int i = 0; i < pages; i++)
        {
            this.pages[i] = new LocalPage(
                firstFrame + i, new UnsafeBuffer(buffer, i * GrantTable.PAGE_SIZE, GrantTable.PAGE_SIZE));
        }
    }

    /**
     * The first frame.
     *
     * @return its number.
     */
    public int firstFrame()
    {
        return firstFrame;
    }

    /**
     * Number of pages.
     *
     * @return N.
     */
    public int pages()
    {
        return pages.length;
    }

    /**
     * The frame of one page.
     *
     * @param page page index, 0..{@link #pages()}-1.
     * @return {@code firstFrame() + page}.
     */
    public int frame(final int page)
    {
        return pages[page].frame();
    }

    /**
     * One page of the range as a {@link LocalPage} (a view of the same memory).
     *
     * @param page page index, 0..{@link #pages()}-1.
     * @return the page.
     */
    public LocalPage page(final int page)
    {
        return pages[page];
    }

    /**
     * All pages' bytes, contiguous, read-write.
     *
     * @return the view ({@code pages() * PAGE_SIZE} long).
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * Detaches every view (for {@link LocalPages} implementations, when the range is freed): stale uses fail.
     */
    void detach()
    {
        final byte[] none = new byte[0];
        buffer.wrap(none);
        for (final LocalPage page : pages)
        {
            page.buffer().wrap(none);
        }
    }

    @Override
    public String toString()
    {
        return "LocalPageRange{firstFrame=" + firstFrame + ", pages=" + pages.length + "}";
    }
}
