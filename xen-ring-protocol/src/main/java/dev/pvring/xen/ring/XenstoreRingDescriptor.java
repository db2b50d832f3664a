/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

/**
 * Layout of {@code struct xenstore_domain_interface} ({@code io/xs_wire.h}), 2076 bytes:
 * <pre>
 *  +---------------------------------------------+
 *  | req[1024]  guest -> xenstored               |    0
 *  +---------------------------------------------+
 *  | rsp[1024]  xenstored -> guest               |  1024
 *  +---------------------------------------------+
 *  | req_cons (u32, xenstored writes)            |  2048
 *  | req_prod (u32, guest writes)                |  2052
 *  | rsp_cons (u32, guest writes)                |  2056
 *  | rsp_prod (u32, xenstored writes)            |  2060
 *  | server_features (u32)                       |  2064
 *  | connection (u32)                            |  2068
 *  | error (u32)                                 |  2072
 *  +---------------------------------------------+
 * </pre>
 */
public final class XenstoreRingDescriptor
{
    /** {@code req[]}. */
    public static final int REQ_OFFSET = 0;
    /** {@code rsp[]}. */
    public static final int RSP_OFFSET = 1024;
    /** {@code XENSTORE_RING_SIZE}. */
    public static final int RING_SIZE = 1024;
    /** {@code req_cons}. */
    public static final int REQ_CONS_OFFSET = 2048;
    /** {@code req_prod}. */
    public static final int REQ_PROD_OFFSET = 2052;
    /** {@code rsp_cons}. */
    public static final int RSP_CONS_OFFSET = 2056;
    /** {@code rsp_prod}. */
    public static final int RSP_PROD_OFFSET = 2060;
    /** {@code server_features}. */
    public static final int SERVER_FEATURES_OFFSET = 2064;
    /** {@code connection}. */
    public static final int CONNECTION_OFFSET = 2068;
    /** {@code error}. */
    public static final int ERROR_OFFSET = 2072;
    /** {@code sizeof(struct xenstore_domain_interface)}. */
    public static final int LENGTH = 2076;
    /** {@code XENSTORE_SERVER_FEATURE_RECONNECTION}. */
    public static final int SERVER_FEATURE_RECONNECTION = 1;
    /** {@code XENSTORE_SERVER_FEATURE_ERROR}. */
    public static final int SERVER_FEATURE_ERROR = 2;
    /** {@code XENSTORE_CONNECTED}. */
    public static final int CONNECTED = 0;
    /** {@code XENSTORE_RECONNECT}. */
    public static final int RECONNECT = 1;
    /** {@code XENSTORE_ERROR_NONE}. */
    public static final int ERROR_NONE = 0;
    /** {@code XENSTORE_ERROR_COMM}. */
    public static final int ERROR_COMM = 1;
    /** {@code XENSTORE_ERROR_RINGIDX}. */
    public static final int ERROR_RINGIDX = 2;
    /** {@code XENSTORE_ERROR_PROTO}. */
    public static final int ERROR_PROTO = 3;
    /** Grant reference reserved for the xenstore page ({@code GNTTAB_RESERVED_XENSTORE}). */
    public static final int GNTTAB_RESERVED_XENSTORE = 1;

    private XenstoreRingDescriptor()
    {
    }
}
