/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Parses the Ethernet, IP and transport headers of a frame in private memory (what Linux's
 * {@code skb_checksum_setup} and flow dissector find): where the transport header starts, which protocol it is,
 * and the flow's addresses and ports for hashing. Reading never throws on frame contents: anything it cannot
 * parse gives {@link #parse} {@code false}. Reused frame after frame; not thread safe.
 */
public final class PacketHeaders
{
    /** EtherType IPv4. */
    public static final int ETH_P_IP = 0x0800;
    /** EtherType IPv6. */
    public static final int ETH_P_IPV6 = 0x86DD;
    /** EtherType 802.1Q VLAN tag. */
    public static final int ETH_P_8021Q = 0x8100;
    /** IP protocol TCP. */
    public static final int IPPROTO_TCP = 6;
    /** IP protocol UDP. */
    public static final int IPPROTO_UDP = 17;
    /** Offset of the TCP checksum in the TCP header. */
    public static final int TCP_CSUM_OFFSET = 16;
    /** Offset of the UDP checksum in the UDP header. */
    public static final int UDP_CSUM_OFFSET = 6;

    private int ipVersion;
    private int l3Offset;
    private int l4Offset;
    private int l4Protocol;
    private int l4HeaderLength;
    private final byte[] addresses = new byte[32];
    private int addressLength;
    private int ports;

    /** A parser with no frame parsed yet. */
    public PacketHeaders()
    {
    }

    /**
     * Parses the frame at {@code offset}.
     *
     * @param frame  private buffer.
     * @param offset frame start.
     * @param length frame length.
     * @return true if an IPv4/IPv6 header was found (the transport fields are valid when
     *     {@link #l4Protocol()} is TCP or UDP).
     */
    public boolean parse(final DirectBuffer frame, final int offset, final int length)
    {
        ipVersion = 0;
        l4Protocol = -1;
        l4HeaderLength = 0;
        addressLength = 0;
        ports = 0;
        if (length < Netif.ETH_HLEN)
        {
            return false;
        }
        int type = frame.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        int l3 = Netif.ETH_HLEN;
        if (type == ETH_P_8021Q)
        {
            if (length < l3 + 4)
            {
                return false;
            }
            type = frame.getShort(offset + l3 + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            l3 += 4;
        }
        l3Offset = l3;
        if (type == ETH_P_IP)
        {
            if (length < l3 + 20)
            {
                return false;
            }
            final int vihl = frame.getByte(offset + l3) & 0xFF;
            final int ihl = (vihl & 0xF) * 4;
            if (vihl >> 4 != 4 || ihl < 20 || length < l3 + ihl)
            {
                return false;
            }
            ipVersion = 4;
            frame.getBytes(offset + l3 + 12, addresses, 0, 8);
            addressLength = 8;
            final int fragment = frame.getShort(offset + l3 + 6, ByteOrder.BIG_ENDIAN) & 0x3FFF;
            l4Offset = l3 + ihl;
            l4Protocol = fragment != 0 ? -1 : frame.getByte(offset + l3 + 9) & 0xFF;
        }
        else if (type == ETH_P_IPV6)
        {
            if (length < l3 + 40 || (frame.getByte(offset + l3) & 0xF0) != 0x60)
            {
                return false;
            }
            ipVersion = 6;
            frame.getBytes(offset + l3 + 8, addresses, 0, 32);
            addressLength = 32;
            l4Offset = l3 + 40;
            // Extension headers are not followed: such frames hash by address only and get no checksum help.
            l4Protocol = frame.getByte(offset + l3 + 6) & 0xFF;
        }
        else
        {
            return false;
        }
        if (l4Protocol == IPPROTO_TCP && length >= l4Offset + 20)
        {
            l4HeaderLength = ((frame.getByte(offset + l4Offset + 12) & 0xFF) >> 4) * 4;
            ports = frame.getInt(offset + l4Offset, ByteOrder.BIG_ENDIAN);
            if (l4HeaderLength < 20 || length < l4Offset + l4HeaderLength)
            {
                l4Protocol = -1;
            }
        }
        else if (l4Protocol == IPPROTO_UDP && length >= l4Offset + 8)
        {
            l4HeaderLength = 8;
            ports = frame.getInt(offset + l4Offset, ByteOrder.BIG_ENDIAN);
        }
        else
        {
            l4Protocol = -1;
        }
        return true;
    }

    /**
     * IP version of the last parsed frame.
     *
     * @return 4, 6 or 0.
     */
    public int ipVersion()
    {
        return ipVersion;
    }

    /**
     * Offset of the IP header from the frame start.
     *
     * @return l3 offset.
     */
    public int l3Offset()
    {
        return l3Offset;
    }

    /**
     * Offset of the transport header from the frame start.
     *
     * @return l4 offset.
     */
    public int l4Offset()
    {
        return l4Offset;
    }

    /**
     * Transport protocol ({@link #IPPROTO_TCP}, {@link #IPPROTO_UDP}) or -1.
     *
     * @return protocol.
     */
    public int l4Protocol()
    {
        return l4Protocol;
    }

    /**
     * Transport header length (TCP data offset, 8 for UDP).
     *
     * @return bytes.
     */
    public int l4HeaderLength()
    {
        return l4HeaderLength;
    }

    /**
     * Where the transport checksum field is, relative to the transport header.
     *
     * @return 16 (TCP), 6 (UDP) or -1.
     */
    public int checksumFieldOffset()
    {
        return l4Protocol == IPPROTO_TCP ? TCP_CSUM_OFFSET : l4Protocol == IPPROTO_UDP ? UDP_CSUM_OFFSET : -1;
    }

    /**
     * The flow's Toeplitz input (source and destination addresses, then the ports if {@code withPorts}), as
     * Linux's {@code xenvif_set_skb_hash} builds it.
     *
     * @param dst       destination.
     * @param withPorts include the TCP ports.
     * @return bytes written.
     */
    public int flowInput(final byte[] dst, final boolean withPorts)
    {
        System.arraycopy(addresses, 0, dst, 0, addressLength);
        int n = addressLength;
        if (withPorts && l4Protocol == IPPROTO_TCP)
        {
            dst[n++] = (byte)(ports >>> 24);
            dst[n++] = (byte)(ports >>> 16);
            dst[n++] = (byte)(ports >>> 8);
            dst[n++] = (byte)ports;
        }
        return n;
    }

    /**
     * Completes a partial checksum in software ({@code CHECKSUM_PARTIAL}: the field holds the pseudo-header sum):
     * folds the one's complement sum of the transport header and payload into the field.
     *
     * @param frame  private buffer.
     * @param offset frame start.
     * @param length frame length.
     * @return true if done; false if the frame has no TCP/UDP header this parser understands.
     */
    public boolean completeChecksum(final MutableDirectBuffer frame, final int offset, final int length)
    {
        if (!parse(frame, offset, length) || l4Protocol < 0)
        {
            return false;
        }
        final int field = offset + l4Offset + checksumFieldOffset();
        long sum = 0;
        final int start = offset + l4Offset;
        final int end = offset + length;
        int i = start;
        for (; i + 1 < end; i += 2)
        {
            sum += frame.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        if (i < end)
        {
            sum += (frame.getByte(i) & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int result = (int)(~sum & 0xFFFF);
        if (result == 0 && l4Protocol == IPPROTO_UDP)
        {
            result = 0xFFFF;
        }
        frame.putShort(field, (short)result, ByteOrder.BIG_ENDIAN);
        return true;
    }
}
