/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

/**
 * A watch event: the path that changed ({@code XS_WATCH_PATH}) and the token given to {@code watch}
 * ({@code XS_WATCH_TOKEN}). Relative watches get relative paths.
 *
 * @param path  changed path (or the watched path itself, for the initial event and for coalesced overflow).
 * @param token the watch's token.
 */
public record XsWatchEvent(String path, String token)
{
}
