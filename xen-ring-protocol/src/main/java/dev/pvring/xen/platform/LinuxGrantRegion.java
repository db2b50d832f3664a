/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Foreign pages mapped through {@code /dev/xen/gntdev} by {@link LinuxGrantTable#mapRegion}: one
 * {@code IOCTL_GNTDEV_MAP_GRANT_REF} with count N (registered at {@link #index}) and one {@code mmap} of N pages.
 */
final class LinuxGrantRegion implements GrantRegion
{
    final LinuxGrantTable owner;
    final long index;
    private final int domid;
    private final int[] refs;
    private final boolean readOnly;
    private final SharedMemory memory;
    private volatile boolean mapped = true;

    LinuxGrantRegion(
        final LinuxGrantTable owner, final long index, final int domid, final int[] refs, final boolean readOnly,
        final SharedMemory memory)
    {
        this.owner = owner;
        this.index = index;
        this.domid = domid;
        this.refs = refs;
        this.readOnly = readOnly;
        this.memory = memory;
    }

    @Override
    public int domid()
    {
        return domid;
    }

    @Override
    public int pages()
    {
        return refs.length;
    }

    @Override
    public int ref(final int page)
    {
        return refs[page];
    }

    @Override
    public boolean isReadOnly()
    {
        return readOnly;
    }

    @Override
    public boolean isMapped()
    {
        return mapped;
    }

    @Override
    public AtomicBuffer buffer()
    {
        if (!mapped)
        {
            throw new IllegalStateException(
                "grant region is unmapped: domid=" + domid + " pages=" + refs.length + " ref0=" + refs[0]);
        }
        return memory.buffer();
    }

    /**
     * Marks the region unmapped and unmaps its pages (the caller then unregisters the refs). Called under the
     * table's lock.
     *
     * @return true if this call unmapped it.
     */
    boolean unmapPages()
    {
        if (!mapped)
        {
            return false;
        }
        mapped = false;
        memory.close();
        return true;
    }

    @Override
    public String toString()
    {
        return "GrantRegion{domid=" + domid + ", pages=" + refs.length + ", ref0=" + refs[0] + ", readOnly=" +
            readOnly + ", mapped=" + mapped + "}";
    }
}
