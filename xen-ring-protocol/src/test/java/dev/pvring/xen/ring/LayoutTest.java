/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.pvring.testkit.NativeTools;
import dev.pvring.xen.ring.entry.BlkifAbi;
import dev.pvring.xen.ring.entry.BlkifDescriptor;
import dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor;
import dev.pvring.xen.ring.entry.NetifRxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifRxResponseDescriptor;
import dev.pvring.xen.ring.entry.NetifTxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifTxResponseDescriptor;
import org.junit.jupiter.api.Test;

/**
 * Every offset, size and constant pvring describes, compared with what gcc computes from Debian's
 * {@code libxen-dev} headers ({@code src/test/c/layout.c}), for the x86_64 and the x86_32 ABI.
 */
class LayoutTest
{
    private static final Path PROBE = Path.of("src/test/c/layout.c");

    @Test
    void shouldMatchTheX86_64Headers()
    {
        final Map<String, Long> c = NativeTools.constants(PROBE, "-m64");
        final Map<String, Long> java = common();
        java.putAll(blkif(BlkifAbi.X86_64));
        assertMatches(c, java);
    }

    @Test
    void shouldMatchTheX86_32Headers()
    {
        final Map<String, Long> c = NativeTools.constants(PROBE, "-m32");
        final Map<String, Long> java = common();
        java.putAll(blkif(BlkifAbi.X86_32));
        assertMatches(c, java);
    }

