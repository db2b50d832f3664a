/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShmStreamReaderTest
{
    static final long PROTOCOL = 0x7ade5c549b08e814L;
    static final int SIZE = 16;
    static final int REGION = 64 + 4 * SIZE;

    private SharedMemory memory;
    private AtomicBuffer region;
    private ShmStreamWriter writer;
    private ShmStreamReader reader;
    private final UnsafeBuffer element = new UnsafeBuffer(new byte[SIZE]);

    @BeforeEach
    void setUp()
    {
        memory = SharedMemory.anonymous(SharedMemory.PAGE_SIZE);
        region = new UnsafeBuffer(memory.buffer(), 0, REGION);
        writer = new ShmStreamWriter(region);
        reader = new ShmStreamReader(region, PROTOCOL, SIZE);
    }

    @AfterEach
    void tearDown()
    {
        memory.close();
    }

    private void write(final long value)
    {
        final UnsafeBuffer src = new UnsafeBuffer(new byte[SIZE]);
        src.putLong(0, value);
        src.putLong(8, ~value);
        writer.write(src, 0, SIZE);
    }

    private long readValue()
    {
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
        assertThat(element.getLong(8)).isEqualTo(~element.getLong(0));
        return element.getLong(0);
    }

    @Test
    void shouldReadElementsInOrderThenReportNoData()
    {
        writer.initialize(PROTOCOL, SIZE, 42);
        write(1);
        write(2);
        write(3);
        assertThat(readValue()).isEqualTo(1);
        assertThat(readValue()).isEqualTo(2);
        assertThat(readValue()).isEqualTo(3);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.NO_DATA);
        assertThat(reader.epoch()).isEqualTo(42);
        assertThat(reader.elements()).isEqualTo(4);
        assertThat(reader.elementSize()).isEqualTo(SIZE);
        assertThat(reader.readCount()).isEqualTo(3);
        assertThat(reader.elementsRead()).isEqualTo(3);
    }

    @Test
    void shouldWrapAroundTheRingManyTimes()
    {
        writer.initialize(PROTOCOL, SIZE, 42);
        for (long i = 0; i < 1000; i++)
        {
            write(i);
            if (i % 3 == 2)
            {
                for (long j = i - 2; j <= i; j++)
                {
                    assertThat(readValue()).isEqualTo(j);
                }
            }
        }
    }

    @Test
    void shouldReportInactiveBeforeInitializationAndAfterDeactivation()
    {
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.INACTIVE);
        assertThat(reader.hasPendingData()).isFalse();
        writer.initialize(PROTOCOL, SIZE, 7);
        write(1);
        assertThat(readValue()).isEqualTo(1);
        write(2);
        writer.deactivate();
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.INACTIVE);
        assertThat(reader.isSynchronized()).isFalse();
        assertThat(reader.hasPendingData()).isFalse();
        assertThat(writer.isActive()).isFalse();
    }

    @Test
    void shouldReportEpochChangedOnceWhenTheWriterRestarts()
    {
        writer.initialize(PROTOCOL, SIZE, 7);
        write(1);
        write(2);
        assertThat(readValue()).isEqualTo(1);
        writer.initialize(PROTOCOL, SIZE, 8);
        write(100);
        assertThat(reader.hasPendingData()).isTrue();
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.EPOCH_CHANGED);
        assertThat(reader.epoch()).isEqualTo(8);
        assertThat(reader.readCount()).isZero();
        assertThat(readValue()).as("the old epoch's element 2 is gone").isEqualTo(100);
        assertThat(reader.epochChanges()).isEqualTo(1);
    }

    @Test
    void shouldJoinTheFirstEpochSilentlyAsTheAdaReaderDoes()
    {
        writer.initialize(PROTOCOL, SIZE, 7);
        write(5);
        assertThat(reader.hasPendingData()).isTrue();
        assertThat(readValue()).isEqualTo(5);
        assertThat(reader.epochChanges()).isZero();
    }

    @Test
    void shouldPickAFreshNonZeroEpochOnEveryInitialization()
    {
        final long first = writer.initialize(PROTOCOL, SIZE);
        final long second = writer.initialize(PROTOCOL, SIZE);
        assertThat(first).isNotZero();
        assertThat(second).isNotZero().isNotEqualTo(first);
        assertThat(region.getLongVolatile(ShmStreamDescriptor.EPOCH_OFFSET)).isEqualTo(second);
    }

    @Test
    void shouldRecoverFromAnOverrunBySkippingToTheWriteCounter()
    {
        writer.initialize(PROTOCOL, SIZE, 7);
        for (long i = 0; i < 10; i++)
        {
            write(i);
        }
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.OVERRUN_DETECTED);
        assertThat(reader.lastSkipped()).isEqualTo(10);
        assertThat(reader.readCount()).isEqualTo(10);
        assertThat(reader.read(element, 0)).as("unlike the Solo5 reader, no endless overrun")
            .isEqualTo(ReadResult.NO_DATA);
        write(10);
        assertThat(readValue()).isEqualTo(10);
        assertThat(reader.overruns()).isEqualTo(1);
        assertThat(reader.elementsSkipped()).isEqualTo(10);
    }

    @Test
    void shouldResumeHalfARingBehindTheWriteCounterWithRecentRecovery()
    {
        final ShmStreamReader recent = new ShmStreamReader(region, PROTOCOL, SIZE, OverrunRecovery.RECENT);
        assertThat(recent.overrunRecovery()).isEqualTo(OverrunRecovery.RECENT);
        writer.initialize(PROTOCOL, SIZE, 7);
        for (long i = 0; i < 10; i++)
        {
            write(i);
        }
        assertThat(recent.read(element, 0)).isEqualTo(ReadResult.OVERRUN_DETECTED);
        assertThat(recent.lastSkipped()).as("4 slots: resume at WC - 2").isEqualTo(8);
        assertThat(recent.readCount()).isEqualTo(8);
        assertThat(recent.read(element, 0)).as("data at once, no No_Data after the overrun")
            .isEqualTo(ReadResult.SUCCESS);
        assertThat(element.getLong(0)).isEqualTo(8);
        assertThat(recent.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
        assertThat(element.getLong(0)).isEqualTo(9);
        assertThat(recent.read(element, 0)).isEqualTo(ReadResult.NO_DATA);
        assertThat(recent.elementsSkipped() + recent.elementsRead()).isEqualTo(10);
    }

    @Test
    void shouldResumeAtTheLastElementOfAOneSlotRingWithRecentRecovery()
    {
        final AtomicBuffer oneSlot = new UnsafeBuffer(memory.buffer(), 0, 64 + SIZE);
        final ShmStreamWriter w = new ShmStreamWriter(oneSlot);
        final ShmStreamReader recent = new ShmStreamReader(oneSlot, PROTOCOL, SIZE, OverrunRecovery.RECENT);
        w.initialize(PROTOCOL, SIZE, 9);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[SIZE]);
        for (long i = 0; i < 5; i++)
        {
            src.putLong(0, i);
            w.write(src, 0, SIZE);
        }
        assertThat(recent.read(element, 0)).isEqualTo(ReadResult.OVERRUN_DETECTED);
        assertThat(recent.lastSkipped()).isEqualTo(4);
        assertThat(recent.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
        assertThat(element.getLong(0)).isEqualTo(4);
    }

    @Test
    void shouldKeepDeliveringUnderAWriterThatLapsItWithRecentRecoveryButNotWithNewest()
    {
        writer.initialize(PROTOCOL, SIZE, 7);
        final ShmStreamReader recent = new ShmStreamReader(region, PROTOCOL, SIZE, OverrunRecovery.RECENT);
        final ShmStreamReader newest = new ShmStreamReader(region, PROTOCOL, SIZE, OverrunRecovery.NEWEST);
        long value = 0;
        // Each reader looks once after every 6 writes into 4 slots, and reads until it finds no data: lapped every time.
        for (int round = 0; round < 100; round++)
        {
            for (int i = 0; i < 6; i++)
            {
                write(value++);
            }
            drainInto(recent);
            drainInto(newest);
        }
        assertThat(newest.elementsRead()).as("RC := WC lands where nothing is left to read").isZero();
        assertThat(newest.elementsSkipped()).isEqualTo(value);
        assertThat(recent.elementsRead()).as("two elements per round").isEqualTo(200);
        assertThat(recent.elementsRead() + recent.elementsSkipped()).isEqualTo(value);
    }

    private void drainInto(final ShmStreamReader r)
    {
        long last = -1;
        ReadResult result;
        while ((result = r.read(element, 0)) != ReadResult.NO_DATA)
        {
            if (result == ReadResult.SUCCESS)
            {
                assertThat(element.getLong(8)).isEqualTo(~element.getLong(0));
                assertThat(element.getLong(0)).isGreaterThan(last);
                last = element.getLong(0);
            }
        }
    }

    @Test
    void shouldDetectAnElementOverwrittenDuringTheCopyThroughTheWriteStartCounter()
    {
        writer.initialize(PROTOCOL, SIZE, 7);
        for (long i = 0; i < 4; i++)
        {
            write(i);
        }
        final int slot = writer.claim();
        region.putLong(slot, 99); // the writer is overwriting element 0 while the reader copies it
        assertThat(slot).isEqualTo(ShmStreamDescriptor.DATA_OFFSET);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.OVERRUN_DETECTED);
        assertThat(reader.lastSkipped()).isEqualTo(4);
        writer.commit();
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
        assertThat(element.getLong(0)).isEqualTo(99);
    }

    @Test
    void shouldAcceptTheLastElementBeforeItsSlotIsClaimed()
    {
        writer.initialize(PROTOCOL, SIZE, 7);
        for (long i = 0; i < 4; i++)
        {
            write(i);
        }
        assertThat(readValue()).as("WSC = RC + Elements is still safe").isEqualTo(0);
    }

    @Test
    void shouldTreatReadCounterAboveWriteCounterAsAProtocolErrorUntilANewEpoch()
    {
        writer.initialize(PROTOCOL, SIZE, 7);
        write(1);
        write(2);
        assertThat(readValue()).isEqualTo(1);
        assertThat(readValue()).isEqualTo(2);
        new RawHeader(region).counters(1);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.INCOMPATIBLE_INTERFACE);
        assertThat(reader.hasProtocolError()).isTrue();
        new RawHeader(region).counters(5);
        assertThat(reader.read(element, 0)).as("waits for a new epoch").isEqualTo(ReadResult.INCOMPATIBLE_INTERFACE);
        assertThat(reader.hasPendingData()).isFalse();
        assertThat(reader.protocolErrors()).isEqualTo(1);
        writer.initialize(PROTOCOL, SIZE, 8);
        write(3);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.EPOCH_CHANGED);
        assertThat(readValue()).isEqualTo(3);
    }

    @Test
    void shouldLeaveTheProtocolErrorOnDrain()
    {
        writer.initialize(PROTOCOL, SIZE, 7);
        write(1);
        assertThat(readValue()).isEqualTo(1);
        new RawHeader(region).counters(0);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.INCOMPATIBLE_INTERFACE);
        reader.drain();
        assertThat(reader.hasProtocolError()).isFalse();
        assertThat(reader.readCount()).isZero();
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.NO_DATA);
    }

    @Test
    void shouldHandleCountersWrappingAt2To64()
    {
        writer.initialize(PROTOCOL, SIZE, 7);
        final RawHeader raw = new RawHeader(region);
        for (final long wc : new long[] {1L << 62, 1L << 63, 3L << 62, -2L})
        {
            raw.counters(wc);
            assertThat(reader.read(element, 0)).isEqualTo(ReadResult.OVERRUN_DETECTED);
            assertThat(reader.readCount()).isEqualTo(wc);
        }
        region.putLong(ShmStreamDescriptor.elementOffset(-2L, 4, SIZE), 11);
        raw.counters(-1L);
        region.putLong(ShmStreamDescriptor.elementOffset(-1L, 4, SIZE), 12);
        raw.counters(0L);
        region.putLong(ShmStreamDescriptor.elementOffset(0L, 4, SIZE), 13);
        raw.counters(1L);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
        assertThat(element.getLong(0)).isEqualTo(11);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
        assertThat(element.getLong(0)).isEqualTo(12);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
        assertThat(element.getLong(0)).isEqualTo(13);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.NO_DATA);
        assertThat(reader.protocolErrors()).isZero();
    }

    @Test
    void shouldDrainAndReset()
    {
        writer.initialize(PROTOCOL, SIZE, 7);
        write(1);
        write(2);
        assertThat(readValue()).isEqualTo(1);
        reader.drain();
        assertThat(reader.readCount()).isEqualTo(2);
        assertThat(reader.hasPendingData()).isFalse();
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.NO_DATA);
        reader.reset();
        assertThat(reader.hasPendingData()).isTrue();
        assertThat(readValue()).isEqualTo(1);
        assertThat(readValue()).isEqualTo(2);
    }

    @Test
    void shouldLetSeveralReadersReadIndependently()
    {
        final ShmStreamReader other = new ShmStreamReader(region, PROTOCOL, SIZE);
        writer.initialize(PROTOCOL, SIZE, 7);
        write(1);
        write(2);
        assertThat(readValue()).isEqualTo(1);
        assertThat(readValue()).isEqualTo(2);
        assertThat(other.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
        assertThat(element.getLong(0)).isEqualTo(1);
        assertThat(other.readCount()).isEqualTo(1);
        assertThat(reader.readCount()).isEqualTo(2);
    }

    @Test
    void shouldReadThroughAReadOnlyMapping(@TempDir final Path dir)
    {
        final Path file = dir.resolve("channel");
        try (SharedMemory rw = SharedMemory.create(file, SharedMemory.PAGE_SIZE);
             SharedMemory ro = SharedMemory.open(file, SharedMemory.Access.READ_ONLY))
        {
            assertThat(ro.buffer()).isInstanceOf(ReadOnlyAtomicBuffer.class);
            final ShmStreamWriter fileWriter = new ShmStreamWriter(rw.buffer());
            final ShmStreamReader fileReader = new ShmStreamReader(ro.buffer(), PROTOCOL, SIZE);
            fileWriter.initialize(PROTOCOL, SIZE, 3);
            assertThat(fileWriter.elements()).isEqualTo((4096 - 64) / SIZE);
            final UnsafeBuffer src = new UnsafeBuffer(new byte[SIZE]);
            for (int i = 0; i < 1000; i++)
            {
                src.putInt(0, i);
                fileWriter.write(src, 0, SIZE);
                assertThat(fileReader.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
                assertThat(element.getInt(0)).isEqualTo(i);
            }
            assertThat(fileReader.read(element, 0)).isEqualTo(ReadResult.NO_DATA);
            fileReader.drain();
            fileReader.reset();
            assertThat(fileReader.hasPendingData()).isTrue();
        }
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void shouldCopyOnlyTheChannelsElementSizeWhenSmallerThanTheMaximum()
    {
        final ShmStreamReader big = new ShmStreamReader(region, PROTOCOL, 64);
        writer.initialize(PROTOCOL, 8, 7);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[64]);
        dst.setMemory(0, 64, (byte)0x55);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[8]);
        src.putLong(0, -1L);
        writer.write(src, 0, 8);
        assertThat(big.read(dst, 0)).isEqualTo(ReadResult.SUCCESS);
        assertThat(big.elementSize()).isEqualTo(8);
        assertThat(dst.getLong(0)).isEqualTo(-1L);
        assertThat(dst.getByte(8)).isEqualTo((byte)0x55);
    }

    @Test
    void shouldRejectAHeaderWithoutTheMarker()
    {
        writer.initialize(PROTOCOL, SIZE, 7);
        new RawHeader(region).transport(0);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.INCOMPATIBLE_INTERFACE);
        assertThat(reader.hasPendingData()).as("this epoch was found incompatible").isFalse();
        assertThat(reader.isSynchronized()).isFalse();
    }

    @Test
    void shouldRejectAnotherProtocol()
    {
        writer.initialize(PROTOCOL + 1, SIZE, 7);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.INCOMPATIBLE_INTERFACE);
        writer.initialize(PROTOCOL, SIZE, 8);
        write(4);
        assertThat(reader.hasPendingData()).isTrue();
        assertThat(readValue()).isEqualTo(4);
    }

    @Test
    void shouldRejectElementsLargerThanTheCallersBuffer()
    {
        writer.initialize(PROTOCOL, SIZE * 2, 7);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.INCOMPATIBLE_INTERFACE);
    }

    @Test
    void shouldRejectHostileDimensions()
    {
        writer.initialize(PROTOCOL, SIZE, 7);
        final RawHeader raw = new RawHeader(region);
        final long[][] hostile = {
            {0, 4},                    // size 0
            {SIZE, 0},                 // no elements
            {SIZE, 5},                 // one element past the region
            {-1L, 4},                  // size 2^64 - 1
            {1L << 32, 1L << 32},      // size * elements wraps to 0
            {1, -1L},                  // elements 2^64 - 1
            {SIZE + 1, 4},             // larger than the caller's element
            {1, (1L << 63) + 1},       // elements above 2^63
        };
        long epoch = 100;
        for (final long[] dims : hostile)
        {
            raw.epoch(0).size(dims[0]).elements(dims[1]).epoch(++epoch);
            assertThat(reader.read(element, 0)).as("size=%d elements=%d", dims[0], dims[1])
                .isEqualTo(ReadResult.INCOMPATIBLE_INTERFACE);
        }
        raw.epoch(0).size(SIZE).elements(4).epoch(++epoch);
        assertThat(reader.read(element, 0)).as("exactly fills the region").isEqualTo(ReadResult.NO_DATA);
        raw.epoch(0).size(1).elements(REGION - 64).epoch(++epoch);
        assertThat(reader.read(element, 0)).as("1-byte elements filling the region")
            .isEqualTo(ReadResult.EPOCH_CHANGED);
    }

    @Test
    void shouldRejectADestinationTooSmallForTheLargestElement()
    {
        assertThatThrownBy(() -> reader.read(new UnsafeBuffer(new byte[SIZE]), 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("destination too small: capacity=16 dstOffset=1 maxElementSize=16");
    }

    @Test
    void shouldRejectBadConstructorArguments()
    {
        assertThatThrownBy(() -> new ShmStreamReader(region, 0, SIZE))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("protocol must be non-zero: protocol=0");
        assertThatThrownBy(() -> new ShmStreamReader(region, PROTOCOL, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("max element size must be positive: maxElementSize=0");
        assertThatThrownBy(() -> new ShmStreamReader(new UnsafeBuffer(memory.buffer(), 0, 32), PROTOCOL, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("region smaller than the header: capacity=32 headerLength=64");
    }
}
