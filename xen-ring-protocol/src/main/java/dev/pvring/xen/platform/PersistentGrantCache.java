/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import org.agrona.collections.Long2LongHashMap;

/**
 * A backend's cache of persistently mapped grants, as Linux blkback keeps them (and netback could): the first
 * request naming (domid, ref) maps the page, later requests reuse the mapping, and nothing is unmapped per
 * request. Bounded: at {@link #capacity()} mappings the least recently used one that no request holds is unmapped
 * to make room (LRU eviction). {@link #close()} (the disconnect) unmaps every mapping exactly once.
 * <p>
 * A request {@link #acquire(int, int) acquires} each of its segments (pinning the entry so it is not evicted under
 * the request; the same ref twice in one request pins it twice) and {@link #release(int, int) releases} them when
 * it completes. A ref the frontend has revoked or never granted fails with its {@code GNTST_*} status
 * ({@link #lastStatus()}), never an exception: answer that request with an error. Size the cache for the most
 * segments in flight (ring size x segments per request; blkback's default is 1056), or {@link #acquire} reports
 * {@link GrantStatus#NO_SPACE} while every entry is pinned.
 * <p>
 * All mappings have the access chosen at construction (blkback maps persistent grants writable). A frontend that
 * reuses a ref for a different page must not (blkfront never does): the cache keeps showing the page mapped
 * first. Allocation-free after construction (the platform's map call aside); not thread safe (one backend thread).
 */
public final class PersistentGrantCache implements AutoCloseable
{
    private static final int NONE = -1;

    private final GrantTable grants;
    private final boolean readOnly;
    private final GrantMapBatch batch = new GrantMapBatch(1);
    private final Long2LongHashMap index;
    private final long[] keys;
    private final GrantMapping[] mappings;
    private final int[] pins;
    private final int[] prev;
    private final int[] next;
    private final int[] freeEntries;
    private int freeCount;
    private int head = NONE;
    private int tail = NONE;
    private int size;
    private int lastStatus = GrantStatus.OKAY;
    private long hits;
    private long misses;
    private long evictions;
    private long unmaps;
    private boolean closed;

