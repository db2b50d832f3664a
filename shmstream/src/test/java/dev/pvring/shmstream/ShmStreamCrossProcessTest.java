/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import dev.pvring.testkit.ChildJvm;
import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;
import dev.pvring.core.SpinYieldBlockIdleStrategy;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer JVM and a reader JVM (this one) share a channel file and an event file. Every element the reader
 * accepts is checked (sequence number = its position in the stream, CRC32C), every loss is reported as an overrun
 * with the exact count skipped: delivered + skipped = written. The writer is paced by a test-only acknowledgement
 * (see {@link CrossProcessWriter}), and the reader stalls on purpose every {@value #STALL_EVERY} elements until
 * the writer is more than a ring ahead: each stall must cost exactly one overrun, and nothing else may be lost.
 * <p>
 * {@value #DEFAULT_ELEMENTS} elements by default; the full run moves 100 M:
 * {@code mvn -B -pl shmstream -am verify -Dtest=ShmStreamCrossProcessTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dpvring.test.jvm.args=-Dpvring.shmstream.crossprocess.elements=100000000}.
 */
class ShmStreamCrossProcessTest
{
    static final String ELEMENTS_PROPERTY = "pvring.shmstream.crossprocess.elements";
    static final long DEFAULT_ELEMENTS = 5_000_000;
    static final int REGION = 1024 * 1024;
    static final long STALL_EVERY = 1 << 20;

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void shouldMoveChecksummedElementsBetweenProcessesAndAccountForEveryOverrun(@TempDir final Path dir)
        throws Exception
    {
        final long count = Long.getLong(ELEMENTS_PROPERTY, DEFAULT_ELEMENTS);
        final Path shm = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : dir;
        final Path channelFile = shm.resolve("pvring-xproc-" + ProcessHandle.current().pid() + ".chan");
        final Path eventFile = shm.resolve("pvring-xproc-" + ProcessHandle.current().pid() + ".event");
        try (SharedMemory channelRw = SharedMemory.create(channelFile, REGION);
             SharedMemory eventMemory = SharedMemory.create(eventFile, SharedMemory.PAGE_SIZE);
             SharedMemory channel = SharedMemory.open(channelFile, SharedMemory.Access.READ_ONLY))
        {
            final AtomicBuffer region = channel.buffer();
            final AtomicBuffer control = eventMemory.buffer();
            final FutexEvent event = new FutexEvent(eventMemory.buffer(), 0);
            final ShmStreamReader reader = new ShmStreamReader(region, CrossProcessWriter.PROTOCOL,
                CrossProcessWriter.ELEMENT_SIZE);
            final SpinYieldBlockIdleStrategy idle = new SpinYieldBlockIdleStrategy(event);
            final UnsafeBuffer element = new UnsafeBuffer(new byte[CrossProcessWriter.ELEMENT_SIZE]);
            final CRC32C crc = new CRC32C();

            final long start = System.nanoTime();
            try (ChildJvm writer = ChildJvm.start(CrossProcessWriter.class, channelFile.toString(),
                eventFile.toString(), Long.toString(count)))
            {
                long delivered = 0;
                long expectedSeq = 0;
                long nextStall = STALL_EVERY;
                long stalls = 0;
                while (delivered + reader.elementsSkipped() < count)
                {
                    final ReadResult result = reader.read(element, 0);
                    switch (result)
                    {
                        case SUCCESS ->
                        {
                            final long seq = element.getLong(0);
                            final int crcValue = CrossProcessWriter.checksum(element, crc);
                            if (seq != expectedSeq || element.getInt(CrossProcessWriter.CRC_OFFSET) != crcValue)
                            {
                                throw new AssertionError("bad element: expectedSeq=" + expectedSeq + " seq=" + seq +
                                    " crc=" + element.getInt(CrossProcessWriter.CRC_OFFSET) + " " + reader);
                            }
                            expectedSeq = seq + 1;
                            delivered++;
                            control.putLongRelease(CrossProcessWriter.ACK_OFFSET, reader.readCount());
                            idle.reset();
                        }
                        case OVERRUN_DETECTED ->
                        {
                            expectedSeq += reader.lastSkipped();
                            if (reader.readCount() != expectedSeq)
                            {
                                throw new AssertionError("skip count: expectedSeq=" + expectedSeq + " " + reader);
                            }
                            control.putLongRelease(CrossProcessWriter.ACK_OFFSET, reader.readCount());
                        }
                        case INACTIVE, NO_DATA ->
                        {
                            if (!writer.isAlive() && !reader.hasPendingData())
                            {
                                throw new AssertionError("writer died early:\n" + writer.output());
                            }
                            idle.idle();
                        }
                        default -> throw new AssertionError("unexpected " + result + " " + reader);
                    }
                    if (delivered >= nextStall)
                    {
                        nextStall += STALL_EVERY;
                        control.putIntVolatile(CrossProcessWriter.STALL_OFFSET, 1);
                        if (stallUntilOverrun(region, reader, count))
                        {
                            stalls++;
                        }
                        control.putIntVolatile(CrossProcessWriter.STALL_OFFSET, 0);
                    }
                }
                assertThat(writer.waitFor(120)).as("writer exit, output:%n%s", writer.output()).isZero();
                final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.printf(
                    "cross-process: written=%,d delivered=%,d skipped=%,d overruns=%,d stalls=%,d in %,d ms; %s", count,
                    delivered, reader.elementsSkipped(), reader.overruns(), stalls, millis, writer.output());

                assertThat(delivered).as("checked elements").isPositive();
                assertThat(delivered + reader.elementsSkipped()).isEqualTo(count);
                assertThat(reader.readCount()).isEqualTo(count);
                assertThat(expectedSeq).isEqualTo(count);
                assertThat(reader.read(element, 0)).isEqualTo(ReadResult.NO_DATA);
                assertThat(reader.overruns()).as("one overrun per stall, no other loss").isEqualTo(stalls);
                if (count > 2 * STALL_EVERY)
                {
                    assertThat(stalls).as("the stalls force overruns").isPositive();
                }
                final long events = Long.parseLong(writer.output().replaceAll("(?s).*events=(\\d+).*", "$1"));
                final long pacingWaits = Long.parseLong(writer.output().replaceAll("(?s).*pacingWaits=(\\d+).*", "$1"));
                assertThat(events).as("queue/flush: one event per %d elements, plus one per pacing wait",
                    CrossProcessWriter.BATCH).isLessThanOrEqualTo(count / CrossProcessWriter.BATCH + pacingWaits + 2);
            }
        }
        finally
        {
            Files.deleteIfExists(channelFile);
            Files.deleteIfExists(eventFile);
        }
    }

    /** Waits (reading nothing) until the writer is more than a ring ahead (true), or done (false). */
    private static boolean stallUntilOverrun(final AtomicBuffer region, final ShmStreamReader reader, final long count)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline)
        {
            final long wc = ShmStreamDescriptor.wcAcquire(region);
            if (wc - reader.readCount() > reader.elements())
            {
                return true;
            }
            if (wc == count)
            {
                return false;
            }
            Thread.yield();
        }
        throw new AssertionError("writer made no progress during a stall: " + reader);
    }
}
