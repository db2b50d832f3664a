/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The ioctl ABI of Linux {@code /dev/xen/gntdev} (map foreign grants, grant copy), from
 * {@code xen/sys/gntdev.h} (Linux {@code include/uapi/xen/gntdev.h}); x86_64/aarch64, little-endian. ioctl
 * numbers are {@code _IOC(_IOC_NONE, 'G', nr, size)} = {@code size << 16 | 'G' << 8 | nr}.
 * <pre>
 *  struct ioctl_gntdev_map_grant_ref (16 + 8 * count; sizeof with one ref = 24)
 *   0 count u32   4 pad u32   8 index u64 (out: the mmap offset)   16 refs[count] { domid u32, ref u32 }
 *  struct ioctl_gntdev_unmap_grant_ref (16)
 *   0 index u64   8 count u32   12 pad u32
 *  struct ioctl_gntdev_unmap_notify (16)
 *   0 index u64   8 action u32 (CLEAR_BYTE 1, SEND_EVENT 2)   12 event_channel_port u32
 *  struct ioctl_gntdev_grant_copy (16)
 *   0 count u32   4 pad   8 segments (pointer)
 *  struct ioctl_gntdev_grant_copy_segment (24)
 *   0 source: virt pointer, or foreign { ref u32 @0, offset u16 @4, domid u16 @6 }
 *   8 dest:   same union        16 len u16   18 flags u16 (GNTCOPY_*)   20 status i16 (GNTST_*, out)
 * </pre>
 */
public final class GntdevDescriptor
{
    /** {@code IOCTL_GNTDEV_MAP_GRANT_REF}. */
    public static final long IOCTL_MAP_GRANT_REF = ioc('G', 0, 24);
    /** {@code IOCTL_GNTDEV_UNMAP_GRANT_REF}. */
    public static final long IOCTL_UNMAP_GRANT_REF = ioc('G', 1, 16);
    /** {@code IOCTL_GNTDEV_SET_UNMAP_NOTIFY}. */
    public static final long IOCTL_SET_UNMAP_NOTIFY = ioc('G', 7, 16);
    /** {@code IOCTL_GNTDEV_GRANT_COPY}. */
    public static final long IOCTL_GRANT_COPY = ioc('G', 8, 16);

    /** Map request: number of refs. */
    public static final int MAP_COUNT_OFFSET = 0;
    /** Map request: mmap offset returned by the kernel. */
    public static final int MAP_INDEX_OFFSET = 8;
    /** Map request: first {@code ioctl_gntdev_grant_ref}. */
    public static final int MAP_REFS_OFFSET = 16;
    /** {@code sizeof(struct ioctl_gntdev_grant_ref)}. */
    public static final int GRANT_REF_LENGTH = 8;
    /** Grant ref: domid (u32). */
    public static final int GRANT_REF_DOMID_OFFSET = 0;
    /** Grant ref: ref (u32). */
    public static final int GRANT_REF_REF_OFFSET = 4;

    /** Unmap request: mmap offset. */
    public static final int UNMAP_INDEX_OFFSET = 0;
    /** Unmap request: page count. */
    public static final int UNMAP_COUNT_OFFSET = 8;
    /** {@code sizeof(struct ioctl_gntdev_unmap_grant_ref)}. */
    public static final int UNMAP_LENGTH = 16;

    /** Unmap notify: byte offset (mmap offset + byte in page). */
    public static final int NOTIFY_INDEX_OFFSET = 0;
    /** Unmap notify: action bits. */
    public static final int NOTIFY_ACTION_OFFSET = 8;
    /** Unmap notify: event channel port. */
    public static final int NOTIFY_PORT_OFFSET = 12;
    /** {@code sizeof(struct ioctl_gntdev_unmap_notify)}. */
    public static final int NOTIFY_LENGTH = 16;
    /** {@code UNMAP_NOTIFY_CLEAR_BYTE}. */
    public static final int UNMAP_NOTIFY_CLEAR_BYTE = 1;
    /** {@code UNMAP_NOTIFY_SEND_EVENT}. */
    public static final int UNMAP_NOTIFY_SEND_EVENT = 2;

