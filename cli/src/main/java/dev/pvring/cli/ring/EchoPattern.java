/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.ring;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The payload the ring load tools exchange, shared with the C peer {@code ring_peer.c}: request {@code i}
 * carries {@code i} as a little-endian u64 at offset 0 and byte {@code (i * 31 + j)} at every offset
 * {@code j >= 8}; its response carries the request's bytes cut or zero-padded to the response size.
 */
final class EchoPattern
{
    private EchoPattern()
    {
    }

    static void fillRequest(final MutableDirectBuffer buffer, final int offset, final int size, final long sequence)
    {
        for (int j = 0; j < size; j++)
        {
            buffer.putByte(offset + j, requestByte(sequence, j));
        }
    }

    static byte requestByte(final long sequence, final int j)
    {
        return j < 8 ? (byte)(sequence >>> (8 * j)) : (byte)(sequence * 31 + j);
    }

    /**
     * Checks a response.
     *
     * @return -1 if it is the expected echo, else the first differing byte offset.
     */
    static int checkResponse(
        final DirectBuffer buffer, final int offset, final int responseSize, final int requestSize, final long sequence)
    {
        if (responseSize >= 8 && requestSize >= 8 && buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) != sequence)
        {
            return 0;
        }
        for (int j = 0; j < responseSize; j++)
        {
            final byte expected = j < requestSize ? requestByte(sequence, j) : 0;
            if (buffer.getByte(offset + j) != expected)
            {
                return j;
            }
        }
        return -1;
    }
}
