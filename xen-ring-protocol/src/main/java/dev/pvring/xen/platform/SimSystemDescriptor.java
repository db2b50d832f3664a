/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import dev.pvring.core.SharedMemory;

/**
 * Layout of the {@code system} file of a simulated Xen system ({@link SimSystem}): a header, then one
 * 128-byte slot per domid. A pvring-only layout (no C counterpart); all fields little-endian.
 * <pre>
 *  header (64 bytes)
 *   0 +---------------------------------------------------------------+
 *     |                 magic "PVRSIMS1" (u64)                        |
 *   8 +-------------------------------+-------------------------------+
 *     |          version (u32)        |       max domains (u32)       |
 *  16 +-------------------------------+-------------------------------+
 *     |  state (u32: 0 init, 1 ready) |       creator pid (u32)       |
 *  24 +-------------------------------+-------------------------------+
 *     |              created, ms since the epoch (u64)                |
 *  32 +---------------------------------------------------------------+
 *     |                       reserved (32)                           |
 *  64 +---------------------------------------------------------------+
 *  domain slot d at 64 + 128 * d
 *   0 +-------------------------------+-------------------------------+
 *     | state (u32: FREE/CREATING/    |  generation (u32, +1 on each  |
 *     |   ALIVE/DYING)                |  create of this domid)        |
 *   8 +-------------------------------+-------------------------------+
 *     |          pages (u32)          |     grant entries (u32)       |
 *  16 +-------------------------------+-------------------------------+
 *     |      event ports (u32)        |   maptrack entries (u32)      |
 *  24 +-------------------------------+-------------------------------+
 *     |       creator pid (u32)       |          reserved             |
 *  32 +-------------------------------+-------------------------------+
 *     |                 name (32 bytes, ASCII, NUL padded)            |
 *  64 +---------------------------------------------------------------+
 *     |                       reserved (64)                           |
 * 128 +---------------------------------------------------------------+
 * </pre>
 * A slot's state and generation are one little-endian u64 at offset 0 ({@code state | generation << 32}),
 * read with one acquire load, so a reader never pairs a state with the wrong generation. A domain's files are
 * {@code dom<domid>.gen<generation>.{mem,grant,evtchn}}, so a destroyed and re-created domid never reuses a
 * file another process may still map.
 */
public final class SimSystemDescriptor
{
    /** "PVRSIMS1" little-endian. */
    public static final long MAGIC = 0x31534D4953525650L;
    /** Layout version. */
    public static final int VERSION = 1;
    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the number of domain slots. */
    public static final int MAX_DOMAINS_OFFSET = 12;
    /** Offset of the system state. */
    public static final int STATE_OFFSET = 16;
    /** Offset of the creating process's pid. */
    public static final int CREATOR_PID_OFFSET = 20;
    /** Offset of the creation time. */
    public static final int CREATED_MILLIS_OFFSET = 24;
    /** Header bytes. */
    public static final int HEADER_LENGTH = 64;
    /** System state: being created. */
    public static final int SYSTEM_INITIALISING = 0;
    /** System state: usable. */
    public static final int SYSTEM_READY = 1;

    /** Bytes per domain slot. */
    public static final int SLOT_LENGTH = 128;
    /** Offset in a slot of the state (u32); with the generation the u64 state word. */
    public static final int SLOT_STATE_OFFSET = 0;
    /** Offset in a slot of the generation (u32). */
    public static final int SLOT_GENERATION_OFFSET = 4;
    /** Offset in a slot of the page count. */
    public static final int SLOT_PAGES_OFFSET = 8;
    /** Offset in a slot of the grant entry count. */
    public static final int SLOT_GRANT_ENTRIES_OFFSET = 12;
    /** Offset in a slot of the event port count. */
    public static final int SLOT_PORTS_OFFSET = 16;
    /** Offset in a slot of the maptrack entry count. */
    public static final int SLOT_MAPTRACK_OFFSET = 20;
    /** Offset in a slot of the creator pid. */
    public static final int SLOT_CREATOR_PID_OFFSET = 24;
    /** Offset in a slot of the name. */
    public static final int SLOT_NAME_OFFSET = 32;
    /** Bytes of the name field. */
    public static final int SLOT_NAME_LENGTH = 32;

    /** Slot state: no domain. */
    public static final int DOMAIN_FREE = 0;
    /** Slot state: dom0 is creating the domain's files. */
    public static final int DOMAIN_CREATING = 1;
    /** Slot state: the domain exists. */
    public static final int DOMAIN_ALIVE = 2;
    /** Slot state: the domain is being destroyed. */
    public static final int DOMAIN_DYING = 3;

    /** Most domain slots a system may have. */
    public static final int MAX_DOMAINS_LIMIT = 4096;

    private SimSystemDescriptor()
    {
    }

    /**
     * Offset of a domain's slot.
     *
     * @param domid the domain.
     * @return the slot offset.
     */
    public static int slotOffset(final int domid)
    {
        return HEADER_LENGTH + domid * SLOT_LENGTH;
    }

    /**
     * File length for a number of slots, rounded up to whole pages.
     *
     * @param maxDomains domain slots.
     * @return bytes.
     */
    public static int fileLength(final int maxDomains)
    {
        return pageAlign(HEADER_LENGTH + (long)maxDomains * SLOT_LENGTH);
    }

    /**
     * Checks a slot count.
     *
     * @param maxDomains requested slots.
     * @return {@code maxDomains}.
     */
    public static int checkMaxDomains(final int maxDomains)
    {
        if (maxDomains < 1 || maxDomains > MAX_DOMAINS_LIMIT)
        {
            throw new IllegalArgumentException(
                "max domains out of range: maxDomains=" + maxDomains + " min=1 max=" + MAX_DOMAINS_LIMIT);
        }
        return maxDomains;
    }

    /**
     * Builds a slot state word.
     *
     * @param state      {@code DOMAIN_*}.
     * @param generation the generation.
     * @return {@code state | generation << 32}.
     */
    public static long stateWord(final int state, final int generation)
    {
        return (state & 0xFFFF_FFFFL) | ((long)generation << 32);
    }

    /**
     * The state of a slot state word.
     *
     * @param word a state word.
     * @return {@code DOMAIN_*}.
     */
    public static int state(final long word)
    {
        return (int)word;
    }

    /**
     * The generation of a slot state word.
     *
     * @param word a state word.
     * @return the generation.
     */
    public static int generation(final long word)
    {
        return (int)(word >>> 32);
    }

    /**
     * Name of a slot state, for tools.
     *
     * @param state {@code DOMAIN_*}.
     * @return e.g. {@code "alive"}.
     */
    public static String describeState(final int state)
    {
        return switch (state)
        {
            case DOMAIN_FREE -> "free";
            case DOMAIN_CREATING -> "creating";
            case DOMAIN_ALIVE -> "alive";
            case DOMAIN_DYING -> "dying";
            default -> "unknown(" + state + ")";
        };
    }

    static int pageAlign(final long length)
    {
        final long aligned = (length + SharedMemory.PAGE_SIZE - 1) & -SharedMemory.PAGE_SIZE;
        if (aligned > SharedMemory.MAX_SIZE)
        {
            throw new IllegalArgumentException("layout too large: length=" + length + " max=" + SharedMemory.MAX_SIZE);
        }
        return (int)aligned;
    }
}
