/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

/**
 * Layout of a simulated domain's grant file {@code dom<d>.gen<g>.grant} ({@link SimSystem}): the domain's
 * version-1 grant table exactly as Xen shares it with a guest, and beside it the state the hypervisor keeps
 * privately on real Xen. Little-endian; every array starts on a page boundary.
 * <pre>
 *  0      header page
 *         0 magic "PVRSIMGT" (u64)   8 version (u32)   12 domid (u32)
 *        16 grant entries (u32)     20 pages (u32)    24 maptrack entries (u32)
 *  4096   grant entries [entries]  struct grant_entry_v1 (8 B, {@link GrantEntryV1Descriptor})
 *  A      active entries [entries] (32 B each, the hypervisor's per-ref state)
 *          0 +-----------------------------+-----------------------------+
 *            | lock (u32: pid holding the  | pins (u32: read-only pins in|
 *            |  pin lock, 0 = unlocked)    |  bits 0-15, writable 16-31) |
 *          8 +-----------------------------+-----------------------------+
 *            | owner (u32: pid of the      | pinned frame (u32: frame    |
 *            |  granting process, 0 = free)|  read at the first pin)     |
 *         16 +-----------------------------+-----------------------------+
 *            | end notify (u32: actions in | end notify port (u32, the   |
 *            |  bits 16-17, byte in 0-11)  |  granter's local port)      |
 *         24 +-----------------------------+-----------------------------+
 *            |                      reserved (8)                         |
 *         32 +-----------------------------------------------------------+
 *  F      frame table [pages] (8 B each)
 *          0 owner (u32: pid that allocated the page, 0 = free)   4 grants (u32: active grants naming it)
 *  M      maptrack [maptrack entries] (32 B each: the mappings THIS domain holds of other domains' grants)
 *          0 +-----------------------------+-----------------------------+
 *            | owner (u32: mapping pid,    | granter generation (u32)    |
 *            |  0 = free slot)             |                             |
 *          8 +--------------+--------------+-----------------------------+
 *            | granter domid| flags (u16:  | ref (u32)                   |
 *            |  (u16)       | MAPPED, RO,  |                             |
 *            |              | STALE)       |                             |
 *         16 +--------------+--------------+-----------------------------+
 *            | unmap notify (u32: actions  | unmap notify port (u32, the |
 *            |  in bits 16-17, byte 0-11)  |  mapper's local port)       |
 *         24 +-----------------------------+-----------------------------+
 *            |                      reserved (8)                         |
 *         32 +-----------------------------------------------------------+
 * </pre>
 * Notify words follow {@code IOCTL_GNTDEV_SET_UNMAP_NOTIFY}: actions {@link #NOTIFY_CLEAR_BYTE} and
 * {@link #NOTIFY_SEND_EVENT} in bits 16-17, the byte in the page in bits 0-11, 0 when not armed.
 * The maptrack is the source of truth for who maps what: pins can be recomputed from it, which is how a
 * lock or pins left behind by a dead process are repaired (see {@link SimSystem#reclaim()}).
 */
public final class SimGrantTableDescriptor
{
    /** "PVRSIMGT" little-endian. */
    public static final long MAGIC = 0x54474D4953525650L;
    /** Layout version. */
    public static final int VERSION = 1;
    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the domid. */
    public static final int DOMID_OFFSET = 12;
    /** Offset of the grant entry count. */
    public static final int ENTRIES_OFFSET = 16;
    /** Offset of the page count. */
    public static final int PAGES_OFFSET = 20;
    /** Offset of the maptrack entry count. */
    public static final int MAPTRACK_OFFSET = 24;
    /** Bytes of the header (one page, like a grant frame). */
    public static final int HEADER_LENGTH = 4096;

