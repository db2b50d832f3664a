/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static dev.pvring.shmstream.PipeElementDescriptor.END_FLAG;
import static dev.pvring.shmstream.PipeElementDescriptor.INTERRUPTED_FLAG;
import static dev.pvring.shmstream.PipeElementDescriptor.PAYLOAD_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Writes a byte stream into an SHMStream v2 channel as pipe elements ({@link PipeElementDescriptor}): every byte
 * arrives exactly as sent, zero bytes included, and the stream ends with an end element that carries its length.
 * <p>
 * Like every SHMStream writer it never blocks and cannot see its readers (the channel has no back channel and
 * readers map it read-only): it cannot know whether a reader fell behind and lost data. Each reader counts what it
 * lost ({@link ShmStreamPipeReader}); the writer can only report what it sent. Not thread safe.
 */
public final class ShmStreamPipeWriter
{
    private final ShmStreamWriter writer;
    private final AtomicBuffer region;
    private final int size;
    private final int capacity;
    private long position;
    private long elementsSent;
    private boolean ended;

    /**
     * Starts a stream on an initialized channel (one stream per epoch: initialize the writer again for the next).
     *
     * @param writer a writer whose channel was just initialized, with elements of at least
     *               {@link PipeElementDescriptor#MIN_ELEMENT_SIZE} bytes.
     */
    public ShmStreamPipeWriter(final ShmStreamWriter writer)
    {
        if (!writer.isActive() || writer.writeCount() != 0)
        {
            throw new IllegalStateException("a pipe starts on a freshly initialized channel: active=" +
                writer.isActive() + " wc=" + writer.writeCount());
        }
        this.writer = writer;
        this.region = writer.buffer();
        this.size = writer.elementSize();
        this.capacity = PipeElementDescriptor.payloadCapacity(size);
    }

    /**
     * Queues {@code length} bytes as one or more elements of at most {@link #payloadCapacity()} bytes each,
     * each published at once, without raising the event (see {@link #flush()}).
     *
     * @param src    bytes.
     * @param offset start in {@code src}.
     * @param length bytes, 0 or more (0 queues nothing).
     * @return elements queued.
     */
    public int queue(final DirectBuffer src, final int offset, final int length)
    {
        checkOpen();
        if (length < 0 || offset < 0 || offset > src.capacity() - length)
        {
            throw new IllegalArgumentException(
                "bytes out of range: offset=" + offset + " length=" + length + " capacity=" + src.capacity());
        }
        int done = 0;
        int count = 0;
        while (done < length)
        {
            final int n = Math.min(capacity, length - done);
            put(0, n, src, offset + done);
            done += n;
            count++;
        }
        return count;
    }

    /**
     * Ends the stream: queues the end element (the stream's length, no payload) and raises the event.
     */
    public void end()
    {
        finish(END_FLAG);
    }

    /**
     * Ends the stream as incomplete: the end element says the writer stopped before its input ended (e.g. it was
     * interrupted), so readers do not take what they received for the whole stream.
     */
    public void endInterrupted()
    {
        finish(END_FLAG | INTERRUPTED_FLAG);
    }

    private void finish(final int flags)
    {
        checkOpen();
        put(flags, 0, null, 0);
        ended = true;
        writer.flush();
    }

    /**
     * Raises the channel's event once if anything was queued since the last flush.
     *
     * @return true if the event was raised.
     */
    public boolean flush()
    {
        return writer.flush();
    }

    private void put(final int flags, final int length, final DirectBuffer src, final int srcOffset)
    {
        final int slot = writer.claim();
        PipeElementDescriptor.putHeader(region, slot, position, flags, length);
        if (length > 0)
        {
            region.putBytes(slot + PAYLOAD_OFFSET, src, srcOffset, length);
        }
        // The slot held an older element: clear the rest so the element is exactly header, payload, zeros.
        final int used = PAYLOAD_OFFSET + length;
        if (used < size)
        {
            region.setMemory(slot + used, size - used, (byte)0);
        }
        writer.commit();
        position += length;
        if ((flags & END_FLAG) == 0)
        {
            elementsSent++;
        }
    }

    private void checkOpen()
    {
        if (ended)
        {
            throw new IllegalStateException("the stream has ended: elementsSent=" + elementsSent +
                " bytesSent=" + position);
        }
    }

    /**
     * Payload bytes per element.
     *
     * @return element size - 12.
     */
    public int payloadCapacity()
    {
        return capacity;
    }

    /**
     * Data elements sent (the end element not included).
     *
     * @return elements.
     */
    public long elementsSent()
    {
        return elementsSent;
    }

    /**
     * Payload bytes sent: the stream position.
     *
     * @return bytes.
     */
    public long bytesSent()
    {
        return position;
    }

    /**
     * Whether the end element was written.
     *
     * @return true after {@link #end()} or {@link #endInterrupted()}.
     */
    public boolean hasEnded()
    {
        return ended;
    }

    /**
     * The channel writer underneath.
     *
     * @return the writer.
     */
    public ShmStreamWriter writer()
    {
        return writer;
    }
}
