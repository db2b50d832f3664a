/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;

/**
 * One xenstore node inside xenstored: value, permissions, children names in creation order, generation count
 * (for transaction conflict detection). Owned by the server thread.
 */
final class XsNode
{
    /** Bytes C xenstored charges per node besides perms, value and children (its record header). */
    static final int HEADER_SIZE = 20;
    /** Bytes C xenstored charges per permission entry. */
    static final int PERMISSION_SIZE = 8;
    /** Generation of a node that does not exist. */
    static final long NO_GENERATION = -1;

    byte[] value;
    XsAcl acl;
    LinkedHashSet<String> children;
    int childBytes;
    long generation = NO_GENERATION;
    /** Owner this node is counted for in the node quota, or -1 while not counted. */
    int countedOwner = -1;

    XsNode(final byte[] value, final XsAcl acl)
    {
        this.value = value;
        this.acl = acl;
    }

    XsNode copy()
    {
        final XsNode copy = new XsNode(value, acl);
        if (null != children)
        {
            copy.children = new LinkedHashSet<>(children);
        }
        copy.childBytes = childBytes;
        copy.generation = generation;
        copy.countedOwner = countedOwner;
        return copy;
    }

    int childCount()
    {
        return null == children ? 0 : children.size();
    }

    void addChild(final String name)
    {
        if (null == children)
        {
            children = new LinkedHashSet<>();
        }
        if (children.add(name))
        {
            childBytes += name.length() + 1;
        }
    }

    void removeChild(final String name)
    {
        if (null != children && children.remove(name))
        {
            childBytes -= name.length() + 1;
        }
    }

    /**
     * Size charged against the node-size quota (C: record header + perms + value + children).
     *
     * @return bytes.
     */
    int size()
    {
        return HEADER_SIZE + PERMISSION_SIZE * acl.size() + value.length + childBytes;
    }

    /**
     * The children list as sent by DIRECTORY: each name followed by a NUL.
     *
     * @return encoded names.
     */
    byte[] encodeChildren()
    {
        final byte[] bytes = new byte[childBytes];
        if (null != children)
        {
            int offset = 0;
            for (final String name : children)
            {
                final byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
                System.arraycopy(b, 0, bytes, offset, b.length);
                offset += b.length + 1;
            }
        }
        return bytes;
    }
}
