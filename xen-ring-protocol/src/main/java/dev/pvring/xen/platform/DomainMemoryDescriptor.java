/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

/**
 * Layout of a simulated domain's memory file {@code dom<d>.gen<g>.mem} ({@link SimSystem}): the domain's
 * "physical" memory, {@code pages} frames of {@link GrantTable#PAGE_SIZE} bytes, frame {@code f} at byte
 * offset {@code f * 4096}. No header: a frame's bytes are exactly what the domain wrote, which is what a
 * grant mapping (an {@code mmap} of the file at {@link #frameOffset(int)}) shows the peer.
 * <pre>
 *  0      +---------------- frame 0 (4096 B) ----------------+
 *  4096   +---------------- frame 1 (4096 B) ----------------+
 *  ...
 *  4096*f +---------------- frame f (4096 B) ----------------+
 * </pre>
 */
public final class DomainMemoryDescriptor
{
    /** Bytes per frame. */
    public static final int FRAME_LENGTH = GrantTable.PAGE_SIZE;

    private DomainMemoryDescriptor()
    {
    }

    /**
     * File offset of a frame.
     *
     * @param frame the frame.
     * @return {@code frame * 4096}.
     */
    public static long frameOffset(final int frame)
    {
        return (long)frame * FRAME_LENGTH;
    }

    /**
     * File length for a number of frames.
     *
     * @param pages frames.
     * @return bytes.
     */
    public static long fileLength(final int pages)
    {
        return (long)pages * FRAME_LENGTH;
    }
}
