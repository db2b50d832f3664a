/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Dumps a xenstore subtree as sorted {@code path = "value" (perms)} lines (the shape {@code xenstore-ls -f -p}
 * shows), for comparing trees in tests.
 */
public final class XsTree
{
    private XsTree()
    {
    }

    /**
     * The subtree at {@code path}, depth first with children in name order.
     *
     * @param store a connection allowed to read the subtree.
     * @param path  the top node.
     * @return one line per node.
     */
    public static List<String> dump(final XenStore store, final String path)
    {
        final List<String> lines = new ArrayList<>();
        dump(store, path, lines);
        return lines;
    }

    private static void dump(final XenStore store, final String path, final List<String> lines)
    {
        final String perms = store.getPermissions(XenStore.NO_TRANSACTION, path).stream()
            .map(XsPermission::toString).collect(Collectors.joining(","));
        lines.add(path + " = \"" + store.readString(path) + "\" (" + perms + ")");
        for (final String child : store.directory(path).stream().sorted().toList())
        {
            dump(store, XsPaths.child(path, child), lines);
        }
    }
}
