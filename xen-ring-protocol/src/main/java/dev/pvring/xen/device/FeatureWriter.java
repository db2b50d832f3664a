/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

/**
 * Where a {@link BackendDriver} publishes its features (keys of the backend directory such as
 * {@code feature-sg=1}, {@code max-ring-page-order=4}, {@code multi-queue-max-queues=4}); written in the same
 * transaction that switches the backend to InitWait.
 */
public interface FeatureWriter
{
    /**
     * Writes a key of the backend directory.
     *
     * @param key   key relative to the backend directory (e.g. {@code feature-split-event-channels}).
     * @param value its value.
     */
    void write(String key, String value);

    /**
     * Writes a {@code 0}/{@code 1} flag.
     *
     * @param key     key relative to the backend directory.
     * @param enabled the flag.
     */
    default void flag(final String key, final boolean enabled)
    {
        write(key, enabled ? "1" : "0");
    }

    /**
     * Writes a decimal number.
     *
     * @param key   key relative to the backend directory.
     * @param value the number.
     */
    default void number(final String key, final long value)
    {
        write(key, Long.toString(value));
    }
}
