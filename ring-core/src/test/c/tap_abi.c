/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * Layout probe for TapDevice and VirtioNetHdrDescriptor: struct virtio_net_hdr and the TUN ioctls and flags,
 * from the installed Linux UAPI headers (read back from gcc -S).
 */
#include <stddef.h>
#include <sys/ioctl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>

#define OFF(name, type, field) const unsigned int name = offsetof(type, field);
#define SIZE(name, type) const unsigned int name = sizeof(type);
#define VAL(name, value) const unsigned int name = (value);

SIZE(vnet_hdr, struct virtio_net_hdr)
OFF(vnet_flags, struct virtio_net_hdr, flags)
OFF(vnet_gso_type, struct virtio_net_hdr, gso_type)
OFF(vnet_hdr_len, struct virtio_net_hdr, hdr_len)
OFF(vnet_gso_size, struct virtio_net_hdr, gso_size)
OFF(vnet_csum_start, struct virtio_net_hdr, csum_start)
OFF(vnet_csum_offset, struct virtio_net_hdr, csum_offset)
VAL(vnet_f_needs_csum, VIRTIO_NET_HDR_F_NEEDS_CSUM)
VAL(vnet_f_data_valid, VIRTIO_NET_HDR_F_DATA_VALID)
VAL(vnet_gso_none, VIRTIO_NET_HDR_GSO_NONE)
VAL(vnet_gso_tcpv4, VIRTIO_NET_HDR_GSO_TCPV4)
VAL(vnet_gso_udp, VIRTIO_NET_HDR_GSO_UDP)
VAL(vnet_gso_tcpv6, VIRTIO_NET_HDR_GSO_TCPV6)
VAL(vnet_gso_ecn, VIRTIO_NET_HDR_GSO_ECN)
VAL(tunsetiff, TUNSETIFF)
VAL(tunsetoffload, TUNSETOFFLOAD)
VAL(tunsetvnethdrsz, TUNSETVNETHDRSZ)
VAL(iff_tap, IFF_TAP)
VAL(iff_no_pi, IFF_NO_PI)
VAL(iff_vnet_hdr, IFF_VNET_HDR)
VAL(tun_f_csum, TUN_F_CSUM)
VAL(tun_f_tso4, TUN_F_TSO4)
VAL(tun_f_tso6, TUN_F_TSO6)
SIZE(ifreq, struct ifreq)
OFF(ifreq_flags, struct ifreq, ifr_flags)
VAL(ifnamsiz, IFNAMSIZ)
