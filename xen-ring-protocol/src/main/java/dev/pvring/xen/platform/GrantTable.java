/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

/**
 * Xen grant tables as a driver sees them, whatever runs underneath (the simulated multi-process system, Linux
 * {@code /dev/xen/gntalloc} + {@code gntdev}, or a unikernel's own table).
 * <p>
 * <b>Granting side</b> (frontends): {@link #grantAccess(int, int, boolean)} lets one domain map or copy one
 * local page, {@link #tryEndAccess(int)} revokes it. Revoking fails while the peer still maps the page (or a
 * copy is running): the XSA-396 rule is that the caller then must never reuse or free that page, only retry
 * later or quarantine it.
 * <p>
 * <b>Mapping side</b> (backends): {@link #map(GrantMapBatch)} maps a batch of foreign refs with one status per
 * entry, {@link #unmap(GrantMapBatch)} unmaps exactly what was mapped, {@link #copy(GrantCopyBatch)} copies
 * without mapping. Anything a peer controls (refs, offsets, lengths, its domid) yields a {@link GrantStatus},
 * never an exception; exceptions are reserved for local misuse and are documented per method.
 * <p>
 * Implementations are thread safe; a batch object belongs to one thread at a time.
 */
public interface GrantTable
{
    /** Bytes per page and per grant. */
    int PAGE_SIZE = 4096;
    /** {@code GNTTAB_NR_RESERVED_ENTRIES}: refs 0..7 are set up by the toolstack, never allocated. */
    int NR_RESERVED_ENTRIES = 8;
    /** {@code GNTTAB_RESERVED_CONSOLE}: the console page's ref. */
    int RESERVED_CONSOLE = 0;
    /** {@code GNTTAB_RESERVED_XENSTORE}: the xenstore page's ref. */
    int RESERVED_XENSTORE = 1;
    /**
     * Most pages of one {@link #mapRegion(int, int[], int, boolean, GrantMapFailure) region}: a vchan ring of order
     * 20 (1 MiB); multi-page rings ({@code ring-page-order} up to 4) need at most 16.
     */
    int MAX_REGION_PAGES = 256;

    /**
     * The domain whose table this is.
     *
     * @return the local domid.
     */
    int localDomid();

    /**
     * Grants {@code domid} access to one local page ({@code gnttab_grant_foreign_access}).
     *
     * @param domid    the domain allowed to map or copy the page.
     * @param frame    a local frame, e.g. {@link LocalPage#frame()}.
     * @param readOnly whether the peer may only read.
     * @return the grant ref (at least {@link #NR_RESERVED_ENTRIES}), or {@link GrantStatus#NO_SPACE} if the
     *     table is full.
     * @throws IllegalArgumentException if {@code domid} or {@code frame} is out of range.
     */
    int grantAccess(int domid, int frame, boolean readOnly);

    /**
     * Fills one of the reserved refs 0..7 (what a toolstack does for the console and xenstore pages).
     *
     * @param ref      a ref below {@link #NR_RESERVED_ENTRIES}.
     * @param domid    the domain allowed to map the page.
     * @param frame    a local frame.
     * @param readOnly whether the peer may only read.
     * @throws IllegalArgumentException if an argument is out of range.
     * @throws IllegalStateException    if the ref is already granted.
     */
    void grantReserved(int ref, int domid, int frame, boolean readOnly);

    /**
     * Grants {@code domid} access to every page of a contiguous range, in page order: {@code refs[i]} is the ref of
     * page {@code i}. All or nothing: if the table runs out of refs, the grants made by this call are ended
     * again and {@link GrantStatus#NO_SPACE} is returned. Each ref is ended on its own with
     * {@link #tryEndAccess(int)}. The default grants page by page; the Linux platform makes one
     * {@code IOCTL_GNTALLOC_ALLOC_GREF} with count N and one {@code mmap}.
     *
     * @param domid    the domain allowed to map or copy the pages.
     * @param range    local pages from {@link LocalPages#allocateContiguous(int)}.
     * @param readOnly whether the peer may only read.
     * @param refs     receives the refs (at least {@code range.pages()} long).
     * @return {@link GrantStatus#OKAY}, or {@link GrantStatus#NO_SPACE} (nothing granted).
     * @throws IllegalArgumentException if {@code domid} is out of range or {@code refs} is too short.
     */
    default int grantAccess(final int domid, final LocalPageRange range, final boolean readOnly, final int[] refs)
    {
        final int pages = range.pages();
        if (refs.length < pages)
        {
            throw new IllegalArgumentException("refs array too short: length=" + refs.length + " pages=" + pages);
        }
        for (int i = 0; i < pages; i++)
        {
            final int ref = grantAccess(domid, range.frame(i), readOnly);
            if (ref < 0)
            {
                for (int k = i - 1; k >= 0; k--)
                {
                    // Nobody can map a ref we have not published yet: ending succeeds.
                    tryEndAccess(refs[k]);
                }
                return GrantStatus.NO_SPACE;
            }
            refs[i] = ref;
        }
        return GrantStatus.OKAY;
    }

