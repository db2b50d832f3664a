/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The shared memory of one ring: {@code 2^order} pages seen as one contiguous buffer, granted by the frontend
 * ({@link FrontendContext#grantRing}) or mapped by the backend ({@link BackendContext#mapRing}). Owned by the
 * device's connection: the framework ends the grants or unmaps the pages after the driver's disconnect
 * callback, exactly once; the buffer must not be used after that.
 *
 * @param buffer the ring's bytes ({@code pages * 4096} long).
 * @param pages  number of pages (a power of two).
 * @param refs   the grant refs, one per page, in ring order (a copy; the frontend published these).
 */
public record RingPages(AtomicBuffer buffer, int pages, int[] refs)
{
    /**
     * Length of the ring memory.
     *
     * @return {@code pages * 4096}.
     */
    public int length()
    {
        return buffer.capacity();
    }

    /**
     * The ring page order ({@code ring-page-order}).
     *
     * @return log2 of {@link #pages()}.
     */
    public int order()
    {
        return Integer.numberOfTrailingZeros(pages);
    }
}
