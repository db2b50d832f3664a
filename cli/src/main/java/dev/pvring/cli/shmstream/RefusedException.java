/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

/**
 * A command refused to overwrite or delete a file it did not create ({@code ExitCodes.REFUSED}); the message names
 * the file, what is there, and the option that allows it.
 */
final class RefusedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    RefusedException(final String message)
    {
        super(message);
    }
}
