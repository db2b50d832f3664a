/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A {@link GrantTable} that forwards to a real one and counts the calls (per ref for grants and ends of access,
 * per mapping for unmaps), so tests can prove "granted once", "ended exactly once", "unmapped exactly once".
 */
final class CountingGrantTable implements GrantTable
{
    final GrantTable delegate;
    final Map<Integer, Integer> grantsPerRef = new HashMap<>();
    final Map<Integer, Integer> endsPerRef = new HashMap<>();
    final Map<GrantMapping, Integer> unmapsPerMapping = new IdentityHashMap<>();
    int grantCalls;
    int endCalls;
    int mapCalls;
    int mappedEntries;

    CountingGrantTable(final GrantTable delegate)
    {
        this.delegate = delegate;
    }

    @Override
    public int localDomid()
    {
        return delegate.localDomid();
    }

    @Override
    public int grantAccess(final int domid, final int frame, final boolean readOnly)
    {
        grantCalls++;
        final int ref = delegate.grantAccess(domid, frame, readOnly);
        grantsPerRef.merge(ref, 1, Integer::sum);
        return ref;
    }

    @Override
    public void grantReserved(final int ref, final int domid, final int frame, final boolean readOnly)
    {
        delegate.grantReserved(ref, domid, frame, readOnly);
    }

    @Override
    public boolean tryEndAccess(final int ref)
    {
        endCalls++;
        final boolean ended = delegate.tryEndAccess(ref);
        if (ended)
        {
            endsPerRef.merge(ref, 1, Integer::sum);
        }
        return ended;
    }

    @Override
    public void setEndNotify(final int ref, final int clearByteOffset, final int port)
    {
        delegate.setEndNotify(ref, clearByteOffset, port);
    }

    @Override
    public void setUnmapNotify(final GrantMapping mapping, final int clearByteOffset, final int port)
    {
        delegate.setUnmapNotify(mapping, clearByteOffset, port);
    }

    @Override
    public int map(final GrantMapBatch batch)
    {
        mapCalls++;
        final int mapped = delegate.map(batch);
        mappedEntries += mapped;
        return mapped;
    }

    @Override
    public GrantRegion mapRegion(
        final int domid, final int[] refs, final int count, final boolean readOnly, final GrantMapFailure failure)
    {
        return delegate.mapRegion(domid, refs, count, readOnly, failure);
    }

    @Override
    public boolean unmapRegion(final GrantRegion region)
    {
        return delegate.unmapRegion(region);
    }

    @Override
    public int unmap(final GrantMapBatch batch)
    {
        return delegate.unmap(batch);
    }

    @Override
    public void unmap(final GrantMapping mapping)
    {
        unmapsPerMapping.merge(mapping, 1, Integer::sum);
        delegate.unmap(mapping);
    }

    @Override
    public int copy(final GrantCopyBatch batch)
    {
        return delegate.copy(batch);
    }
}
