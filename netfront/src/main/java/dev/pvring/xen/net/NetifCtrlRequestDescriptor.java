/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

/**
 * {@code struct xen_netif_ctrl_request} ({@code io/netif.h}), 16 bytes, one control ring request (frontend to
 * backend); the ring is {@code DEFINE_RING_TYPES(xen_netif_ctrl, ...)} with 16-byte entries:
 * <pre>
 *   0       2       4               8               12              16
 *  +-------+-------+---------------+---------------+---------------+
 *  |  id   | type  |    data[0]    |    data[1]    |    data[2]    |
 *  |  u16  |  u16  |      u32      |      u32      |      u32      |
 *  +-------+-------+---------------+---------------+---------------+
 * </pre>
 * Responses ({@link NetifCtrlResponseDescriptor}) may complete out of order and are matched by {@code id}.
 */
public final class NetifCtrlRequestDescriptor
{
    /** {@code id}: echoed in the response. */
    public static final int ID_OFFSET = 0;
    /** {@code type}: {@code XEN_NETIF_CTRL_TYPE_*}. */
    public static final int TYPE_OFFSET = 2;
    /** {@code data[0]}. */
    public static final int DATA0_OFFSET = 4;
    /** {@code data[1]}. */
    public static final int DATA1_OFFSET = 8;
    /** {@code data[2]}. */
    public static final int DATA2_OFFSET = 12;
    /** {@code sizeof(struct xen_netif_ctrl_request)}. */
    public static final int LENGTH = 16;
    /** {@code sizeof(union xen_netif_ctrl_sring_entry)}: the control ring's entry size. */
    public static final int ENTRY_LENGTH = 16;

    /** {@code XEN_NETIF_CTRL_TYPE_INVALID}. */
    public static final int TYPE_INVALID = 0;
    /** {@code XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS}: response data = supported hash type bits. */
    public static final int TYPE_GET_HASH_FLAGS = 1;
    /** {@code XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS}: data[0] = hash type bits. */
    public static final int TYPE_SET_HASH_FLAGS = 2;
    /** {@code XEN_NETIF_CTRL_TYPE_SET_HASH_KEY}: data[0] = gref of the key page, data[1] = key size. */
    public static final int TYPE_SET_HASH_KEY = 3;
    /** {@code XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE}: response data = maximum table entries. */
    public static final int TYPE_GET_HASH_MAPPING_SIZE = 4;
    /** {@code XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE}: data[0] = table entries. */
    public static final int TYPE_SET_HASH_MAPPING_SIZE = 5;
    /** {@code XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING}: data[0] = gref, data[1] = entries, data[2] = first entry. */
    public static final int TYPE_SET_HASH_MAPPING = 6;
    /** {@code XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM}: data[0] = {@code XEN_NETIF_CTRL_HASH_ALGORITHM_*}. */
    public static final int TYPE_SET_HASH_ALGORITHM = 7;
    /** {@code XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE}. */
    public static final int TYPE_GET_GREF_MAPPING_SIZE = 8;
    /** {@code XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING}. */
    public static final int TYPE_ADD_GREF_MAPPING = 9;
    /** {@code XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING}. */
    public static final int TYPE_DEL_GREF_MAPPING = 10;

    /** {@code XEN_NETIF_CTRL_HASH_ALGORITHM_NONE}: hashing off. */
    public static final int HASH_ALGORITHM_NONE = 0;
    /** {@code XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ}. */
    public static final int HASH_ALGORITHM_TOEPLITZ = 1;
    /** {@code XEN_NETIF_CTRL_HASH_TYPE_IPV4}: hash over the IPv4 addresses. */
    public static final int HASH_TYPE_IPV4 = 1;
    /** {@code XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP}: IPv4 addresses and TCP ports. */
    public static final int HASH_TYPE_IPV4_TCP = 2;
    /** {@code XEN_NETIF_CTRL_HASH_TYPE_IPV6}. */
    public static final int HASH_TYPE_IPV6 = 4;
    /** {@code XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP}. */
    public static final int HASH_TYPE_IPV6_TCP = 8;
    /** Every hash type bit defined by the header. */
    public static final int HASH_TYPE_ALL = HASH_TYPE_IPV4 | HASH_TYPE_IPV4_TCP | HASH_TYPE_IPV6 | HASH_TYPE_IPV6_TCP;

    private NetifCtrlRequestDescriptor()
    {
    }
}
