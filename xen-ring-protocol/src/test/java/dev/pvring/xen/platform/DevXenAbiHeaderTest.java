/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The Linux /dev/xen ioctl numbers and struct layouts against Xen's copies of the Linux headers.
 */
class DevXenAbiHeaderTest
{
    @Test
    void shouldMatchTheGntdevGntallocAndEvtchnHeaders() throws Exception
    {
        final Map<String, Long> c = CAbiProgram.run("devxen_abi.c");

        assertThat(c).containsEntry("IOCTL_GNTDEV_MAP_GRANT_REF", GntdevDescriptor.IOCTL_MAP_GRANT_REF)
            .containsEntry("IOCTL_GNTDEV_UNMAP_GRANT_REF", GntdevDescriptor.IOCTL_UNMAP_GRANT_REF)
            .containsEntry("IOCTL_GNTDEV_SET_UNMAP_NOTIFY", GntdevDescriptor.IOCTL_SET_UNMAP_NOTIFY)
            .containsEntry("IOCTL_GNTDEV_GRANT_COPY", GntdevDescriptor.IOCTL_GRANT_COPY)
            .containsEntry("sizeof_gntdev_grant_ref", (long)GntdevDescriptor.GRANT_REF_LENGTH)
            .containsEntry("gntdev_grant_ref.domid", (long)GntdevDescriptor.GRANT_REF_DOMID_OFFSET)
            .containsEntry("gntdev_grant_ref.ref", (long)GntdevDescriptor.GRANT_REF_REF_OFFSET)
            .containsEntry("sizeof_gntdev_map_grant_ref", (long)GntdevDescriptor.mapLength(1))
            .containsEntry("gntdev_map_grant_ref.count", (long)GntdevDescriptor.MAP_COUNT_OFFSET)
            .containsEntry("gntdev_map_grant_ref.index", (long)GntdevDescriptor.MAP_INDEX_OFFSET)
            .containsEntry("gntdev_map_grant_ref.refs", (long)GntdevDescriptor.MAP_REFS_OFFSET)
            .containsEntry("sizeof_gntdev_unmap_grant_ref", (long)GntdevDescriptor.UNMAP_LENGTH)
            .containsEntry("gntdev_unmap_grant_ref.index", (long)GntdevDescriptor.UNMAP_INDEX_OFFSET)
            .containsEntry("gntdev_unmap_grant_ref.count", (long)GntdevDescriptor.UNMAP_COUNT_OFFSET)
            .containsEntry("sizeof_gntdev_unmap_notify", (long)GntdevDescriptor.NOTIFY_LENGTH)
            .containsEntry("gntdev_unmap_notify.index", (long)GntdevDescriptor.NOTIFY_INDEX_OFFSET)
            .containsEntry("gntdev_unmap_notify.action", (long)GntdevDescriptor.NOTIFY_ACTION_OFFSET)
            .containsEntry("gntdev_unmap_notify.event_channel_port", (long)GntdevDescriptor.NOTIFY_PORT_OFFSET)
            .containsEntry("UNMAP_NOTIFY_CLEAR_BYTE", (long)GntdevDescriptor.UNMAP_NOTIFY_CLEAR_BYTE)
            .containsEntry("UNMAP_NOTIFY_SEND_EVENT", (long)GntdevDescriptor.UNMAP_NOTIFY_SEND_EVENT)
            .containsEntry("sizeof_gntdev_grant_copy", (long)GntdevDescriptor.COPY_LENGTH)
            .containsEntry("gntdev_grant_copy.count", (long)GntdevDescriptor.COPY_COUNT_OFFSET)
            .containsEntry("gntdev_grant_copy.segments", (long)GntdevDescriptor.COPY_SEGMENTS_OFFSET)
            .containsEntry("sizeof_gntdev_grant_copy_segment", (long)GntdevDescriptor.SEGMENT_LENGTH)
            .containsEntry("segment.source", (long)GntdevDescriptor.SEGMENT_SOURCE_OFFSET)
            .containsEntry("segment.source.foreign.ref", (long)GntdevDescriptor.FOREIGN_REF_OFFSET)
            .containsEntry("segment.source.foreign.offset", (long)GntdevDescriptor.FOREIGN_OFFSET_OFFSET)
            .containsEntry("segment.source.foreign.domid", (long)GntdevDescriptor.FOREIGN_DOMID_OFFSET)
            .containsEntry("segment.dest", (long)GntdevDescriptor.SEGMENT_DEST_OFFSET)
            .containsEntry("segment.len", (long)GntdevDescriptor.SEGMENT_LEN_OFFSET)
            .containsEntry("segment.flags", (long)GntdevDescriptor.SEGMENT_FLAGS_OFFSET)
            .containsEntry("segment.status", (long)GntdevDescriptor.SEGMENT_STATUS_OFFSET)
            .containsEntry("GNTCOPY_source_gref", (long)GntdevDescriptor.GNTCOPY_SOURCE_GREF)
            .containsEntry("GNTCOPY_dest_gref", (long)GntdevDescriptor.GNTCOPY_DEST_GREF)
            .containsEntry("IOCTL_GNTALLOC_ALLOC_GREF", GntallocDescriptor.IOCTL_ALLOC_GREF)
            .containsEntry("IOCTL_GNTALLOC_DEALLOC_GREF", GntallocDescriptor.IOCTL_DEALLOC_GREF)
            .containsEntry("IOCTL_GNTALLOC_SET_UNMAP_NOTIFY", GntallocDescriptor.IOCTL_SET_UNMAP_NOTIFY)
            .containsEntry("sizeof_gntalloc_alloc_gref", (long)GntallocDescriptor.allocLength(1))
            .containsEntry("gntalloc_alloc_gref.domid", (long)GntallocDescriptor.ALLOC_DOMID_OFFSET)
            .containsEntry("gntalloc_alloc_gref.flags", (long)GntallocDescriptor.ALLOC_FLAGS_OFFSET)
            .containsEntry("gntalloc_alloc_gref.count", (long)GntallocDescriptor.ALLOC_COUNT_OFFSET)
            .containsEntry("gntalloc_alloc_gref.index", (long)GntallocDescriptor.ALLOC_INDEX_OFFSET)
            .containsEntry("gntalloc_alloc_gref.gref_ids", (long)GntallocDescriptor.ALLOC_GREF_IDS_OFFSET)
            .containsEntry("GNTALLOC_FLAG_WRITABLE", (long)GntallocDescriptor.FLAG_WRITABLE)
            .containsEntry("sizeof_gntalloc_dealloc_gref", (long)GntallocDescriptor.DEALLOC_LENGTH)
            .containsEntry("gntalloc_dealloc_gref.index", (long)GntallocDescriptor.DEALLOC_INDEX_OFFSET)
            .containsEntry("gntalloc_dealloc_gref.count", (long)GntallocDescriptor.DEALLOC_COUNT_OFFSET)
            .containsEntry("IOCTL_EVTCHN_BIND_INTERDOMAIN", EvtchnDescriptor.IOCTL_BIND_INTERDOMAIN)
            .containsEntry("IOCTL_EVTCHN_BIND_UNBOUND_PORT", EvtchnDescriptor.IOCTL_BIND_UNBOUND_PORT)
            .containsEntry("IOCTL_EVTCHN_UNBIND", EvtchnDescriptor.IOCTL_UNBIND)
            .containsEntry("IOCTL_EVTCHN_NOTIFY", EvtchnDescriptor.IOCTL_NOTIFY)
            .containsEntry("IOCTL_EVTCHN_RESET", EvtchnDescriptor.IOCTL_RESET)
            .containsEntry("sizeof_evtchn_bind_interdomain", (long)EvtchnDescriptor.BIND_INTERDOMAIN_LENGTH)
            .containsEntry("evtchn_bind_interdomain.remote_domain", (long)EvtchnDescriptor.BIND_REMOTE_DOMAIN_OFFSET)
            .containsEntry("evtchn_bind_interdomain.remote_port", (long)EvtchnDescriptor.BIND_REMOTE_PORT_OFFSET)
            .containsEntry("sizeof_evtchn_bind_unbound_port", (long)EvtchnDescriptor.WORD_LENGTH)
            .containsEntry("sizeof_evtchn_unbind", (long)EvtchnDescriptor.WORD_LENGTH)
            .containsEntry("sizeof_evtchn_notify", (long)EvtchnDescriptor.WORD_LENGTH);
        assertThat(GntdevDescriptor.IOCTL_MAP_GRANT_REF).as("xen-pv.md section 6").isEqualTo(0x00184700L);
        assertThat(GntallocDescriptor.IOCTL_ALLOC_GREF).isEqualTo(0x00184705L);
        assertThat(EvtchnDescriptor.IOCTL_BIND_INTERDOMAIN).isEqualTo(0x00084501L);
    }
}
