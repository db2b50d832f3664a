/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import java.nio.file.Path;
import java.util.zip.CRC32C;

import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The writer process of {@link ShmStreamCrossProcessTest}: writes numbered, checksummed elements with queue and a
 * flush every {@link #BATCH} elements, then prints its counters.
 * <p>
 * Element layout ({@link #ELEMENT_SIZE} bytes): u64 sequence number, then pattern bytes derived from it, then the
 * CRC32C of everything before it in the last 4 bytes.
 */
public final class CrossProcessWriter
{
    static final long PROTOCOL = 0x7e57_c0de_0000_0001L;
    static final int ELEMENT_SIZE = 64;
    static final int CRC_OFFSET = ELEMENT_SIZE - 4;
    static final int BATCH = 32;

    private CrossProcessWriter()
    {
    }

    /**
     * @param args channel file, event file, element count.
     */
    public static void main(final String[] args)
    {
        final long count = Long.parseLong(args[2]);
        try (SharedMemory channel = SharedMemory.open(Path.of(args[0]), SharedMemory.Access.READ_WRITE);
             SharedMemory eventMemory = SharedMemory.open(Path.of(args[1]), SharedMemory.Access.READ_WRITE))
        {
            final FutexEvent event = new FutexEvent(eventMemory.buffer(), 0);
            final ShmStreamWriter writer = new ShmStreamWriter(channel.buffer(), event);
            writer.initialize(PROTOCOL, ELEMENT_SIZE);
            final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
            final CRC32C crc = new CRC32C();
            final long start = System.nanoTime();
            for (long seq = 0; seq < count; seq++)
            {
                fill(element, seq, crc);
                writer.queue(element, 0, ELEMENT_SIZE);
                if (writer.pending() == BATCH)
                {
                    writer.flush();
                }
            }
            writer.flush();
            final long nanos = System.nanoTime() - start;
            System.out.println("writer: elements=" + writer.writeCount() + " events=" + writer.events() +
                " flushes=" + writer.flushes() + " futexWakes=" + event.wakeUpsIssued() + " millis=" + nanos / 1_000_000);
        }
    }

    static void fill(final UnsafeBuffer element, final long seq, final CRC32C crc)
    {
        element.putLong(0, seq);
        long pattern = seq * 0x9E37_79B9_7F4A_7C15L;
        for (int i = 8; i + 8 <= CRC_OFFSET; i += 8)
        {
            pattern ^= pattern << 13;
            pattern ^= pattern >>> 7;
            pattern ^= pattern << 17;
            element.putLong(i, pattern);
        }
        element.putInt(56, (int)pattern);
        element.putInt(CRC_OFFSET, checksum(element, crc));
    }

    static int checksum(final UnsafeBuffer element, final CRC32C crc)
    {
        crc.reset();
        crc.update(element.byteArray(), 0, CRC_OFFSET);
        return (int)crc.getValue();
    }
}
