/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

/**
 * The local domain's allocator of shareable pages: the pages a driver grants (rings, packet and block
 * buffers). Allocate pools at set-up time, not on a hot path.
 * <p>
 * Pages come back zero-filled, so granting one never leaks earlier contents to a peer (XSA-403). A page whose
 * {@link GrantTable#tryEndAccess(int) end of access} failed must not be freed: the peer may still map it
 * (XSA-396); implementations that can tell refuse such a free with an {@link IllegalStateException}.
 */
public interface LocalPages
{
    /**
     * Allocates one zero-filled page.
     *
     * @return the page, or {@code null} if the domain has no free page (a resource limit, not an error).
     */
    LocalPage allocate();

    /**
     * Allocates {@code count} zero-filled pages with consecutive frames and one contiguous view (a multi-page ring,
     * a vchan ring, a page pool).
     *
     * @param count number of pages (1..{@link GrantTable#MAX_REGION_PAGES}).
     * @return the range, or {@code null} if no run of {@code count} free frames exists (a resource limit).
     * @throws IllegalArgumentException if {@code count} is out of range.
     */
    LocalPageRange allocateContiguous(int count);

    /**
     * Returns a whole range to the allocator; its views (the range's and its pages') must not be used afterwards.
     * Its pages must not be freed one by one.
     *
     * @param range a range from {@link #allocateContiguous(int)} of this allocator.
     * @throws IllegalArgumentException if the range does not belong to this allocator.
     * @throws IllegalStateException    if the range is already free or a page is still granted (nothing is freed).
     */
    void free(LocalPageRange range);

    /**
     * Returns a page to the allocator; its view must not be used afterwards.
     *
     * @param page a page from {@link #allocate()} of this allocator.
     * @throws IllegalArgumentException if the page does not belong to this allocator.
     * @throws IllegalStateException    if the page is already free or still granted.
     */
    void free(LocalPage page);

    /**
     * Number of pages that {@link #allocate()} could still return.
     *
     * @return free pages (a snapshot; other processes of the domain may allocate concurrently).
     */
    int freePages();
}
