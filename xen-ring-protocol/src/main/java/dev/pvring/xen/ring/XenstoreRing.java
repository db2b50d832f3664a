/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The xenstore ring page ({@link XenstoreRingDescriptor}): the guest writes requests to {@code req} and reads
 * replies and watch events from {@code rsp}; xenstored does the reverse. Messages are xs_wire frames carried as
 * bytes; framing is the caller's.
 */
public final class XenstoreRing
{
    private XenstoreRing()
    {
    }

    /**
     * The guest end: reads {@code rsp}, writes {@code req}.
     *
     * @param buffer mapping of the page.
     * @param base   offset of the interface in the buffer.
     * @return the end.
     */
    public static DuplexByteRing guest(final AtomicBuffer buffer, final int base)
    {
        return new DuplexByteRing(
            new ByteRingReader(buffer, base + XenstoreRingDescriptor.RSP_OFFSET, XenstoreRingDescriptor.RING_SIZE,
                base + XenstoreRingDescriptor.RSP_CONS_OFFSET, base + XenstoreRingDescriptor.RSP_PROD_OFFSET),
            new ByteRingWriter(buffer, base + XenstoreRingDescriptor.REQ_OFFSET, XenstoreRingDescriptor.RING_SIZE,
                base + XenstoreRingDescriptor.REQ_CONS_OFFSET, base + XenstoreRingDescriptor.REQ_PROD_OFFSET));
    }

    /**
     * The xenstored end: reads {@code req}, writes {@code rsp}.
     *
     * @param buffer mapping of the page.
     * @param base   offset of the interface in the buffer.
     * @return the end.
     */
    public static DuplexByteRing server(final AtomicBuffer buffer, final int base)
    {
        return new DuplexByteRing(
            new ByteRingReader(buffer, base + XenstoreRingDescriptor.REQ_OFFSET, XenstoreRingDescriptor.RING_SIZE,
                base + XenstoreRingDescriptor.REQ_CONS_OFFSET, base + XenstoreRingDescriptor.REQ_PROD_OFFSET),
            new ByteRingWriter(buffer, base + XenstoreRingDescriptor.RSP_OFFSET, XenstoreRingDescriptor.RING_SIZE,
                base + XenstoreRingDescriptor.RSP_CONS_OFFSET, base + XenstoreRingDescriptor.RSP_PROD_OFFSET));
    }
}
