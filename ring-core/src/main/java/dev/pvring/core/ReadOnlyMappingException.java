/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

/**
 * A write was attempted through a view of a read-only mapping (for instance a shmstream reader's channel
 * or a read-only grant mapping).
 */
public class ReadOnlyMappingException extends UnsupportedOperationException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message which method and which mapping.
     */
    public ReadOnlyMappingException(final String message)
    {
        super(message);
    }
}