    /** Copy request: segment count. */
    public static final int COPY_COUNT_OFFSET = 0;
    /** Copy request: pointer to the segments. */
    public static final int COPY_SEGMENTS_OFFSET = 8;
    /** {@code sizeof(struct ioctl_gntdev_grant_copy)}. */
    public static final int COPY_LENGTH = 16;

    /** Segment: source union. */
    public static final int SEGMENT_SOURCE_OFFSET = 0;
    /** Segment: destination union. */
    public static final int SEGMENT_DEST_OFFSET = 8;
    /** Within a union: foreign ref (u32). */
    public static final int FOREIGN_REF_OFFSET = 0;
    /** Within a union: offset in the foreign page (u16). */
    public static final int FOREIGN_OFFSET_OFFSET = 4;
    /** Within a union: foreign domid (u16). */
    public static final int FOREIGN_DOMID_OFFSET = 6;
    /** Segment: length (u16). */
    public static final int SEGMENT_LEN_OFFSET = 16;
    /** Segment: {@code GNTCOPY_*} flags (u16). */
    public static final int SEGMENT_FLAGS_OFFSET = 18;
    /** Segment: {@code GNTST_*} status (i16, out). */
    public static final int SEGMENT_STATUS_OFFSET = 20;
    /** {@code sizeof(struct ioctl_gntdev_grant_copy_segment)}. */
    public static final int SEGMENT_LENGTH = 24;
    /** {@code GNTCOPY_source_gref}: the source is a foreign grant. */
    public static final int GNTCOPY_SOURCE_GREF = 1;
    /** {@code GNTCOPY_dest_gref}: the destination is a foreign grant. */
    public static final int GNTCOPY_DEST_GREF = 2;

    private GntdevDescriptor()
    {
    }

    /**
     * {@code _IOC(_IOC_NONE, type, nr, size)}.
     *
     * @param type ioctl type character.
     * @param nr   number.
     * @param size argument size.
     * @return the request number.
     */
    public static long ioc(final char type, final int nr, final int size)
    {
        return ((long)size << 16) | ((long)type << 8) | nr;
    }

    /**
     * Bytes of a map request for {@code count} refs.
     *
     * @param count refs.
     * @return the length.
     */
    public static int mapLength(final int count)
    {
        return MAP_REFS_OFFSET + count * GRANT_REF_LENGTH;
    }

    /**
     * Writes an {@code ioctl_gntdev_map_grant_ref} for {@code refs[0..count)} of one domain (index zeroed).
     *
     * @param arg   argument memory of at least {@link #mapLength(int) mapLength(count)} bytes.
     * @param domid the granting domain.
     * @param refs  the refs.
     * @param count number of refs.
     */
    public static void encodeMap(final MemorySegment arg, final int domid, final int[] refs, final int count)
    {
        encodeMap(arg, domid, refs, 0, count);
    }

    /**
     * Writes an {@code ioctl_gntdev_map_grant_ref} for {@code refs[from..from+count)} of one domain.
     *
     * @param arg   argument memory of at least {@link #mapLength(int) mapLength(count)} bytes.
     * @param domid the granting domain.
     * @param refs  the refs.
     * @param from  first ref to take.
     * @param count number of refs.
     */
    public static void encodeMap(
        final MemorySegment arg, final int domid, final int[] refs, final int from, final int count)
    {
        arg.asSlice(0, MAP_REFS_OFFSET).fill((byte)0);
        arg.set(ValueLayout.JAVA_INT, MAP_COUNT_OFFSET, count);
        for (int i = 0; i < count; i++)
        {
            final long at = MAP_REFS_OFFSET + (long)i * GRANT_REF_LENGTH;
            arg.set(ValueLayout.JAVA_INT, at + GRANT_REF_DOMID_OFFSET, domid);
            arg.set(ValueLayout.JAVA_INT, at + GRANT_REF_REF_OFFSET, refs[from + i]);
        }
    }
}
