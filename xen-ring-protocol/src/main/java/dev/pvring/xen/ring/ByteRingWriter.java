/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import dev.pvring.core.RingIndex;
import dev.pvring.core.internal.RawMemory;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The producing end of one direction of a Xen byte ring (see {@link ByteRingReader}). The writer owns
 * {@code prod}, kept privately and published after each write with release ordering; the peer owns
 * {@code cons}. A {@code cons} that claims more space than the ring has breaks the writer
 * ({@link RingFault#BYTE_RING_INDEX_OVERFLOW}).
 * <p>
 * When the mapping is a plain {@link UnsafeBuffer} (exactly that class) and the caller's buffer an
 * {@link UnsafeBuffer} or a read-only view of one (heap or off heap), {@link #write} checks the ring's extent and
 * the source range once per call and then accesses memory raw, with a base the JIT knows (see
 * {@code RawMemory}); other buffers go through their own accessors.
 */
public final class ByteRingWriter
{
    private final AtomicBuffer buffer;
    private final int dataOffset;
    private final int size;
    private final int consOffset;
    private final int prodOffset;
    private final int extent;
    private final boolean raw;
    private int prod;
    private RingFault fault = RingFault.NONE;

    /**
     * Attaches at the current shared {@code prod}.
     *
     * @param buffer     mapping.
     * @param dataOffset offset of the data array.
     * @param size       data bytes, a power of two.
     * @param consOffset offset of the peer's {@code cons} word.
     * @param prodOffset offset of this end's {@code prod} word.
     */
    public ByteRingWriter(
        final AtomicBuffer buffer, final int dataOffset, final int size, final int consOffset, final int prodOffset)
    {
        checkLayout(buffer, dataOffset, size, consOffset, prodOffset);
        this.buffer = buffer;
        this.dataOffset = dataOffset;
        this.size = size;
        this.consOffset = consOffset;
        this.prodOffset = prodOffset;
        this.extent = extent(dataOffset, size, consOffset, prodOffset);
        this.raw = RawMemory.isRawWritable(buffer);
        this.prod = buffer.getIntVolatile(prodOffset);
    }

    /** Bytes of the mapping the ring uses: its data array and both index words. */
    static int extent(final int dataOffset, final int size, final int consOffset, final int prodOffset)
    {
        return Math.max(dataOffset + size, Math.max(consOffset, prodOffset) + 4);
    }

    /** The mapping may be re-wrapped: a raw access first checks it still holds the ring (one load, once per call). */
    static void checkExtent(final AtomicBuffer buffer, final int extent)
    {
        if (buffer.capacity() < extent)
        {
            throw new IllegalStateException(
                "byte ring buffer shrank under the ring: capacity=" + buffer.capacity() + " extent=" + extent);
        }
    }

    static void checkLayout(
        final AtomicBuffer buffer, final int dataOffset, final int size, final int consOffset, final int prodOffset)
    {
        RingIndex.checkPowerOfTwo(size);
        if (dataOffset < 0 || (long)dataOffset + size > buffer.capacity() || (consOffset & 3) != 0 ||
            (prodOffset & 3) != 0 || consOffset < 0 || prodOffset < 0 || consOffset > buffer.capacity() - 4 ||
            prodOffset > buffer.capacity() - 4)
        {
            throw new IllegalArgumentException(
                "byte ring does not fit the buffer: dataOffset=" + dataOffset + " size=" + size + " consOffset=" +
                consOffset + " prodOffset=" + prodOffset + " capacity=" + buffer.capacity());
        }
    }

    /**
     * Free bytes now (reads {@code cons} once).
     *
     * @return free space, or {@link RingStatus#BROKEN}.
     */
    public int free()
    {
        if (fault != RingFault.NONE)
        {
            return RingStatus.BROKEN;
        }
        final int cons = buffer.getIntAcquire(consOffset);
        final int queued = prod - cons;
        if (Integer.compareUnsigned(queued, size) > 0)
        {
            fault = RingFault.BYTE_RING_INDEX_OVERFLOW;
            return RingStatus.BROKEN;
        }
        return size - queued;
    }

    /**
     * Copies up to {@code length} bytes from {@code src} (a partial write when the ring has less space), then
     * publishes the new {@code prod}. The caller notifies the peer when the result is positive.
     *
     * @param src       source.
     * @param srcOffset where in {@code src}.
     * @param length    bytes to write.
     * @return bytes written (0 when full) or {@link RingStatus#BROKEN}.
     */
    public int write(final DirectBuffer src, final int srcOffset, final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length must not be negative: length=" + length);
        }
        if (!raw || !RawMemory.isRawReadable(src))
        {
            return writeThroughAccessors(src, srcOffset, length);
        }
        if (fault != RingFault.NONE)
        {
            return RingStatus.BROKEN;
        }
        final AtomicBuffer buffer = this.buffer;
        checkExtent(buffer, extent);
        final byte[] array = buffer.byteArray();
        final long base = buffer.addressOffset();
        // Acquire on cons: the peer finished reading the bytes we are about to overwrite.
        final int cons = RawMemory.getIntAcquire(array, base + consOffset);
        final int p = prod;
        final int queued = p - cons;
        if (Integer.compareUnsigned(queued, size) > 0)
        {
            fault = RingFault.BYTE_RING_INDEX_OVERFLOW;
            return RingStatus.BROKEN;
        }
        final int n = Math.min(size - queued, length);
        if (n == 0)
        {
            return 0;
        }
        final int start = p & (size - 1);
        final int first = Math.min(n, size - start);
        final long data = base + dataOffset;
        copyIn(src, srcOffset, array, data + start, first);
        if (first < n)
        {
            copyIn(src, srcOffset + first, array, data, n - first);
        }
        prod = p + n;
        // Release (wmb + store): the peer sees the bytes before the new prod.
        RawMemory.putIntRelease(array, base + prodOffset, p + n);
        return n;
    }

    /** Copies {@code length} bytes of {@code src}, its range checked once, into the ring's data (unchecked). */
    private static void copyIn(
        final DirectBuffer src, final int srcOffset, final byte[] array, final long address, final int length)
    {
        RawMemory.checkRange(src, srcOffset, length);
        RawMemory.copyRuntimeLength(src.byteArray(), src.addressOffset() + srcOffset, array, address, length);
    }

    private int writeThroughAccessors(final DirectBuffer src, final int srcOffset, final int length)
    {
        // Acquire on cons: the peer finished reading the bytes we are about to overwrite.
        final int space = free();
        if (space <= 0)
        {
            return space;
        }
        final int n = Math.min(space, length);
        final int p = prod;
        final int start = p & (size - 1);
        final int first = Math.min(n, size - start);
        buffer.putBytes(dataOffset + start, src, srcOffset, first);
        if (first < n)
        {
            buffer.putBytes(dataOffset, src, srcOffset + first, n - first);
        }
        prod = p + n;
        // wmb + store: the peer sees the bytes before the new prod.
        buffer.putIntRelease(prodOffset, p + n);
        return n;
    }

    /**
     * This end's private {@code prod}.
     *
     * @return bytes produced, modulo 2^32.
     */
    public int prod()
    {
        return prod;
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
     * Why the writer stopped, or {@link RingFault#NONE}.
     *
     * @return the fault.
     */
    public RingFault fault()
    {
        return fault;
    }
}
