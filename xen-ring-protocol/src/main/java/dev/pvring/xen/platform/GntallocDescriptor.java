/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The ioctl ABI of Linux {@code /dev/xen/gntalloc} (share local pages), from {@code xen/sys/gntalloc.h}
 * (Linux {@code include/uapi/xen/gntalloc.h}); little-endian.
 * <pre>
 *  struct ioctl_gntalloc_alloc_gref (16 + 4 * count, 8-aligned; sizeof with one id = 24)
 *   0 domid u16   2 flags u16 (GNTALLOC_FLAG_WRITABLE 1)   4 count u32   8 index u64 (out)
 *  16 gref_ids[count] u32 (out)
 *  struct ioctl_gntalloc_dealloc_gref (16)
 *   0 index u64   8 count u32   12 pad
 * </pre>
 * {@code IOCTL_GNTALLOC_SET_UNMAP_NOTIFY} has the layout of {@link GntdevDescriptor}'s unmap notify.
 */
public final class GntallocDescriptor
{
    /** {@code IOCTL_GNTALLOC_ALLOC_GREF}. */
    public static final long IOCTL_ALLOC_GREF = GntdevDescriptor.ioc('G', 5, 24);
    /** {@code IOCTL_GNTALLOC_DEALLOC_GREF}. */
    public static final long IOCTL_DEALLOC_GREF = GntdevDescriptor.ioc('G', 6, 16);
    /** {@code IOCTL_GNTALLOC_SET_UNMAP_NOTIFY}. */
    public static final long IOCTL_SET_UNMAP_NOTIFY = GntdevDescriptor.ioc('G', 7, 16);

    /** Alloc request: grantee domid (u16). */
    public static final int ALLOC_DOMID_OFFSET = 0;
    /** Alloc request: flags (u16). */
    public static final int ALLOC_FLAGS_OFFSET = 2;
    /** Alloc request: page count (u32). */
    public static final int ALLOC_COUNT_OFFSET = 4;
    /** Alloc request: mmap offset returned (u64). */
    public static final int ALLOC_INDEX_OFFSET = 8;
    /** Alloc request: first returned grant ref (u32). */
    public static final int ALLOC_GREF_IDS_OFFSET = 16;
    /** {@code GNTALLOC_FLAG_WRITABLE}. */
    public static final int FLAG_WRITABLE = 1;

    /** Dealloc request: mmap offset (u64). */
    public static final int DEALLOC_INDEX_OFFSET = 0;
    /** Dealloc request: count (u32). */
    public static final int DEALLOC_COUNT_OFFSET = 8;
    /** {@code sizeof(struct ioctl_gntalloc_dealloc_gref)}. */
    public static final int DEALLOC_LENGTH = 16;

    private GntallocDescriptor()
    {
    }

    /**
     * Bytes of an alloc request for {@code count} pages (8-aligned like the C struct).
     *
     * @param count pages.
     * @return the length.
     */
    public static int allocLength(final int count)
    {
        return (ALLOC_GREF_IDS_OFFSET + 4 * count + 7) & ~7;
    }

    /**
     * Writes an {@code ioctl_gntalloc_alloc_gref} asking for {@code count} pages granted to {@code domid} (index and
     * the first {@code count} gref ids zeroed; the kernel fills them).
     *
     * @param arg      argument memory of at least {@link #allocLength(int) allocLength(count)} bytes.
     * @param domid    the domain to grant to.
     * @param readOnly whether the grants are read-only (no {@link #FLAG_WRITABLE}).
     * @param count    number of pages.
     */
    public static void encodeAlloc(final MemorySegment arg, final int domid, final boolean readOnly, final int count)
    {
        arg.asSlice(0, allocLength(count)).fill((byte)0);
        arg.set(ValueLayout.JAVA_SHORT, ALLOC_DOMID_OFFSET, (short)domid);
        arg.set(ValueLayout.JAVA_SHORT, ALLOC_FLAGS_OFFSET, (short)(readOnly ? 0 : FLAG_WRITABLE));
        arg.set(ValueLayout.JAVA_INT, ALLOC_COUNT_OFFSET, count);
    }
}
