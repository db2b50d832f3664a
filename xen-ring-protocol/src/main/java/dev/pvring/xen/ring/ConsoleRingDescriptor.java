/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

/**
 * Layout of {@code struct xencons_interface} ({@code io/console.h}), 3088 bytes in its own page:
 * <pre>
 *  +---------------------------------------------+
 *  | in[1024]   backend -> guest (keyboard)      |    0
 *  +---------------------------------------------+
 *  | out[2048]  guest -> backend (console output)|  1024
 *  +---------------------------------------------+
 *  | in_cons  (u32, guest writes)                |  3072
 *  | in_prod  (u32, backend writes)              |  3076
 *  | out_cons (u32, backend writes)              |  3080
 *  | out_prod (u32, guest writes)                |  3084
 *  +---------------------------------------------+
 * </pre>
 * Indices are free-running; {@code MASK_XENCONS_IDX(idx, ring) = idx & (sizeof(ring) - 1)}.
 */
public final class ConsoleRingDescriptor
{
    /** {@code in[]}. */
    public static final int IN_OFFSET = 0;
    /** {@code sizeof(in)}. */
    public static final int IN_LENGTH = 1024;
    /** {@code out[]}. */
    public static final int OUT_OFFSET = 1024;
    /** {@code sizeof(out)}. */
    public static final int OUT_LENGTH = 2048;
    /** {@code in_cons}. */
    public static final int IN_CONS_OFFSET = 3072;
    /** {@code in_prod}. */
    public static final int IN_PROD_OFFSET = 3076;
    /** {@code out_cons}. */
    public static final int OUT_CONS_OFFSET = 3080;
    /** {@code out_prod}. */
    public static final int OUT_PROD_OFFSET = 3084;
    /** {@code sizeof(struct xencons_interface)}. */
    public static final int LENGTH = 3088;
    /** Grant reference reserved for the primary console page ({@code GNTTAB_RESERVED_CONSOLE}). */
    public static final int GNTTAB_RESERVED_CONSOLE = 0;

    private ConsoleRingDescriptor()
    {
    }
}
