/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

/**
 * A command's failure of a known kind: {@code pvring} prints the message as one line after the command's name
 * and exits with the {@link ExitCodes} code it carries (no stack trace).
 */
public final class CommandFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param exitCode one of {@link ExitCodes}.
     * @param message  the one line to print, with {@code name=value} details.
     */
    public CommandFailure(final int exitCode, final String message)
    {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /**
     * Refusal to delete or overwrite something the command did not create ({@link ExitCodes#REFUSED}).
     *
     * @param message what is there and which option allows replacing it, if any.
     * @return the failure to throw.
     */
    public static CommandFailure refused(final String message)
    {
        return new CommandFailure(ExitCodes.REFUSED, message);
    }

    /**
     * The peer broke the protocol ({@link ExitCodes#PEER}).
     *
     * @param message what the peer did.
     * @return the failure to throw.
     */
    public static CommandFailure peer(final String message)
    {
        return new CommandFailure(ExitCodes.PEER, message);
    }

    /**
     * The environment failed ({@link ExitCodes#FAILURE}).
     *
     * @param message what failed.
     * @return the failure to throw.
     */
    public static CommandFailure failure(final String message)
    {
        return new CommandFailure(ExitCodes.FAILURE, message);
    }

    /**
     * The exit code.
     *
     * @return one of {@link ExitCodes}.
     */
    public int exitCode()
    {
        return exitCode;
    }
}
