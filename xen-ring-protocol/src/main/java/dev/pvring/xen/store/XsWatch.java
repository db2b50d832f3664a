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
     * The key that identifies a watch within its connection (C xenstored: same node and token is
     * {@code EEXIST}). Paths and tokens are NUL-free strings of the payload, so a NUL separates them unambiguously.
     *
     * @param path  canonical watched path.
     * @param token the client's token.
     * @return {@code path + '\0' + token}.
     */
    static String key(final String path, final String token)
    {
        return path + '\0' + token;
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
