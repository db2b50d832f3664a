/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static dev.pvring.shmstream.PipeElementDescriptor.END_FLAG;
import static dev.pvring.shmstream.PipeElementDescriptor.HEADER_LENGTH;
import static dev.pvring.shmstream.PipeElementDescriptor.INTERRUPTED_FLAG;
import static dev.pvring.shmstream.PipeElementDescriptor.LENGTH_MASK;
import static dev.pvring.shmstream.PipeElementDescriptor.PAYLOAD_OFFSET;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads the byte stream a {@link ShmStreamPipeWriter} writes ({@link PipeElementDescriptor}) and accounts for
 * every element and byte: each one is either delivered or counted as lost.
 * <p>
 * SHMStream is lossy by design: a writer that laps the reader overwrites elements it has not read. The reader
 * then reports {@link PipeResult#LOST}, counts the elements skipped, and goes on at a recent element still in the
 * ring (give it a {@link ShmStreamReader} with {@link OverrunRecovery#RECENT}, so it keeps delivering under a writer
 * that laps it continuously and still reads the end element of a writer that stopped). The positions in the
 * elements give the bytes lost exactly; the end element gives the stream's length, so at the end
 * {@code elementsLost() == stream elements - elements delivered} and {@code bytesLost() == stream bytes - bytes
 * delivered}. A writer that restarts (new epoch) before its end element cuts its stream short by an amount nobody
 * can know: {@link #streamsCutShort()} counts it and {@link #isLossExact()} turns false.
 * <p>
 * Element data is read from a private copy and validated; nothing the writer stores makes this class throw. Not
 * thread safe.
 */
public final class ShmStreamPipeReader
{
    private final ShmStreamReader reader;
    private final UnsafeBuffer element;
    private final long skippedAtStart;

    private long streamEpoch;
    private long expected;
    private boolean gapAllowed;
    private boolean ended;
    private boolean interrupted;
    private long endBytes;
    private long endElements;
    private int payloadLength;

    private long elementsDelivered;
    private long bytesDelivered;
    private long bytesLost;
    private long streamsCutShort;
    private long malformedElements;
    private String malformedReason = "";

    /**
     * @param reader the channel reader (preferably with {@link OverrunRecovery#RECENT}); its element size limit
     *               bounds the elements accepted.
     */
    public ShmStreamPipeReader(final ShmStreamReader reader)
    {
        this.reader = reader;
        this.element = new UnsafeBuffer(new byte[reader.maxElementSize()]);
        this.skippedAtStart = reader.elementsSkipped();
    }

    /**
     * Reads at most one element.
     *
     * @return what was found; after {@link PipeResult#DATA} the payload is {@link #payloadLength()} bytes at
     *         {@link #payloadOffset()} of {@link #payload()}.
     */
    public PipeResult read()
    {
        payloadLength = 0;
        final ReadResult result = reader.read(element, 0);
        switch (result)
        {
            case SUCCESS:
                follow();
                return accept();
            case OVERRUN_DETECTED:
                follow();
                gapAllowed = true;
                return PipeResult.LOST;
            case NO_DATA:
                return PipeResult.NO_DATA;
            case EPOCH_CHANGED:
                // A later SUCCESS or OVERRUN finds the new epoch and closes the old stream.
                return PipeResult.EPOCH_CHANGED;
            case INACTIVE:
                return PipeResult.INACTIVE;
            default:
                return PipeResult.INCOMPATIBLE_INTERFACE;
        }
    }

    /** A new epoch starts a new stream; the old one, if not ended, was cut short. */
    private void follow()
    {
        final long epoch = reader.epoch();
        if (epoch != streamEpoch)
        {
            if (streamEpoch != ShmStreamDescriptor.NULL_EPOCH && !ended)
            {
                streamsCutShort++;
            }
            streamEpoch = epoch;
            expected = 0;
            gapAllowed = false;
            ended = false;
            interrupted = false;
        }
    }

    private PipeResult accept()
    {
        final int size = reader.elementSize();
        if (size < PipeElementDescriptor.MIN_ELEMENT_SIZE)
        {
            return malformed("element too small for pipe framing: size=" + size);
        }
        // One copy, read once: the private element is ours, so these values cannot change under us.
        final long position = PipeElementDescriptor.position(element, 0);
        final int word = PipeElementDescriptor.word(element, 0);
        final int length = word & LENGTH_MASK;
        final boolean end = (word & END_FLAG) != 0;
        if (ended)
        {
            return malformed("element after the end element: index=" + (reader.readCount() - 1));
        }
        if (length > size - HEADER_LENGTH)
        {
            return malformed("length beyond the element: length=" + length + " capacity=" + (size - HEADER_LENGTH));
        }
        if (end ? length != 0 : (word & INTERRUPTED_FLAG) != 0)
        {
            return malformed("bad flags: word=0x" + Integer.toHexString(word));
        }
        final long gap = position - expected;
        if (gap < 0 || (gap != 0 && !gapAllowed))
        {
            return malformed("position out of sequence: position=" + position + " expected=" + expected +
                " overrunBefore=" + gapAllowed);
        }
        bytesLost += gap;
        gapAllowed = false;
        expected = position + length;
        if (end)
        {
            ended = true;
            interrupted = (word & INTERRUPTED_FLAG) != 0;
            endBytes = position;
            endElements = reader.readCount() - 1;
            return PipeResult.END;
        }
        elementsDelivered++;
        bytesDelivered += length;
        payloadLength = length;
        return PipeResult.DATA;
    }

    private PipeResult malformed(final String reason)
    {
        malformedElements++;
        malformedReason = reason;
        // Resynchronize on the next element instead of failing every element after this one.
        gapAllowed = true;
        return PipeResult.MALFORMED;
    }

    /**
     * The buffer holding the last element read (a private copy).
     *
     * @return the element buffer; the payload starts at {@link #payloadOffset()}.
     */
    public UnsafeBuffer payload()
    {
        return element;
    }

    /**
     * Offset of the payload in {@link #payload()}.
     *
     * @return {@link PipeElementDescriptor#PAYLOAD_OFFSET}.
     */
    public int payloadOffset()
    {
        return PAYLOAD_OFFSET;
    }

    /**
     * Payload bytes of the last {@link PipeResult#DATA}.
     *
     * @return bytes, 0 after any other result.
     */
    public int payloadLength()
    {
        return payloadLength;
    }

    /**
     * Whether the current stream's end element was read.
     *
     * @return true after {@link PipeResult#END} until a new epoch starts a new stream.
     */
    public boolean hasEnded()
    {
        return ended;
    }

    /**
     * Whether the stream that ended was marked incomplete by its writer.
     *
     * @return true if the end element carried {@link PipeElementDescriptor#INTERRUPTED_FLAG}.
     */
    public boolean isInterrupted()
    {
        return interrupted;
    }

    /**
     * Length of the ended stream, from its end element.
     *
     * @return bytes the writer sent, valid once {@link #hasEnded()}.
     */
    public long streamBytes()
    {
        return endBytes;
    }

    /**
     * Data elements of the ended stream, from the index of its end element.
     *
     * @return elements the writer sent, valid once {@link #hasEnded()}.
     */
    public long streamElements()
    {
        return endElements;
    }

    /**
     * Data elements delivered.
     *
     * @return elements.
     */
    public long elementsDelivered()
    {
        return elementsDelivered;
    }

    /**
     * Payload bytes delivered.
     *
     * @return bytes.
     */
    public long bytesDelivered()
    {
        return bytesDelivered;
    }

    /**
     * Elements skipped by overruns since this pipe reader was made.
     *
     * @return elements lost.
     */
    public long elementsLost()
    {
        return reader.elementsSkipped() - skippedAtStart;
    }

    /**
     * Payload bytes lost, as the positions of the elements read after each overrun show (and the end element after
     * the last). Exact when {@link #isLossExact()}; otherwise a lower bound.
     *
     * @return bytes lost.
     */
    public long bytesLost()
    {
        return bytesLost;
    }

    /**
     * Whether {@link #bytesLost()} is exact: no overrun since the last element read and no stream cut short.
     *
     * @return true if every skipped byte is accounted for.
     */
    public boolean isLossExact()
    {
        return !gapAllowed && streamsCutShort == 0;
    }

    /**
     * Whether anything was lost so far: elements skipped, bytes missing, a stream cut short or a malformed element.
     *
     * @return true if the bytes delivered are not the whole of what was sent.
     */
    public boolean hasLost()
    {
        return elementsLost() != 0 || bytesLost != 0 || streamsCutShort != 0 || malformedElements != 0;
    }

    /**
     * Streams whose writer restarted before their end element.
     *
     * @return streams cut short.
     */
    public long streamsCutShort()
    {
        return streamsCutShort;
    }

    /**
     * Elements skipped because they did not follow the framing.
     *
     * @return malformed elements.
     */
    public long malformedElements()
    {
        return malformedElements;
    }

    /**
     * Why the last malformed element was refused ({@code name=value} details).
     *
     * @return the reason, empty if none.
     */
    public String malformedReason()
    {
        return malformedReason;
    }

    /**
     * The channel reader underneath.
     *
     * @return the reader.
     */
    public ShmStreamReader reader()
    {
        return reader;
    }
}
