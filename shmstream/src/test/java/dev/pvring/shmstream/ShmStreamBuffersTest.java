/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import dev.pvring.core.SharedMemory;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's and reader's raw path (plain {@link UnsafeBuffer} region, {@link UnsafeBuffer} private buffers, heap
 * or off heap; a read-only view for the reader) and their accessor path (other buffer classes) carry the same
 * elements around the ring, with small, inline-copied and {@code copyMemory}-copied element sizes, and check the
 * caller's ranges and the region's capacity.
 */
class ShmStreamBuffersTest
{
    private static final long PROTOCOL = 0x7ade5c549b08e814L;
    private static final int REGION = 64 + 4096;

    private final SharedMemory memory = SharedMemory.anonymous(2 * SharedMemory.PAGE_SIZE);
    private final AtomicBuffer offHeap = new UnsafeBuffer(memory.buffer(), 0, REGION);

    @AfterEach
    void tearDown()
    {
        memory.close();
    }

    private List<MutableDirectBuffer> privateBuffers(final int length)
    {
        return List.of(
            new UnsafeBuffer(new byte[length]),
            new UnsafeBuffer(ByteBuffer.allocateDirect(length)),
            new UnsafeBuffer(ByteBuffer.allocate(length + 16), 3, length),
            new ExpandableArrayBuffer(length));
    }

    private List<AtomicBuffer> readerViews()
    {
        return List.of(offHeap, new ReadOnlyAtomicBuffer(offHeap.addressOffset(), REGION, "channel"));
    }

    @Test
    void shouldCarryElementsAroundTheRingWithEveryKindOfBuffer()
    {
        // 9: byte tail; 64: inline 8-byte moves; 1516: muen-net element, copied with copyMemory
        for (final int size : new int[] {9, 64, 1516})
        {
            for (final MutableDirectBuffer src : privateBuffers(size + 5))
            {
                for (final MutableDirectBuffer dst : privateBuffers(size + 7))
                {
                    for (final AtomicBuffer view : readerViews())
                    {
                        final ShmStreamWriter writer = new ShmStreamWriter(offHeap);
                        writer.initialize(PROTOCOL, size, 77);
                        final ShmStreamReader reader = new ShmStreamReader(view, PROTOCOL, size);
                        final int elements = writer.elements();
                        for (long n = 0; n < 3L * elements + 2; n++)
                        {
                            for (int i = 0; i < size; i++)
                            {
                                src.putByte(5 + i, (byte)(n * 31 + i));
                            }
                            writer.write(src, 5, size);
                            assertThat(reader.read(dst, 7)).isEqualTo(ReadResult.SUCCESS);
                            for (int i = 0; i < size; i++)
                            {
                                assertThat(dst.getByte(7 + i)).as("element %d byte %d size %d %s -> %s, %s", n, i, size,
                                    src.getClass().getSimpleName(), dst.getClass().getSimpleName(),
                                    view.getClass().getSimpleName()).isEqualTo((byte)(n * 31 + i));
                            }
                        }
                        assertThat(reader.read(dst, 7)).isEqualTo(ReadResult.NO_DATA);
                        assertThat(offHeap.getLong(ShmStreamDescriptor.WC_OFFSET)).isEqualTo(3L * elements + 2);
                        assertThat(offHeap.getLong(ShmStreamDescriptor.WSC_OFFSET)).isEqualTo(3L * elements + 2);
                    }
                }
            }
        }
    }

    @Test
    void shouldZeroPadAShortElementOnTheRawPath()
    {
        final ShmStreamWriter writer = new ShmStreamWriter(offHeap);
        writer.initialize(PROTOCOL, 100, 5);
        offHeap.setMemory(ShmStreamDescriptor.DATA_OFFSET, 100, (byte)0x77);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[100]);
        src.setMemory(0, 100, (byte)1);
        writer.queue(src, 0, 30);
        for (int i = 0; i < 100; i++)
        {
            assertThat(offHeap.getByte(ShmStreamDescriptor.DATA_OFFSET + i)).isEqualTo((byte)(i < 30 ? 1 : 0));
        }
    }

    @Test
    void shouldDetectAnOverrunOnTheRawPath()
    {
        final ShmStreamWriter writer = new ShmStreamWriter(offHeap);
        writer.initialize(PROTOCOL, 64, 5);
        final ShmStreamReader reader = new ShmStreamReader(offHeap, PROTOCOL, 64);
        final UnsafeBuffer element = new UnsafeBuffer(new byte[64]);
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.NO_DATA);
        for (int n = 0; n < writer.elements() + 3; n++)
        {
            element.putLong(0, n);
            writer.write(element, 0, 64);
        }
        assertThat(reader.read(element, 0)).isEqualTo(ReadResult.OVERRUN_DETECTED);
        assertThat(reader.readCount()).isEqualTo(writer.elements() + 3);
    }

    @Test
    void shouldCheckTheSourceRangeAndTheRegionCapacity()
    {
        final ShmStreamWriter writer = new ShmStreamWriter(offHeap);
        writer.initialize(PROTOCOL, 64, 5);
        final ShmStreamReader reader = new ShmStreamReader(offHeap, PROTOCOL, 64);
        final UnsafeBuffer small = new UnsafeBuffer(new byte[64]);
        assertThatThrownBy(() -> writer.queue(small, 8, 64))
            .isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessage("range outside the buffer: index=8 length=64 capacity=64");
        assertThat(offHeap.getLong(ShmStreamDescriptor.WC_OFFSET)).as("nothing published").isZero();
        assertThat(offHeap.getLong(ShmStreamDescriptor.WSC_OFFSET)).as("no slot invalidated").isZero();
        assertThatThrownBy(() -> reader.read(small, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("destination too small");

        offHeap.wrap(memory.buffer(), 0, 1024);
        assertThatThrownBy(() -> writer.queue(small, 0, 64))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("channel buffer shrank: capacity=1024 regionSize=4160");
        assertThatThrownBy(() -> reader.read(small, 0))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("channel buffer shrank: capacity=1024 regionSize=4160");
    }

    @Test
    void shouldKeepAReadOnlyRegionsWriteCheck()
    {
        final ReadOnlyAtomicBuffer view = new ReadOnlyAtomicBuffer(offHeap.addressOffset(), REGION, "channel");
        final ShmStreamWriter writer = new ShmStreamWriter(view);
        assertThatThrownBy(() -> writer.initialize(PROTOCOL, 64, 5)).isInstanceOf(RuntimeException.class);
    }
}
