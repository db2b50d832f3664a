/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

import static dev.pvring.core.tap.VirtioNetHdrDescriptor.CSUM_OFFSET_OFFSET;
import static dev.pvring.core.tap.VirtioNetHdrDescriptor.CSUM_START_OFFSET;
import static dev.pvring.core.tap.VirtioNetHdrDescriptor.FLAGS_OFFSET;
import static dev.pvring.core.tap.VirtioNetHdrDescriptor.FLAG_DATA_VALID;
import static dev.pvring.core.tap.VirtioNetHdrDescriptor.FLAG_NEEDS_CSUM;
import static dev.pvring.core.tap.VirtioNetHdrDescriptor.GSO_SIZE_OFFSET;
import static dev.pvring.core.tap.VirtioNetHdrDescriptor.GSO_TYPE_OFFSET;
import static dev.pvring.core.tap.VirtioNetHdrDescriptor.HDR_LEN_OFFSET;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import dev.pvring.core.tap.TapDevice;
import dev.pvring.core.tap.VirtioNetHdrDescriptor;
import dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor;

/**
 * A TAP device opened with {@code IFF_VNET_HDR} as a source and sink of {@link NetPacket}s: checksum offload and
 * TCP segmentation pass through as netif metadata. {@code NEEDS_CSUM} becomes {@code csum_blank} (the checksum
 * field already holds the pseudo-header sum in both worlds), {@code DATA_VALID} becomes {@code data_validated},
 * {@code GSO_TCPV4/6} with {@code gso_size} becomes a GSO extra; the other way round the transport header is
 * found by {@link PacketHeaders} to fill {@code csum_start}, {@code csum_offset} and {@code hdr_len}. Frames the
 * netif side cannot express (longer than {@link Netif#MAX_TX_SIZE}, UDP GSO) are dropped and counted. Not thread
 * safe.
 */
public final class TapPort implements AutoCloseable
{
    /** The offloads this port accepts from the kernel. */
    public static final int OFFLOADS = TapDevice.TUN_F_CSUM | TapDevice.TUN_F_TSO4 | TapDevice.TUN_F_TSO6;
    private static final int HDR_AT = NetPacket.HEADROOM - VirtioNetHdrDescriptor.LENGTH;

    private final TapDevice tap;
    private final PacketHeaders headers = new PacketHeaders();
    private long readDropped;
    private long writeDropped;

    /**
     * Opens (creating if needed) a TAP device with the virtio-net header and TSO/checksum offloads.
     *
     * @param name interface name.
     * @return the port.
     * @throws IllegalStateException without /dev/net/tun or CAP_NET_ADMIN (the message says which).
     */
    public static TapPort open(final String name)
    {
        return new TapPort(TapDevice.openWithVnetHeader(name, OFFLOADS));
    }

    private TapPort(final TapDevice tap)
    {
        this.tap = tap;
    }

    /** @return the device. */
    public TapDevice device()
    {
        return tap;
    }

