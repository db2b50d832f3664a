/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.charset.StandardCharsets;

/**
 * XenBus device states, {@code enum xenbus_state} of {@code xen/io/xenbus.h}, stored as decimal strings in
 * {@code <device dir>/state}.
 */
public enum XenbusState
{
    /** 0: not set up (also: unreadable or garbage state). */
    UNKNOWN(0),
    /** 1: the toolstack created the device; the driver is starting. */
    INITIALISING(1),
    /** 2: backend waiting for frontend details (after publishing its features). */
    INIT_WAIT(2),
    /** 3: frontend published its details (Linux netfront skips this). */
    INITIALISED(3),
    /** 4: ready for I/O. */
    CONNECTED(4),
    /** 5: closing, the other end should close too. */
    CLOSING(5),
    /** 6: closed. */
    CLOSED(6),
    /** 7: reconfiguring. */
    RECONFIGURING(7),
    /** 8: reconfigured. */
    RECONFIGURED(8);

    private static final XenbusState[] BY_CODE = values();

    private final int code;

    XenbusState(final int code)
    {
        this.code = code;
    }

    /**
     * The wire value.
     *
     * @return 0..8.
     */
    public int code()
    {
        return code;
    }

    /**
     * The value written to xenstore.
     *
     * @return decimal string of {@link #code()}.
     */
    public String wireValue()
    {
        return Integer.toString(code);
    }

    /**
     * Parses a state as the other end wrote it (peer data): like Linux {@code xenbus_read_driver_state}, anything
     * that is not a decimal 0..8 (surrounding whitespace allowed) reads as {@link #UNKNOWN}.
     *
     * @param value raw node value, or {@code null} if the node is missing.
     * @return the state; never throws.
     */
    public static XenbusState parse(final byte[] value)
    {
        if (null == value)
        {
            return UNKNOWN;
        }
        final String text = new String(value, StandardCharsets.ISO_8859_1).strip();
        if (text.isEmpty() || text.length() > 3)
        {
            return UNKNOWN;
        }
        int code = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return UNKNOWN;
            }
            code = code * 10 + (c - '0');
        }
        return code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
