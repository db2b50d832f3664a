/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

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
 * The byte ring's raw path (plain {@link UnsafeBuffer} mapping and private buffers, heap or off heap) and its
 * accessor path (other buffer classes) carry the same bytes, across the wrap of the data array and of the u32
 * indices, and check the caller's ranges before any index moves.
 */
class ByteRingBuffersTest
{
    private static final int OUT = ConsoleRingDescriptor.OUT_OFFSET;
    private static final int SIZE = ConsoleRingDescriptor.OUT_LENGTH;
    private static final int CONS = ConsoleRingDescriptor.OUT_CONS_OFFSET;
    private static final int PROD = ConsoleRingDescriptor.OUT_PROD_OFFSET;

    private final SharedMemory memory = SharedMemory.anonymous(SharedMemory.PAGE_SIZE);

    @AfterEach
    void tearDown()
    {
        memory.close();
    }

    private List<AtomicBuffer> pages()
    {
        return List.of(new UnsafeBuffer(new byte[SharedMemory.PAGE_SIZE]), memory.buffer());
    }

    private static List<MutableDirectBuffer> privateBuffers(final int length)
    {
        return List.of(
            new UnsafeBuffer(new byte[length]),
            new UnsafeBuffer(ByteBuffer.allocateDirect(length)),
            new UnsafeBuffer(ByteBuffer.allocate(length + 16), 5, length),
            new ExpandableArrayBuffer(length));
    }

    @Test
    void shouldCarryEveryLengthAcrossTheWrapWithEveryKindOfBuffer()
    {
        for (final AtomicBuffer page : pages())
        {
            for (final MutableDirectBuffer src : privateBuffers(600))
            {
                for (final MutableDirectBuffer dst : privateBuffers(600))
                {
                    page.setMemory(0, SharedMemory.PAGE_SIZE, (byte)0);
                    page.putInt(PROD, -1000); // u32 wrap of the indices within the run
                    page.putInt(CONS, -1000);
                    final ByteRingWriter writer = new ByteRingWriter(page, OUT, SIZE, CONS, PROD);
                    final ByteRingReader reader = new ByteRingReader(page, OUT, SIZE, CONS, PROD);
                    int sent = 0;
                    // lengths 1..300 cover the byte tail, 8-byte moves and copies above RawMemory.RUNTIME_COPY_INLINE_LIMIT
                    for (int length = 1; length <= 300; length += 7)
                    {
                        for (int i = 0; i < length; i++)
                        {
                            src.putByte(3 + i, (byte)(sent + i));
                        }
                        assertThat(writer.write(src, 3, length)).isEqualTo(length);
                        assertThat(reader.available()).isEqualTo(length);
                        assertThat(reader.read(dst, 11, length)).isEqualTo(length);
                        for (int i = 0; i < length; i++)
                        {
                            assertThat(dst.getByte(11 + i)).as("byte %d of %d, %s -> %s via %s", i, length,
                                src.getClass().getSimpleName(), dst.getClass().getSimpleName(), page.byteArray() == null ?
                                "off heap" : "heap").isEqualTo((byte)(sent + i));
                        }
                        sent += length;
                    }
                    assertThat(sent).as("the data array wrapped several times").isGreaterThan(3 * SIZE);
                    assertThat(page.getInt(PROD)).isEqualTo(-1000 + sent).isEqualTo(writer.prod());
                    assertThat(page.getInt(CONS)).isEqualTo(-1000 + sent).isEqualTo(reader.cons());
                }
            }
        }
    }

    @Test
    void shouldFillTheRingAndReadPartially()
    {
        for (final AtomicBuffer page : pages())
        {
            page.setMemory(0, SharedMemory.PAGE_SIZE, (byte)0);
            final ByteRingWriter writer = new ByteRingWriter(page, OUT, SIZE, CONS, PROD);
            final ByteRingReader reader = new ByteRingReader(page, OUT, SIZE, CONS, PROD);
            final UnsafeBuffer src = new UnsafeBuffer(new byte[3000]);
            for (int i = 0; i < 3000; i++)
            {
                src.putByte(i, (byte)(i * 13));
            }
            assertThat(writer.write(src, 0, 100)).isEqualTo(100);
            assertThat(writer.write(src, 100, 3000 - 100)).as("partial write: the rest of the ring").isEqualTo(SIZE - 100);
            assertThat(writer.write(src, 0, 1)).as("full").isZero();
            assertThat(writer.free()).isZero();
            final UnsafeBuffer dst = new UnsafeBuffer(ByteBuffer.allocateDirect(3000));
            assertThat(reader.read(dst, 0, 0)).isZero();
            assertThat(reader.read(dst, 0, 1500)).isEqualTo(1500);
            assertThat(reader.read(dst, 1500, 3000)).as("partial read: what is queued").isEqualTo(SIZE - 1500);
            assertThat(reader.read(dst, 0, 10)).as("empty").isZero();
            for (int i = 0; i < SIZE; i++)
            {
                assertThat(dst.getByte(i)).isEqualTo((byte)(i * 13));
            }
        }
    }

