/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import org.agrona.concurrent.AtomicBuffer;

/**
 * One 4 KiB page of the local domain's own memory that can be granted to another domain: its frame number
 * (what {@link GrantTable#grantAccess(int, int, boolean)} takes) and a read-write view of its bytes.
 * <p>
 * Obtained from {@link LocalPages#allocate()}; the view stays valid until the page is freed or the platform
 * is closed. A unikernel runtime creates these over its own page frames.
 */
public final class LocalPage
{
    private final int frame;
    private final AtomicBuffer buffer;

    /**
     * Describes a page (for {@link LocalPages} implementations).
     *
     * @param frame  the frame number within the local domain (non-negative).
     * @param buffer a view of exactly {@link GrantTable#PAGE_SIZE} bytes.
     */
    public LocalPage(final int frame, final AtomicBuffer buffer)
    {
        if (frame < 0)
        {
            throw new IllegalArgumentException("frame must not be negative: frame=" + frame);
        }
        if (buffer.capacity() != GrantTable.PAGE_SIZE)
        {
            throw new IllegalArgumentException(
                "page buffer must hold exactly one page: capacity=" + buffer.capacity() + " pageSize=" +
                GrantTable.PAGE_SIZE);
        }
        this.frame = frame;
        this.buffer = buffer;
    }

    /**
     * The frame number to grant.
     *
     * @return the frame.
     */
    public int frame()
    {
        return frame;
    }

    /**
     * The page's bytes (read-write, {@link GrantTable#PAGE_SIZE} long).
     *
     * @return the view.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    @Override
    public String toString()
    {
        return "LocalPage{frame=" + frame + "}";
    }
}
