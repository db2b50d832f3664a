/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One Ethernet frame in private (never shared) native memory plus its offload metadata, reused packet after
 * packet. The frame starts at {@link #DATA_OFFSET}; the {@link #HEADROOM} bytes before it hold a
 * {@code struct virtio_net_hdr} when the frame goes to or comes from a TAP device with {@code IFF_VNET_HDR}.
 * <p>
 * Metadata mirrors what netif carries: {@link #checksum()} ({@code NETTXF/NETRXF csum_blank} and
 * {@code data_validated}) and GSO ({@code XEN_NETIF_GSO_TYPE_*} and the MSS from a GSO extra-info slot).
 * Not thread safe.
 */
public final class NetPacket
{
    /** Headroom before the frame (a virtio_net_hdr fits, 16-byte aligned frame). */
    public static final int HEADROOM = 16;
    /** Offset of the frame in {@link #buffer()}. */
    public static final int DATA_OFFSET = HEADROOM;
    /** Largest frame: {@link Netif#NR_SLOTS_MIN} full pages (what netfront's RX accepts). */
    public static final int MAX_FRAME = Netif.NR_SLOTS_MIN * Netif.PAGE_SIZE;
    /** Checksum state: complete, not verified. */
    public static final int CHECKSUM_NONE = 0;
    /** Checksum state: partial ({@code csum_blank}); the transport checksum field holds the pseudo-header sum. */
    public static final int CHECKSUM_PARTIAL = 1;
    /** Checksum state: verified by the sender ({@code data_validated} only). */
    public static final int CHECKSUM_VALIDATED = 2;

    private final MemorySegment segment;
    private final UnsafeBuffer buffer;
    private int length;
    private int checksum;
    private int gsoType;
    private int gsoSize;

    /**
     * A packet with its own {@code HEADROOM + MAX_FRAME} bytes from {@code arena}.
     *
     * @param arena owner of the memory.
     */
    public NetPacket(final Arena arena)
    {
        segment = arena.allocate(HEADROOM + MAX_FRAME, 64);
        buffer = new UnsafeBuffer(segment.address(), (int)segment.byteSize());
    }

    /**
     * The whole buffer (headroom and frame).
     *
     * @return the buffer; the frame is at {@link #DATA_OFFSET}.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * The native memory behind {@link #buffer()}, for system calls.
     *
     * @return the segment.
     */
    public MemorySegment segment()
    {
        return segment;
    }

    /**
     * Frame length in bytes.
     *
     * @return length.
     */
    public int length()
    {
        return length;
    }

    /**
     * Sets the frame length.
     *
     * @param length 0 to {@link #MAX_FRAME}.
     * @return this.
     */
    public NetPacket length(final int length)
    {
        if (length < 0 || length > MAX_FRAME)
        {
            throw new IllegalArgumentException("frame length out of range: length=" + length + " max=" + MAX_FRAME);
        }
        this.length = length;
        return this;
    }

    /**
     * Checksum state, one of {@code CHECKSUM_*}.
     *
     * @return the state.
     */
    public int checksum()
    {
        return checksum;
    }

    /**
     * Sets the checksum state.
     *
     * @param checksum one of {@code CHECKSUM_*}.
     * @return this.
     */
    public NetPacket checksum(final int checksum)
    {
        if (checksum < CHECKSUM_NONE || checksum > CHECKSUM_VALIDATED)
        {
            throw new IllegalArgumentException("unknown checksum state: checksum=" + checksum);
        }
        this.checksum = checksum;
        return this;
    }

    /**
     * GSO type ({@code XEN_NETIF_GSO_TYPE_*}; NONE for a plain frame).
     *
     * @return the type.
     */
    public int gsoType()
    {
        return gsoType;
    }

    /**
     * GSO segment size (MSS), meaningful when {@link #gsoType()} is not NONE.
     *
     * @return the MSS.
     */
    public int gsoSize()
    {
        return gsoSize;
    }

    /**
     * Sets GSO metadata.
     *
     * @param type {@code XEN_NETIF_GSO_TYPE_*}.
     * @param size MSS (0 with type NONE).
     * @return this.
     */
    public NetPacket gso(final int type, final int size)
    {
        this.gsoType = type;
        this.gsoSize = size;
        return this;
    }

    /**
     * Clears length and metadata.
     *
     * @return this.
     */
    public NetPacket reset()
    {
        length = 0;
        checksum = CHECKSUM_NONE;
        gsoType = 0;
        gsoSize = 0;
        return this;
    }

    /**
     * Copies frame and metadata from another packet.
     *
     * @param other source.
     * @return this.
     */
    public NetPacket copyFrom(final NetPacket other)
    {
        buffer.putBytes(DATA_OFFSET, other.buffer, DATA_OFFSET, other.length);
        length = other.length;
        checksum = other.checksum;
        gsoType = other.gsoType;
        gsoSize = other.gsoSize;
        return this;
    }

    @Override
    public String toString()
    {
        return "NetPacket{length=" + length + ", checksum=" + checksum + ", gsoType=" + gsoType + ", gsoSize=" +
            gsoSize + "}";
    }
}
