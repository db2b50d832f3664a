/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import dev.pvring.core.RingIndex;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Layout of a Xen {@code io/ring.h} shared ring ({@code struct NAME_sring}, identical on x86_32, x86_64 and
 * arm), little-endian:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    req_prod (front writes)                    |  0
 *  +---------------------------------------------------------------+
 *  |                    req_event (back writes)                    |  4
 *  +---------------------------------------------------------------+
 *  |                    rsp_prod (back writes)                     |  8
 *  +---------------------------------------------------------------+
 *  |                    rsp_event (front writes)                   | 12
 *  +---------------------------------------------------------------+
 *  |        pvt: protocol-private (netif smartpoll_active ...)     | 16
 *  +---------------------------------------------------------------+
 *  |                       __pad[44], zero                        ...| 20..63
 *  +---------------------------------------------------------------+
 *  |   ring[nr_ents]: union { request; response; } of E bytes     ...| 64
 *  +---------------------------------------------------------------+
 * </pre>
 * {@code nr_ents = __RD32((ring bytes - 64) / E)}: the entry count rounded down to a power of two. All indices
 * are free-running {@code RING_IDX} (u32) values; slot = {@code idx & (nr_ents - 1)}.
 */
public final class SharedRingDescriptor
{
    /** {@code req_prod}: requests produced by the front end. */
    public static final int REQ_PROD_OFFSET = 0;
    /** {@code req_event}: the back end asks to be notified when {@code req_prod} passes this. */
    public static final int REQ_EVENT_OFFSET = 4;
    /** {@code rsp_prod}: responses produced by the back end. */
    public static final int RSP_PROD_OFFSET = 8;
    /** {@code rsp_event}: the front end asks to be notified when {@code rsp_prod} passes this. */
    public static final int RSP_EVENT_OFFSET = 12;
    /** {@code pvt}: 4 protocol-private bytes. */
    public static final int PRIVATE_OFFSET = 16;
    /** {@code __pad[44]}. */
    public static final int PAD_OFFSET = 20;
    /** Length of {@code __pad}. */
    public static final int PAD_LENGTH = 44;
    /** Offset of {@code ring[0]}: the header is always 64 bytes. */
    public static final int HEADER_LENGTH = 64;
    /** Xen ring protocols always use 4 KiB pages ({@code XEN_PAGE_SHIFT 12}). */
    public static final int PAGE_SIZE = 4096;
    /** Largest ring-page-order pvring supports (16 pages). */
    public static final int MAX_PAGE_ORDER = 4;

    private SharedRingDescriptor()
    {
    }

    /**
     * Number of entries of a ring of {@code ringBytes} with {@code entrySize}-byte entries, as
     * {@code __RING_SIZE}: {@code __RD32((ringBytes - 64) / entrySize)}.
     *
     * @param ringBytes bytes of the shared ring including the 64-byte header.
     * @param entrySize {@code sizeof(union NAME_sring_entry)}.
     * @return the number of entries, a power of two.
     * @throws IllegalArgumentException if no entry fits or the arguments are not positive.
     */
    public static int ringSize(final int ringBytes, final int entrySize)
    {
        if (entrySize <= 0 || ringBytes <= HEADER_LENGTH)
        {
            throw new IllegalArgumentException(
                "ring must hold its header and positive entries: ringBytes=" + ringBytes + " entrySize=" + entrySize);
        }
        final int entries = RingIndex.roundDownToPowerOfTwo((ringBytes - HEADER_LENGTH) / entrySize);
        if (entries == 0)
        {
            throw new IllegalArgumentException(
                "no entry fits in the ring: ringBytes=" + ringBytes + " entrySize=" + entrySize);
        }
        return entries;
    }

    /**
     * Bytes of a ring spanning {@code 2^pageOrder} pages ({@code ring-page-order} in xenstore).
     *
     * @param pageOrder 0..{@link #MAX_PAGE_ORDER}.
     * @return {@code 4096 << pageOrder}.
     */
    public static int ringBytes(final int pageOrder)
    {
        if (pageOrder < 0 || pageOrder > MAX_PAGE_ORDER)
        {
            throw new IllegalArgumentException(
                "ring page order out of range: pageOrder=" + pageOrder + " max=" + MAX_PAGE_ORDER);
        }
        return PAGE_SIZE << pageOrder;
    }

    /**
     * Offset of a slot's entry relative to the ring's base.
     *
     * @param slot      slot number in {@code [0, nr_ents)}.
     * @param entrySize entry bytes.
     * @return {@code 64 + slot * entrySize}.
     */
    public static int entryOffset(final int slot, final int entrySize)
    {
        return HEADER_LENGTH + slot * entrySize;
    }

    /**
     * Checks that a ring of {@code ringBytes} at {@code offset} lies inside the buffer with aligned indices.
     *
     * @param buffer    the mapping.
     * @param offset    ring base.
     * @param ringBytes ring length.
     */
    public static void checkBounds(final AtomicBuffer buffer, final int offset, final int ringBytes)
    {
        if (offset < 0 || (offset & 3) != 0 || ringBytes <= HEADER_LENGTH || (long)offset + ringBytes > buffer.capacity())
        {
            throw new IllegalArgumentException(
                "ring does not fit the buffer: offset=" + offset + " ringBytes=" + ringBytes + " capacity=" +
                buffer.capacity());
        }
    }

    /**
     * {@code req_prod} with acquire ordering (the back end reads it before reading requests).
     *
     * @param buffer mapping.
     * @param base   ring base offset.
     * @return req_prod.
     */
    public static int reqProdAcquire(final AtomicBuffer buffer, final int base)
    {
        return buffer.getIntAcquire(base + REQ_PROD_OFFSET);
    }

    /**
     * {@code req_event} with volatile ordering.
     *
     * @param buffer mapping.
     * @param base   ring base offset.
     * @return req_event.
     */
    public static int reqEventVolatile(final AtomicBuffer buffer, final int base)
    {
        return buffer.getIntVolatile(base + REQ_EVENT_OFFSET);
    }

    /**
     * {@code rsp_prod} with acquire ordering (the front end reads it before reading responses).
     *
     * @param buffer mapping.
     * @param base   ring base offset.
     * @return rsp_prod.
     */
    public static int rspProdAcquire(final AtomicBuffer buffer, final int base)
    {
        return buffer.getIntAcquire(base + RSP_PROD_OFFSET);
    }

    /**
     * {@code rsp_event} with volatile ordering.
     *
     * @param buffer mapping.
     * @param base   ring base offset.
     * @return rsp_event.
     */
    public static int rspEventVolatile(final AtomicBuffer buffer, final int base)
    {
        return buffer.getIntVolatile(base + RSP_EVENT_OFFSET);
    }

    /**
     * {@code SHARED_RING_INIT}: zero the header (indices, pvt, pad) and set both event indices to 1, so the
     * first push notifies. Entries are left alone, as in C. Only the front end may do this.
     *
     * @param buffer mapping.
     * @param base   ring base offset.
     */
    public static void sharedRingInit(final AtomicBuffer buffer, final int base)
    {
        buffer.setMemory(base, HEADER_LENGTH, (byte)0);
        buffer.putInt(base + REQ_EVENT_OFFSET, 1);
        buffer.putInt(base + RSP_EVENT_OFFSET, 1);
        // The back end maps the page only after the front publishes its grant ref in xenstore; make the
        // header visible before anything the caller publishes next.
        buffer.putIntRelease(base + REQ_PROD_OFFSET, 0);
    }
}
