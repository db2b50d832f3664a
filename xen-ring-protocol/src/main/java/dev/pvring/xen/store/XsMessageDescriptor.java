/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Layout of one xs_wire message header, C {@code struct xsd_sockmsg} from {@code xen/io/xs_wire.h}: four
 * little-endian u32 fields, followed by {@code len} payload bytes. The same framing is used over the xenstored
 * unix socket, over {@code /dev/xen/xenbus} and over the xenstore ring page.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 type (XS_*, u32)                              |  0
 *  +---------------------------------------------------------------+
 *  |                 req_id (u32, echoed in the reply)             |  4
 *  +---------------------------------------------------------------+
 *  |                 tx_id (u32, 0 = no transaction)               |  8
 *  +---------------------------------------------------------------+
 *  |                 len (u32, payload bytes, at most 4096)        | 12
 *  +---------------------------------------------------------------+
 *  |                 payload (len bytes) ...                       | 16
 * </pre>
 * Limits from the same header: {@code XENSTORE_PAYLOAD_MAX} 4096, {@code XENSTORE_ABS_PATH_MAX} 3072 and
 * {@code XENSTORE_REL_PATH_MAX} 2048.
 */
public final class XsMessageDescriptor
{
    /** Byte order of every field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Offset of {@code type}. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of {@code req_id}. */
    public static final int REQ_ID_OFFSET = 4;
    /** Offset of {@code tx_id}. */
    public static final int TX_ID_OFFSET = 8;
    /** Offset of {@code len}. */
    public static final int LEN_OFFSET = 12;
    /** Header bytes ({@code sizeof(struct xsd_sockmsg)}). */
    public static final int HEADER_LENGTH = 16;
    /** {@code XENSTORE_PAYLOAD_MAX}: largest payload in either direction. */
    public static final int PAYLOAD_MAX = 4096;
    /** Largest whole message: header plus the largest payload. */
    public static final int MESSAGE_MAX = HEADER_LENGTH + PAYLOAD_MAX;
    /** {@code XENSTORE_ABS_PATH_MAX}: longest absolute path. */
    public static final int ABS_PATH_MAX = 3072;
    /** {@code XENSTORE_REL_PATH_MAX}: longest path below {@code /local/domain/<domid>/}. */
    public static final int REL_PATH_MAX = 2048;
    /** {@code XS_INVALID}: a type value guaranteed never to be valid. */
    public static final int TYPE_INVALID = 0xffff;

    private XsMessageDescriptor()
    {
    }

    /**
     * Reads {@code type}.
     *
     * @param buffer header bytes.
     * @param offset header start.
     * @return the raw type.
     */
    public static int type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + TYPE_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads {@code req_id}.
     *
     * @param buffer header bytes.
     * @param offset header start.
     * @return the request id.
     */
    public static int reqId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + REQ_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads {@code tx_id}.
     *
     * @param buffer header bytes.
     * @param offset header start.
     * @return the transaction id.
     */
    public static int txId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + TX_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads {@code len} as an unsigned value.
     *
     * @param buffer header bytes.
     * @param offset header start.
     * @return the payload length, 0 to 2^32-1.
     */
    public static long length(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + LEN_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
    }

    /**
     * Writes a whole header.
     *
     * @param buffer destination.
     * @param offset header start.
     * @param type   message type.
     * @param reqId  request id.
     * @param txId   transaction id.
     * @param length payload length.
     */
    public static void putHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final int reqId,
        final int txId,
        final int length)
    {
        buffer.putInt(offset + TYPE_OFFSET, type, BYTE_ORDER);
        buffer.putInt(offset + REQ_ID_OFFSET, reqId, BYTE_ORDER);
        buffer.putInt(offset + TX_ID_OFFSET, txId, BYTE_ORDER);
        buffer.putInt(offset + LEN_OFFSET, length, BYTE_ORDER);
    }

    /**
     * Checks a payload length before sending it.
     *
     * @param length payload bytes.
     * @return {@code length}.
     * @throws IllegalArgumentException if it is negative or above {@link #PAYLOAD_MAX}.
     */
    public static int checkPayloadLength(final int length)
    {
        if (length < 0 || length > PAYLOAD_MAX)
        {
            throw new IllegalArgumentException("xs_wire payload must be 0..4096 bytes: length=" + length);
        }
        return length;
    }
}
