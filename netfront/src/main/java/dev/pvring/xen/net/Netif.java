/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

import dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor;
import dev.pvring.xen.ring.entry.NetifRxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifRxResponseDescriptor;
import dev.pvring.xen.ring.entry.NetifTxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifTxResponseDescriptor;

/**
 * The {@code io/netif.h} protocol constants in one place, and the limits Linux's netback and netfront apply.
 * <p>
 * The per-slot layouts of the TX and RX rings live in {@code dev.pvring.xen.ring.entry} (they are shared with
 * {@code pvring inspect}): {@link NetifTxRequestDescriptor} (TX flags {@code NETTXF_*}),
 * {@link NetifTxResponseDescriptor} (status codes), {@link NetifRxRequestDescriptor},
 * {@link NetifRxResponseDescriptor} (RX flags {@code NETRXF_*}: the checksum bits are swapped relative to TX)
 * and {@link NetifExtraInfoDescriptor}; this package adds the control ring ({@link NetifCtrlRequestDescriptor},
 * {@link NetifCtrlResponseDescriptor}) and {@link NetifGrefDescriptor}. Every value is checked against Debian's
 * headers by {@code NetifLayoutTest}.
 */
public final class Netif
{
    /** Page size of every granted buffer; a slot's data never crosses it. */
    public static final int PAGE_SIZE = 4096;
    /** {@code XEN_NETIF_NR_SLOTS_MIN}: slots per packet every backend accepts. */
    public static final int NR_SLOTS_MIN = NetifTxRequestDescriptor.NR_SLOTS_MIN;
    /** {@code XEN_NETIF_MAX_TX_SIZE}: largest packet (the first slot's u16 size). */
    public static final int MAX_TX_SIZE = NetifTxRequestDescriptor.MAX_TX_SIZE;
    /** Linux {@code XEN_NETBK_LEGACY_SLOTS_MAX}: a TX packet using more data slots is dropped. */
    public static final int LEGACY_SLOTS_MAX = NR_SLOTS_MIN;
    /** Linux netback's default {@code fatal_skb_slots}: a TX packet using this many slots disconnects the vif. */
    public static final int FATAL_SKB_SLOTS = 20;
    /** {@code ETH_HLEN}: the first TX slot must hold at least the Ethernet header. */
    public static final int ETH_HLEN = 14;
    /** Linux netfront stops its TX queue when fewer than this many request slots are free. */
    public static final int TX_WAKE_SLOTS = NR_SLOTS_MIN + 1;
    /** Linux netfront posts RX buffers only in batches of at least this many ({@code NET_RX_SLOTS_MIN}). */
    public static final int RX_REFILL_MIN = NR_SLOTS_MIN + 1;
    /** TX/RX ring entries of a one-page {@code netif_tx}/{@code netif_rx} ring. */
    public static final int RING_ENTRIES_ONE_PAGE = 256;
    /** Control ring entries in one page ({@code __CONST_RING_SIZE(xen_netif_ctrl, 4096)}). */
    public static final int CTRL_RING_ENTRIES_ONE_PAGE = 128;

    /** {@code NETIF_RSP_DROPPED}. */
    public static final int RSP_DROPPED = NetifTxResponseDescriptor.STATUS_DROPPED;
    /** {@code NETIF_RSP_ERROR}. */
    public static final int RSP_ERROR = NetifTxResponseDescriptor.STATUS_ERROR;
    /** {@code NETIF_RSP_OKAY}. */
    public static final int RSP_OKAY = NetifTxResponseDescriptor.STATUS_OKAY;
    /** {@code NETIF_RSP_NULL}: the response to an extra-info slot. */
    public static final int RSP_NULL = NetifTxResponseDescriptor.STATUS_NULL;

    private Netif()
    {
    }
}