    @Test
    void shouldCheckTheCallersRangeBeforeMovingAnIndex()
    {
        for (final AtomicBuffer page : pages())
        {
            page.setMemory(0, SharedMemory.PAGE_SIZE, (byte)0);
            final ByteRingWriter writer = new ByteRingWriter(page, OUT, SIZE, CONS, PROD);
            final ByteRingReader reader = new ByteRingReader(page, OUT, SIZE, CONS, PROD);
            final UnsafeBuffer small = new UnsafeBuffer(new byte[64]);
            assertThatThrownBy(() -> writer.write(small, 60, 8))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("range outside the buffer: index=60 length=8 capacity=64");
            assertThatThrownBy(() -> writer.write(small, -1, 8)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(page.getInt(PROD)).as("prod not published").isZero();
            assertThat(writer.prod()).isZero();
            assertThat(writer.write(small, 0, 64)).isEqualTo(64);
            assertThatThrownBy(() -> reader.read(small, 1, 64))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("range outside the buffer: index=1 length=64 capacity=64");
            assertThat(page.getInt(CONS)).as("cons not published").isZero();
            assertThat(reader.read(small, 0, 64)).isEqualTo(64);
        }
    }

    @Test
    void shouldRefuseAMappingThatShrankUnderTheRing()
    {
        final UnsafeBuffer page = new UnsafeBuffer(new byte[SharedMemory.PAGE_SIZE]);
        final ByteRingWriter writer = new ByteRingWriter(page, OUT, SIZE, CONS, PROD);
        final ByteRingReader reader = new ByteRingReader(page, OUT, SIZE, CONS, PROD);
        page.wrap(new byte[1024]);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        assertThatThrownBy(() -> writer.write(buffer, 0, 16))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("byte ring buffer shrank under the ring: capacity=1024 extent=3088");
        assertThatThrownBy(() -> reader.read(buffer, 0, 16))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("byte ring buffer shrank under the ring: capacity=1024 extent=3088");
    }

    @Test
    void shouldKeepAReadOnlyViewsWriteCheck()
    {
        final ReadOnlyAtomicBuffer view = new ReadOnlyAtomicBuffer(memory.buffer().addressOffset(),
            SharedMemory.PAGE_SIZE, "test page");
        final ByteRingWriter writer = new ByteRingWriter(view, OUT, SIZE, CONS, PROD);
        assertThatThrownBy(() -> writer.write(new UnsafeBuffer(new byte[8]), 0, 8))
            .as("a read-only mapping throws instead of faulting").isInstanceOf(RuntimeException.class);
        // a read-only view as the source of a write is read raw
        final ByteRingWriter rw = new ByteRingWriter(memory.buffer(), OUT, SIZE, CONS, PROD);
        memory.buffer().putLong(0, 0x1122334455667788L);
        assertThat(rw.write(view, 0, 8)).isEqualTo(8);
        assertThat(memory.buffer().getLong(OUT)).isEqualTo(0x1122334455667788L);
    }

    @Test
    void shouldBreakOnIllegalIndicesOnTheRawPath()
    {
        for (final AtomicBuffer page : pages())
        {
            page.setMemory(0, SharedMemory.PAGE_SIZE, (byte)0);
            final ByteRingWriter writer = new ByteRingWriter(page, OUT, SIZE, CONS, PROD);
            final ByteRingReader reader = new ByteRingReader(page, OUT, SIZE, CONS, PROD);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SIZE + 8]);
            page.putInt(PROD, SIZE + 1);
            assertThat(reader.read(buffer, 0, SIZE + 8)).isEqualTo(RingStatus.BROKEN);
            assertThat(reader.fault()).isEqualTo(RingFault.BYTE_RING_INDEX_OVERFLOW);
            assertThat(page.getInt(CONS)).isZero();
            page.putInt(CONS, -(SIZE + 1)); // cons ahead of prod: more than the ring queued
            assertThat(writer.write(buffer, 0, 1)).isEqualTo(RingStatus.BROKEN);
            assertThat(writer.fault()).isEqualTo(RingFault.BYTE_RING_INDEX_OVERFLOW);
            assertThat(reader.read(buffer, 0, 1)).as("stays broken").isEqualTo(RingStatus.BROKEN);
        }
    }
}
