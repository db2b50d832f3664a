/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import java.nio.ByteOrder;

import dev.pvring.core.Notifier;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A muen-net Ethernet link: two SHMStream channels, one per direction, carrying {@link NetMessageDescriptor}
 * elements (as Solo5 muen-net's {@code "<name>|out"} and {@code "<name>|in"} and Linux muennet). Sending never
 * blocks and may lose frames when the peer falls behind, exactly as the protocol is designed; the receive side
 * reports losses as overruns.
 * <p>
 * A received element's length comes from the reader's private copy and is checked against the element, so a
 * hostile peer's length field can never make {@link #receive} hand out more than the element holds. Not thread
 * safe: one thread sends, and the same or one other thread receives.
 */
public final class MuenNetLink
{
    private final ShmStreamWriter writer;
    private final ShmStreamReader reader;
    private int frameLength;
    private long framesSent;
    private long framesReceived;
    private long malformedFrames;

    /**
     * @param out     the outgoing channel region, writable (this side initializes it).
     * @param outEvent doorbell rung on {@link #flush()}, or {@code null} when the peer polls.
     * @param in      the incoming channel region, read-only is enough.
     */
    public MuenNetLink(final AtomicBuffer out, final Notifier outEvent, final AtomicBuffer in)
    {
        this.writer = new ShmStreamWriter(out, outEvent);
        this.reader = new ShmStreamReader(in, NetMessageDescriptor.PROTOCOL, NetMessageDescriptor.ELEMENT_LENGTH);
    }

    /**
     * Initializes the outgoing channel with a fresh epoch (1516-byte elements, muen-net protocol).
     *
     * @return the epoch.
     */
    public long start()
    {
        return writer.initialize(NetMessageDescriptor.PROTOCOL, NetMessageDescriptor.ELEMENT_LENGTH);
    }

    /**
     * Deactivates the outgoing channel.
     */
    public void stop()
    {
        writer.deactivate();
    }

    /**
     * Writes a frame into the outgoing channel in place and publishes it, without raising the event.
     *
     * @param frame  frame bytes (Ethernet header first).
     * @param offset start in {@code frame}.
     * @param length {@link NetMessageDescriptor#MIN_FRAME_LENGTH} to {@link NetMessageDescriptor#MAX_FRAME_LENGTH}
     *               bytes.
     * @throws IllegalArgumentException if the length is out of range (a peer would drop the frame).
     */
    public void queue(final DirectBuffer frame, final int offset, final int length)
    {
        if (length < NetMessageDescriptor.MIN_FRAME_LENGTH || length > NetMessageDescriptor.MAX_FRAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "frame length out of range: length=" + length + " min=" + NetMessageDescriptor.MIN_FRAME_LENGTH +
                " max=" + NetMessageDescriptor.MAX_FRAME_LENGTH);
        }
        final int slot = writer.claim();
        final AtomicBuffer out = writer.buffer();
        out.putBytes(slot + NetMessageDescriptor.DATA_OFFSET, frame, offset, length);
        out.putShort(slot + NetMessageDescriptor.LENGTH_OFFSET, (short)length, ByteOrder.LITTLE_ENDIAN);
        writer.commit();
        framesSent++;
    }

    /**
     * Raises the outgoing event once for everything queued since the last flush.
     *
     * @return true if the event was raised.
     */
    public boolean flush()
    {
        return writer.flush();
    }

    /**
     * Queues a frame and flushes.
     *
     * @param frame  frame bytes.
     * @param offset start in {@code frame}.
     * @param length {@link NetMessageDescriptor#MIN_FRAME_LENGTH} to {@link NetMessageDescriptor#MAX_FRAME_LENGTH}
     *               bytes.
     * @throws IllegalArgumentException if the length is out of range.
     */
    public void send(final DirectBuffer frame, final int offset, final int length)
    {
        queue(frame, offset, length);
        flush();
    }

    /**
     * Receives the next frame into {@code dst} at {@code offset}; on {@link ReadResult#SUCCESS} the frame is the
     * first {@link #frameLength()} bytes there. An element whose length field is shorter than an Ethernet header
     * ({@link NetMessageDescriptor#MIN_FRAME_LENGTH}) or larger than the element's data area is consumed, counted
     * in {@link #malformedFrames()} and reported as {@link ReadResult#INCOMPATIBLE_INTERFACE}; the next call reads
     * on.
     *
     * @param dst    destination with room for {@link NetMessageDescriptor#ELEMENT_LENGTH} bytes at {@code offset}.
     * @param offset offset in {@code dst}.
     * @return the reader's result, or Incompatible_Interface for a malformed element.
     */
    public ReadResult receive(final MutableDirectBuffer dst, final int offset)
    {
        final ReadResult result = reader.read(dst, offset);
        if (result != ReadResult.SUCCESS)
        {
            return result;
        }
        final int size = reader.elementSize();
        final int length = size < NetMessageDescriptor.LENGTH_LENGTH ? 0 :
            dst.getShort(offset + NetMessageDescriptor.lengthOffset(size), ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (length < NetMessageDescriptor.MIN_FRAME_LENGTH || length > size - NetMessageDescriptor.LENGTH_LENGTH)
        {
            malformedFrames++;
            frameLength = 0;
            return ReadResult.INCOMPATIBLE_INTERFACE;
        }
        frameLength = length;
        framesReceived++;
        return ReadResult.SUCCESS;
    }

    /**
     * Whether {@link #receive} would find something (see {@link ShmStreamReader#hasPendingData()}).
     *
     * @return true if a frame or an epoch change is pending.
     */
    public boolean hasPendingData()
    {
        return reader.hasPendingData();
    }

    /**
     * Length of the frame received by the last successful {@link #receive}.
     *
     * @return bytes.
     */
    public int frameLength()
    {
        return frameLength;
    }

    /**
     * @return frames queued or sent.
     */
    public long framesSent()
    {
        return framesSent;
    }

    /**
     * @return frames received with a valid length.
     */
    public long framesReceived()
    {
        return framesReceived;
    }

    /**
     * @return received elements whose length field was out of range (shorter than an Ethernet header or longer
     *     than the element).
     */
    public long malformedFrames()
    {
        return malformedFrames;
    }

    /**
     * The outgoing channel's writer (counters, epoch).
     *
     * @return the writer.
     */
    public ShmStreamWriter writer()
    {
        return writer;
    }

    /**
     * The incoming channel's reader (counters: overruns, elements skipped, epoch changes).
     *
     * @return the reader.
     */
    public ShmStreamReader reader()
    {
        return reader;
    }
}
