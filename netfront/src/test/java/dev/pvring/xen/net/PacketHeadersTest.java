/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.HexFormat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class PacketHeadersTest
{
    private static final byte[] RSS_KEY = HexFormat.of().parseHex(
        "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa");

    @Test
    void shouldMatchTheMicrosoftRssVerificationVectors()
    {
        // 66.9.149.187:2794 -> 161.142.100.80:1766 (the first IPv4 row of Microsoft's RSS verification suite).
        final byte[] in = HexFormat.of().parseHex("420995bba18e6450" + "0aea06e6");
        assertThat(Toeplitz.hash(RSS_KEY, RSS_KEY.length, in, 8)).isEqualTo(0x323e8fc2);
        assertThat(Toeplitz.hash(RSS_KEY, RSS_KEY.length, in, 12)).isEqualTo(0x51ccc178);
    }

    @Test
    void shouldFindTheTransportHeaderAndCompleteAPartialChecksum()
    {
        // Ethernet + IPv4 (20) + UDP (8) + 4 bytes payload; UDP checksum field holds the pseudo-header sum.
        final UnsafeBuffer f = new UnsafeBuffer(new byte[64]);
        f.putShort(12, (short)PacketHeaders.ETH_P_IP, ByteOrder.BIG_ENDIAN);
        f.putByte(14, (byte)0x45);
        f.putShort(16, (short)32, ByteOrder.BIG_ENDIAN);
        f.putByte(23, (byte)PacketHeaders.IPPROTO_UDP);
        f.putInt(26, 0xC6120001, ByteOrder.BIG_ENDIAN); // 198.18.0.1
        f.putInt(30, 0xC6130001, ByteOrder.BIG_ENDIAN); // 198.19.0.1
        f.putShort(34, (short)1234, ByteOrder.BIG_ENDIAN);
        f.putShort(36, (short)5678, ByteOrder.BIG_ENDIAN);
        f.putShort(38, (short)12, ByteOrder.BIG_ENDIAN);
        f.putInt(42, 0xDEADBEEF, ByteOrder.BIG_ENDIAN);
        final long pseudo = 0xC612L + 0x0001 + 0xC613 + 0x0001 + 17 + 12;
        f.putShort(40, (short)((pseudo & 0xFFFF) + (pseudo >>> 16)), ByteOrder.BIG_ENDIAN);
        final PacketHeaders h = new PacketHeaders();

        assertThat(h.completeChecksum(f, 0, 46)).isTrue();
        assertThat(h.l4Offset()).isEqualTo(34);
        assertThat(h.checksumFieldOffset()).isEqualTo(6);
        // Verify: the one's complement sum of pseudo header + UDP segment is 0xFFFF.
        long sum = pseudo;
        for (int i = 34; i < 46; i += 2)
        {
            sum += f.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        assertThat(sum).isEqualTo(0xFFFF);
    }

    @Test
    void shouldRefuseFramesItCannotParse()
    {
        final PacketHeaders h = new PacketHeaders();
        final UnsafeBuffer f = new UnsafeBuffer(new byte[64]);
        assertThat(h.parse(f, 0, 10)).isFalse();
        f.putShort(12, (short)0x0806, ByteOrder.BIG_ENDIAN); // ARP
        assertThat(h.parse(f, 0, 60)).isFalse();
        f.putShort(12, (short)PacketHeaders.ETH_P_IP, ByteOrder.BIG_ENDIAN);
        f.putByte(14, (byte)0x4F); // IHL 60 > frame
        assertThat(h.parse(f, 0, 40)).isFalse();
    }
}
