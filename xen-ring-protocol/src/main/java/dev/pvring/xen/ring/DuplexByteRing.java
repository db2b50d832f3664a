/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One end of a two-way Xen byte ring page (console, xenstore): a {@link ByteRingReader} for the direction
 * this end consumes and a {@link ByteRingWriter} for the one it produces. These rings have no event index:
 * notify the peer after any call that moved bytes. Made by {@link ConsoleRing} and {@link XenstoreRing}.
 */
public final class DuplexByteRing
{
    private final ByteRingReader reader;
    private final ByteRingWriter writer;

    /**
     * Pairs the two directions of one end.
     *
     * @param reader the direction this end consumes.
     * @param writer the direction this end produces.
     */
    public DuplexByteRing(final ByteRingReader reader, final ByteRingWriter writer)
    {
        this.reader = reader;
        this.writer = writer;
    }

    /**
     * Reads what the peer wrote to this end (partial reads allowed).
     *
     * @param dst       destination.
     * @param dstOffset offset in {@code dst}.
     * @param length    most bytes.
     * @return bytes read, 0 when empty, or {@link RingStatus#BROKEN}.
     */
    public int read(final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        return reader.read(dst, dstOffset, length);
    }

    /**
     * Writes toward the peer (partial writes when the ring is short of space).
     *
     * @param src       source.
     * @param srcOffset offset in {@code src}.
     * @param length    bytes.
     * @return bytes written, 0 when full, or {@link RingStatus#BROKEN}.
     */
    public int write(final DirectBuffer src, final int srcOffset, final int length)
    {
        return writer.write(src, srcOffset, length);
    }

    /**
     * The reading direction.
     *
     * @return reader.
     */
    public ByteRingReader reader()
    {
        return reader;
    }

    /**
     * The writing direction.
     *
     * @return writer.
     */
    public ByteRingWriter writer()
    {
        return writer;
    }
}
