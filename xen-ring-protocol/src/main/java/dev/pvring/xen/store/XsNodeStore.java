/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.collections.Int2IntHashMap;

/**
 * The global node tree: a hash of absolute path to node (as C xenstored's data base), the global generation
 * counter and the per-domain node counts for the quota. Initial content as C xenstored: {@code /},
 * {@code /tool}, {@code /tool/xenstored} and the special nodes {@code @introduceDomain} and
 * {@code @releaseDomain}, all owned by dom0 with no access for others ({@code n0}).
 */
final class XsNodeStore implements XsView
{
    private final Map<String, XsNode> nodes = new HashMap<>();
    private final Int2IntHashMap ownerCounts = new Int2IntHashMap(Integer.MIN_VALUE);
    private final XenstoredCore core;
    private long generation;

    XsNodeStore(final XenstoredCore core)
    {
        this.core = core;
        final XsNode root = new XsNode(new byte[0], XsAcl.DOM0_NONE);
        root.addChild("tool");
        put(XsPaths.ROOT, root);
        final XsNode tool = new XsNode(new byte[0], XsAcl.DOM0_NONE);
        tool.addChild("xenstored");
        put("/tool", tool);
        put("/tool/xenstored", new XsNode(new byte[0], XsAcl.DOM0_NONE));
        put(XsPaths.RELEASE_DOMAIN, new XsNode(new byte[0], XsAcl.DOM0_NONE));
        put(XsPaths.INTRODUCE_DOMAIN, new XsNode(new byte[0], XsAcl.DOM0_NONE));
    }

    long nextGeneration()
    {
        return ++generation;
    }

    /**
     * Current node without any transaction bookkeeping.
     *
     * @param path absolute path.
     * @return the live node or {@code null}.
     */
    XsNode peek(final String path)
    {
        return nodes.get(path);
    }

    int size()
    {
        return nodes.size();
    }

    @Override
    public XsNode get(final String path)
    {
        return nodes.get(path);
    }

    @Override
    public void put(final String path, final XsNode node)
    {
        final XsNode old = nodes.put(path, node);
        final int oldOwner = null == old ? -1 : old.countedOwner;
        final int newOwner = node.acl.owner();
        if (oldOwner != newOwner)
        {
            if (oldOwner >= 0)
            {
                adjust(ownerCounts, oldOwner, -1);
            }
            adjust(ownerCounts, newOwner, +1);
        }
        node.countedOwner = newOwner;
        node.generation = nextGeneration();
    }

    @Override
    public void remove(final String path)
    {
        final XsNode old = nodes.remove(path);
        if (null != old && old.countedOwner >= 0)
        {
            adjust(ownerCounts, old.countedOwner, -1);
            old.countedOwner = -1;
        }
    }

    @Override
    public int nodeCount(final int domid)
    {
        return count(ownerCounts, domid);
    }

    @Override
    public void fire(final String path, final XsNode node, final XsAcl oldAcl, final boolean exact)
    {
        core.fireWatches(path, node, oldAcl, exact);
    }

    /**
     * All paths of a subtree, parents before children, without recursion.
     *
     * @param view view to read through.
     * @param root subtree root (must exist in {@code view}).
     * @return paths in pre-order.
     */
    static List<String> subtree(final XsView view, final String root)
    {
        final List<String> result = new ArrayList<>();
        final ArrayDeque<String> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty())
        {
            final String path = stack.pop();
            final XsNode node = view.get(path);
            if (null == node)
            {
                continue;
            }
            result.add(path);
            if (null != node.children)
            {
                final List<String> names = new ArrayList<>(node.children);
                for (int i = names.size() - 1; i >= 0; i--)
                {
                    stack.push(XsPaths.child(path, names.get(i)));
                }
            }
        }
        return result;
    }

    /**
     * Removes every non-owner permission entry naming a released domain (so a new domain reusing the id does
     * not inherit them). Changed nodes get a new generation, so transactions holding old copies conflict.
     *
     * @param domid released domain.
     * @return number of nodes changed.
     */
    int revokeDomain(final int domid)
    {
        int changed = 0;
        for (final XsNode node : nodes.values())
        {
            final XsAcl acl = node.acl.without(domid);
            if (acl != node.acl)
            {
                node.acl = acl;
                node.generation = nextGeneration();
                changed++;
            }
        }
        return changed;
    }

    /**
     * Paths of the topmost nodes owned by a domain (their subtrees are removed with them), found without
     * recursion.
     *
     * @param domid domain.
     * @return topmost owned paths.
     */
    List<String> topmostOwnedBy(final int domid)
    {
        final List<String> result = new ArrayList<>();
        final ArrayDeque<String> stack = new ArrayDeque<>();
        stack.push(XsPaths.ROOT);
        while (!stack.isEmpty())
        {
            final String path = stack.pop();
            final XsNode node = nodes.get(path);
            if (null == node)
            {
                continue;
            }
            if (node.acl.owner() == domid && !XsPaths.ROOT.equals(path))
            {
                result.add(path);
                continue;
            }
            if (null != node.children)
            {
                for (final String name : node.children)
                {
                    stack.push(XsPaths.child(path, name));
                }
            }
        }
        return result;
    }

    /**
     * Consistency check (C {@code check_store}): every child listed exists, every node is listed by its parent,
     * and the per-owner node counts match a recount.
     *
     * @return problems found (empty if consistent).
     */
    List<String> check()
    {
        final List<String> problems = new ArrayList<>();
        final Int2IntHashMap recount = new Int2IntHashMap(Integer.MIN_VALUE);
        for (final Map.Entry<String, XsNode> e : nodes.entrySet())
        {
            final String path = e.getKey();
            final XsNode node = e.getValue();
            adjust(recount, node.acl.owner(), 1);
            if (node.countedOwner != node.acl.owner())
            {
                problems.add("owner not counted: " + path);
            }
            if (null != node.children)
            {
                int bytes = 0;
                for (final String name : node.children)
                {
                    bytes += name.length() + 1;
                    if (!nodes.containsKey(XsPaths.child(path, name)))
                    {
                        problems.add("missing child: " + XsPaths.child(path, name));
                    }
                }
                if (bytes != node.childBytes)
                {
                    problems.add("children size mismatch: " + path);
                }
            }
            if (!XsPaths.ROOT.equals(path) && path.charAt(0) == '/')
            {
                final XsNode parent = nodes.get(XsPaths.parent(path));
                if (null == parent || null == parent.children || !parent.children.contains(XsPaths.basename(path)))
                {
                    problems.add("orphan: " + path);
                }
            }
        }
        recount.forEachInt((domid, count) ->
        {
            if (count(ownerCounts, domid) != count)
            {
                problems.add("node count of domain " + domid + ": counted=" + count(ownerCounts, domid) +
                    " actual=" + count);
            }
        });
        ownerCounts.forEachInt((domid, count) ->
        {
            if (count(recount, domid) != count)
            {
                problems.add("node count of domain " + domid + ": counted=" + count + " actual=" +
                    count(recount, domid));
            }
        });
        return problems;
    }

    static int count(final Int2IntHashMap map, final int key)
    {
        final int value = map.get(key);
        return Integer.MIN_VALUE == value ? 0 : value;
    }

    static void adjust(final Int2IntHashMap map, final int key, final int delta)
    {
        final int value = count(map, key) + delta;
        if (0 == value)
        {
            map.remove(key);
        }
        else
        {
            map.put(key, value);
        }
    }
}
