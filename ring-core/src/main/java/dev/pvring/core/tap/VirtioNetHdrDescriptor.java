/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core.tap;

/**
 * {@code struct virtio_net_hdr} ({@code linux/virtio_net.h}), 10 bytes before each frame of a TAP device opened
 * with {@code IFF_VNET_HDR} (little-endian on x86 and arm64, the only hosts pvring runs on):
 * <pre>
 *   0     1      2          4          6            8             10
 *  +-----+------+----------+----------+------------+-------------+
 *  |flags|gso_ty| hdr_len  | gso_size | csum_start | csum_offset |
 *  | u8  |  u8  |   u16    |   u16    |    u16     |     u16     |
 *  +-----+------+----------+----------+------------+-------------+
 * </pre>
 * {@code NEEDS_CSUM}: the checksum at {@code csum_start + csum_offset} is still to be computed over the bytes from
 * {@code csum_start} (the pseudo-header sum is already there); {@code DATA_VALID}: the checksum was verified.
 * A GSO frame is one TCP segment of up to 64 KiB to be cut into {@code gso_size}-byte segments.
 */
public final class VirtioNetHdrDescriptor
{
    /** {@code flags}: {@code VIRTIO_NET_HDR_F_*}. */
    public static final int FLAGS_OFFSET = 0;
    /** {@code gso_type}: {@code VIRTIO_NET_HDR_GSO_*}. */
    public static final int GSO_TYPE_OFFSET = 1;
    /** {@code hdr_len}: bytes of Ethernet + IP + TCP headers (a hint). */
    public static final int HDR_LEN_OFFSET = 2;
    /** {@code gso_size}: MSS. */
    public static final int GSO_SIZE_OFFSET = 4;
    /** {@code csum_start}: where checksumming starts (the transport header). */
    public static final int CSUM_START_OFFSET = 6;
    /** {@code csum_offset}: where the checksum goes, from {@code csum_start} (TCP 16, UDP 6). */
    public static final int CSUM_OFFSET_OFFSET = 8;
    /** {@code sizeof(struct virtio_net_hdr)}. */
    public static final int LENGTH = 10;

    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}. */
    public static final int FLAG_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_F_DATA_VALID}. */
    public static final int FLAG_DATA_VALID = 2;
    /** {@code VIRTIO_NET_HDR_GSO_NONE}. */
    public static final int GSO_NONE = 0;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV4}. */
    public static final int GSO_TCPV4 = 1;
    /** {@code VIRTIO_NET_HDR_GSO_UDP}. */
    public static final int GSO_UDP = 3;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV6}. */
    public static final int GSO_TCPV6 = 4;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: bit or'ed into the type. */
    public static final int GSO_ECN = 0x80;

    private VirtioNetHdrDescriptor()
    {
    }
}