    private static void assertMatches(final Map<String, Long> c, final Map<String, Long> java)
    {
        assertThat(java.keySet()).as("every probe constant has a Java twin").containsAll(c.keySet());
        assertThat(c.keySet()).as("every Java constant is probed").containsAll(java.keySet());
        for (final Map.Entry<String, Long> e : c.entrySet())
        {
            assertThat(java.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    private static Map<String, Long> blkif(final BlkifAbi abi)
    {
        final Map<String, Long> m = new LinkedHashMap<>();
        m.put("blkif_request", (long)abi.requestLength);
        m.put("blkif_request_operation", (long)BlkifAbi.OPERATION_OFFSET);
        m.put("blkif_request_nr_segments", (long)BlkifAbi.NR_SEGMENTS_OFFSET);
        m.put("blkif_request_handle", (long)BlkifAbi.HANDLE_OFFSET);
        m.put("blkif_request_id", (long)abi.idOffset);
        m.put("blkif_request_sector_number", (long)abi.sectorNumberOffset);
        m.put("blkif_request_seg", (long)abi.segmentsOffset);
        m.put("blkif_entry", (long)abi.requestLength);
        m.put("blkif_response", (long)abi.responseLength);
        m.put("blkif_response_id", (long)BlkifAbi.RESPONSE_ID_OFFSET);
        m.put("blkif_response_operation", (long)BlkifAbi.RESPONSE_OPERATION_OFFSET);
        m.put("blkif_response_status", (long)BlkifAbi.RESPONSE_STATUS_OFFSET);
        m.put("blkif_discard", (long)abi.discardLength);
        m.put("blkif_discard_flag", (long)BlkifAbi.DISCARD_FLAG_OFFSET);
        m.put("blkif_discard_id", (long)abi.discardIdOffset);
        m.put("blkif_discard_sector_number", (long)abi.discardSectorNumberOffset);
        m.put("blkif_discard_nr_sectors", (long)abi.discardNrSectorsOffset);
        m.put("blkif_indirect", (long)BlkifAbi.INDIRECT_REQUEST_LENGTH);
        m.put("blkif_indirect_op", (long)BlkifAbi.INDIRECT_OP_OFFSET);
        m.put("blkif_indirect_nr_segments", (long)BlkifAbi.INDIRECT_NR_SEGMENTS_OFFSET);
        m.put("blkif_indirect_id", (long)abi.indirectIdOffset);
        m.put("blkif_indirect_sector_number", (long)abi.indirectSectorNumberOffset);
        m.put("blkif_indirect_handle", (long)abi.indirectHandleOffset);
        m.put("blkif_indirect_grefs", (long)abi.indirectGrefsOffset);
        m.put("ring_blkif_1", (long)SharedRingDescriptor.ringSize(4096, abi.requestLength));
        m.put("ring_blkif_2", (long)SharedRingDescriptor.ringSize(8192, abi.requestLength));
        m.put("ring_blkif_16", (long)SharedRingDescriptor.ringSize(65536, abi.requestLength));
        return m;
    }

    private static Map<String, Long> common()
    {
        final Map<String, Long> m = new LinkedHashMap<>();
        m.put("sring_netif_tx_header", (long)SharedRingDescriptor.HEADER_LENGTH + NetifTxRequestDescriptor.ENTRY_LENGTH);
        m.put("sring_req_prod", (long)SharedRingDescriptor.REQ_PROD_OFFSET);
        m.put("sring_req_event", (long)SharedRingDescriptor.REQ_EVENT_OFFSET);
        m.put("sring_rsp_prod", (long)SharedRingDescriptor.RSP_PROD_OFFSET);
        m.put("sring_rsp_event", (long)SharedRingDescriptor.RSP_EVENT_OFFSET);
        m.put("sring_pvt", (long)SharedRingDescriptor.PRIVATE_OFFSET);
        m.put("sring_pad", (long)SharedRingDescriptor.PAD_OFFSET);
        m.put("sring_ring", (long)SharedRingDescriptor.HEADER_LENGTH);
        m.put("sring_pad_length", (long)SharedRingDescriptor.PAD_LENGTH);
        m.put("ring_netif_tx_1", (long)SharedRingDescriptor.ringSize(4096, NetifTxRequestDescriptor.ENTRY_LENGTH));
        m.put("ring_netif_tx_16", (long)SharedRingDescriptor.ringSize(65536, NetifTxRequestDescriptor.ENTRY_LENGTH));
        m.put("ring_netif_rx_1", (long)SharedRingDescriptor.ringSize(4096, NetifRxRequestDescriptor.ENTRY_LENGTH));
        m.put("ring_netif_rx_16", (long)SharedRingDescriptor.ringSize(65536, NetifRxRequestDescriptor.ENTRY_LENGTH));

        m.put("netif_tx_request", (long)NetifTxRequestDescriptor.LENGTH);
        m.put("netif_tx_request_gref", (long)NetifTxRequestDescriptor.GREF_OFFSET);
        m.put("netif_tx_request_offset", (long)NetifTxRequestDescriptor.OFFSET_OFFSET);
        m.put("netif_tx_request_flags", (long)NetifTxRequestDescriptor.FLAGS_OFFSET);
        m.put("netif_tx_request_id", (long)NetifTxRequestDescriptor.ID_OFFSET);
        m.put("netif_tx_request_size", (long)NetifTxRequestDescriptor.SIZE_OFFSET);
        m.put("netif_tx_entry", (long)NetifTxRequestDescriptor.ENTRY_LENGTH);
        m.put("netif_tx_response", (long)NetifTxResponseDescriptor.LENGTH);
        m.put("netif_tx_response_id", (long)NetifTxResponseDescriptor.ID_OFFSET);
        m.put("netif_tx_response_status", (long)NetifTxResponseDescriptor.STATUS_OFFSET);
        m.put("netif_rx_request", (long)NetifRxRequestDescriptor.LENGTH);
        m.put("netif_rx_request_id", (long)NetifRxRequestDescriptor.ID_OFFSET);
        m.put("netif_rx_request_pad", (long)NetifRxRequestDescriptor.PAD_OFFSET);
        m.put("netif_rx_request_gref", (long)NetifRxRequestDescriptor.GREF_OFFSET);
        m.put("netif_rx_entry", (long)NetifRxRequestDescriptor.ENTRY_LENGTH);
        m.put("netif_rx_response", (long)NetifRxResponseDescriptor.LENGTH);
        m.put("netif_rx_response_id", (long)NetifRxResponseDescriptor.ID_OFFSET);
        m.put("netif_rx_response_offset", (long)NetifRxResponseDescriptor.OFFSET_OFFSET);
        m.put("netif_rx_response_flags", (long)NetifRxResponseDescriptor.FLAGS_OFFSET);
        m.put("netif_rx_response_status", (long)NetifRxResponseDescriptor.STATUS_OFFSET);
        m.put("netif_extra_info", (long)NetifExtraInfoDescriptor.LENGTH);
        m.put("netif_extra_type", (long)NetifExtraInfoDescriptor.TYPE_OFFSET);
        m.put("netif_extra_flags", (long)NetifExtraInfoDescriptor.FLAGS_OFFSET);
        m.put("netif_extra_gso_size", (long)NetifExtraInfoDescriptor.GSO_SIZE_OFFSET);
        m.put("netif_extra_gso_type", (long)NetifExtraInfoDescriptor.GSO_TYPE_OFFSET);
        m.put("netif_extra_gso_pad", (long)NetifExtraInfoDescriptor.GSO_PAD_OFFSET);
        m.put("netif_extra_gso_features", (long)NetifExtraInfoDescriptor.GSO_FEATURES_OFFSET);
        m.put("netif_extra_mcast_addr", (long)NetifExtraInfoDescriptor.MCAST_ADDR_OFFSET);
        m.put("netif_extra_hash_type", (long)NetifExtraInfoDescriptor.HASH_TYPE_OFFSET);
        m.put("netif_extra_hash_algorithm", (long)NetifExtraInfoDescriptor.HASH_ALGORITHM_OFFSET);
        m.put("netif_extra_hash_value", (long)NetifExtraInfoDescriptor.HASH_VALUE_OFFSET);
        m.put("netif_flag_tx_csum_blank", (long)NetifTxRequestDescriptor.FLAG_CSUM_BLANK);
        m.put("netif_flag_tx_data_validated", (long)NetifTxRequestDescriptor.FLAG_DATA_VALIDATED);
        m.put("netif_flag_tx_more_data", (long)NetifTxRequestDescriptor.FLAG_MORE_DATA);
        m.put("netif_flag_tx_extra_info", (long)NetifTxRequestDescriptor.FLAG_EXTRA_INFO);
        m.put("netif_flag_rx_data_validated", (long)NetifRxResponseDescriptor.FLAG_DATA_VALIDATED);
        m.put("netif_flag_rx_csum_blank", (long)NetifRxResponseDescriptor.FLAG_CSUM_BLANK);
        m.put("netif_flag_rx_more_data", (long)NetifRxResponseDescriptor.FLAG_MORE_DATA);
        m.put("netif_flag_rx_extra_info", (long)NetifRxResponseDescriptor.FLAG_EXTRA_INFO);
        m.put("netif_flag_rx_gso_prefix", (long)NetifRxResponseDescriptor.FLAG_GSO_PREFIX);
        m.put("netif_nr_slots_min", (long)NetifTxRequestDescriptor.NR_SLOTS_MIN);
        m.put("netif_max_tx_size", (long)NetifTxRequestDescriptor.MAX_TX_SIZE);
        m.put("netif_rsp_dropped", (long)NetifTxResponseDescriptor.STATUS_DROPPED);
        m.put("netif_rsp_error", (long)NetifTxResponseDescriptor.STATUS_ERROR);
        m.put("netif_rsp_okay", (long)NetifTxResponseDescriptor.STATUS_OKAY);
        m.put("netif_rsp_null", (long)NetifTxResponseDescriptor.STATUS_NULL);

        m.put("blkif_segment", (long)BlkifDescriptor.SEGMENT_LENGTH);
        m.put("blkif_segment_gref", (long)BlkifDescriptor.SEGMENT_GREF_OFFSET);
        m.put("blkif_segment_first_sect", (long)BlkifDescriptor.SEGMENT_FIRST_SECT_OFFSET);
        m.put("blkif_segment_last_sect", (long)BlkifDescriptor.SEGMENT_LAST_SECT_OFFSET);
        m.put("blkif_op_read", (long)BlkifDescriptor.OP_READ);
        m.put("blkif_op_write", (long)BlkifDescriptor.OP_WRITE);
        m.put("blkif_op_write_barrier", (long)BlkifDescriptor.OP_WRITE_BARRIER);
        m.put("blkif_op_flush", (long)BlkifDescriptor.OP_FLUSH_DISKCACHE);
        m.put("blkif_op_discard", (long)BlkifDescriptor.OP_DISCARD);
        m.put("blkif_op_indirect", (long)BlkifDescriptor.OP_INDIRECT);
        m.put("blkif_max_segments", (long)BlkifDescriptor.MAX_SEGMENTS_PER_REQUEST);
        m.put("blkif_max_indirect_pages", (long)BlkifDescriptor.MAX_INDIRECT_PAGES_PER_REQUEST);
        m.put("blkif_rsp_eopnotsupp", (long)BlkifDescriptor.RSP_EOPNOTSUPP);
        m.put("blkif_rsp_error", (long)BlkifDescriptor.RSP_ERROR);
        m.put("blkif_rsp_okay", (long)BlkifDescriptor.RSP_OKAY);

        m.put("xencons", (long)ConsoleRingDescriptor.LENGTH);
        m.put("xencons_in", (long)ConsoleRingDescriptor.IN_OFFSET);
        m.put("xencons_out", (long)ConsoleRingDescriptor.OUT_OFFSET);
        m.put("xencons_in_cons", (long)ConsoleRingDescriptor.IN_CONS_OFFSET);
        m.put("xencons_in_prod", (long)ConsoleRingDescriptor.IN_PROD_OFFSET);
        m.put("xencons_out_cons", (long)ConsoleRingDescriptor.OUT_CONS_OFFSET);
        m.put("xencons_out_prod", (long)ConsoleRingDescriptor.OUT_PROD_OFFSET);
        m.put("xencons_in_length", (long)ConsoleRingDescriptor.IN_LENGTH);
        m.put("xencons_out_length", (long)ConsoleRingDescriptor.OUT_LENGTH);

        m.put("xenstore", (long)XenstoreRingDescriptor.LENGTH);
        m.put("xenstore_req", (long)XenstoreRingDescriptor.REQ_OFFSET);
        m.put("xenstore_rsp", (long)XenstoreRingDescriptor.RSP_OFFSET);
        m.put("xenstore_req_cons", (long)XenstoreRingDescriptor.REQ_CONS_OFFSET);
        m.put("xenstore_req_prod", (long)XenstoreRingDescriptor.REQ_PROD_OFFSET);
        m.put("xenstore_rsp_cons", (long)XenstoreRingDescriptor.RSP_CONS_OFFSET);
        m.put("xenstore_rsp_prod", (long)XenstoreRingDescriptor.RSP_PROD_OFFSET);
        m.put("xenstore_server_features", (long)XenstoreRingDescriptor.SERVER_FEATURES_OFFSET);
        m.put("xenstore_connection", (long)XenstoreRingDescriptor.CONNECTION_OFFSET);
        m.put("xenstore_error", (long)XenstoreRingDescriptor.ERROR_OFFSET);
        m.put("xenstore_ring_size", (long)XenstoreRingDescriptor.RING_SIZE);
        m.put("xenstore_feature_reconnection", (long)XenstoreRingDescriptor.SERVER_FEATURE_RECONNECTION);
        m.put("xenstore_feature_error", (long)XenstoreRingDescriptor.SERVER_FEATURE_ERROR);
        m.put("xenstore_connected", (long)XenstoreRingDescriptor.CONNECTED);
        m.put("xenstore_reconnect", (long)XenstoreRingDescriptor.RECONNECT);
        m.put("xenstore_error_none", (long)XenstoreRingDescriptor.ERROR_NONE);
        m.put("xenstore_error_comm", (long)XenstoreRingDescriptor.ERROR_COMM);
        m.put("xenstore_error_ringidx", (long)XenstoreRingDescriptor.ERROR_RINGIDX);
        m.put("xenstore_error_proto", (long)XenstoreRingDescriptor.ERROR_PROTO);
        return m;
    }
}
