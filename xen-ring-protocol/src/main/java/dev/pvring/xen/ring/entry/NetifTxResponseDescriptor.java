/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring.entry;

/**
 * {@code struct netif_tx_response} ({@code io/netif.h}), 4 bytes in a 12-byte TX ring slot:
 * <pre>
 *   0       2       4
 *  +-------+-------+
 *  |  id   |status |
 *  |  u16  |  i16  |
 *  +-------+-------+
 * </pre>
 */
public final class NetifTxResponseDescriptor
{
    /** {@code id}: the request's id. */
    public static final int ID_OFFSET = 0;
    /** {@code status}: {@code NETIF_RSP_*}. */
    public static final int STATUS_OFFSET = 2;
    /** {@code sizeof(struct netif_tx_response)}. */
    public static final int LENGTH = 4;
    /** {@code NETIF_RSP_DROPPED}. */
    public static final int STATUS_DROPPED = -2;
    /** {@code NETIF_RSP_ERROR}. */
    public static final int STATUS_ERROR = -1;
    /** {@code NETIF_RSP_OKAY}. */
    public static final int STATUS_OKAY = 0;
    /** {@code NETIF_RSP_NULL}: response to an extra-info slot. */
    public static final int STATUS_NULL = 1;

    private NetifTxResponseDescriptor()
    {
    }
}
