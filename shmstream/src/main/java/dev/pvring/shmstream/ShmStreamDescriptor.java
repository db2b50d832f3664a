/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import dev.pvring.core.internal.RawMemory;
import java.nio.ByteOrder;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Layout of a Muen SHMStream v2 channel ("muchannel"): a 64-byte header of eight little-endian u64 fields,
 * then {@code Elements} packets of {@code Size} bytes each, with no padding.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Transport (u64, 0x487312B6B79A9B6D marker)         |  0
 *  +---------------------------------------------------------------+
 *  |            Epoch (u64, 0 = inactive, written last)            |  8
 *  +---------------------------------------------------------------+
 *  |            Protocol (u64, non-zero payload format id)         | 16
 *  +---------------------------------------------------------------+
 *  |            Size (u64, bytes per element)                      | 24
 *  +---------------------------------------------------------------+
 *  |            Elements (u64, slots in the ring)                  | 32
 *  +---------------------------------------------------------------+
 *  |            Reserved (u64, zero)                               | 40
 *  +---------------------------------------------------------------+
 *  |            WSC (u64, write start counter)                     | 48
 *  +---------------------------------------------------------------+
 *  |            WC (u64, write counter)                            | 56
 *  +---------------------------------------------------------------+
 *  |            element 0 (Size bytes), element 1, ...             | 64
 *  |            element i at 64 + (i mod Elements) * Size          |
 *  +---------------------------------------------------------------+
 * </pre>
 * Each header field is two 32-bit rows in the diagram. C equivalent (Solo5/Linux {@code muen/channel.h}):
 * {@code struct muchannel_header { u64 transport, epoch, protocol, size, elements, reserved, wsc, wc; }
 * __attribute__((packed, aligned(8)))}, followed by {@code char data[]}; Ada {@code Muchannel.Header_Type}.
 * The SHMStream v2 document lists Reserved at offset 32; the Ada record clause and the C structs use 40.
 * <p>
 * Fields are accessed in the machine byte order, which on every platform pvring runs on (x86-64, aarch64) is
 * little-endian, as Muen requires. Epoch, WSC and WC are accessed only with single-copy-atomic aligned 64-bit
 * loads and stores; the accessors here carry their memory ordering in the name. Every header value is a
 * <em>u64</em> the peer controls: compare them with {@link Long#compareUnsigned(long, long)}.
 */
public final class ShmStreamDescriptor
{
    /** Offset of the Transport marker. */
    public static final int TRANSPORT_OFFSET = 0;
    /** Offset of the Epoch. */
    public static final int EPOCH_OFFSET = 8;
    /** Offset of the Protocol id. */
    public static final int PROTOCOL_OFFSET = 16;
    /** Offset of the element Size in bytes. */
    public static final int SIZE_OFFSET = 24;
    /** Offset of the number of Elements. */
    public static final int ELEMENTS_OFFSET = 32;
    /** Offset of the Reserved field (zero, ignored). */
    public static final int RESERVED_OFFSET = 40;
    /** Offset of the Write Start Counter. */
    public static final int WSC_OFFSET = 48;
    /** Offset of the Write Counter. */
    public static final int WC_OFFSET = 56;
    /** Length of every header field. */
    public static final int FIELD_LENGTH = 8;
    /** Length of the header. */
    public static final int HEADER_LENGTH = 64;
    /** Offset of element 0. */
    public static final int DATA_OFFSET = HEADER_LENGTH;
    /** Required alignment of the channel start (the header fields are naturally aligned u64). */
    public static final int ALIGNMENT = 8;

    /** The Transport marker: base64 "SHMStream20=" read as a big-endian number; LE bytes 6D 9B 9A B7 B6 12 73 48. */
    public static final long TRANSPORT_MARKER = 0x4873_12B6_B79A_9B6DL;
    /** The Epoch of an inactive channel ({@code Null_Epoch}). */
    public static final long NULL_EPOCH = 0;

    private ShmStreamDescriptor()
    {
    }

    /**
     * The number of elements every known writer puts in a region: {@code floor((regionSize - 64) / elementSize)}.
     *
     * @param regionSize  bytes of the channel region, header included.
     * @param elementSize bytes per element, positive.
     * @return elements, at least 1.
     * @throws IllegalArgumentException if the element size is not positive or not even one element fits.
     */
    public static int elementsFor(final long regionSize, final int elementSize)
    {
        if (elementSize < 1)
        {
            throw new IllegalArgumentException("element size must be positive: elementSize=" + elementSize);
        }
        final long elements = (regionSize - HEADER_LENGTH) / elementSize;
        if (regionSize < HEADER_LENGTH || elements < 1)
        {
            throw new IllegalArgumentException(
                "region too small for one element: regionSize=" + regionSize + " elementSize=" + elementSize +
                " headerLength=" + HEADER_LENGTH);
        }
        if (elements > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(
                "region too large: regionSize=" + regionSize + " elementSize=" + elementSize);
        }
        return (int)elements;
    }

    /**
     * Whether a header's dimensions describe elements that lie wholly inside a region, without overflow:
     * {@code 1 <= size <= maxElementSize}, {@code elements >= 1} and {@code 64 + size * elements <= regionSize},
     * all values taken as unsigned u64.
     *
     * @param size           Size as read from the header (u64).
     * @param elements       Elements as read from the header (u64).
     * @param maxElementSize the largest element the reader accepts.
     * @param regionSize     bytes of the region the reader mapped.
     * @return true if reading element {@code i mod elements} stays inside the region.
     */
    public static boolean isValidGeometry(
        final long size, final long elements, final int maxElementSize, final int regionSize)
    {
        if (size < 1 || Long.compareUnsigned(size, maxElementSize) > 0 || elements == 0 || regionSize < HEADER_LENGTH)
        {
            return false;
        }
        // No multiplication: size is now in [1, maxElementSize], so the quotient is exact and cannot overflow.
        final long capacity = (regionSize - HEADER_LENGTH) / size;
        return Long.compareUnsigned(elements, capacity) <= 0;
    }

    /**
     * Offset of the slot that holds the element with counter value {@code index}.
     *
     * @param index    element counter (u64).
     * @param elements slots in the ring, validated.
     * @param size     element size, validated.
     * @return the byte offset in the region.
     */
    public static int elementOffset(final long index, final long elements, final int size)
    {
        return DATA_OFFSET + (int)Long.remainderUnsigned(index, elements) * size;
    }

    /**
     * Checks that a buffer can hold a channel: aligned for atomic u64 access, at least a header long, and on a
     * little-endian machine.
     *
     * @param buffer the channel region.
     * @return the region size.
     */
    public static int checkRegion(final AtomicBuffer buffer)
    {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN)
        {
            throw new IllegalStateException(
                "SHMStream header fields are little-endian machine words: nativeOrder=" + ByteOrder.nativeOrder());
        }
        buffer.verifyAlignment();
        if (buffer.capacity() < HEADER_LENGTH)
        {
            throw new IllegalArgumentException(
                "region smaller than the header: capacity=" + buffer.capacity() + " headerLength=" + HEADER_LENGTH);
        }
        return buffer.capacity();
    }

    /**
     * Loads the Transport marker (single-copy atomic, no ordering).
     *
     * @param buffer channel region.
     * @return the marker field.
     */
    public static long transportOpaque(final AtomicBuffer buffer)
    {
        return buffer.getLongOpaque(TRANSPORT_OFFSET);
    }

    /**
     * Loads the Epoch with acquire ordering: header fields the writer stored before this epoch are visible.
     *
     * @param buffer channel region.
     * @return the epoch.
     */
    public static long epochAcquire(final AtomicBuffer buffer)
    {
        return buffer.getLongAcquire(EPOCH_OFFSET);
    }

    /**
     * Loads the Epoch (single-copy atomic, no ordering: put a fence before it).
     *
     * @param buffer channel region.
     * @return the epoch.
     */
    public static long epochOpaque(final AtomicBuffer buffer)
    {
        return buffer.getLongOpaque(EPOCH_OFFSET);
    }

    /**
     * Stores the Epoch with release ordering: every header field stored before is visible to a reader that
     * sees this epoch.
     *
     * @param buffer channel region.
     * @param epoch  the epoch.
     */
    public static void epochRelease(final AtomicBuffer buffer, final long epoch)
    {
        buffer.putLongRelease(EPOCH_OFFSET, epoch);
    }

    /**
     * Loads the Protocol (single-copy atomic, no ordering).
     *
     * @param buffer channel region.
     * @return the protocol id.
     */
    public static long protocolOpaque(final AtomicBuffer buffer)
    {
        return buffer.getLongOpaque(PROTOCOL_OFFSET);
    }

    /**
     * Loads the Size (single-copy atomic, no ordering).
     *
     * @param buffer channel region.
     * @return the element size (u64, unvalidated).
     */
    public static long sizeOpaque(final AtomicBuffer buffer)
    {
        return buffer.getLongOpaque(SIZE_OFFSET);
    }

    /**
     * Loads the Elements (single-copy atomic, no ordering).
     *
     * @param buffer channel region.
     * @return the element count (u64, unvalidated).
     */
    public static long elementsOpaque(final AtomicBuffer buffer)
    {
        return buffer.getLongOpaque(ELEMENTS_OFFSET);
    }

    /**
     * Loads the Write Start Counter (single-copy atomic, no ordering: put an acquire fence before it).
     *
     * @param buffer channel region.
     * @return WSC.
     */
    public static long wscOpaque(final AtomicBuffer buffer)
    {
        return buffer.getLongOpaque(WSC_OFFSET);
    }

    /**
     * Loads the Write Counter with acquire ordering: elements below it are completely visible.
     *
     * @param buffer channel region.
     * @return WC.
     */
    public static long wcAcquire(final AtomicBuffer buffer)
    {
        return buffer.getLongAcquire(WC_OFFSET);
    }

    /**
     * Stores the Write Counter with release ordering: the element data stored before is visible to a reader
     * that sees this counter.
     *
     * @param buffer channel region.
     * @param wc     the new WC.
     */
    public static void wcRelease(final AtomicBuffer buffer, final long wc)
    {
        buffer.putLongRelease(WC_OFFSET, wc);
    }

    /**
     * Raw (unchecked) Epoch load with acquire ordering, for the reader's hot path.
     *
     * @param array region array, or null for native memory.
     * @param base  region offset in the array, or native address; the caller checked the region's capacity.
     * @return the epoch.
     */
    static long epochAcquire(final byte[] array, final long base)
    {
        return RawMemory.getLongAcquire(array, base + EPOCH_OFFSET);
    }

    /**
     * Raw (unchecked) Epoch load, single-copy atomic, no ordering (put a fence before it).
     *
     * @param array region array, or null for native memory.
     * @param base  region offset in the array, or native address; the caller checked the region's capacity.
     * @return the epoch.
     */
    static long epochOpaque(final byte[] array, final long base)
    {
        return RawMemory.getLongOpaque(array, base + EPOCH_OFFSET);
    }

    /**
     * Raw (unchecked) WSC load, single-copy atomic, no ordering (put an acquire fence before it).
     *
     * @param array region array, or null for native memory.
     * @param base  region offset in the array, or native address; the caller checked the region's capacity.
     * @return WSC.
     */
    static long wscOpaque(final byte[] array, final long base)
    {
        return RawMemory.getLongOpaque(array, base + WSC_OFFSET);
    }

    /**
     * Raw (unchecked) WSC store, single-copy atomic, no ordering (put a release fence after it).
     *
     * @param array region array, or null for native memory.
     * @param base  region offset in the array, or native address; the caller checked the region's capacity.
     * @param wsc   the new WSC.
     */
    static void wscPutOpaque(final byte[] array, final long base, final long wsc)
    {
        RawMemory.putLongOpaque(array, base + WSC_OFFSET, wsc);
    }

    /**
     * Raw (unchecked) WC load with acquire ordering: the data of every element below it is visible.
     *
     * @param array region array, or null for native memory.
     * @param base  region offset in the array, or native address; the caller checked the region's capacity.
     * @return WC.
     */
    static long wcAcquire(final byte[] array, final long base)
    {
        return RawMemory.getLongAcquire(array, base + WC_OFFSET);
    }

    /**
     * Raw (unchecked) WC store with release ordering: the element data stored before is visible to a reader that
     * sees it.
     *
     * @param array region array, or null for native memory.
     * @param base  region offset in the array, or native address; the caller checked the region's capacity.
     * @param wc    the new WC.
     */
    static void wcRelease(final byte[] array, final long base, final long wc)
    {
        RawMemory.putLongRelease(array, base + WC_OFFSET, wc);
    }

    /**
     * Checks, once per call of a raw hot path, that the region buffer still has the capacity the channel was
     * attached with (an {@code UnsafeBuffer} can be re-wrapped).
     *
     * @param buffer     channel region.
     * @param regionSize capacity at attach.
     */
    static void checkCapacity(final AtomicBuffer buffer, final int regionSize)
    {
        if (buffer.capacity() < regionSize)
        {
            throw new IllegalStateException(
                "channel buffer shrank: capacity=" + buffer.capacity() + " regionSize=" + regionSize);
        }
    }
}
