/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

/**
 * The platform itself failed or is missing (not something a peer did): a simulated system that does not
 * exist, a corrupt system file, a Xen device that cannot be opened. The message names the path or device and
 * the numbers, e.g. {@code "no simulated system: directory=/dev/shm/pvring-sim/x"}.
 */
public class PlatformException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with {@code name=value} details.
     */
    public PlatformException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed, with {@code name=value} details.
     * @param cause   the underlying error.
     */
    public PlatformException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
