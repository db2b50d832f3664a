/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A foreign page mapped by {@link SimGrantTable}: an {@code mmap} of the granting domain's memory file at the
 * pinned frame's offset ({@code PROT_READ} only for read-only mappings), plus the maptrack slot that records it.
 */
final class SimGrantMapping implements GrantMapping
{
    final SimGrantTable owner;
    final SimDomainView granter;
    final int ref;
    final int slot;
    final int frame;
    private final boolean readOnly;
    private final SharedMemory memory;
    private final AtomicBuffer view;
    private final AtomicBoolean mapped = new AtomicBoolean(true);

    SimGrantMapping(
        final SimGrantTable owner, final SimDomainView granter, final int ref, final int slot, final int frame,
        final boolean readOnly, final SharedMemory memory)
    {
        this.owner = owner;
        this.granter = granter;
        this.ref = ref;
        this.slot = slot;
        this.frame = frame;
        this.readOnly = readOnly;
        this.memory = memory;
        // Guarded: the granter may truncate its memory file under this mapping.
        this.view = SimGuardedBuffer.over(memory);
    }

    @Override
    public int domid()
    {
        return granter.domid;
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
        return mapped.get();
    }

    @Override
    public AtomicBuffer buffer()
    {
        if (!mapped.get())
        {
            throw new IllegalStateException("grant mapping is unmapped: domid=" + granter.domid + " ref=" + ref);
        }
        return view;
    }

    /**
     * Marks the mapping unmapped and unmaps the page (once).
     *
     * @return true if this call unmapped it.
     */
    boolean unmapPage()
    {
        if (!mapped.compareAndSet(true, false))
        {
            return false;
        }
        SimGuardedBuffer.detach(view);
        memory.close();
        return true;
    }

    @Override
    public String toString()
    {
        return "GrantMapping{domid=" + granter.domid + ", ref=" + ref + ", frame=" + frame + ", readOnly=" + readOnly +
            ", mapped=" + mapped.get() + "}";
    }
}
