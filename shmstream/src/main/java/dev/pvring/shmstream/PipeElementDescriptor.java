/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Layout of one element of a pvring <em>pipe</em>: a byte stream carried losslessly (or with its loss counted)
 * inside the elements of an ordinary SHMStream v2 channel. The channel header and the element slots are untouched
 * Muen SHMStream v2; only the bytes inside each element follow this framing, which both pvring ends agree on
 * (a foreign reader or writer uses raw elements instead).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Position (u64 LE): stream offset of the first payload     |  0
 *  |     byte = payload bytes sent before this element             |
 *  +-+-+-----------------------------------------------------------+
 *  |E|I|             Length (30 bits): payload bytes               |  8
 *  +-+-+-----------------------------------------------------------+
 *  |     Payload (Length bytes), then zero padding to Size         | 12
 *  +---------------------------------------------------------------+
 *   E (bit 31 of the u32 LE word at 8): end of stream; Length is 0 and Position is the stream's total length.
 *   I (bit 30): with E, the writer was stopped before its input ended (the stream is incomplete).
 * </pre>
 * C equivalent: {@code struct pvring_pipe_element { uint64_t position; uint32_t word; uint8_t payload[]; }
 * __attribute__((packed))}, {@code Size} bytes in all.
 * <p>
 * Why this is enough: the length says where the payload ends, so trailing zero bytes survive; the position lets a
 * reader that was lapped count the bytes it lost exactly ({@code position - bytes expected}), and check that no
 * element was lost without an overrun; the end element tells it the stream is over and how long it was, so
 * {@code elements lost = end element index - elements delivered} and {@code bytes lost = total - bytes delivered}.
 * A reader validates its private copy of each element: a length beyond the payload capacity, an end element with
 * a payload, the I flag without E, or a position that differs from the bytes expected without an overrun in
 * between is a malformed element (the writer does not frame its elements: read it raw).
 */
public final class PipeElementDescriptor
{
    /** Offset of the u64 stream position. */
    public static final int POSITION_OFFSET = 0;
    /** Offset of the u32 word holding the flags and the payload length. */
    public static final int WORD_OFFSET = 8;
    /** Offset of the payload. */
    public static final int PAYLOAD_OFFSET = 12;
    /** Bytes of framing per element. */
    public static final int HEADER_LENGTH = PAYLOAD_OFFSET;
    /** Smallest element size that carries a payload byte. */
    public static final int MIN_ELEMENT_SIZE = HEADER_LENGTH + 1;
    /** Flag: end of stream. */
    public static final int END_FLAG = 0x8000_0000;
    /** Flag (with {@link #END_FLAG}): the writer stopped before its input ended. */
    public static final int INTERRUPTED_FLAG = 0x4000_0000;
    /** Mask of the payload length in the word. */
    public static final int LENGTH_MASK = 0x3FFF_FFFF;

    private PipeElementDescriptor()
    {
    }

    /**
     * Payload bytes one element carries.
     *
     * @param elementSize bytes per element, at least {@link #MIN_ELEMENT_SIZE}.
     * @return {@code elementSize - 12}.
     * @throws IllegalArgumentException if the element is too small or too large for the 30-bit length.
     */
    public static int payloadCapacity(final int elementSize)
    {
        if (elementSize < MIN_ELEMENT_SIZE || elementSize - HEADER_LENGTH > LENGTH_MASK)
        {
            throw new IllegalArgumentException("element size must be " + MIN_ELEMENT_SIZE + " to " +
                (LENGTH_MASK + HEADER_LENGTH) + " bytes for pipe framing: elementSize=" + elementSize);
        }
        return elementSize - HEADER_LENGTH;
    }

    /**
     * Writes an element header.
     *
     * @param element  the element (a slot or a private copy).
     * @param offset   offset of the element in {@code element}.
     * @param position stream position of the first payload byte.
     * @param flags    {@code 0}, {@link #END_FLAG} or {@code END_FLAG | INTERRUPTED_FLAG}.
     * @param length   payload bytes.
     */
    public static void putHeader(
        final MutableDirectBuffer element, final int offset, final long position, final int flags, final int length)
    {
        element.putLong(offset + POSITION_OFFSET, position, LITTLE_ENDIAN);
        element.putInt(offset + WORD_OFFSET, flags | length, LITTLE_ENDIAN);
    }

    /**
     * The stream position of an element.
     *
     * @param element a private copy of the element.
     * @param offset  offset of the element.
     * @return the position (u64).
     */
    public static long position(final DirectBuffer element, final int offset)
    {
        return element.getLong(offset + POSITION_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * The flags and length word of an element.
     *
     * @param element a private copy of the element.
     * @param offset  offset of the element.
     * @return the word; {@code word & LENGTH_MASK} is the length.
     */
    public static int word(final DirectBuffer element, final int offset)
    {
        return element.getInt(offset + WORD_OFFSET, LITTLE_ENDIAN);
    }
}
