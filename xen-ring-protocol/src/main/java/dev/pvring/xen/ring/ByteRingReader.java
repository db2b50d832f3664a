/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import dev.pvring.core.internal.RawMemory;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The consuming end of one direction of a Xen byte ring (console {@code in}/{@code out}, xenstore
 * {@code req}/{@code rsp}): free-running u32 {@code cons}/{@code prod} byte counters, data masked into a
 * power-of-two array. The reader owns {@code cons} (kept privately, published after each read); the peer
 * owns {@code prod}.
 * <p>
 * A {@code prod} more than the ring size ahead of {@code cons} (hostile or corrupt peer, Linux hvc_xen's
 * "Illegal ring page indices") breaks the reader ({@link RingFault#BYTE_RING_INDEX_OVERFLOW}); reads then
 * return {@link RingStatus#BROKEN}. Nothing is thrown on peer data.
 * <p>
 * When the mapping and the caller's buffer are plain {@link UnsafeBuffer}s (exactly that class, heap or off heap),
 * {@link #read} checks the ring's extent and the destination range once per call and then accesses memory raw,
 * with a base the JIT knows (see {@code RawMemory}); other buffers (subclasses such as a read-only view, test
 * doubles) go through their own accessors.
 */
public final class ByteRingReader
{
    private final AtomicBuffer buffer;
    private final int dataOffset;
    private final int size;
    private final int consOffset;
    private final int prodOffset;
    private final int extent;
    private final boolean raw;
    private int cons;
    private RingFault fault = RingFault.NONE;

    /**
     * Attaches at the current shared {@code cons}.
     *
     * @param buffer     mapping.
     * @param dataOffset offset of the data array.
     * @param size       data bytes, a power of two.
     * @param consOffset offset of this end's {@code cons} word.
     * @param prodOffset offset of the peer's {@code prod} word.
     */
    public ByteRingReader(
        final AtomicBuffer buffer, final int dataOffset, final int size, final int consOffset, final int prodOffset)
    {
        ByteRingWriter.checkLayout(buffer, dataOffset, size, consOffset, prodOffset);
        this.buffer = buffer;
        this.dataOffset = dataOffset;
        this.size = size;
        this.consOffset = consOffset;
        this.prodOffset = prodOffset;
        this.extent = ByteRingWriter.extent(dataOffset, size, consOffset, prodOffset);
        this.raw = RawMemory.isRawWritable(buffer);
        this.cons = buffer.getIntVolatile(consOffset);
    }

    /**
     * Bytes ready to read now (reads {@code prod} once).
     *
     * @return available bytes, or {@link RingStatus#BROKEN}.
     */
    public int available()
    {
        if (fault != RingFault.NONE)
        {
            return RingStatus.BROKEN;
        }
        final int prod = buffer.getIntAcquire(prodOffset);
        final int queued = prod - cons;
        if (Integer.compareUnsigned(queued, size) > 0)
        {
            fault = RingFault.BYTE_RING_INDEX_OVERFLOW;
            return RingStatus.BROKEN;
        }
        return queued;
    }

    /**
     * Copies up to {@code length} bytes into {@code dst} (a partial read when less is available), then
     * publishes the new {@code cons}. The caller notifies the peer when the result is positive.
     *
     * @param dst       destination.
     * @param dstOffset where in {@code dst}.
     * @param length    most bytes to read.
     * @return bytes read (0 when empty) or {@link RingStatus#BROKEN}.
     */
    public int read(final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length must not be negative: length=" + length);
        }
        if (!raw || !RawMemory.isRawWritable(dst))
        {
            return readThroughAccessors(dst, dstOffset, length);
        }
        if (fault != RingFault.NONE)
        {
            return RingStatus.BROKEN;
        }
        final AtomicBuffer buffer = this.buffer;
        ByteRingWriter.checkExtent(buffer, extent);
        final byte[] array = buffer.byteArray();
        final long base = buffer.addressOffset();
        // Acquire: the data the peer wrote before prod is visible to the copy below. prod is read once.
        final int prod = RawMemory.getIntAcquire(array, base + prodOffset);
        final int c = cons;
        final int queued = prod - c;
        if (Integer.compareUnsigned(queued, size) > 0)
        {
            fault = RingFault.BYTE_RING_INDEX_OVERFLOW;
            return RingStatus.BROKEN;
        }
        final int n = Math.min(queued, length);
        if (n == 0)
        {
            return 0;
        }
        final int start = c & (size - 1);
        final int first = Math.min(n, size - start);
        final long data = base + dataOffset;
        copyOut(array, data + start, dst, dstOffset, first);
        if (first < n)
        {
            copyOut(array, data, dst, dstOffset + first, n - first);
        }
        cons = c + n;
        // Release: our reads of the data complete before the peer sees the space as free (mb before cons).
        RawMemory.putIntRelease(array, base + consOffset, c + n);
        return n;
    }

    /** Copies {@code length} bytes of the ring's data (unchecked) into {@code dst}, its range checked once. */
    private static void copyOut(
        final byte[] array, final long address, final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        RawMemory.checkRange(dst, dstOffset, length);
        RawMemory.copyRuntimeLength(array, address, dst.byteArray(), dst.addressOffset() + dstOffset, length);
    }

    private int readThroughAccessors(final MutableDirectBuffer dst, final int dstOffset, final int length)
    {
        final int queued = available(); // acquire: data written before prod is visible below
        if (queued <= 0)
        {
            return queued;
        }
        final int n = Math.min(queued, length);
        final int c = cons;
        final int start = c & (size - 1);
        final int first = Math.min(n, size - start);
        buffer.getBytes(dataOffset + start, dst, dstOffset, first);
        if (first < n)
        {
            buffer.getBytes(dataOffset, dst, dstOffset + first, n - first);
        }
        cons = c + n;
        // Release: our reads of the data complete before the peer sees the space as free (mb before cons).
        buffer.putIntRelease(consOffset, c + n);
        return n;
    }

    /**
     * This end's private {@code cons}.
     *
     * @return bytes consumed, modulo 2^32.
     */
    public int cons()
    {
        return cons;
    }

    /**
     * Data bytes of this direction.
     *
     * @return ring size.
     */
    public int size()
    {
        return size;
    }

    /**
     * Why the reader stopped, or {@link RingFault#NONE}.
     *
     * @return the fault.
     */
    public RingFault fault()
    {
        return fault;
    }
}
