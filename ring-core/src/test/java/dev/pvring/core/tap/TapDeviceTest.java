/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.pvring.testkit.NativeTools;

class TapDeviceTest
{
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Test
    void shouldRejectInterfaceNamesLinuxCannotHold()
    {
        assertThatThrownBy(() -> TapDevice.open("a-name-of-16-chr"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("tap name must be 1 to 15 printable ASCII characters: name=a-name-of-16-chr");
        assertThatThrownBy(() -> TapDevice.open(""))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("tap name must be 1 to 15 printable ASCII characters: name=");
        assertThatThrownBy(() -> TapDevice.open("tap 0"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("tap name must be 1 to 15 printable ASCII characters: name=tap 0");
    }

    @Test
    void shouldRejectOffloadsWithoutChecksumOffload()
    {
        assertThatThrownBy(() -> TapDevice.openWithVnetHeader("pvx0", TapDevice.TUN_F_TSO4))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("offloads must be TUN_F_CSUM [| TUN_F_TSO4 | TUN_F_TSO6] or 0: offloads=0x2");
        assertThatThrownBy(() -> TapDevice.openWithVnetHeader("pvx0", 0x100))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldMatchTheLinuxHeaders()
    {
        final Map<String, Long> c = NativeTools.constants(Path.of("src/test/c/tap_abi.c"), "-m64");
        final Map<String, Long> java = new LinkedHashMap<>();
        java.put("vnet_hdr", (long)VirtioNetHdrDescriptor.LENGTH);
        java.put("vnet_flags", (long)VirtioNetHdrDescriptor.FLAGS_OFFSET);
        java.put("vnet_gso_type", (long)VirtioNetHdrDescriptor.GSO_TYPE_OFFSET);
        java.put("vnet_hdr_len", (long)VirtioNetHdrDescriptor.HDR_LEN_OFFSET);
        java.put("vnet_gso_size", (long)VirtioNetHdrDescriptor.GSO_SIZE_OFFSET);
        java.put("vnet_csum_start", (long)VirtioNetHdrDescriptor.CSUM_START_OFFSET);
        java.put("vnet_csum_offset", (long)VirtioNetHdrDescriptor.CSUM_OFFSET_OFFSET);
        java.put("vnet_f_needs_csum", (long)VirtioNetHdrDescriptor.FLAG_NEEDS_CSUM);
        java.put("vnet_f_data_valid", (long)VirtioNetHdrDescriptor.FLAG_DATA_VALID);
        java.put("vnet_gso_none", (long)VirtioNetHdrDescriptor.GSO_NONE);
        java.put("vnet_gso_tcpv4", (long)VirtioNetHdrDescriptor.GSO_TCPV4);
        java.put("vnet_gso_udp", (long)VirtioNetHdrDescriptor.GSO_UDP);
        java.put("vnet_gso_tcpv6", (long)VirtioNetHdrDescriptor.GSO_TCPV6);
        java.put("vnet_gso_ecn", (long)VirtioNetHdrDescriptor.GSO_ECN);
        java.put("tunsetiff", TapDevice.TUNSETIFF);
        java.put("tunsetoffload", TapDevice.TUNSETOFFLOAD);
        java.put("tunsetvnethdrsz", TapDevice.TUNSETVNETHDRSZ);
        java.put("iff_tap", (long)TapDevice.IFF_TAP);
        java.put("iff_no_pi", (long)TapDevice.IFF_NO_PI);
        java.put("iff_vnet_hdr", (long)TapDevice.IFF_VNET_HDR);
        java.put("tun_f_csum", (long)TapDevice.TUN_F_CSUM);
        java.put("tun_f_tso4", (long)TapDevice.TUN_F_TSO4);
        java.put("tun_f_tso6", (long)TapDevice.TUN_F_TSO6);
        java.put("ifreq", (long)TapDevice.IFREQ_LENGTH);
        java.put("ifreq_flags", (long)TapDevice.IFR_FLAGS_OFFSET);
        java.put("ifnamsiz", (long)TapDevice.IFNAMSIZ);
        assertThat(java).isEqualTo(c);
    }

    @Test
    void shouldCarryAVnetHeaderBeforeEachFrame() throws Exception
    {
        final String name = "pvvh" + ProcessHandle.current().pid() % 100_000 + "x" + SEQUENCE.incrementAndGet();
        final TapDevice tap;
        try
        {
            tap = TapDevice.openWithVnetHeader(name, TapDevice.TUN_F_CSUM | TapDevice.TUN_F_TSO4 | TapDevice.TUN_F_TSO6);
        }
        catch (final IllegalStateException ex)
        {
            throw new AssertionError("this test needs a TAP device: run as root (or with CAP_NET_ADMIN) with " +
                "/dev/net/tun present (modprobe tun): " + ex.getMessage(), ex);
        }
        try (tap; Arena arena = Arena.ofConfined())
        {
            assertThat(tap.headerLength()).isEqualTo(VirtioNetHdrDescriptor.LENGTH);
            final Process up = new ProcessBuilder("ip", "link", "set", "dev", tap.name(), "up").start();
            assertThat(up.waitFor()).as("ip link set up").isZero();
            final MemorySegment frame = arena.allocate(VirtioNetHdrDescriptor.LENGTH + 60);
            frame.set(ValueLayout.JAVA_BYTE, VirtioNetHdrDescriptor.LENGTH + 12, (byte)0x88);
            frame.set(ValueLayout.JAVA_BYTE, VirtioNetHdrDescriptor.LENGTH + 13, (byte)0xb5);
            assertThat(tap.write(frame, (int)frame.byteSize())).as("plain header + frame").isTrue();

            // A partial checksum whose field lies past the frame: the kernel checks the header and refuses it.
            frame.set(ValueLayout.JAVA_BYTE, VirtioNetHdrDescriptor.FLAGS_OFFSET,
                (byte)VirtioNetHdrDescriptor.FLAG_NEEDS_CSUM);
            frame.set(ValueLayout.JAVA_SHORT_UNALIGNED, VirtioNetHdrDescriptor.CSUM_START_OFFSET, (short)50);
            frame.set(ValueLayout.JAVA_SHORT_UNALIGNED, VirtioNetHdrDescriptor.CSUM_OFFSET_OFFSET, (short)40);
            assertThat(tap.write(frame, (int)frame.byteSize())).as("csum field outside the frame").isFalse();
        }
    }
}