    /**
     * Reads one frame if one is queued.
     *
     * @param packet receives the frame and its metadata.
     * @return true if a frame was read (false: none queued, or one was dropped).
     */
    public boolean read(final NetPacket packet)
    {
        packet.reset();
        final int n = tap.read(packet.segment().asSlice(HDR_AT), VirtioNetHdrDescriptor.LENGTH + NetPacket.MAX_FRAME);
        if (n < 0)
        {
            return false;
        }
        final int length = n - VirtioNetHdrDescriptor.LENGTH;
        final UnsafeBuffer b = packet.buffer();
        final int flags = b.getByte(HDR_AT + FLAGS_OFFSET) & 0xFF;
        final int gso = (b.getByte(HDR_AT + GSO_TYPE_OFFSET) & 0xFF) & ~VirtioNetHdrDescriptor.GSO_ECN;
        if (length < Netif.ETH_HLEN || length > Netif.MAX_TX_SIZE ||
            (gso != VirtioNetHdrDescriptor.GSO_NONE && gso != VirtioNetHdrDescriptor.GSO_TCPV4 &&
            gso != VirtioNetHdrDescriptor.GSO_TCPV6))
        {
            readDropped++;
            return false;
        }
        packet.length(length);
        if ((flags & FLAG_NEEDS_CSUM) != 0)
        {
            packet.checksum(NetPacket.CHECKSUM_PARTIAL);
        }
        else if ((flags & FLAG_DATA_VALID) != 0)
        {
            packet.checksum(NetPacket.CHECKSUM_VALIDATED);
        }
        if (gso != VirtioNetHdrDescriptor.GSO_NONE)
        {
            packet.gso(gso == VirtioNetHdrDescriptor.GSO_TCPV4 ? NetifExtraInfoDescriptor.GSO_TYPE_TCPV4 :
                NetifExtraInfoDescriptor.GSO_TYPE_TCPV6, b.getShort(HDR_AT + GSO_SIZE_OFFSET) & 0xFFFF);
        }
        return true;
    }

    /**
     * Writes one frame with its metadata.
     *
     * @param packet frame (its headroom is overwritten with the header).
     * @return true if the kernel took it.
     */
    public boolean write(final NetPacket packet)
    {
        final UnsafeBuffer b = packet.buffer();
        b.setMemory(HDR_AT, VirtioNetHdrDescriptor.LENGTH, (byte)0);
        final boolean partial = packet.checksum() == NetPacket.CHECKSUM_PARTIAL;
        final boolean gso = packet.gsoType() != NetifExtraInfoDescriptor.GSO_TYPE_NONE;
        if (partial || gso)
        {
            if (!headers.parse(b, NetPacket.DATA_OFFSET, packet.length()) || headers.l4Protocol() < 0 ||
                (gso && headers.l4Protocol() != PacketHeaders.IPPROTO_TCP))
            {
                writeDropped++;
                return false;
            }
            b.putByte(HDR_AT + FLAGS_OFFSET, (byte)FLAG_NEEDS_CSUM);
            b.putShort(HDR_AT + CSUM_START_OFFSET, (short)headers.l4Offset(), ByteOrder.LITTLE_ENDIAN);
            b.putShort(HDR_AT + CSUM_OFFSET_OFFSET, (short)headers.checksumFieldOffset(), ByteOrder.LITTLE_ENDIAN);
            if (gso)
            {
                b.putByte(HDR_AT + GSO_TYPE_OFFSET, (byte)(packet.gsoType() == NetifExtraInfoDescriptor.GSO_TYPE_TCPV4 ?
                    VirtioNetHdrDescriptor.GSO_TCPV4 : VirtioNetHdrDescriptor.GSO_TCPV6));
                b.putShort(HDR_AT + GSO_SIZE_OFFSET, (short)packet.gsoSize(), ByteOrder.LITTLE_ENDIAN);
                b.putShort(HDR_AT + HDR_LEN_OFFSET, (short)(headers.l4Offset() + headers.l4HeaderLength()),
                    ByteOrder.LITTLE_ENDIAN);
            }
        }
        else if (packet.checksum() == NetPacket.CHECKSUM_VALIDATED)
        {
            b.putByte(HDR_AT + FLAGS_OFFSET, (byte)FLAG_DATA_VALID);
        }
        if (!tap.write(packet.segment().asSlice(HDR_AT), VirtioNetHdrDescriptor.LENGTH + packet.length()))
        {
            writeDropped++;
            return false;
        }
        return true;
    }

    /** @return frames read from the TAP but not expressible on netif. */
    public long readDropped()
    {
        return readDropped;
    }

    /** @return frames the kernel refused or that could not be described. */
    public long writeDropped()
    {
        return writeDropped;
    }

    @Override
    public void close()
    {
        tap.close();
    }
}
