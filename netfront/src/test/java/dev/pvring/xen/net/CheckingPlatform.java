/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.GrantCopyBatch;
import dev.pvring.xen.platform.GrantMapBatch;
import dev.pvring.xen.platform.GrantMapFailure;
import dev.pvring.xen.platform.GrantRegion;
import dev.pvring.xen.platform.GrantMapping;
import dev.pvring.xen.platform.GrantTable;
import dev.pvring.xen.platform.LocalPages;
import dev.pvring.xen.platform.Platform;
import dev.pvring.xen.store.XenStore;

/**
 * A platform that forwards everything and records every grant copy the driver asks for that would touch bytes
 * outside one granted page ({@code offset < 0}, {@code length < 0} or {@code offset + length > 4096}) and every
 * map beyond the ring pages: the "no access outside granted pages" oracle. (The simulated hypervisor refuses bad
 * refs itself; this checks the driver never even tries to cross a page.)
 */
final class CheckingPlatform implements Platform
{
    private final Platform delegate;
    private final CheckingGrants grants;
    long copySegments;
    long outOfPageCopies;
    long maps;

    CheckingPlatform(final Platform delegate)
    {
        this.delegate = delegate;
        this.grants = new CheckingGrants(delegate.grantTable());
    }

    @Override
    public int domid()
    {
        return delegate.domid();
    }

    @Override
    public GrantTable grantTable()
    {
        return grants;
    }

    @Override
    public EventChannels eventChannels()
    {
        return delegate.eventChannels();
    }

    @Override
    public LocalPages localPages()
    {
        return delegate.localPages();
    }

    @Override
    public XenStore xenStore()
    {
        return delegate.xenStore();
    }

    @Override
    public void close()
    {
        delegate.close();
    }

    private final class CheckingGrants implements GrantTable
    {
        private final GrantTable table;

        CheckingGrants(final GrantTable table)
        {
            this.table = table;
        }

        @Override
        public int localDomid()
        {
            return table.localDomid();
        }

        @Override
        public int grantAccess(final int domid, final int frame, final boolean readOnly)
        {
            return table.grantAccess(domid, frame, readOnly);
        }

        @Override
        public void grantReserved(final int ref, final int domid, final int frame, final boolean readOnly)
        {
            table.grantReserved(ref, domid, frame, readOnly);
        }

        @Override
        public boolean tryEndAccess(final int ref)
        {
            return table.tryEndAccess(ref);
        }

        @Override
        public void setEndNotify(final int ref, final int clearByteOffset, final int port)
        {
            table.setEndNotify(ref, clearByteOffset, port);
        }

        @Override
        public void setUnmapNotify(final GrantMapping mapping, final int clearByteOffset, final int port)
        {
            table.setUnmapNotify(mapping, clearByteOffset, port);
        }

        @Override
        public int map(final GrantMapBatch batch)
        {
            maps += batch.size();
            return table.map(batch);
        }

        @Override
        public GrantRegion mapRegion(
            final int domid, final int[] refs, final int count, final boolean readOnly, final GrantMapFailure failure)
        {
            maps += count;
            return table.mapRegion(domid, refs, count, readOnly, failure);
        }

        @Override
        public boolean unmapRegion(final GrantRegion region)
        {
            return table.unmapRegion(region);
        }

        @Override
        public int unmap(final GrantMapBatch batch)
        {
            return table.unmap(batch);
        }

        @Override
        public void unmap(final GrantMapping mapping)
        {
            table.unmap(mapping);
        }

        @Override
        public int copy(final GrantCopyBatch batch)
        {
            for (int i = 0; i < batch.size(); i++)
            {
                copySegments++;
                final long off = batch.foreignOffset(i);
                final long len = batch.length(i);
                if (off < 0 || len < 0 || off + len > GrantTable.PAGE_SIZE)
                {
                    outOfPageCopies++;
                }
            }
            return table.copy(batch);
        }
    }
}
