/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

/**
 * {@code struct xen_netif_gref} ({@code io/netif.h}), 8 bytes, one entry of the table an
 * {@code ADD/DEL_GREF_MAPPING} control request points to:
 * <pre>
 *   0               4       6       8
 *  +---------------+-------+-------+
 *  |      ref      | flags |status |
 *  |      u32      |  u16  |  u16  |
 *  +---------------+-------+-------+
 * </pre>
 */
public final class NetifGrefDescriptor
{
    /** {@code ref}: grant reference (in). */
    public static final int REF_OFFSET = 0;
    /** {@code flags}: {@code XEN_NETIF_CTRLF_GREF_*} (in). */
    public static final int FLAGS_OFFSET = 4;
    /** {@code status}: {@code XEN_NETIF_CTRL_STATUS_*} (out). */
    public static final int STATUS_OFFSET = 6;
    /** {@code sizeof(struct xen_netif_gref)}. */
    public static final int LENGTH = 8;
    /** {@code XEN_NETIF_CTRLF_GREF_readonly}. */
    public static final int FLAG_READONLY = 1;

    private NetifGrefDescriptor()
    {
    }
}
