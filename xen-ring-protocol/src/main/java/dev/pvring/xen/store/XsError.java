/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

/**
 * Errno names carried by {@code XS_ERROR} replies, the {@code xsd_errors[]} table of {@code xen/io/xs_wire.h}
 * in its order, with the Linux errno numbers libxenstore maps them to. {@link #EQUOTA} is not in that table: only
 * oxenstored sends it (libxenstore turns it into {@code EINVAL}); pvring's xenstored never does, but its client
 * recognises it.
 */
public enum XsError
{
    /** Invalid argument or malformed request. */
    EINVAL(22),
    /** Permission denied. */
    EACCES(13),
    /** Already exists (duplicate watch). */
    EEXIST(17),
    /** Is a directory. */
    EISDIR(21),
    /** No such node, watch or transaction. */
    ENOENT(2),
    /** Out of memory (also: the transaction failed earlier). */
    ENOMEM(12),
    /** Quota exceeded: nodes, node size, transactions, permissions per node. */
    ENOSPC(28),
    /** Input/output error. */
    EIO(5),
    /** Directory not empty. */
    ENOTEMPTY(39),
    /** Unknown message type. */
    ENOSYS(38),
    /** Read-only. */
    EROFS(30),
    /** Busy (transaction started inside a transaction). */
    EBUSY(16),
    /** Transaction conflict: retry the whole transaction. */
    EAGAIN(11),
    /** Already connected. */
    EISCONN(106),
    /** Reply too long, or too many watches. */
    E2BIG(7),
    /** Operation not permitted (an unprivileged owner giving a node away). */
    EPERM(1),
    /** oxenstored's quota error (not in xs_wire.h; never sent by pvring). */
    EQUOTA(122);

    private final int errno;

    XsError(final int errno)
    {
        this.errno = errno;
    }

    /**
     * The Linux errno number libxenstore reports for this name.
     *
     * @return errno value.
     */
    public int errno()
    {
        return errno;
    }

    /**
     * Looks an errno name up.
     *
     * @param name errno name as sent on the wire (without the NUL).
     * @return the error, or {@code null} if the name is not known.
     */
    public static XsError fromName(final String name)
    {
        for (final XsError error : values())
        {
            if (error.name().equals(name))
            {
                return error;
            }
        }
        return null;
    }
}
