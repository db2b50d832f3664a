/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pvring.testkit.NativeTools;
import dev.pvring.xen.ring.SharedRingDescriptor;
import dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor;
import dev.pvring.xen.ring.entry.NetifRxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifRxResponseDescriptor;
import dev.pvring.xen.ring.entry.NetifTxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifTxResponseDescriptor;

/**
 * Every netif layout and constant pvring uses, against Debian's {@code io/netif.h} compiled by gcc for x86_64
 * and x86_32 (netif has no ABI difference; the test proves it).
 */
class NetifLayoutTest
{
    private static final Path PROBE = Path.of("src/test/c/netif_layout.c");

    @Test
    void shouldMatchTheX86_64Header()
    {
        assertMatches(NativeTools.constants(PROBE, "-m64"));
    }

    @Test
    void shouldMatchTheX86_32Header()
    {
        assertMatches(NativeTools.constants(PROBE, "-m32"));
    }

    private static void assertMatches(final Map<String, Long> c)
    {
        final Map<String, Long> java = java();
        assertThat(java.keySet()).as("every probe constant has a Java twin").containsAll(c.keySet());
        assertThat(c.keySet()).as("every Java constant is probed").containsAll(java.keySet());
        for (final Map.Entry<String, Long> e : c.entrySet())
        {
            assertThat(java.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    private static Map<String, Long> java()
    {
        final Map<String, Long> m = new LinkedHashMap<>();
        m.put("tx_request", (long)NetifTxRequestDescriptor.LENGTH);
        m.put("tx_request_gref", (long)NetifTxRequestDescriptor.GREF_OFFSET);
        m.put("tx_request_offset", (long)NetifTxRequestDescriptor.OFFSET_OFFSET);
        m.put("tx_request_flags", (long)NetifTxRequestDescriptor.FLAGS_OFFSET);
        m.put("tx_request_id", (long)NetifTxRequestDescriptor.ID_OFFSET);
        m.put("tx_request_size", (long)NetifTxRequestDescriptor.SIZE_OFFSET);
        m.put("tx_entry", (long)NetifTxRequestDescriptor.ENTRY_LENGTH);
        m.put("tx_response", (long)NetifTxResponseDescriptor.LENGTH);
        m.put("tx_response_id", (long)NetifTxResponseDescriptor.ID_OFFSET);
        m.put("tx_response_status", (long)NetifTxResponseDescriptor.STATUS_OFFSET);
        m.put("rx_request", (long)NetifRxRequestDescriptor.LENGTH);
        m.put("rx_request_id", (long)NetifRxRequestDescriptor.ID_OFFSET);
        m.put("rx_request_gref", (long)NetifRxRequestDescriptor.GREF_OFFSET);
        m.put("rx_entry", (long)NetifRxRequestDescriptor.ENTRY_LENGTH);
        m.put("rx_response", (long)NetifRxResponseDescriptor.LENGTH);
        m.put("rx_response_id", (long)NetifRxResponseDescriptor.ID_OFFSET);
        m.put("rx_response_offset", (long)NetifRxResponseDescriptor.OFFSET_OFFSET);
        m.put("rx_response_flags", (long)NetifRxResponseDescriptor.FLAGS_OFFSET);
        m.put("rx_response_status", (long)NetifRxResponseDescriptor.STATUS_OFFSET);
        m.put("extra", (long)NetifExtraInfoDescriptor.LENGTH);
        m.put("extra_type", (long)NetifExtraInfoDescriptor.TYPE_OFFSET);
        m.put("extra_flags", (long)NetifExtraInfoDescriptor.FLAGS_OFFSET);
        m.put("extra_gso_size", (long)NetifExtraInfoDescriptor.GSO_SIZE_OFFSET);
        m.put("extra_gso_type", (long)NetifExtraInfoDescriptor.GSO_TYPE_OFFSET);
        m.put("extra_gso_features", (long)NetifExtraInfoDescriptor.GSO_FEATURES_OFFSET);
        m.put("extra_mcast_addr", (long)NetifExtraInfoDescriptor.MCAST_ADDR_OFFSET);
        m.put("extra_hash_type", (long)NetifExtraInfoDescriptor.HASH_TYPE_OFFSET);
        m.put("extra_hash_algorithm", (long)NetifExtraInfoDescriptor.HASH_ALGORITHM_OFFSET);
        m.put("extra_hash_value", (long)NetifExtraInfoDescriptor.HASH_VALUE_OFFSET);
        m.put("ctrl_request", (long)NetifCtrlRequestDescriptor.LENGTH);
        m.put("ctrl_request_id", (long)NetifCtrlRequestDescriptor.ID_OFFSET);
        m.put("ctrl_request_type", (long)NetifCtrlRequestDescriptor.TYPE_OFFSET);
        m.put("ctrl_request_data0", (long)NetifCtrlRequestDescriptor.DATA0_OFFSET);
        m.put("ctrl_request_data1", (long)NetifCtrlRequestDescriptor.DATA1_OFFSET);
        m.put("ctrl_request_data2", (long)NetifCtrlRequestDescriptor.DATA2_OFFSET);
        m.put("ctrl_entry", (long)NetifCtrlRequestDescriptor.ENTRY_LENGTH);
        m.put("ctrl_response", (long)NetifCtrlResponseDescriptor.LENGTH);
        m.put("ctrl_response_id", (long)NetifCtrlResponseDescriptor.ID_OFFSET);
        m.put("ctrl_response_type", (long)NetifCtrlResponseDescriptor.TYPE_OFFSET);
        m.put("ctrl_response_status", (long)NetifCtrlResponseDescriptor.STATUS_OFFSET);
        m.put("ctrl_response_data", (long)NetifCtrlResponseDescriptor.DATA_OFFSET);
        m.put("gref", (long)NetifGrefDescriptor.LENGTH);
        m.put("gref_ref", (long)NetifGrefDescriptor.REF_OFFSET);
        m.put("gref_flags", (long)NetifGrefDescriptor.FLAGS_OFFSET);
        m.put("gref_status", (long)NetifGrefDescriptor.STATUS_OFFSET);
        m.put("ring_tx_entries", (long)SharedRingDescriptor.ringSize(Netif.PAGE_SIZE, NetifTxRequestDescriptor.ENTRY_LENGTH));
        m.put("ring_rx_entries", (long)SharedRingDescriptor.ringSize(Netif.PAGE_SIZE, NetifRxRequestDescriptor.ENTRY_LENGTH));
        m.put("ring_ctrl_entries",
            (long)SharedRingDescriptor.ringSize(Netif.PAGE_SIZE, NetifCtrlRequestDescriptor.ENTRY_LENGTH));
        assertThat(Netif.RING_ENTRIES_ONE_PAGE).isEqualTo(m.get("ring_tx_entries").intValue())
            .isEqualTo(m.get("ring_rx_entries").intValue());
        assertThat(Netif.CTRL_RING_ENTRIES_ONE_PAGE).isEqualTo(m.get("ring_ctrl_entries").intValue());

        m.put("tx_csum_blank", (long)NetifTxRequestDescriptor.FLAG_CSUM_BLANK);
        m.put("tx_data_validated", (long)NetifTxRequestDescriptor.FLAG_DATA_VALIDATED);
        m.put("tx_more_data", (long)NetifTxRequestDescriptor.FLAG_MORE_DATA);
        m.put("tx_extra_info", (long)NetifTxRequestDescriptor.FLAG_EXTRA_INFO);
        m.put("rx_data_validated", (long)NetifRxResponseDescriptor.FLAG_DATA_VALIDATED);
        m.put("rx_csum_blank", (long)NetifRxResponseDescriptor.FLAG_CSUM_BLANK);
        m.put("rx_more_data", (long)NetifRxResponseDescriptor.FLAG_MORE_DATA);
        m.put("rx_extra_info", (long)NetifRxResponseDescriptor.FLAG_EXTRA_INFO);
        m.put("rx_gso_prefix", (long)NetifRxResponseDescriptor.FLAG_GSO_PREFIX);
        m.put("rsp_dropped", (long)Netif.RSP_DROPPED);
        m.put("rsp_error", (long)Netif.RSP_ERROR);
        m.put("rsp_okay", (long)Netif.RSP_OKAY);
        m.put("rsp_null", (long)Netif.RSP_NULL);
        m.put("nr_slots_min", (long)Netif.NR_SLOTS_MIN);
        m.put("max_tx_size", (long)Netif.MAX_TX_SIZE);
        m.put("extra_type_none", (long)NetifExtraInfoDescriptor.TYPE_NONE);
        m.put("extra_type_gso", (long)NetifExtraInfoDescriptor.TYPE_GSO);
        m.put("extra_type_mcast_add", (long)NetifExtraInfoDescriptor.TYPE_MCAST_ADD);
        m.put("extra_type_mcast_del", (long)NetifExtraInfoDescriptor.TYPE_MCAST_DEL);
        m.put("extra_type_hash", (long)NetifExtraInfoDescriptor.TYPE_HASH);
        m.put("extra_type_max", (long)NetifExtraInfoDescriptor.TYPE_MAX);
        m.put("extra_flag_more", (long)NetifExtraInfoDescriptor.FLAG_MORE);
        m.put("gso_type_none", (long)NetifExtraInfoDescriptor.GSO_TYPE_NONE);
        m.put("gso_type_tcpv4", (long)NetifExtraInfoDescriptor.GSO_TYPE_TCPV4);
        m.put("gso_type_tcpv6", (long)NetifExtraInfoDescriptor.GSO_TYPE_TCPV6);
        m.put("ctrl_type_invalid", (long)NetifCtrlRequestDescriptor.TYPE_INVALID);
        m.put("ctrl_type_get_hash_flags", (long)NetifCtrlRequestDescriptor.TYPE_GET_HASH_FLAGS);
        m.put("ctrl_type_set_hash_flags", (long)NetifCtrlRequestDescriptor.TYPE_SET_HASH_FLAGS);
        m.put("ctrl_type_set_hash_key", (long)NetifCtrlRequestDescriptor.TYPE_SET_HASH_KEY);
        m.put("ctrl_type_get_hash_mapping_size", (long)NetifCtrlRequestDescriptor.TYPE_GET_HASH_MAPPING_SIZE);
        m.put("ctrl_type_set_hash_mapping_size", (long)NetifCtrlRequestDescriptor.TYPE_SET_HASH_MAPPING_SIZE);
        m.put("ctrl_type_set_hash_mapping", (long)NetifCtrlRequestDescriptor.TYPE_SET_HASH_MAPPING);
        m.put("ctrl_type_set_hash_algorithm", (long)NetifCtrlRequestDescriptor.TYPE_SET_HASH_ALGORITHM);
        m.put("ctrl_type_get_gref_mapping_size", (long)NetifCtrlRequestDescriptor.TYPE_GET_GREF_MAPPING_SIZE);
        m.put("ctrl_type_add_gref_mapping", (long)NetifCtrlRequestDescriptor.TYPE_ADD_GREF_MAPPING);
        m.put("ctrl_type_del_gref_mapping", (long)NetifCtrlRequestDescriptor.TYPE_DEL_GREF_MAPPING);
        m.put("ctrl_status_success", (long)NetifCtrlResponseDescriptor.STATUS_SUCCESS);
        m.put("ctrl_status_not_supported", (long)NetifCtrlResponseDescriptor.STATUS_NOT_SUPPORTED);
        m.put("ctrl_status_invalid_parameter", (long)NetifCtrlResponseDescriptor.STATUS_INVALID_PARAMETER);
        m.put("ctrl_status_buffer_overflow", (long)NetifCtrlResponseDescriptor.STATUS_BUFFER_OVERFLOW);
        m.put("hash_algorithm_none", (long)NetifCtrlRequestDescriptor.HASH_ALGORITHM_NONE);
        m.put("hash_algorithm_toeplitz", (long)NetifCtrlRequestDescriptor.HASH_ALGORITHM_TOEPLITZ);
        m.put("hash_type_ipv4", (long)NetifCtrlRequestDescriptor.HASH_TYPE_IPV4);
        m.put("hash_type_ipv4_tcp", (long)NetifCtrlRequestDescriptor.HASH_TYPE_IPV4_TCP);
        m.put("hash_type_ipv6", (long)NetifCtrlRequestDescriptor.HASH_TYPE_IPV6);
        m.put("hash_type_ipv6_tcp", (long)NetifCtrlRequestDescriptor.HASH_TYPE_IPV6_TCP);
        m.put("gref_flag_readonly", (long)NetifGrefDescriptor.FLAG_READONLY);
        return m;
    }
}
