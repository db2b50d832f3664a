/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import org.agrona.concurrent.AtomicBuffer;

/**
 * A reusable list of grant refs to map in one call, with one {@link GrantStatus} per entry, like a batch of
 * {@code GNTTABOP_map_grant_ref} operations. Allocate one per driver (capacity = the most segments a request
 * can carry) and reuse it: {@link #clear()}, {@link #add(int, int, boolean)} the refs of a request,
 * {@link GrantTable#map(GrantMapBatch)}, use the pages, {@link GrantTable#unmap(GrantMapBatch)}.
 * <p>
 * Entries fail independently: if entry {@code k} of {@code n} fails (a bad ref from a peer), the others are
 * still mapped, {@link #status(int)} tells which, and {@link GrantTable#unmap(GrantMapBatch)} unmaps exactly
 * the mapped subset. Not thread safe.
 */
public final class GrantMapBatch
{
    private final int[] domids;
    private final int[] refs;
    private final boolean[] readOnly;
    private final int[] statuses;
    private final GrantMapping[] mappings;
    private int size;

    /**
     * Creates an empty batch.
     *
     * @param capacity most entries (positive).
     */
    public GrantMapBatch(final int capacity)
    {
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("map batch capacity must be positive: capacity=" + capacity);
        }
        domids = new int[capacity];
        refs = new int[capacity];
        readOnly = new boolean[capacity];
        statuses = new int[capacity];
        mappings = new GrantMapping[capacity];
    }

    /**
     * Adds a ref to map; its status is {@link GrantStatus#NOT_DONE} until the batch is mapped.
     *
     * @param domid    the granting domain.
     * @param ref      the grant ref (any value: a bad one from a peer fails at map time with a status).
     * @param readOnly map without write permission.
     * @return the entry's index.
     * @throws IllegalStateException if the batch is full.
     */
    public int add(final int domid, final int ref, final boolean readOnly)
    {
        if (size == domids.length)
        {
            throw new IllegalStateException("map batch is full: capacity=" + domids.length);
        }
        final int index = size++;
        domids[index] = domid;
        refs[index] = ref;
        this.readOnly[index] = readOnly;
        statuses[index] = GrantStatus.NOT_DONE;
        mappings[index] = null;
        return index;
    }

    /**
     * Empties the batch for reuse.
     *
     * @throws IllegalStateException if an entry is still mapped (unmap the batch first).
     */
    public void clear()
    {
        final int mapped = mappedCount();
        if (mapped != 0)
        {
            throw new IllegalStateException("map batch still holds mappings: mapped=" + mapped + " size=" + size);
        }
        for (int i = 0; i < size; i++)
        {
            mappings[i] = null;
        }
        size = 0;
    }

    /**
     * Number of entries.
     *
     * @return the size.
     */
    public int size()
    {
        return size;
    }

    /**
     * Most entries.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return domids.length;
    }

    /**
     * The granting domain of an entry.
     *
     * @param index entry index.
     * @return the domid.
     */
    public int domid(final int index)
    {
        return domids[checkIndex(index)];
    }

    /**
     * The grant ref of an entry.
     *
     * @param index entry index.
     * @return the ref.
     */
    public int ref(final int index)
    {
        return refs[checkIndex(index)];
    }

    /**
     * Whether an entry is mapped read-only.
     *
     * @param index entry index.
     * @return true for read-only.
     */
    public boolean isReadOnly(final int index)
    {
        return readOnly[checkIndex(index)];
    }

    /**
     * The result of mapping an entry.
     *
     * @param index entry index.
     * @return {@link GrantStatus#OKAY}, a negative {@code GNTST_*} code, or {@link GrantStatus#NOT_DONE}.
     */
    public int status(final int index)
    {
        return statuses[checkIndex(index)];
    }

    /**
     * The mapping of an entry while it is mapped.
     *
     * @param index entry index.
     * @return the mapping, or {@code null} if the entry failed, was not mapped yet, or was unmapped.
     */
    public GrantMapping mapping(final int index)
    {
        final GrantMapping mapping = mappings[checkIndex(index)];
        return mapping != null && mapping.isMapped() ? mapping : null;
    }

    /**
     * The page of a mapped entry.
     *
     * @param index entry index.
     * @return its buffer.
     * @throws IllegalStateException if the entry is not mapped.
     */
    public AtomicBuffer buffer(final int index)
    {
        final GrantMapping mapping = mapping(index);
        if (mapping == null)
        {
            throw new IllegalStateException(
                "map batch entry is not mapped: index=" + index + " status=" + GrantStatus.name(statuses[index]));
        }
        return mapping.buffer();
    }

    /**
     * Hands the mapping of an entry over to the caller, who keeps it beyond this batch (a persistent mapping) and
     * unmaps it with {@link GrantTable#unmap(GrantMapping)}: the batch forgets it, so {@link #clear()} succeeds and
     * {@link GrantTable#unmap(GrantMapBatch)} leaves it mapped. The entry's status stays {@link GrantStatus#OKAY}.
     *
     * @param index entry index.
     * @return the mapping.
     * @throws IllegalStateException if the entry is not mapped.
     */
    public GrantMapping take(final int index)
    {
        final GrantMapping mapping = mapping(index);
        if (mapping == null)
        {
            throw new IllegalStateException(
                "map batch entry is not mapped: index=" + index + " status=" + GrantStatus.name(statuses[index]));
        }
        mappings[index] = null;
        return mapping;
    }

    /**
     * Number of entries currently mapped.
     *
     * @return mapped entries.
     */
    public int mappedCount()
    {
        int mapped = 0;
        for (int i = 0; i < size; i++)
        {
            if (mappings[i] != null && mappings[i].isMapped())
            {
                mapped++;
            }
        }
        return mapped;
    }

    /**
     * Records the result of mapping an entry (for {@link GrantTable} implementations).
     *
     * @param index   entry index.
     * @param status  {@link GrantStatus#OKAY} with a mapping, or a negative code with {@code null}.
     * @param mapping the mapping, or {@code null} on failure.
     */
    public void complete(final int index, final int status, final GrantMapping mapping)
    {
        checkIndex(index);
        if ((status == GrantStatus.OKAY) != (mapping != null))
        {
            throw new IllegalArgumentException(
                "a mapping must come with GNTST_okay and only with it: index=" + index + " status=" +
                GrantStatus.name(status) + " mapping=" + mapping);
        }
        statuses[index] = status;
        mappings[index] = mapping;
    }

    private int checkIndex(final int index)
    {
        if (index < 0 || index >= size)
        {
            throw new IndexOutOfBoundsException("map batch index out of range: index=" + index + " size=" + size);
        }
        return index;
    }

    @Override
    public String toString()
    {
        return "GrantMapBatch{size=" + size + ", capacity=" + domids.length + ", mapped=" + mappedCount() + "}";
    }
}
