/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import org.agrona.concurrent.AtomicBuffer;

/**
 * One foreign page mapped into this process through a grant (see {@link GrantTable#map(GrantMapBatch)}).
 * <p>
 * A read-only mapping is really read-only: the page is mapped without write permission and its buffer throws
 * {@link dev.pvring.core.ReadOnlyMappingException} on every write. After {@link GrantTable#unmap(GrantMapping)}
 * the buffer must not be used; it never reaches the page the granting domain may reuse: the simulated platform
 * detaches it (capacity 0, so a stale access throws), the Linux platform leaves it on a harmless private
 * page.
 */
public interface GrantMapping
{
    /**
     * The granting domain.
     *
     * @return its domid.
     */
    int domid();

    /**
     * The grant ref in the granting domain's table.
     *
     * @return the ref.
     */
    int ref();

    /**
     * Whether the page is mapped without write permission.
     *
     * @return true for a read-only mapping.
     */
    boolean isReadOnly();

    /**
     * Whether the mapping is still in place.
     *
     * @return false once unmapped.
     */
    boolean isMapped();

    /**
     * The page's bytes, {@link GrantTable#PAGE_SIZE} long (a {@link dev.pvring.core.ReadOnlyAtomicBuffer} for a
     * read-only mapping).
     *
     * @return the view.
     * @throws IllegalStateException after unmap.
     */
    AtomicBuffer buffer();
}
