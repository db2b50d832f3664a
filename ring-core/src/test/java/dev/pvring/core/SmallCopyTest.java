/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.function.IntFunction;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SmallCopyTest
{
    /** Buffer kinds by name: the raw path (both {@code UnsafeBuffer}, heap or native) and the accessor path. */
    private static IntFunction<MutableDirectBuffer> kind(final String name)
    {
        return switch (name)
        {
            case "heap" -> capacity -> new UnsafeBuffer(new byte[capacity]);
            case "native" -> capacity -> new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
            case "expandable" -> ExpandableArrayBuffer::new;
            default -> throw new IllegalArgumentException("kind=" + name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap->heap", "native->heap", "heap->native", "native->native", "heap->expandable",
        "expandable->native"})
    void shouldCopyEveryLengthAndAlignmentExactly(final String kinds)
    {
        final String[] names = kinds.split("->");
        final MutableDirectBuffer src = kind(names[0]).apply(700);
        for (int i = 0; i < 700; i++)
        {
            src.putByte(i, (byte)(i * 7 + 3));
        }
        for (int length = 0; length <= 300; length++)
        {
            for (int srcOffset = 0; srcOffset < 9; srcOffset++)
            {
                final int dstOffset = (length + srcOffset) % 5;
                final MutableDirectBuffer dst = kind(names[1]).apply(320);
                dst.setMemory(0, 320, (byte)0x77);
                SmallCopy.copy(src, srcOffset, dst, dstOffset, length);
                for (int i = 0; i < 320; i++)
                {
                    final byte expected = i >= dstOffset && i < dstOffset + length ?
                        src.getByte(srcOffset + i - dstOffset) : (byte)0x77;
                    assertThat(dst.getByte(i)).as("length=%d src=%d dst=%d at %d", length, srcOffset, dstOffset, i)
                        .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void shouldCheckBothRangesBeforeWritingAnything()
    {
        final UnsafeBuffer src = new UnsafeBuffer(new byte[64]);
        src.setMemory(0, 64, (byte)1);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[16]);
        assertThatThrownBy(() -> SmallCopy.copy(src, 0, dst, 0, 24)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SmallCopy.copy(src, 56, dst, 0, 16)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SmallCopy.copy(src, -1, dst, 0, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SmallCopy.copy(src, 0, dst, 9, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SmallCopy.copy(src, 0, dst, 0, -8)).isInstanceOf(IndexOutOfBoundsException.class);
        for (int i = 0; i < 16; i++)
        {
            assertThat(dst.getByte(i)).as("destination byte %d after rejected copies", i).isZero();
        }
    }

    @Test
    void shouldGrowAnExpandableDestinationAsItsAccessorsDo()
    {
        final UnsafeBuffer src = new UnsafeBuffer(new byte[64]);
        src.putLong(56, 0x0102030405060708L);
        final ExpandableArrayBuffer dst = new ExpandableArrayBuffer(8);
        SmallCopy.copy(src, 0, dst, 100, 64);
        assertThat(dst.capacity()).isGreaterThanOrEqualTo(164);
        assertThat(dst.getLong(156)).isEqualTo(0x0102030405060708L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap->heap", "native->heap", "heap->native", "native->native", "heap->expandable"})
    void shouldCopyRingEntriesAcrossTheWrapExactly(final String kinds)
    {
        final String[] names = kinds.split("->");
        final int slotBase = 64;
        final int entrySize = 12;
        final int size = 8;
        final MutableDirectBuffer ring = kind(names[0]).apply(slotBase + size * entrySize + 4);
        for (int i = 0; i < ring.capacity(); i++)
        {
            ring.putByte(i, (byte)(i * 13 + 1));
        }
        for (int first = -3; first < 20; first++)
        {
            for (int count = 0; count <= size; count++)
            {
                final int stride = 14;
                final int length = 10;
                final MutableDirectBuffer dst = kind(names[1]).apply(3 + size * stride);
                dst.setMemory(0, dst.capacity(), (byte)0x77);
                SmallCopy.copyRingEntries(ring, slotBase, size - 1, entrySize, first, count, dst, 3, stride, length);
                for (int i = 0; i < dst.capacity(); i++)
                {
                    final int k = (i - 3) / stride;
                    final int within = (i - 3) % stride;
                    final boolean copied = i >= 3 && k < count && within < length;
                    final byte expected = copied ?
                        ring.getByte(slotBase + ((first + k) & (size - 1)) * entrySize + within) : (byte)0x77;
                    assertThat(dst.getByte(i)).as("first=%d count=%d at %d", first, count, i).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void shouldCheckARingCopyOnceBeforeWritingAnything()
    {
        final UnsafeBuffer ring = new UnsafeBuffer(new byte[64 + 4 * 16]);
        ring.setMemory(0, ring.capacity(), (byte)1);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[40]);
        // 3 copies of 16 at stride 16 need 48 bytes
        assertThatThrownBy(() -> SmallCopy.copyRingEntries(ring, 64, 3, 16, 0, 3, dst, 0, 16, 16))
            .isInstanceOf(IndexOutOfBoundsException.class);
        // slot area 64 + 8 x 16 is outside the ring buffer
        assertThatThrownBy(() -> SmallCopy.copyRingEntries(ring, 64, 7, 16, 0, 1, dst, 0, 16, 16))
            .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SmallCopy.copyRingEntries(ring, 64, 3, 16, 0, 1, dst, -1, 16, 16))
            .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SmallCopy.copyRingEntries(ring, 64, 3, 16, 0, 1, dst, 0, 16, 17))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length=17");
        assertThatThrownBy(() -> SmallCopy.copyRingEntries(ring, 64, 3, 16, 0, 1, dst, 0, 8, 16))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride=8");
        assertThatThrownBy(() -> SmallCopy.copyRingEntries(ring, 64, 3, 16, 0, 5, dst, 0, 16, 16))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count=5");
        assertThatThrownBy(() -> SmallCopy.copyRingEntries(ring, 64, 2, 16, 0, 1, dst, 0, 16, 16))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask=2");
        for (int i = 0; i < 40; i++)
        {
            assertThat(dst.getByte(i)).as("destination byte %d after rejected copies", i).isZero();
        }
    }

    @Test
    void shouldWriteAReadOnlyViewThroughItsThrowingAccessorsAndReadItRaw()
    {
        try (SharedMemory memory = SharedMemory.anonymous(4096))
        {
            final ReadOnlyAtomicBuffer readOnly = new ReadOnlyAtomicBuffer(memory.address(), 4096, "test view");
            final UnsafeBuffer heap = new UnsafeBuffer(new byte[64]);
            assertThatThrownBy(() -> SmallCopy.copy(heap, 0, readOnly, 0, 64))
                .isInstanceOf(ReadOnlyMappingException.class);
            assertThat(memory.buffer().getLong(0)).isZero();
            memory.buffer().putLong(8, 0x0102030405060708L);
            SmallCopy.copy(readOnly, 8, heap, 0, 8);
            assertThat(heap.getLong(0)).isEqualTo(0x0102030405060708L);
        }
    }
}
