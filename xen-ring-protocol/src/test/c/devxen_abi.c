/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * Prints the Linux /dev/xen/{gntdev,gntalloc,evtchn} ioctl ABI from Xen's copies of the Linux headers
 * (/usr/include/xen/sys/) as "name value" lines, compared with GntdevDescriptor, GntallocDescriptor and
 * EvtchnDescriptor by DevXenAbiHeaderTest.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <xen/xen.h>
#include <xen/sys/gntdev.h>
#include <xen/sys/gntalloc.h>
#include <xen/sys/evtchn.h>

#define P(name, value) printf("%s %lld\n", name, (long long)(value))

int main(void)
{
    P("IOCTL_GNTDEV_MAP_GRANT_REF", IOCTL_GNTDEV_MAP_GRANT_REF);
    P("IOCTL_GNTDEV_UNMAP_GRANT_REF", IOCTL_GNTDEV_UNMAP_GRANT_REF);
    P("IOCTL_GNTDEV_SET_UNMAP_NOTIFY", IOCTL_GNTDEV_SET_UNMAP_NOTIFY);
    P("IOCTL_GNTDEV_GRANT_COPY", IOCTL_GNTDEV_GRANT_COPY);
    P("sizeof_gntdev_grant_ref", sizeof(struct ioctl_gntdev_grant_ref));
    P("gntdev_grant_ref.domid", offsetof(struct ioctl_gntdev_grant_ref, domid));
    P("gntdev_grant_ref.ref", offsetof(struct ioctl_gntdev_grant_ref, ref));
    P("sizeof_gntdev_map_grant_ref", sizeof(struct ioctl_gntdev_map_grant_ref));
    P("gntdev_map_grant_ref.count", offsetof(struct ioctl_gntdev_map_grant_ref, count));
    P("gntdev_map_grant_ref.index", offsetof(struct ioctl_gntdev_map_grant_ref, index));
    P("gntdev_map_grant_ref.refs", offsetof(struct ioctl_gntdev_map_grant_ref, refs));
    P("sizeof_gntdev_unmap_grant_ref", sizeof(struct ioctl_gntdev_unmap_grant_ref));
    P("gntdev_unmap_grant_ref.index", offsetof(struct ioctl_gntdev_unmap_grant_ref, index));
    P("gntdev_unmap_grant_ref.count", offsetof(struct ioctl_gntdev_unmap_grant_ref, count));
    P("sizeof_gntdev_unmap_notify", sizeof(struct ioctl_gntdev_unmap_notify));
    P("gntdev_unmap_notify.index", offsetof(struct ioctl_gntdev_unmap_notify, index));
    P("gntdev_unmap_notify.action", offsetof(struct ioctl_gntdev_unmap_notify, action));
    P("gntdev_unmap_notify.event_channel_port", offsetof(struct ioctl_gntdev_unmap_notify, event_channel_port));
    P("UNMAP_NOTIFY_CLEAR_BYTE", UNMAP_NOTIFY_CLEAR_BYTE);
    P("UNMAP_NOTIFY_SEND_EVENT", UNMAP_NOTIFY_SEND_EVENT);
    P("sizeof_gntdev_grant_copy", sizeof(struct ioctl_gntdev_grant_copy));
    P("gntdev_grant_copy.count", offsetof(struct ioctl_gntdev_grant_copy, count));
    P("gntdev_grant_copy.segments", offsetof(struct ioctl_gntdev_grant_copy, segments));
    P("sizeof_gntdev_grant_copy_segment", sizeof(struct ioctl_gntdev_grant_copy_segment));
    P("segment.source", offsetof(struct ioctl_gntdev_grant_copy_segment, source));
    P("segment.source.foreign.ref", offsetof(struct ioctl_gntdev_grant_copy_segment, source.foreign.ref));
    P("segment.source.foreign.offset", offsetof(struct ioctl_gntdev_grant_copy_segment, source.foreign.offset));
    P("segment.source.foreign.domid", offsetof(struct ioctl_gntdev_grant_copy_segment, source.foreign.domid));
    P("segment.dest", offsetof(struct ioctl_gntdev_grant_copy_segment, dest));
    P("segment.len", offsetof(struct ioctl_gntdev_grant_copy_segment, len));
    P("segment.flags", offsetof(struct ioctl_gntdev_grant_copy_segment, flags));
    P("segment.status", offsetof(struct ioctl_gntdev_grant_copy_segment, status));
    P("GNTCOPY_source_gref", 1);
    P("GNTCOPY_dest_gref", 2);

    P("IOCTL_GNTALLOC_ALLOC_GREF", IOCTL_GNTALLOC_ALLOC_GREF);
    P("IOCTL_GNTALLOC_DEALLOC_GREF", IOCTL_GNTALLOC_DEALLOC_GREF);
    P("IOCTL_GNTALLOC_SET_UNMAP_NOTIFY", IOCTL_GNTALLOC_SET_UNMAP_NOTIFY);
    P("sizeof_gntalloc_alloc_gref", sizeof(struct ioctl_gntalloc_alloc_gref));
    P("gntalloc_alloc_gref.domid", offsetof(struct ioctl_gntalloc_alloc_gref, domid));
    P("gntalloc_alloc_gref.flags", offsetof(struct ioctl_gntalloc_alloc_gref, flags));
    P("gntalloc_alloc_gref.count", offsetof(struct ioctl_gntalloc_alloc_gref, count));
    P("gntalloc_alloc_gref.index", offsetof(struct ioctl_gntalloc_alloc_gref, index));
    P("gntalloc_alloc_gref.gref_ids", offsetof(struct ioctl_gntalloc_alloc_gref, gref_ids));
    P("GNTALLOC_FLAG_WRITABLE", GNTALLOC_FLAG_WRITABLE);
    P("sizeof_gntalloc_dealloc_gref", sizeof(struct ioctl_gntalloc_dealloc_gref));
    P("gntalloc_dealloc_gref.index", offsetof(struct ioctl_gntalloc_dealloc_gref, index));
    P("gntalloc_dealloc_gref.count", offsetof(struct ioctl_gntalloc_dealloc_gref, count));

    P("IOCTL_EVTCHN_BIND_INTERDOMAIN", IOCTL_EVTCHN_BIND_INTERDOMAIN);
    P("IOCTL_EVTCHN_BIND_UNBOUND_PORT", IOCTL_EVTCHN_BIND_UNBOUND_PORT);
    P("IOCTL_EVTCHN_UNBIND", IOCTL_EVTCHN_UNBIND);
    P("IOCTL_EVTCHN_NOTIFY", IOCTL_EVTCHN_NOTIFY);
    P("IOCTL_EVTCHN_RESET", IOCTL_EVTCHN_RESET);
    P("sizeof_evtchn_bind_interdomain", sizeof(struct ioctl_evtchn_bind_interdomain));
    P("evtchn_bind_interdomain.remote_domain", offsetof(struct ioctl_evtchn_bind_interdomain, remote_domain));
    P("evtchn_bind_interdomain.remote_port", offsetof(struct ioctl_evtchn_bind_interdomain, remote_port));
    P("sizeof_evtchn_bind_unbound_port", sizeof(struct ioctl_evtchn_bind_unbound_port));
    P("sizeof_evtchn_unbind", sizeof(struct ioctl_evtchn_unbind));
    P("sizeof_evtchn_notify", sizeof(struct ioctl_evtchn_notify));
    return 0;
}
