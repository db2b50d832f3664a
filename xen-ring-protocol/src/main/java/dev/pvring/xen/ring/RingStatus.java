/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

/**
 * Negative return codes of the claim operations of {@link FrontRing} and {@link BackRing}; a non-negative
 * result is a slot offset in the ring's buffer.
 */
public final class RingStatus
{
    /** No free slot: the peer has not consumed enough (back-pressure; retry after it notifies). */
    public static final int FULL = -1;
    /** The ring is broken (see {@link RingFault}); nothing more is produced or consumed. */
    public static final int BROKEN = -2;

    private RingStatus()
    {
    }

    /**
     * Names a claim result for messages.
     *
     * @param status a claim result.
     * @return "FULL", "BROKEN" or "offset=N".
     */
    public static String toString(final int status)
    {
        return switch (status)
        {
            case FULL -> "FULL";
            case BROKEN -> "BROKEN";
            default -> "offset=" + status;
        };
    }
}
