/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShmStreamPipeTest
{
    static final long PROTOCOL = 0xf00789094b6f70cfL;
    static final int SIZE = 32;

    private SharedMemory memory;
    private AtomicBuffer region;
    private ShmStreamWriter writer;

    @BeforeEach
    void setUp()
    {
        memory = SharedMemory.anonymous(16 * SharedMemory.PAGE_SIZE);
        region = memory.buffer();
        writer = new ShmStreamWriter(region);
    }

    @AfterEach
    void tearDown()
    {
        memory.close();
    }

    private ShmStreamPipeReader pipeReader(final AtomicBuffer channel)
    {
        return new ShmStreamPipeReader(new ShmStreamReader(channel, PROTOCOL, SIZE, OverrunRecovery.RECENT));
    }

    private static byte[] random(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void shouldRoundTripAnyBytesExactlyIncludingTrailingZeros()
    {
        final byte[] zeroRuns = random(5_000, 1);
        for (int i = 0; i < zeroRuns.length; i += 97)
        {
            Arrays.fill(zeroRuns, i, Math.min(zeroRuns.length, i + 41), (byte)0);
        }
        final byte[] endsInZeros = random(1_000, 2);
        Arrays.fill(endsInZeros, 900, 1_000, (byte)0);
        final byte[][] inputs = {
            new byte[0], random(1, 3), random(20, 4), random(20 * 7, 5), random(20 * 7 + 3, 6), zeroRuns, endsInZeros,
            new byte[333]};
        for (final byte[] input : inputs)
        {
            writer.initialize(PROTOCOL, SIZE);
            final ShmStreamPipeWriter pipe = new ShmStreamPipeWriter(writer);
            assertThat(pipe.payloadCapacity()).isEqualTo(SIZE - 12);
            // Uneven chunks, as reads from a pipe come.
            int done = 0;
            int chunk = 1;
            while (done < input.length)
            {
                final int n = Math.min(chunk, input.length - done);
                pipe.queue(new UnsafeBuffer(input), done, n);
                done += n;
                chunk = chunk * 3 % 61 + 1;
            }
            pipe.end();
            assertThat(pipe.bytesSent()).isEqualTo(input.length);
            assertThat(pipe.writer().writeCount()).as("fits in the ring").isLessThan(pipe.writer().elements());

            final ShmStreamPipeReader reader = pipeReader(region);
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            PipeResult result;
            while ((result = reader.read()) != PipeResult.END)
            {
                assertThat(result).isEqualTo(PipeResult.DATA);
                out.write(reader.payload().byteArray(), reader.payloadOffset(), reader.payloadLength());
            }
            assertThat(out.toByteArray()).as("length %d", input.length).isEqualTo(input);
            assertThat(reader.hasLost()).isFalse();
            assertThat(reader.isInterrupted()).isFalse();
            assertThat(reader.streamBytes()).isEqualTo(input.length);
            assertThat(reader.streamElements()).isEqualTo(pipe.elementsSent()).isEqualTo(reader.elementsDelivered());
            assertThat(reader.read()).isEqualTo(PipeResult.NO_DATA);
        }
    }

    @Test
    void shouldCountExactlyWhatAContinuouslyLappingWriterOverwroteAndStillDeliver()
    {
        final AtomicBuffer small = new UnsafeBuffer(region, 0, 64 + 8 * SIZE);
        final ShmStreamWriter w = new ShmStreamWriter(small);
        w.initialize(PROTOCOL, SIZE);
        final ShmStreamPipeWriter pipe = new ShmStreamPipeWriter(w);
        final ShmStreamPipeReader reader = pipeReader(small);
        final Random random = new Random(7);
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final UnsafeBuffer chunk = new UnsafeBuffer(new byte[20]);
        long deliveredBytes = 0;
        for (int round = 0; round < 2_000; round++)
        {
            // 5 to 24 elements per round into 8 slots: mostly lapped, sometimes not.
            final int elements = 5 + random.nextInt(20);
            for (int i = 0; i < elements; i++)
            {
                final int n = 1 + random.nextInt(20);
                for (int b = 0; b < n; b++)
                {
                    chunk.putByte(b, (byte)(sent.size() + b));     // a byte tells its own stream position
                }
                sent.write(chunk.byteArray(), 0, n);
                pipe.queue(chunk, 0, n);
            }
            deliveredBytes += readAvailable(reader, sent.toByteArray());
        }
        pipe.end();
        while (!reader.hasEnded())
        {
            deliveredBytes += readAvailable(reader, sent.toByteArray());
        }
        assertThat(reader.elementsDelivered()).as("progress under lapping").isGreaterThan(2_000);
        assertThat(reader.elementsLost()).isPositive();
        assertThat(reader.elementsDelivered() + reader.elementsLost()).isEqualTo(pipe.elementsSent());
        assertThat(reader.bytesDelivered()).isEqualTo(deliveredBytes);
        assertThat(reader.bytesDelivered() + reader.bytesLost()).isEqualTo(pipe.bytesSent());
        assertThat(reader.isLossExact()).isTrue();
        assertThat(reader.streamElements()).isEqualTo(pipe.elementsSent());
    }

    private long lastEnd;

    /** Reads until no data; checks each payload against the bytes sent at its position. */
    private long readAvailable(final ShmStreamPipeReader reader, final byte[] sent)
    {
        long bytes = 0;
        PipeResult result;
        while ((result = reader.read()) != PipeResult.NO_DATA && result != PipeResult.END)
        {
            assertThat(result).isIn(PipeResult.DATA, PipeResult.LOST);
            if (result == PipeResult.DATA)
            {
                final long position = reader.bytesDelivered() + reader.bytesLost() - reader.payloadLength();
                assertThat(position).isGreaterThanOrEqualTo(lastEnd);
                for (int i = 0; i < reader.payloadLength(); i++)
                {
                    assertThat(reader.payload().getByte(reader.payloadOffset() + i))
                        .isEqualTo(sent[(int)position + i]);
                }
                lastEnd = position + reader.payloadLength();
                bytes += reader.payloadLength();
            }
        }
        return bytes;
    }

    @Test
    void shouldSayAStreamWasInterruptedByItsWriter()
    {
        writer.initialize(PROTOCOL, SIZE);
        final ShmStreamPipeWriter pipe = new ShmStreamPipeWriter(writer);
        pipe.queue(new UnsafeBuffer(new byte[50]), 0, 50);
        pipe.endInterrupted();
        assertThatThrownBy(() -> pipe.queue(new UnsafeBuffer(new byte[1]), 0, 1))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("bytesSent=50");
        final ShmStreamPipeReader reader = pipeReader(region);
        assertThat(reader.read()).isEqualTo(PipeResult.DATA);
        assertThat(reader.read()).isEqualTo(PipeResult.DATA);
        assertThat(reader.read()).isEqualTo(PipeResult.DATA);
        assertThat(reader.read()).isEqualTo(PipeResult.END);
        assertThat(reader.isInterrupted()).isTrue();
        assertThat(reader.streamBytes()).isEqualTo(50);
        assertThat(reader.hasLost()).isFalse();
    }

    @Test
    void shouldCountAStreamCutShortByAWriterRestart()
    {
        writer.initialize(PROTOCOL, SIZE);
        ShmStreamPipeWriter pipe = new ShmStreamPipeWriter(writer);
        pipe.queue(new UnsafeBuffer(new byte[10]), 0, 10);
        final ShmStreamPipeReader reader = pipeReader(region);
        assertThat(reader.read()).isEqualTo(PipeResult.DATA);
        writer.initialize(PROTOCOL, SIZE);
        pipe = new ShmStreamPipeWriter(writer);
        pipe.queue(new UnsafeBuffer(new byte[5]), 0, 5);
        pipe.end();
        assertThat(reader.read()).isEqualTo(PipeResult.EPOCH_CHANGED);
        assertThat(reader.read()).isEqualTo(PipeResult.DATA);
        assertThat(reader.payloadLength()).isEqualTo(5);
        assertThat(reader.read()).isEqualTo(PipeResult.END);
        assertThat(reader.streamsCutShort()).isOne();
        assertThat(reader.hasLost()).isTrue();
        assertThat(reader.isLossExact()).isFalse();
    }

    @Test
    void shouldRefuseElementsThatAreNotFramedWithoutThrowing()
    {
        writer.initialize(PROTOCOL, SIZE);
        final UnsafeBuffer raw = new UnsafeBuffer(new byte[SIZE]);
        raw.putStringWithoutLengthAscii(0, "a debug log line, not framed");
        writer.write(raw, 0, SIZE);
        final ShmStreamPipeReader reader = pipeReader(region);
        assertThat(reader.read()).isEqualTo(PipeResult.MALFORMED);
        assertThat(reader.malformedReason()).startsWith("length beyond the element");
        assertThat(reader.hasLost()).isTrue();

        final UnsafeBuffer framed = new UnsafeBuffer(new byte[SIZE]);
        writer.initialize(PROTOCOL, SIZE);
        PipeElementDescriptor.putHeader(framed, 0, 5, 0, 3);                 // position 5, but nothing was lost
        writer.write(framed, 0, SIZE);
        PipeElementDescriptor.putHeader(framed, 0, 8, PipeElementDescriptor.INTERRUPTED_FLAG, 3);
        writer.write(framed, 0, SIZE);
        PipeElementDescriptor.putHeader(framed, 0, 8, PipeElementDescriptor.END_FLAG, 3);   // end with a payload
        writer.write(framed, 0, SIZE);
        assertThat(reader.read()).isEqualTo(PipeResult.EPOCH_CHANGED);
        assertThat(reader.read()).isEqualTo(PipeResult.MALFORMED);
        assertThat(reader.malformedReason()).isEqualTo("position out of sequence: position=5 expected=0 " +
            "overrunBefore=false");
        assertThat(reader.read()).isEqualTo(PipeResult.MALFORMED);
        assertThat(reader.malformedReason()).startsWith("bad flags");
        assertThat(reader.read()).isEqualTo(PipeResult.MALFORMED);
        assertThat(reader.malformedElements()).isEqualTo(4);
    }

    @Test
    void shouldRejectElementsTooSmallForTheFraming()
    {
        writer.initialize(PROTOCOL, 12);
        assertThatThrownBy(() -> new ShmStreamPipeWriter(writer)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("element size must be 13 to 1073741835 bytes for pipe framing: elementSize=12");
        assertThat(PipeElementDescriptor.payloadCapacity(13)).isEqualTo(1);
    }
}
