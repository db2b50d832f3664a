/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import org.agrona.concurrent.AtomicBuffer;

/**
 * A foreign page mapped through {@code /dev/xen/gntdev} into one of {@link LinuxGrantTable}'s address slots.
 */
final class LinuxGrantMapping implements GrantMapping
{
    final LinuxGrantTable owner;
    final int slot;
    final long index;
    private final int domid;
    private final int ref;
    private final boolean readOnly;
    private final AtomicBuffer buffer;
    private volatile boolean mapped = true;

    LinuxGrantMapping(
        final LinuxGrantTable owner, final int slot, final long index, final int domid, final int ref,
        final boolean readOnly, final AtomicBuffer buffer)
    {
        this.owner = owner;
        this.slot = slot;
        this.index = index;
        this.domid = domid;
        this.ref = ref;
        this.readOnly = readOnly;
        this.buffer = buffer;
    }

    @Override
    public int domid()
    {
        return domid;
    }

    @Override
    public int ref()
    {
        return ref;
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

    void markUnmapped()
    {
        mapped = false;
    }

    @Override
    public AtomicBuffer buffer()
    {
        if (!mapped)
        {
            throw new IllegalStateException("grant mapping is unmapped: domid=" + domid + " ref=" + ref);
        }
        return buffer;
    }

    @Override
    public String toString()
    {
        return "GrantMapping{domid=" + domid + ", ref=" + ref + ", readOnly=" + readOnly + ", mapped=" + mapped + "}";
    }
}
