/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring.entry;

/**
 * {@code struct netif_rx_request} ({@code io/netif.h}), 8 bytes, one RX ring slot:
 * <pre>
 *   0       2       4               8
 *  +-------+-------+---------------+
 *  |  id   |  pad  |     gref      |
 *  |  u16  |  u16  |      u32      |
 *  +-------+-------+---------------+
 * </pre>
 */
public final class NetifRxRequestDescriptor
{
    /** {@code id}: echoed in the response. */
    public static final int ID_OFFSET = 0;
    /** {@code pad}. */
    public static final int PAD_OFFSET = 2;
    /** {@code gref}: grant of the page to receive into. */
    public static final int GREF_OFFSET = 4;
    /** {@code sizeof(struct netif_rx_request)}. */
    public static final int LENGTH = 8;
    /** {@code sizeof(union netif_rx_sring_entry)}: the RX ring's entry size. */
    public static final int ENTRY_LENGTH = 8;

    private NetifRxRequestDescriptor()
    {
    }
}
