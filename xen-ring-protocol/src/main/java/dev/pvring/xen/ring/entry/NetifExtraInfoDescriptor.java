/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring.entry;

/**
 * {@code struct netif_extra_info} ({@code io/netif.h}), 8 bytes in a ring slot:
 * <pre>
 *   0   1   2       4   5   6       8
 *  +---+---+-------+---+---+-------+
 *  |typ|flg| gso.size  |gty|pad| gso.features |   type GSO
 *  +---+---+-----------------------+
 *  |typ|flg| mcast.addr[6]         |   type MCAST_ADD/DEL
 *  +---+---+---+---+---------------+
 *  |typ|flg|hty|alg| hash.value[4] |   type HASH
 *  +---+---+---+---+---------------+
 * </pre>
 */
public final class NetifExtraInfoDescriptor
{
    /** {@code type}: {@code XEN_NETIF_EXTRA_TYPE_*}. */
    public static final int TYPE_OFFSET = 0;
    /** {@code flags}: {@code XEN_NETIF_EXTRA_FLAG_*}. */
    public static final int FLAGS_OFFSET = 1;
    /** {@code u.gso.size}: MSS. */
    public static final int GSO_SIZE_OFFSET = 2;
    /** {@code u.gso.type}: {@code XEN_NETIF_GSO_TYPE_*}. */
    public static final int GSO_TYPE_OFFSET = 4;
    /** {@code u.gso.pad}. */
    public static final int GSO_PAD_OFFSET = 5;
    /** {@code u.gso.features}. */
    public static final int GSO_FEATURES_OFFSET = 6;
    /** {@code u.mcast.addr}. */
    public static final int MCAST_ADDR_OFFSET = 2;
    /** Length of {@code u.mcast.addr}. */
    public static final int MCAST_ADDR_LENGTH = 6;
    /** {@code u.hash.type}. */
    public static final int HASH_TYPE_OFFSET = 2;
    /** {@code u.hash.algorithm}. */
    public static final int HASH_ALGORITHM_OFFSET = 3;
    /** {@code u.hash.value} (little-endian). */
    public static final int HASH_VALUE_OFFSET = 4;
    /** {@code sizeof(struct netif_extra_info)}. */
    public static final int LENGTH = 8;
    /** {@code XEN_NETIF_EXTRA_TYPE_NONE} (invalid). */
    public static final int TYPE_NONE = 0;
    /** {@code XEN_NETIF_EXTRA_TYPE_GSO}. */
    public static final int TYPE_GSO = 1;
    /** {@code XEN_NETIF_EXTRA_TYPE_MCAST_ADD}. */
    public static final int TYPE_MCAST_ADD = 2;
    /** {@code XEN_NETIF_EXTRA_TYPE_MCAST_DEL}. */
    public static final int TYPE_MCAST_DEL = 3;
    /** {@code XEN_NETIF_EXTRA_TYPE_HASH}. */
    public static final int TYPE_HASH = 4;
    /** {@code XEN_NETIF_EXTRA_TYPE_MAX}. */
    public static final int TYPE_MAX = 5;
    /** {@code XEN_NETIF_EXTRA_FLAG_MORE}: another extra follows. */
    public static final int FLAG_MORE = 1;
    /** {@code XEN_NETIF_GSO_TYPE_NONE}. */
    public static final int GSO_TYPE_NONE = 0;
    /** {@code XEN_NETIF_GSO_TYPE_TCPV4}. */
    public static final int GSO_TYPE_TCPV4 = 1;
    /** {@code XEN_NETIF_GSO_TYPE_TCPV6}. */
    public static final int GSO_TYPE_TCPV6 = 2;

    private NetifExtraInfoDescriptor()
    {
    }
}
