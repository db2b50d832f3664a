/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

/**
 * Layout of a version-1 grant table entry, Xen's {@code struct grant_entry_v1} ({@code xen/grant_table.h}),
 * 8 bytes, little-endian:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |        flags (u16, GTF_*)     |   domid (u16, who may map)    |  0
 *  +-------------------------------+-------------------------------+
 *  |                    frame (u32, granted frame)                 |  4
 *  +---------------------------------------------------------------+
 * </pre>
 * {@code flags} and {@code domid} together form the little-endian 32-bit <em>header word</em> at offset 0
 * ({@code flags | domid << 16}); the simulated hypervisor and the granting domain change it only with
 * compare-and-set, which is what makes "end access fails while mapped" atomic (see {@link SimGrantProtocol}).
 */
public final class GrantEntryV1Descriptor
{
    /** Offset of {@code flags} (u16). */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of {@code domid} (u16). */
    public static final int DOMID_OFFSET = 2;
    /** Offset of the header word ({@code flags | domid << 16}, u32). */
    public static final int HEADER_OFFSET = 0;
    /** Offset of {@code frame} (u32). */
    public static final int FRAME_OFFSET = 4;
    /** {@code sizeof(struct grant_entry_v1)}. */
    public static final int LENGTH = 8;

    /** {@code GTF_invalid}: the entry grants nothing. */
    public static final int GTF_INVALID = 0;
    /** {@code GTF_permit_access}: the domain in {@code domid} may map or copy {@code frame}. */
    public static final int GTF_PERMIT_ACCESS = 1;
    /** {@code GTF_accept_transfer} (not supported by pvring). */
    public static final int GTF_ACCEPT_TRANSFER = 2;
    /** {@code GTF_transitive} (v2 only; not supported by pvring). */
    public static final int GTF_TRANSITIVE = 3;
    /** {@code GTF_type_mask}. */
    public static final int GTF_TYPE_MASK = 3;
    /** {@code GTF_readonly}: the grantee may only read. */
    public static final int GTF_READONLY = 1 << 2;
    /** {@code GTF_reading}: set by the hypervisor while the frame is mapped or copied from. */
    public static final int GTF_READING = 1 << 3;
    /** {@code GTF_writing}: set by the hypervisor while the frame is mapped writable or copied to. */
    public static final int GTF_WRITING = 1 << 4;

    private GrantEntryV1Descriptor()
    {
    }

    /**
     * Builds a header word.
     *
     * @param flags {@code GTF_*} bits.
     * @param domid the grantee.
     * @return {@code flags | domid << 16}.
     */
    public static int header(final int flags, final int domid)
    {
        return (flags & 0xFFFF) | (domid << 16);
    }

    /**
     * The flags of a header word.
     *
     * @param header a header word.
     * @return the {@code GTF_*} bits.
     */
    public static int flags(final int header)
    {
        return header & 0xFFFF;
    }

    /**
     * The grantee of a header word.
     *
     * @param header a header word.
     * @return the domid.
     */
    public static int domid(final int header)
    {
        return header >>> 16;
    }

    /**
     * Readable flags, e.g. {@code "permit,readonly,reading"}, for tools.
     *
     * @param flags {@code GTF_*} bits.
     * @return the text ({@code "invalid"} for 0).
     */
    public static String describeFlags(final int flags)
    {
        final StringBuilder text = new StringBuilder();
        switch (flags & GTF_TYPE_MASK)
        {
            case GTF_PERMIT_ACCESS -> text.append("permit");
            case GTF_ACCEPT_TRANSFER -> text.append("transfer");
            case GTF_TRANSITIVE -> text.append("transitive");
            default -> text.append("invalid");
        }
        if ((flags & GTF_READONLY) != 0)
        {
            text.append(",readonly");
        }
        if ((flags & GTF_READING) != 0)
        {
            text.append(",reading");
        }
        if ((flags & GTF_WRITING) != 0)
        {
            text.append(",writing");
        }
        return text.toString();
    }
}
