/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring.entry;

/**
 * {@code struct netif_rx_response} ({@code io/netif.h}), 8 bytes:
 * <pre>
 *   0       2       4       6       8
 *  +-------+-------+-------+-------+
 *  |  id   |offset | flags |status |
 *  |  u16  |  u16  |  u16  |  i16  |
 *  +-------+-------+-------+-------+
 * </pre>
 * A positive status is the fragment's byte count.
 */
public final class NetifRxResponseDescriptor
{
    /** {@code id}. */
    public static final int ID_OFFSET = 0;
    /** {@code offset}: data offset in the page. */
    public static final int OFFSET_OFFSET = 2;
    /** {@code flags}: {@code NETRXF_*}. */
    public static final int FLAGS_OFFSET = 4;
    /** {@code status}: byte count (&gt; 0) or {@code NETIF_RSP_*}. */
    public static final int STATUS_OFFSET = 6;
    /** {@code sizeof(struct netif_rx_response)}. */
    public static final int LENGTH = 8;
    /** {@code NETRXF_data_validated} (note: swapped with TX's csum bit). */
    public static final int FLAG_DATA_VALIDATED = 1;
    /** {@code NETRXF_csum_blank}. */
    public static final int FLAG_CSUM_BLANK = 2;
    /** {@code NETRXF_more_data}. */
    public static final int FLAG_MORE_DATA = 4;
    /** {@code NETRXF_extra_info}. */
    public static final int FLAG_EXTRA_INFO = 8;
    /** {@code NETRXF_gso_prefix} (deprecated). */
    public static final int FLAG_GSO_PREFIX = 16;

    private NetifRxResponseDescriptor()
    {
    }
}
