/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import java.nio.file.Path;
import java.util.zip.CRC32C;

import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The writer process of {@link ShmStreamCrossProcessTest}: writes numbered, checksummed elements with queue and a
 * flush every {@link #BATCH} elements, then prints its counters.
 * <p>
 * Test pacing (not part of SHMStream, which has no back channel): the reader publishes its RC in the control page
 * at {@link #ACK_OFFSET}; the writer stays less than a ring ahead of it, except while the reader raises the flag
 * at {@link #STALL_OFFSET}. So elements are lost only in the reader's deliberate stalls, one overrun each, however
 * busy the machine is.
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
    /** Control page: the futex event at 0, the reader's RC (u64) here. */
    static final int ACK_OFFSET = 64;
    /** Control page: non-zero while the reader stalls on purpose (int). */
    static final int STALL_OFFSET = 128;

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
            final AtomicBuffer control = eventMemory.buffer();
            final FutexEvent event = new FutexEvent(control, 0);
            final ShmStreamWriter writer = new ShmStreamWriter(channel.buffer(), event);
            writer.initialize(PROTOCOL, ELEMENT_SIZE);
            final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
            final CRC32C crc = new CRC32C();
            final long lead = writer.elements() - BATCH;
            final long start = System.nanoTime();
            long paced = 0;
            for (long seq = 0; seq < count; seq++)
            {
                if (seq - control.getLongAcquire(ACK_OFFSET) > lead && control.getIntVolatile(STALL_OFFSET) == 0)
                {
                    writer.flush();
                    paced++;
                    while (seq - control.getLongAcquire(ACK_OFFSET) > lead &&
                        control.getIntVolatile(STALL_OFFSET) == 0)
                    {
                        Thread.yield();
                    }
                }
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
                " flushes=" + writer.flushes() + " futexWakes=" + event.wakeUpsIssued() + " pacingWaits=" + paced +
                " millis=" + nanos / 1_000_000);
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
