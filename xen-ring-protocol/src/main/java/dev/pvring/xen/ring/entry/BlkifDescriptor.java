/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring.entry;

/**
 * The ABI-independent parts of {@code io/blkif.h}: operations, statuses, limits and the segment layout
 * ({@code struct blkif_request_segment}, 8 bytes):
 * <pre>
 *   0               4   5   6       8
 *  +---------------+---+---+-------+
 *  |     gref      |fst|lst|  pad  |
 *  +---------------+---+---+-------+
 * </pre>
 * The request and response layouts differ between the x86_64 and x86_32 ABIs: see {@link BlkifAbi}.
 */
public final class BlkifDescriptor
{
    /** {@code BLKIF_OP_READ}. */
    public static final int OP_READ = 0;
    /** {@code BLKIF_OP_WRITE}. */
    public static final int OP_WRITE = 1;
    /** {@code BLKIF_OP_WRITE_BARRIER}. */
    public static final int OP_WRITE_BARRIER = 2;
    /** {@code BLKIF_OP_FLUSH_DISKCACHE}. */
    public static final int OP_FLUSH_DISKCACHE = 3;
    /** {@code BLKIF_OP_RESERVED_1}. */
    public static final int OP_RESERVED_1 = 4;
    /** {@code BLKIF_OP_DISCARD}. */
    public static final int OP_DISCARD = 5;
    /** {@code BLKIF_OP_INDIRECT}. */
    public static final int OP_INDIRECT = 6;
    /** {@code BLKIF_RSP_EOPNOTSUPP}. */
    public static final int RSP_EOPNOTSUPP = -2;
    /** {@code BLKIF_RSP_ERROR}. */
    public static final int RSP_ERROR = -1;
    /** {@code BLKIF_RSP_OKAY}. */
    public static final int RSP_OKAY = 0;
    /** {@code BLKIF_MAX_SEGMENTS_PER_REQUEST}. */
    public static final int MAX_SEGMENTS_PER_REQUEST = 11;
    /** {@code BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST}. */
    public static final int MAX_INDIRECT_PAGES_PER_REQUEST = 8;
    /** {@code BLKIF_DISCARD_SECURE}. */
    public static final int DISCARD_SECURE = 1;
    /** {@code VDISK_CDROM}. */
    public static final int VDISK_CDROM = 0x1;
    /** {@code VDISK_REMOVABLE}. */
    public static final int VDISK_REMOVABLE = 0x2;
    /** {@code VDISK_READONLY}. */
    public static final int VDISK_READONLY = 0x4;
    /** {@code blkif_request_segment.gref}. */
    public static final int SEGMENT_GREF_OFFSET = 0;
    /** {@code blkif_request_segment.first_sect}. */
    public static final int SEGMENT_FIRST_SECT_OFFSET = 4;
    /** {@code blkif_request_segment.last_sect}. */
    public static final int SEGMENT_LAST_SECT_OFFSET = 5;
    /** {@code sizeof(struct blkif_request_segment)}. */
    public static final int SEGMENT_LENGTH = 8;
    /** Sector size of the protocol (512 bytes, whatever the disk's sector size). */
    public static final int SECTOR_SIZE = 512;

    private BlkifDescriptor()
    {
    }
}
