/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.util.LinkedHashMap;
import java.util.Map;

import org.agrona.collections.Int2IntHashMap;

/**
 * A transaction as C xenstored runs it: every node it touches is copied on first access together with the
 * node's generation count; writes go to the copies; at commit, if any touched node's global generation changed
 * (or a node that was absent appeared, or a present one vanished), the commit fails with {@code EAGAIN};
 * otherwise the copies replace the global nodes and the queued watch events fire.
 */
final class XsTransaction implements XsView
{
    /** Bookkeeping of one touched node. */
    static final class Entry
    {
        XsNode node;
        final long readGeneration;
        final XsAcl oldAcl;
        boolean modified;
        boolean fire;
        boolean fireExact;

        Entry(final XsNode node, final long readGeneration, final XsAcl oldAcl)
        {
            this.node = node;
            this.readGeneration = readGeneration;
            this.oldAcl = oldAcl;
        }
    }

    final int id;
    final XsServerConnection conn;
    final Map<String, Entry> entries = new LinkedHashMap<>();
    private final XsNodeStore store;
    private final Int2IntHashMap ownerDelta = new Int2IntHashMap(Integer.MIN_VALUE);
    private final int maxEntries;
    boolean failed;

    XsTransaction(final int id, final XsServerConnection conn, final XsNodeStore store, final int maxEntries)
    {
        this.id = id;
        this.conn = conn;
        this.store = store;
        this.maxEntries = maxEntries;
    }

    private Entry entry(final String path)
    {
        Entry entry = entries.get(path);
        if (null == entry)
        {
            if (entries.size() >= maxEntries)
            {
                failed = true;
                throw XsFailure.of(XsError.ENOSPC);
            }
            final XsNode global = store.peek(path);
            entry = null == global ?
                new Entry(null, XsNode.NO_GENERATION, null) :
                new Entry(global.copy(), global.generation, global.acl);
            entries.put(path, entry);
        }
        return entry;
    }

    @Override
    public XsNode get(final String path)
    {
        return entry(path).node;
    }

    @Override
    public void put(final String path, final XsNode node)
    {
        final Entry entry = entry(path);
        final int oldOwner = null == entry.node ? -1 : entry.node.countedOwner;
        final int newOwner = node.acl.owner();
        if (oldOwner != newOwner)
        {
            if (oldOwner >= 0)
            {
                XsNodeStore.adjust(ownerDelta, oldOwner, -1);
            }
            XsNodeStore.adjust(ownerDelta, newOwner, +1);
        }
        node.countedOwner = newOwner;
        entry.node = node;
        entry.modified = true;
    }

    @Override
    public void remove(final String path)
    {
        final Entry entry = entry(path);
        if (null != entry.node && entry.node.countedOwner >= 0)
        {
            XsNodeStore.adjust(ownerDelta, entry.node.countedOwner, -1);
        }
        entry.node = null;
        entry.modified = true;
    }

    @Override
    public int nodeCount(final int domid)
    {
        return store.nodeCount(domid) + XsNodeStore.count(ownerDelta, domid);
    }

    @Override
    public void fire(final String path, final XsNode node, final XsAcl oldAcl, final boolean exact)
    {
        final Entry entry = entries.get(path);
        if (null == entry)
        {
            failed = true;
            return;
        }
        if (!entry.fire)
        {
            entry.fire = true;
            entry.fireExact = exact;
        }
        else if (!exact)
        {
            entry.fireExact = false;
        }
    }

    /**
     * Whether any touched node changed globally since it was first read.
     *
     * @return true if the commit must fail with {@code EAGAIN}.
     */
    boolean conflicts()
    {
        for (final Map.Entry<String, Entry> e : entries.entrySet())
        {
            final XsNode global = store.peek(e.getKey());
            final long generation = null == global ? XsNode.NO_GENERATION : global.generation;
            if (generation != e.getValue().readGeneration)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Net change of a domain's node count if this transaction commits.
     *
     * @param domid domain.
     * @return nodes added minus nodes removed.
     */
    int ownerDelta(final int domid)
    {
        return XsNodeStore.count(ownerDelta, domid);
    }

    Int2IntHashMap ownerDeltas()
    {
        return ownerDelta;
    }
}