    /** Bytes per active entry. */
    public static final int ACTIVE_LENGTH = 32;
    /** Active entry: pid holding the pin lock (0 = unlocked). */
    public static final int ACTIVE_LOCK_OFFSET = 0;
    /** Active entry: pin counts (read-only in bits 0-15, writable in bits 16-31). */
    public static final int ACTIVE_PINS_OFFSET = 4;
    /** Active entry: pid of the granting process holding the ref (0 = ref free). */
    public static final int ACTIVE_OWNER_OFFSET = 8;
    /** Active entry: the frame read when the first pin was taken. */
    public static final int ACTIVE_FRAME_OFFSET = 12;
    /** Active entry: the granter's end-of-sharing notification (actions and byte). */
    public static final int ACTIVE_NOTIFY_OFFSET = 16;
    /** Active entry: the port that notification signals. */
    public static final int ACTIVE_NOTIFY_PORT_OFFSET = 20;
    /** One read-only pin. */
    public static final int PIN_READ_ONLY = 1;
    /** One writable pin. */
    public static final int PIN_WRITABLE = 1 << 16;
    /** Most pins of one kind. */
    public static final int PIN_MAX = 0xFFFF;

    /** Bytes per frame table entry. */
    public static final int FRAME_LENGTH = 8;
    /** Frame table entry: pid that allocated the page (0 = free). */
    public static final int FRAME_OWNER_OFFSET = 0;
    /** Frame table entry: number of active grants naming the page. */
    public static final int FRAME_GRANTS_OFFSET = 4;

    /** Bytes per maptrack entry. */
    public static final int MAPTRACK_LENGTH = 32;
    /** Maptrack entry: pid of the mapping process (0 = free slot). */
    public static final int MAPTRACK_OWNER_OFFSET = 0;
    /** Maptrack entry: generation of the granting domain. */
    public static final int MAPTRACK_GENERATION_OFFSET = 4;
    /** Maptrack entry: granting domid (u16) and flags (u16) as one u32. */
    public static final int MAPTRACK_TARGET_OFFSET = 8;
    /** Maptrack entry: the ref. */
    public static final int MAPTRACK_REF_OFFSET = 12;
    /** Maptrack entry: the mapper's unmap notification (actions and byte). */
    public static final int MAPTRACK_NOTIFY_OFFSET = 16;
    /** Maptrack entry: the port that notification signals. */
    public static final int MAPTRACK_NOTIFY_PORT_OFFSET = 20;
    /** Notify action: clear the byte ({@code UNMAP_NOTIFY_CLEAR_BYTE}). */
    public static final int NOTIFY_CLEAR_BYTE = 1;
    /** Notify action: signal the port ({@code UNMAP_NOTIFY_SEND_EVENT}). */
    public static final int NOTIFY_SEND_EVENT = 2;

    /**
     * Builds a notify word.
     *
     * @param clearByteOffset byte to clear (0..4095), or -1 for none.
     * @param port            port to signal, or 0 for none.
     * @return the word (0 if nothing is armed).
     */
    public static int notifyWord(final int clearByteOffset, final int port)
    {
        final int actions = (clearByteOffset >= 0 ? NOTIFY_CLEAR_BYTE : 0) | (port > 0 ? NOTIFY_SEND_EVENT : 0);
        return actions == 0 ? 0 : actions << 16 | Math.max(clearByteOffset, 0);
    }
    /** Maptrack flag: the pin is taken and counted. */
    public static final int MAPTRACK_MAPPED = 1;
    /** Maptrack flag: read-only mapping. */
    public static final int MAPTRACK_READ_ONLY = 2;
    /**
     * Maptrack flag (with {@link #MAPTRACK_MAPPED}): the mapper has unmapped the page but could not drop its pin,
     * because another live process held the ref's pin lock past the timeout; the pin stays counted until the
     * mapper (or a reclaim after its death) releases the slot.
     */
    public static final int MAPTRACK_STALE = 4;

    /** Most grant entries per domain. */
    public static final int MAX_ENTRIES = 1 << 20;
    /** Most pages per domain (the memory file must be mappable as one 2 GiB buffer). */
    public static final int MAX_PAGES = (int)(dev.pvring.core.SharedMemory.MAX_SIZE / GrantTable.PAGE_SIZE);
    /** Most maptrack entries per domain. */
    public static final int MAX_MAPTRACK = 1 << 20;

    private SimGrantTableDescriptor()
    {
    }

    /**
     * Offset of grant entry {@code ref}.
     *
     * @param ref the ref.
     * @return its offset.
     */
    public static int entryOffset(final int ref)
    {
        return HEADER_LENGTH + ref * GrantEntryV1Descriptor.LENGTH;
    }

