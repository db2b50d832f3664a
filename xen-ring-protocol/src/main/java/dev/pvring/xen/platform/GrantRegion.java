/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import org.agrona.concurrent.AtomicBuffer;

/**
 * N foreign pages of one granting domain mapped into ONE contiguous buffer of N x {@link GrantTable#PAGE_SIZE}
 * bytes (a multi-page ring of {@code ring-page-order} up to 4, a vchan ring of up to 256 pages): page {@code i} of
 * {@link #buffer()} is the page granted by {@link #ref(int) ref(i)}. Made by
 * {@link GrantTable#mapRegion(int, int[], int, boolean, GrantMapFailure)}, unmapped exactly once by
 * {@link GrantTable#unmapRegion(GrantRegion)} (or by closing the platform).
 * <p>
 * A read-only region is mapped without write permission ({@code PROT_READ}) and its buffer throws
 * {@link dev.pvring.core.ReadOnlyMappingException} on every write. After unmap the buffer is detached (capacity 0
 * on the simulated platform; a stale access throws) and never reaches pages the granter may reuse.
 */
public interface GrantRegion
{
    /**
     * The granting domain.
     *
     * @return its domid.
     */
    int domid();

    /**
     * Number of pages.
     *
     * @return N (1..{@link GrantTable#MAX_REGION_PAGES}).
     */
    int pages();

    /**
     * The grant ref of one page (copied at map time; the caller's array may be reused).
     *
     * @param page page index, 0..{@link #pages()}-1.
     * @return the ref.
     * @throws IndexOutOfBoundsException if {@code page} is out of range.
     */
    int ref(int page);

    /**
     * Whether the pages are mapped without write permission.
     *
     * @return true for a read-only region.
     */
    boolean isReadOnly();

    /**
     * Whether the region is still mapped.
     *
     * @return false once unmapped.
     */
    boolean isMapped();

    /**
     * The pages' bytes, {@code pages() * PAGE_SIZE} long, contiguous (a
     * {@link dev.pvring.core.ReadOnlyAtomicBuffer} for a read-only region). Same instance on every call.
     *
     * @return the view.
     * @throws IllegalStateException after unmap.
     */
    AtomicBuffer buffer();
}
