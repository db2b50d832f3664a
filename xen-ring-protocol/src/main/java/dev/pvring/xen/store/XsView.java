/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

/**
 * What a request sees of the node tree: the global store, or a transaction's private copies. Requests read a
 * node, change the returned object, then {@link #put} it; nothing is changed before every check passed.
 */
interface XsView
{
    /**
     * Reads a node (in a transaction: records it for conflict detection, copying it on first access).
     *
     * @param path absolute path.
     * @return a node that may be changed and then {@link #put}, or {@code null} if absent.
     */
    XsNode get(String path);

    /**
     * Stores a created or changed node.
     *
     * @param path absolute path.
     * @param node the node.
     */
    void put(String path, XsNode node);

    /**
     * Removes a node.
     *
     * @param path absolute path.
     */
    void remove(String path);

    /**
     * Number of nodes owned by a domain, as this view sees it.
     *
     * @param domid domain.
     * @return node count.
     */
    int nodeCount(int domid);

    /**
     * A node changed: fire watches now (global) or at commit (transaction).
     *
     * @param path   changed path.
     * @param node   the node, or {@code null} if it is gone.
     * @param oldAcl permissions before a permission change, or {@code null}.
     * @param exact  fire only watches on exactly this path (sub-nodes of a removed tree).
     */
    void fire(String path, XsNode node, XsAcl oldAcl, boolean exact);
}
