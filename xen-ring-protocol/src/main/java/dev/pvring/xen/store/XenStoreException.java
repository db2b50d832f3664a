/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

/**
 * A failed xenstore call: either xenstored answered {@code XS_ERROR} (the errno name is in {@link #errorName()},
 * e.g. {@code ENOENT}), or the connection failed or the server's reply was malformed
 * ({@link #isConnectionBroken()} tells whether the client can still be used).
 */
public class XenStoreException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String errorName;
    private final boolean connectionBroken;

    /**
     * Creates an exception.
     *
     * @param errorName        errno name (from the server, or {@code EIO} for local failures).
     * @param message          what was being done.
     * @param connectionBroken whether the connection can no longer be used.
     * @param cause            underlying cause, or {@code null}.
     */
    public XenStoreException(
        final String errorName, final String message, final boolean connectionBroken, final Throwable cause)
    {
        super(errorName + ": " + message, cause);
        this.errorName = errorName;
        this.connectionBroken = connectionBroken;
    }

    /**
     * The errno name, as sent by xenstored (e.g. {@code ENOENT}, {@code EACCES}, {@code EAGAIN}) or {@code EIO}
     * for a broken connection or malformed reply.
     *
     * @return errno name.
     */
    public String errorName()
    {
        return errorName;
    }

    /**
     * The error as an enum constant.
     *
     * @return the error, or {@code null} if the name is not one of {@link XsError}.
     */
    public XsError error()
    {
        return XsError.fromName(errorName);
    }

    /**
     * Whether this is the given error.
     *
     * @param error expected error.
     * @return true if {@link #errorName()} is {@code error}'s name.
     */
    public boolean is(final XsError error)
    {
        return error.name().equals(errorName);
    }

    /**
     * Whether the connection is unusable after this failure (I/O error, peer closed, malformed reply).
     *
     * @return true if every later call will fail too.
     */
    public boolean isConnectionBroken()
    {
        return connectionBroken;
    }
}
