/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Frames xs_wire messages out of a byte stream that arrives in arbitrary pieces (socket reads, ring chunks).
 * Pull style: {@link #decode(ByteBuffer)} consumes bytes until one message is complete and returns
 * {@link #MESSAGE}; the fields and payload stay readable until the next call. It never throws on peer bytes: a
 * header announcing more than {@link XsMessageDescriptor#PAYLOAD_MAX} payload bytes returns
 * {@link #PAYLOAD_TOO_LONG} and the decoder stays broken (C xenstored drops such a connection, ring error
 * {@code XENSTORE_ERROR_PROTO}). Holds at most one message (16 + 4096 bytes); allocates nothing after
 * construction. Not thread-safe.
 */
public final class XsFrameDecoder
{
    /** More bytes are needed; everything offered was consumed. */
    public static final int NEED_MORE = 0;
    /** One message is complete: read it with the accessors. */
    public static final int MESSAGE = 1;
    /** The header announced a payload above 4096 bytes; the stream cannot be resynchronised. */
    public static final int PAYLOAD_TOO_LONG = -1;

    private static final int IN_HEADER = 0;
    private static final int IN_PAYLOAD = 1;
    private static final int COMPLETE = 2;
    private static final int BROKEN = 3;

    private final byte[] headerBytes = new byte[XsMessageDescriptor.HEADER_LENGTH];
    private final UnsafeBuffer header = new UnsafeBuffer(headerBytes);
    private final byte[] payloadBytes = new byte[XsMessageDescriptor.PAYLOAD_MAX];
    private final UnsafeBuffer payload = new UnsafeBuffer(payloadBytes);
    private int state = IN_HEADER;
    private int headerUsed;
    private int payloadUsed;
    private int type;
    private int reqId;
    private int txId;
    private int length;
    private long rejectedLength;

    /**
     * Creates a decoder waiting for the first header byte.
     */
    public XsFrameDecoder()
    {
    }

    /**
     * Consumes bytes from {@code src} (from its position to its limit) until a message completes.
     *
     * @param src bytes from the peer; its position advances past what was consumed.
     * @return {@link #MESSAGE}, {@link #NEED_MORE} or {@link #PAYLOAD_TOO_LONG}.
     */
    public int decode(final ByteBuffer src)
    {
        if (BROKEN == state)
        {
            return PAYLOAD_TOO_LONG;
        }
        if (COMPLETE == state)
        {
            state = IN_HEADER;
            headerUsed = 0;
            payloadUsed = 0;
        }
        if (IN_HEADER == state)
        {
            final int n = Math.min(src.remaining(), XsMessageDescriptor.HEADER_LENGTH - headerUsed);
            src.get(headerBytes, headerUsed, n);
            headerUsed += n;
            if (headerUsed < XsMessageDescriptor.HEADER_LENGTH)
            {
                return NEED_MORE;
            }
            // Copy each header field once, then validate the copy.
            type = XsMessageDescriptor.type(header, 0);
            reqId = XsMessageDescriptor.reqId(header, 0);
            txId = XsMessageDescriptor.txId(header, 0);
            final long announced = XsMessageDescriptor.length(header, 0);
            if (announced > XsMessageDescriptor.PAYLOAD_MAX)
            {
                rejectedLength = announced;
                state = BROKEN;
                return PAYLOAD_TOO_LONG;
            }
            length = (int)announced;
            state = IN_PAYLOAD;
        }
        final int n = Math.min(src.remaining(), length - payloadUsed);
        src.get(payloadBytes, payloadUsed, n);
        payloadUsed += n;
        if (payloadUsed < length)
        {
            return NEED_MORE;
        }
        state = COMPLETE;
        return MESSAGE;
    }

    /**
     * Raw type of the last complete message (may be unknown: see {@link XsMessageType#fromCode(int)}).
     *
     * @return the type field.
     */
    public int type()
    {
        return type;
    }

    /**
     * Request id of the last complete message.
     *
     * @return the req_id field.
     */
    public int reqId()
    {
        return reqId;
    }

    /**
     * Transaction id of the last complete message.
     *
     * @return the tx_id field.
     */
    public int txId()
    {
        return txId;
    }

    /**
     * Payload length of the last complete message.
     *
     * @return 0..4096.
     */
    public int length()
    {
        return length;
    }

    /**
     * The payload of the last complete message: bytes {@code [0, length())}. Overwritten by the next message.
     *
     * @return a view on the decoder's payload array.
     */
    public DirectBuffer payload()
    {
        return payload;
    }

    /**
     * The payload array itself (bytes {@code [0, length())} are valid). Overwritten by the next message.
     *
     * @return the decoder's payload array.
     */
    public byte[] payloadArray()
    {
        return payloadBytes;
    }

    /**
     * Whether a too-long header was seen; the decoder then refuses further input.
     *
     * @return true once {@link #PAYLOAD_TOO_LONG} was returned.
     */
    public boolean isBroken()
    {
        return BROKEN == state;
    }

    /**
     * The announced payload length that broke the decoder.
     *
     * @return the unsigned {@code len} field, or 0 if not broken.
     */
    public long rejectedLength()
    {
        return rejectedLength;
    }

    /**
     * Whether part of a message has been consumed but not completed (a peer closing now left a partial message).
     *
     * @return true between the first byte of a message and its completion.
     */
    public boolean isMidMessage()
    {
        return (IN_HEADER == state && headerUsed > 0) || IN_PAYLOAD == state;
    }

    /**
     * Forgets any partial message and the broken state.
     */
    public void reset()
    {
        state = IN_HEADER;
        headerUsed = 0;
        payloadUsed = 0;
        length = 0;
        rejectedLength = 0;
    }
}
