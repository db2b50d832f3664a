/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

/**
 * A registered watch: the connection, the canonical watched path, the token, and how much of an event path to
 * strip so that relative watches get relative event paths.
 */
final class XsWatch
{
    final XsServerConnection conn;
    final String path;
    final String token;
    final int prefixLength;

    XsWatch(final XsServerConnection conn, final String path, final String token, final int prefixLength)
    {
        this.conn = conn;
        this.path = path;
        this.token = token;
        this.prefixLength = prefixLength;
    }

    /**
     * The path as the client sees it (relative watches: relative).
     *
     * @param eventPath absolute event path (equal to or below {@link #path}).
     * @return path to report.
     */
    String reportPath(final String eventPath)
    {
        return eventPath.substring(prefixLength);
    }
}