    /**
     * Revokes a grant if nobody maps or copies it at this instant, atomically with respect to a concurrent map
     * ({@code gnttab_try_end_foreign_access}).
     *
     * @param ref a ref granted through this table.
     * @return true if access ended (the ref is free again and the page may be reused); false if the peer still
     *     maps the page: do not reuse or free the page, retry later.
     * @throws IllegalArgumentException if {@code ref} is out of range.
     * @throws IllegalStateException    if {@code ref} is not currently granted by this process.
     */
    boolean tryEndAccess(int ref);

    /**
     * Granting side: arms a notification for when this process stops sharing the page, whether it ends access,
     * closes the platform or dies: byte {@code clearByteOffset} of the page is set to 0 and {@code port} is
     * notified ({@code IOCTL_GNTALLOC_SET_UNMAP_NOTIFY}). libxenvchan's server arms it on its liveness byte, so
     * a client sees a crashed server. Replaces an earlier notification of the ref; fires once.
     *
     * @param ref             a ref granted through this table.
     * @param clearByteOffset byte of the page to clear (0..4095), or -1 for none.
     * @param port            local event channel port whose peer is notified, or 0 for none.
     * @throws IllegalArgumentException if an argument is out of range.
     * @throws IllegalStateException    if {@code ref} is not currently granted by this process.
     */
    void setEndNotify(int ref, int clearByteOffset, int port);

    /**
     * Mapping side: arms a notification for when this mapping goes away, whether by unmap, platform close or the
     * death of this process: byte {@code clearByteOffset} of the page is set to 0 and {@code port} is notified
     * ({@code IOCTL_GNTDEV_SET_UNMAP_NOTIFY}). libxenvchan's client arms it on its liveness byte. Replaces an
     * earlier notification of the mapping; fires once.
     *
     * @param mapping         a mapping made by this table, writable if a byte is to be cleared.
     * @param clearByteOffset byte of the page to clear (0..4095), or -1 for none.
     * @param port            local event channel port whose peer is notified, or 0 for none.
     * @throws IllegalArgumentException if an argument is out of range, or the mapping is read-only and a byte is
     *     to be cleared, or it was made by another table.
     * @throws IllegalStateException    if the mapping is already unmapped.
     */
    void setUnmapNotify(GrantMapping mapping, int clearByteOffset, int port);

    /**
     * Maps every not-yet-processed entry of the batch ({@code GNTTABOP_map_grant_ref}); each entry gets its
     * own status and a failing entry does not stop the others.
     *
     * @param batch refs to map.
     * @return the number of entries mapped by this call.
     */
    int map(GrantMapBatch batch);

    /**
     * Maps {@code count} refs of one granting domain into ONE contiguous buffer ({@link GrantRegion}); page
     * {@code i} of the buffer is {@code refs[i]}. On Linux: one {@code IOCTL_GNTDEV_MAP_GRANT_REF} with count N and
     * one {@code mmap}; on the simulated platform: one reserved address range with every page mapped over it.
     * <p>
     * All or nothing: if any entry cannot be mapped (a bad, revoked or foreign ref, a write map of a read-only
     * grant, an unknown domain: anything a peer controls), nothing stays mapped or pinned, {@code failure} names
     * the FIRST failing entry and its {@code GNTST_*} status, and {@code null} is returned; no exception (T6).
     * On Linux, where the kernel does not say which entry failed, the refs are then tried one by one to find it.
     *
     * @param domid    the granting domain.
     * @param refs     the refs, in page order (any values: bad ones fail with a status).
     * @param count    number of refs to map, 1..{@link #MAX_REGION_PAGES}.
     * @param readOnly map without write permission ({@code PROT_READ}).
     * @param failure  receives the failing entry and status when {@code null} is returned (reset on success).
     * @return the region, or {@code null} on failure.
     * @throws IllegalArgumentException if {@code count} is out of range or {@code refs} is shorter than it.
     * @throws IllegalStateException    if the platform is closed.
     */
    GrantRegion mapRegion(int domid, int[] refs, int count, boolean readOnly, GrantMapFailure failure);

    /**
     * Unmaps a region: the whole range first, then the pins (so the granter can end access only after this
     * process can no longer touch the pages). Exactly once: a second call returns false and does nothing.
     *
     * @param region a region mapped by this table.
     * @return true if this call unmapped it, false if it was already unmapped.
     * @throws IllegalArgumentException if the region was made by another table.
     */
    boolean unmapRegion(GrantRegion region);

    /**
     * Unmaps every mapped entry of the batch (exactly the entries whose status is {@link GrantStatus#OKAY} and
     * that were not unmapped yet). The batch can then be {@link GrantMapBatch#clear() cleared}.
     *
     * @param batch a batch mapped through this table.
     * @return the number of entries unmapped.
     */
    int unmap(GrantMapBatch batch);

    /**
     * Unmaps one mapping (idempotent).
     *
     * @param mapping a mapping made by this table.
     * @throws IllegalArgumentException if the mapping was made by another table.
     */
    void unmap(GrantMapping mapping);

    /**
     * Executes every not-yet-processed segment of the batch ({@code GNTTABOP_copy}); each segment gets its own
     * status and a failing segment does not stop the others. Allocates nothing.
     *
     * @param batch the segments.
     * @return the number of segments copied by this call.
     */
    int copy(GrantCopyBatch batch);
}
