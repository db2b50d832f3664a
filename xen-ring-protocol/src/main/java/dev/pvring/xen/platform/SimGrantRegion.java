/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Foreign pages mapped by {@link SimGrantTable#mapRegion}: one reserved address range of the granter's memory file
 * with each pinned frame mapped over its page ({@link dev.pvring.core.SharedFile#mapPages}), plus one maptrack slot
 * per page.
 */
final class SimGrantRegion implements GrantRegion
{
    final SimGrantTable owner;
    final SimDomainView granter;
    final int[] refs;
    final int[] slots;
    private final boolean readOnly;
    private final SharedMemory memory;
    private final AtomicBoolean mapped = new AtomicBoolean(true);

    SimGrantRegion(
        final SimGrantTable owner, final SimDomainView granter, final int[] refs, final int[] slots,
        final boolean readOnly, final SharedMemory memory)
    {
        this.owner = owner;
        this.granter = granter;
        this.refs = refs;
        this.slots = slots;
        this.readOnly = readOnly;
        this.memory = memory;
    }

    @Override
    public int domid()
    {
        return granter.domid;
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
        return mapped.get();
    }

    @Override
    public AtomicBuffer buffer()
    {
        if (!mapped.get())
        {
            throw new IllegalStateException(
                "grant region is unmapped: domid=" + granter.domid + " pages=" + refs.length + " ref0=" + refs[0]);
        }
        return memory.buffer();
    }

    /**
     * Marks the region unmapped and unmaps the whole range (once).
     *
     * @return true if this call unmapped it.
     */
    boolean unmapPages()
    {
        if (!mapped.compareAndSet(true, false))
        {
            return false;
        }
        memory.close();
        return true;
    }

    @Override
    public String toString()
    {
        return "GrantRegion{domid=" + granter.domid + ", pages=" + refs.length + ", ref0=" + refs[0] +
            ", readOnly=" + readOnly + ", mapped=" + mapped.get() + "}";
    }
}