    /**
     * Start of the active entries.
     *
     * @param entries grant entries.
     * @return the offset.
     * @throws IllegalArgumentException if the layout does not fit in one mapping.
     */
    public static int activeBase(final int entries)
    {
        return SimSystemDescriptor.pageAlign(activeBaseLong(entries));
    }

    /**
     * Start of the frame table.
     *
     * @param entries grant entries.
     * @return the offset.
     * @throws IllegalArgumentException if the layout does not fit in one mapping.
     */
    public static int frameBase(final int entries)
    {
        return SimSystemDescriptor.pageAlign(frameBaseLong(entries));
    }

    /**
     * Start of the maptrack.
     *
     * @param entries grant entries.
     * @param pages   pages.
     * @return the offset.
     * @throws IllegalArgumentException if the layout does not fit in one mapping.
     */
    public static int maptrackBase(final int entries, final int pages)
    {
        return SimSystemDescriptor.pageAlign(maptrackBaseLong(entries, pages));
    }

    /**
     * File length.
     *
     * @param entries  grant entries.
     * @param pages    pages.
     * @param maptrack maptrack entries.
     * @return bytes (page multiple).
     * @throws IllegalArgumentException if the layout does not fit in one mapping.
     */
    public static int fileLength(final int entries, final int pages, final int maptrack)
    {
        return SimSystemDescriptor.pageAlign(
            maptrackBaseLong(entries, pages) + align(Integer.toUnsignedLong(maptrack) * MAPTRACK_LENGTH));
    }

    // Layout arithmetic in long on the unsigned values: no sum can wrap, whatever a header says.
    private static long activeBaseLong(final int entries)
    {
        return HEADER_LENGTH + align(Integer.toUnsignedLong(entries) * GrantEntryV1Descriptor.LENGTH);
    }

    private static long frameBaseLong(final int entries)
    {
        return activeBaseLong(entries) + align(Integer.toUnsignedLong(entries) * ACTIVE_LENGTH);
    }

    private static long maptrackBaseLong(final int entries, final int pages)
    {
        return frameBaseLong(entries) + align(Integer.toUnsignedLong(pages) * FRAME_LENGTH);
    }

    private static long align(final long length)
    {
        return (length + GrantTable.PAGE_SIZE - 1) & -GrantTable.PAGE_SIZE;
    }

    /**
     * Builds a maptrack target word.
     *
     * @param domid granting domain.
     * @param flags {@code MAPTRACK_*} flags.
     * @return {@code domid | flags << 16}.
     */
    public static int maptrackTarget(final int domid, final int flags)
    {
        return (domid & 0xFFFF) | (flags << 16);
    }

    /**
     * Whether domain sizes are in range (for validating a copy of a header another process wrote).
     *
     * @param pages    pages of memory.
     * @param entries  grant entries.
     * @param maptrack maptrack entries.
     * @return true if {@link #checkSizes} would accept them.
     */
    public static boolean sizesInRange(final int pages, final int entries, final int maptrack)
    {
        return pages >= 1 && pages <= MAX_PAGES &&
            entries > GrantTable.NR_RESERVED_ENTRIES && entries <= MAX_ENTRIES &&
            maptrack >= 1 && maptrack <= MAX_MAPTRACK;
    }

    /**
     * Checks domain sizes.
     *
     * @param pages    pages of memory.
     * @param entries  grant entries.
     * @param maptrack maptrack entries.
     */
    public static void checkSizes(final int pages, final int entries, final int maptrack)
    {
        if (pages < 1 || pages > MAX_PAGES)
        {
            throw new IllegalArgumentException("pages out of range: pages=" + pages + " min=1 max=" + MAX_PAGES);
        }
        if (entries <= GrantTable.NR_RESERVED_ENTRIES || entries > MAX_ENTRIES)
        {
            throw new IllegalArgumentException(
                "grant entries out of range: entries=" + entries + " min=" + (GrantTable.NR_RESERVED_ENTRIES + 1) +
                " max=" + MAX_ENTRIES);
        }
        if (maptrack < 1 || maptrack > MAX_MAPTRACK)
        {
            throw new IllegalArgumentException(
                "maptrack entries out of range: maptrack=" + maptrack + " min=1 max=" + MAX_MAPTRACK);
        }
    }
}
