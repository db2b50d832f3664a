/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring.entry;

/**
 * {@code struct netif_tx_request} ({@code io/netif.h}), 12 bytes, one TX ring slot:
 * <pre>
 *   0       4       6       8       10      12
 *  +-------+-------+-------+-------+-------+
 *  | gref  |offset | flags |  id   | size  |
 *  |  u32  |  u16  |  u16  |  u16  |  u16  |
 *  +-------+-------+-------+-------+-------+
 * </pre>
 * A slot with {@link #FLAG_EXTRA_INFO} is followed by a {@link NetifExtraInfoDescriptor} slot.
 */
public final class NetifTxRequestDescriptor
{
    /** {@code gref}: grant of the page holding the data. */
    public static final int GREF_OFFSET = 0;
    /** {@code offset}: data offset within the page. */
    public static final int OFFSET_OFFSET = 4;
    /** {@code flags}: {@code NETTXF_*}. */
    public static final int FLAGS_OFFSET = 6;
    /** {@code id}: echoed in the response. */
    public static final int ID_OFFSET = 8;
    /** {@code size}: fragment size; in the first slot the whole packet size. */
    public static final int SIZE_OFFSET = 10;
    /** {@code sizeof(struct netif_tx_request)}. */
    public static final int LENGTH = 12;
    /** {@code sizeof(union netif_tx_sring_entry)}: the TX ring's entry size. */
    public static final int ENTRY_LENGTH = 12;
    /** {@code NETTXF_csum_blank}: the checksum field is blank (offload). */
    public static final int FLAG_CSUM_BLANK = 1;
    /** {@code NETTXF_data_validated}. */
    public static final int FLAG_DATA_VALIDATED = 2;
    /** {@code NETTXF_more_data}: another fragment follows. */
    public static final int FLAG_MORE_DATA = 4;
    /** {@code NETTXF_extra_info}: an extra-info slot follows. */
    public static final int FLAG_EXTRA_INFO = 8;
    /** {@code XEN_NETIF_MAX_TX_SIZE}. */
    public static final int MAX_TX_SIZE = 0xFFFF;
    /** {@code XEN_NETIF_NR_SLOTS_MIN}: slots per packet a backend must accept. */
    public static final int NR_SLOTS_MIN = 18;

    private NetifTxRequestDescriptor()
    {
    }
}
