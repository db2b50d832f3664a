/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * Layout probe: every structure pvring describes, as compile-time constants read back from the assembly
 * (gcc -ffreestanding -S), so the same file gives the x86_64 (-m64) and x86_32 (-m32) ABIs without a 32-bit libc.
 */
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/io/ring.h>
#include <xen/io/netif.h>
#include <xen/io/blkif.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>

#define OFF(name, type, field) const unsigned int name = offsetof(type, field);
#define SIZE(name, type) const unsigned int name = sizeof(type);

SIZE(sring_netif_tx_header, struct netif_tx_sring)
OFF(sring_req_prod, struct netif_tx_sring, req_prod)
OFF(sring_req_event, struct netif_tx_sring, req_event)
OFF(sring_rsp_prod, struct netif_tx_sring, rsp_prod)
OFF(sring_rsp_event, struct netif_tx_sring, rsp_event)
OFF(sring_pvt, struct netif_tx_sring, pvt)
OFF(sring_pad, struct netif_tx_sring, __pad)
OFF(sring_ring, struct netif_tx_sring, ring)
const unsigned int sring_pad_length = sizeof(((struct netif_tx_sring *)0)->__pad);

const unsigned int ring_netif_tx_1 = __CONST_RING_SIZE(netif_tx, 4096);
const unsigned int ring_netif_tx_16 = __CONST_RING_SIZE(netif_tx, 65536);
const unsigned int ring_netif_rx_1 = __CONST_RING_SIZE(netif_rx, 4096);
const unsigned int ring_netif_rx_16 = __CONST_RING_SIZE(netif_rx, 65536);
const unsigned int ring_blkif_1 = __CONST_RING_SIZE(blkif, 4096);
const unsigned int ring_blkif_2 = __CONST_RING_SIZE(blkif, 8192);
const unsigned int ring_blkif_16 = __CONST_RING_SIZE(blkif, 65536);

SIZE(netif_tx_request, struct netif_tx_request)
OFF(netif_tx_request_gref, struct netif_tx_request, gref)
OFF(netif_tx_request_offset, struct netif_tx_request, offset)
OFF(netif_tx_request_flags, struct netif_tx_request, flags)
OFF(netif_tx_request_id, struct netif_tx_request, id)
OFF(netif_tx_request_size, struct netif_tx_request, size)
SIZE(netif_tx_entry, union netif_tx_sring_entry)
SIZE(netif_tx_response, struct netif_tx_response)
OFF(netif_tx_response_id, struct netif_tx_response, id)
OFF(netif_tx_response_status, struct netif_tx_response, status)
SIZE(netif_rx_request, struct netif_rx_request)
OFF(netif_rx_request_id, struct netif_rx_request, id)
OFF(netif_rx_request_pad, struct netif_rx_request, pad)
OFF(netif_rx_request_gref, struct netif_rx_request, gref)
SIZE(netif_rx_entry, union netif_rx_sring_entry)
SIZE(netif_rx_response, struct netif_rx_response)
OFF(netif_rx_response_id, struct netif_rx_response, id)
OFF(netif_rx_response_offset, struct netif_rx_response, offset)
OFF(netif_rx_response_flags, struct netif_rx_response, flags)
OFF(netif_rx_response_status, struct netif_rx_response, status)
SIZE(netif_extra_info, struct netif_extra_info)
OFF(netif_extra_type, struct netif_extra_info, type)
OFF(netif_extra_flags, struct netif_extra_info, flags)
OFF(netif_extra_gso_size, struct netif_extra_info, u.gso.size)
OFF(netif_extra_gso_type, struct netif_extra_info, u.gso.type)
OFF(netif_extra_gso_pad, struct netif_extra_info, u.gso.pad)
OFF(netif_extra_gso_features, struct netif_extra_info, u.gso.features)
OFF(netif_extra_mcast_addr, struct netif_extra_info, u.mcast.addr)
OFF(netif_extra_hash_type, struct netif_extra_info, u.hash.type)
OFF(netif_extra_hash_algorithm, struct netif_extra_info, u.hash.algorithm)
OFF(netif_extra_hash_value, struct netif_extra_info, u.hash.value)
const unsigned int netif_flag_tx_csum_blank = NETTXF_csum_blank;
const unsigned int netif_flag_tx_data_validated = NETTXF_data_validated;
const unsigned int netif_flag_tx_more_data = NETTXF_more_data;
const unsigned int netif_flag_tx_extra_info = NETTXF_extra_info;
const unsigned int netif_flag_rx_data_validated = NETRXF_data_validated;
const unsigned int netif_flag_rx_csum_blank = NETRXF_csum_blank;
const unsigned int netif_flag_rx_more_data = NETRXF_more_data;
const unsigned int netif_flag_rx_extra_info = NETRXF_extra_info;
const unsigned int netif_flag_rx_gso_prefix = NETRXF_gso_prefix;
const unsigned int netif_nr_slots_min = XEN_NETIF_NR_SLOTS_MIN;
const unsigned int netif_max_tx_size = XEN_NETIF_MAX_TX_SIZE;
const int netif_rsp_dropped = NETIF_RSP_DROPPED;
const int netif_rsp_error = NETIF_RSP_ERROR;
const int netif_rsp_okay = NETIF_RSP_OKAY;
const int netif_rsp_null = NETIF_RSP_NULL;