    /**
     * Creates an empty cache.
     *
     * @param grants   the local grant table (mapping side).
     * @param capacity most mappings kept (positive).
     * @param readOnly map every grant without write permission.
     */
    public PersistentGrantCache(final GrantTable grants, final int capacity, final boolean readOnly)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("cache capacity must be positive: capacity=" + capacity);
        }
        this.grants = grants;
        this.readOnly = readOnly;
        this.index = new Long2LongHashMap(capacity * 2, 0.65f, NONE);
        this.keys = new long[capacity];
        this.mappings = new GrantMapping[capacity];
        this.pins = new int[capacity];
        this.prev = new int[capacity];
        this.next = new int[capacity];
        this.freeEntries = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            freeEntries[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    /**
     * The mapping of (domid, ref), mapped now if not cached; pins it until {@link #release(int, int)}.
     *
     * @param domid the granting domain.
     * @param ref   the grant ref (any value: a bad one fails with a status).
     * @return the mapping, or {@code null} if the grant cannot be mapped (see {@link #lastStatus()}) or every
     *     entry is pinned ({@link GrantStatus#NO_SPACE}).
     * @throws IllegalStateException after {@link #close()}.
     */
    public GrantMapping acquire(final int domid, final int ref)
    {
        checkOpen();
        final long key = key(domid, ref);
        final int found = (int)index.get(key);
        if (found != NONE)
        {
            hits++;
            pins[found]++;
            moveToFront(found);
            lastStatus = GrantStatus.OKAY;
            return mappings[found];
        }
        misses++;
        if (freeCount == 0 && !evictOne())
        {
            lastStatus = GrantStatus.NO_SPACE;
            return null;
        }
        batch.clear();
        batch.add(domid, ref, readOnly);
        grants.map(batch);
        final int status = batch.status(0);
        if (status != GrantStatus.OKAY)
        {
            batch.clear();
            lastStatus = status;
            return null;
        }
        // The cache owns the mapping now; the batch forgets it (it is unmapped through the table, not the batch).
        final GrantMapping mapping = batch.take(0);
        batch.clear();
        final int entry = freeEntries[--freeCount];
        keys[entry] = key;
        mappings[entry] = mapping;
        pins[entry] = 1;
        index.put(key, entry);
        linkFront(entry);
        size++;
        lastStatus = GrantStatus.OKAY;
        return mapping;
    }

    /**
     * Drops one pin of (domid, ref) taken by {@link #acquire(int, int)}; the mapping stays cached.
     *
     * @param domid the granting domain.
     * @param ref   the grant ref.
     * @throws IllegalStateException if (domid, ref) is not cached or not pinned, or after {@link #close()}.
     */
    public void release(final int domid, final int ref)
    {
        checkOpen();
        final int entry = (int)index.get(key(domid, ref));
        if (entry == NONE || pins[entry] == 0)
        {
            throw new IllegalStateException("grant is not acquired: domid=" + domid + " ref=" + ref);
        }
        pins[entry]--;
    }

    /**
     * Unmaps (domid, ref) now if it is cached and not pinned (e.g. the frontend asked for it back).
     *
     * @param domid the granting domain.
     * @param ref   the grant ref.
     * @return true if it was unmapped.
     */
    public boolean invalidate(final int domid, final int ref)
    {
        checkOpen();
        final int entry = (int)index.get(key(domid, ref));
        if (entry == NONE || pins[entry] != 0)
        {
            return false;
        }
        remove(entry);
        return true;
    }

    /**
     * The status of the last {@link #acquire(int, int)}.
     *
     * @return {@link GrantStatus#OKAY} or a negative {@code GNTST_*} code.
     */
    public int lastStatus()
    {
        return lastStatus;
    }

    /**
     * Whether (domid, ref) is mapped in the cache.
     *
     * @param domid the granting domain.
     * @param ref   the grant ref.
     * @return true if cached.
     */
    public boolean contains(final int domid, final int ref)
    {
        return index.get(key(domid, ref)) != NONE;
    }

    /**
     * Mappings held.
     *
     * @return the count.
     */
    public int size()
    {
        return size;
    }

    /**
     * Most mappings held.
     *
     * @return the bound.
     */
    public int capacity()
    {
        return keys.length;
    }

    /**
     * Acquires served from the cache.
     *
     * @return the count.
     */
    public long hits()
    {
        return hits;
    }

    /**
     * Acquires that had to map (successfully or not).
     *
     * @return the count.
     */
    public long misses()
    {
        return misses;
    }

    /**
     * Mappings unmapped to make room.
     *
     * @return the count.
     */
    public long evictions()
    {
        return evictions;
    }

    /**
     * Mappings unmapped in total (evictions, invalidations, close).
     *
     * @return the count.
     */
    public long unmaps()
    {
        return unmaps;
    }

    /**
     * Unmaps every cached mapping exactly once, pinned or not (the disconnect: no request may use them any more).
     * Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        while (head != NONE)
        {
            remove(head);
        }
    }

    private boolean evictOne()
    {
        for (int entry = tail; entry != NONE; entry = prev[entry])
        {
            if (pins[entry] == 0)
            {
                remove(entry);
                evictions++;
                return true;
            }
        }
        return false;
    }

    private void remove(final int entry)
    {
        unlink(entry);
        index.remove(keys[entry]);
        final GrantMapping mapping = mappings[entry];
        mappings[entry] = null;
        pins[entry] = 0;
        freeEntries[freeCount++] = entry;
        size--;
        unmaps++;
        grants.unmap(mapping);
    }

    private void linkFront(final int entry)
    {
        prev[entry] = NONE;
        next[entry] = head;
        if (head != NONE)
        {
            prev[head] = entry;
        }
        head = entry;
        if (tail == NONE)
        {
            tail = entry;
        }
    }

    private void unlink(final int entry)
    {
        final int p = prev[entry];
        final int n = next[entry];
        if (p != NONE)
        {
            next[p] = n;
        }
        else
        {
            head = n;
        }
        if (n != NONE)
        {
            prev[n] = p;
        }
        else
        {
            tail = p;
        }
    }

    private void moveToFront(final int entry)
    {
        if (head != entry)
        {
            unlink(entry);
            linkFront(entry);
        }
    }

    private static long key(final int domid, final int ref)
    {
        return (long)domid << 32 | (ref & 0xFFFF_FFFFL);
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("persistent grant cache is closed");
        }
    }

    @Override
    public String toString()
    {
        return "PersistentGrantCache{size=" + size + ", capacity=" + keys.length + ", hits=" + hits + ", misses=" +
            misses + ", evictions=" + evictions + (closed ? ", closed" : "") + "}";
    }
}
