/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

/**
 * {@code struct xen_netif_ctrl_response} ({@code io/netif.h}), 12 bytes in a 16-byte control ring slot:
 * <pre>
 *   0       2       4               8               12
 *  +-------+-------+---------------+---------------+
 *  |  id   | type  |    status     |     data      |
 *  |  u16  |  u16  |      u32      |      u32      |
 *  +-------+-------+---------------+---------------+
 * </pre>
 */
public final class NetifCtrlResponseDescriptor
{
    /** {@code id}: the request's id. */
    public static final int ID_OFFSET = 0;
    /** {@code type}: the request's type. */
    public static final int TYPE_OFFSET = 2;
    /** {@code status}: {@code XEN_NETIF_CTRL_STATUS_*}. */
    public static final int STATUS_OFFSET = 4;
    /** {@code data}: result of GET requests, else 0. */
    public static final int DATA_OFFSET = 8;
    /** {@code sizeof(struct xen_netif_ctrl_response)}. */
    public static final int LENGTH = 12;

    /** {@code XEN_NETIF_CTRL_STATUS_SUCCESS}. */
    public static final int STATUS_SUCCESS = 0;
    /** {@code XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED}. */
    public static final int STATUS_NOT_SUPPORTED = 1;
    /** {@code XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER}. */
    public static final int STATUS_INVALID_PARAMETER = 2;
    /** {@code XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW}. */
    public static final int STATUS_BUFFER_OVERFLOW = 3;

    private NetifCtrlResponseDescriptor()
    {
    }
}