SIZE(blkif_request, struct blkif_request)
OFF(blkif_request_operation, struct blkif_request, operation)
OFF(blkif_request_nr_segments, struct blkif_request, nr_segments)
OFF(blkif_request_handle, struct blkif_request, handle)
OFF(blkif_request_id, struct blkif_request, id)
OFF(blkif_request_sector_number, struct blkif_request, sector_number)
OFF(blkif_request_seg, struct blkif_request, seg)
SIZE(blkif_entry, union blkif_sring_entry)
SIZE(blkif_segment, struct blkif_request_segment)
OFF(blkif_segment_gref, struct blkif_request_segment, gref)
OFF(blkif_segment_first_sect, struct blkif_request_segment, first_sect)
OFF(blkif_segment_last_sect, struct blkif_request_segment, last_sect)
SIZE(blkif_response, struct blkif_response)
OFF(blkif_response_id, struct blkif_response, id)
OFF(blkif_response_operation, struct blkif_response, operation)
OFF(blkif_response_status, struct blkif_response, status)
SIZE(blkif_discard, struct blkif_request_discard)
OFF(blkif_discard_flag, struct blkif_request_discard, flag)
OFF(blkif_discard_id, struct blkif_request_discard, id)
OFF(blkif_discard_sector_number, struct blkif_request_discard, sector_number)
OFF(blkif_discard_nr_sectors, struct blkif_request_discard, nr_sectors)
SIZE(blkif_indirect, struct blkif_request_indirect)
OFF(blkif_indirect_op, struct blkif_request_indirect, indirect_op)
OFF(blkif_indirect_nr_segments, struct blkif_request_indirect, nr_segments)
OFF(blkif_indirect_id, struct blkif_request_indirect, id)
OFF(blkif_indirect_sector_number, struct blkif_request_indirect, sector_number)
OFF(blkif_indirect_handle, struct blkif_request_indirect, handle)
OFF(blkif_indirect_grefs, struct blkif_request_indirect, indirect_grefs)
const unsigned int blkif_op_read = BLKIF_OP_READ;
const unsigned int blkif_op_write = BLKIF_OP_WRITE;
const unsigned int blkif_op_write_barrier = BLKIF_OP_WRITE_BARRIER;
const unsigned int blkif_op_flush = BLKIF_OP_FLUSH_DISKCACHE;
const unsigned int blkif_op_discard = BLKIF_OP_DISCARD;
const unsigned int blkif_op_indirect = BLKIF_OP_INDIRECT;
const unsigned int blkif_max_segments = BLKIF_MAX_SEGMENTS_PER_REQUEST;
const unsigned int blkif_max_indirect_pages = BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST;
const int blkif_rsp_eopnotsupp = BLKIF_RSP_EOPNOTSUPP;
const int blkif_rsp_error = BLKIF_RSP_ERROR;
const int blkif_rsp_okay = BLKIF_RSP_OKAY;

SIZE(xencons, struct xencons_interface)
OFF(xencons_in, struct xencons_interface, in)
OFF(xencons_out, struct xencons_interface, out)
OFF(xencons_in_cons, struct xencons_interface, in_cons)
OFF(xencons_in_prod, struct xencons_interface, in_prod)
OFF(xencons_out_cons, struct xencons_interface, out_cons)
OFF(xencons_out_prod, struct xencons_interface, out_prod)
const unsigned int xencons_in_length = sizeof(((struct xencons_interface *)0)->in);
const unsigned int xencons_out_length = sizeof(((struct xencons_interface *)0)->out);

SIZE(xenstore, struct xenstore_domain_interface)
OFF(xenstore_req, struct xenstore_domain_interface, req)
OFF(xenstore_rsp, struct xenstore_domain_interface, rsp)
OFF(xenstore_req_cons, struct xenstore_domain_interface, req_cons)
OFF(xenstore_req_prod, struct xenstore_domain_interface, req_prod)
OFF(xenstore_rsp_cons, struct xenstore_domain_interface, rsp_cons)
OFF(xenstore_rsp_prod, struct xenstore_domain_interface, rsp_prod)
OFF(xenstore_server_features, struct xenstore_domain_interface, server_features)
OFF(xenstore_connection, struct xenstore_domain_interface, connection)
OFF(xenstore_error, struct xenstore_domain_interface, error)
const unsigned int xenstore_ring_size = XENSTORE_RING_SIZE;
const unsigned int xenstore_feature_reconnection = XENSTORE_SERVER_FEATURE_RECONNECTION;
const unsigned int xenstore_feature_error = XENSTORE_SERVER_FEATURE_ERROR;
const unsigned int xenstore_connected = XENSTORE_CONNECTED;
const unsigned int xenstore_reconnect = XENSTORE_RECONNECT;
const unsigned int xenstore_error_none = XENSTORE_ERROR_NONE;
const unsigned int xenstore_error_comm = XENSTORE_ERROR_COMM;
const unsigned int xenstore_error_ringidx = XENSTORE_ERROR_RINGIDX;
const unsigned int xenstore_error_proto = XENSTORE_ERROR_PROTO;
