/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

/**
 * A shared-memory region could not be created, opened or mapped. The message names the path and the numbers
 * involved, e.g. {@code "file smaller than requested: path=/dev/shm/x fileSize=4096 requested=8192"}.
 */
public class SharedMemoryException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with {@code name=value} details.
     */
    public SharedMemoryException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed, with {@code name=value} details.
     * @param cause   the underlying I/O error.
     */
    public SharedMemoryException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
