/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RawMemoryTest
{
    @Test
    void shouldUseWideMovesExactlyWhenTheVectorModuleIsResolved()
    {
        // The build runs this class twice: without the module and with --add-modules jdk.incubator.vector
        // (-Dpvring.test.expectWideCopies=true), so both copy paths are the ones tested below.
        assertThat(RawMemory.wideCopies()).isEqualTo(Boolean.getBoolean("pvring.test.expectWideCopies"));
    }

    @Test
    void shouldCopyEveryLengthBetweenEveryKindOfMemoryExactly()
    {
        // Up to 300 bytes: every combination of 64-, 32- and 16-byte vectors and the 8/4/2/1 tail, at odd offsets,
        // through each public copy.
        final int size = 320;
        final UnsafeBuffer heapSrc = new UnsafeBuffer(new byte[size]);
        final UnsafeBuffer nativeSrc = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        final UnsafeBuffer heapDst = new UnsafeBuffer(new byte[size]);
        final UnsafeBuffer nativeDst = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        for (int length = 0; length <= 300; length++)
        {
            for (int i = 0; i < size; i++)
            {
                heapSrc.putByte(i, (byte)(i * 7 + length));
                nativeSrc.putByte(i, (byte)(i * 7 + length));
            }
            for (final UnsafeBuffer src : new UnsafeBuffer[] {heapSrc, nativeSrc})
            {
                for (final UnsafeBuffer dst : new UnsafeBuffer[] {heapDst, nativeDst})
                {
                    // copy, and the ring paths: copyOut and copyOutOfNative (8-byte loads from a peer's memory),
                    // copyIn and copyIntoNative
                    for (int path = 0; path < 5; path++)
                    {
                        dst.setMemory(0, size, (byte)0x55);
                        final long from = src.addressOffset() + 3;
                        final long to = dst.addressOffset() + 5;
                        switch (path)
                        {
                            case 0 -> RawMemory.copy(src.byteArray(), from, dst.byteArray(), to, length);
                            case 1 -> RawMemory.copyOut(src.byteArray(), from, dst, 5, length);
                            case 2 ->
                            {
                                if (src.byteArray() != null)
                                {
                                    continue;
                                }
                                RawMemory.copyOutOfNative(from, dst, 5, length);
                            }
                            case 3 -> RawMemory.copyIn(src, 3, dst.byteArray(), to, length);
                            default ->
                            {
                                if (dst.byteArray() != null)
                                {
                                    continue;
                                }
                                RawMemory.copyIntoNative(src, 3, to, length);
                            }
                        }
                        for (int i = 0; i < size; i++)
                        {
                            final byte expected =
                                i >= 5 && i < 5 + length ? (byte)((i - 2) * 7 + length) : (byte)0x55;
                            assertThat(dst.getByte(i)).as("path=%d length=%d byte %d", path, length, i)
                                .isEqualTo(expected);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldCopyEveryEntryLengthOutOfARingAcrossItsWrap()
    {
        // copyEntriesOut: every length up to two 64-byte blocks and a tail, entries from both kinds of ring memory
        // into both kinds of buffer, the run crossing the ring's end, a stride longer than the copies.
        final int entrySize = 136;
        final int slots = 8;
        final int count = 5;
        final int firstIndex = 6; // slots 6, 7, 0, 1, 2
        final int stride = entrySize + 3;
        final UnsafeBuffer heapRing = new UnsafeBuffer(new byte[slots * entrySize]);
        final UnsafeBuffer nativeRing = new UnsafeBuffer(ByteBuffer.allocateDirect(slots * entrySize));
        for (final UnsafeBuffer ring : new UnsafeBuffer[] {heapRing, nativeRing})
        {
            for (int i = 0; i < slots * entrySize; i++)
            {
                ring.putByte(i, (byte)(i * 13 + 1));
            }
        }
        final int size = 7 + count * stride;
        final UnsafeBuffer heapDst = new UnsafeBuffer(new byte[size]);
        final UnsafeBuffer nativeDst = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        for (int length = 0; length <= entrySize; length++)
        {
            for (final UnsafeBuffer ring : new UnsafeBuffer[] {heapRing, nativeRing})
            {
                for (final UnsafeBuffer dst : new UnsafeBuffer[] {heapDst, nativeDst})
                {
                    dst.setMemory(0, size, (byte)0x55);
                    RawMemory.copyEntriesOut(ring.byteArray(), ring.addressOffset(), slots - 1, entrySize, firstIndex,
                        count, dst, 7, stride, length);
                    for (int i = 0; i < size; i++)
                    {
                        final int k = (i - 7) / stride;
                        final int b = (i - 7) % stride;
                        final byte expected = i >= 7 && b < length ?
                            (byte)((((firstIndex + k) & (slots - 1)) * entrySize + b) * 13 + 1) : (byte)0x55;
                        assertThat(dst.getByte(i)).as("length=%d byte %d", length, i).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void shouldCopyNothingForANegativeLength()
    {
        final UnsafeBuffer src = new UnsafeBuffer(new byte[16]);
        final UnsafeBuffer dst = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        src.setMemory(0, 16, (byte)1);
        RawMemory.copy(src.byteArray(), src.addressOffset(), dst.byteArray(), dst.addressOffset(), -1);
        RawMemory.copy(src.byteArray(), src.addressOffset(), null, dst.addressOffset(), -7);
        assertThat(dst.getLong(0) | dst.getLong(8)).isZero();
    }

    @Test
    void shouldStoreInNativeByteOrderOnBothKinds()
    {
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[16]);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        for (final UnsafeBuffer b : new UnsafeBuffer[] {heap, direct})
        {
            RawMemory.putLong(b.byteArray(), b.addressOffset() + 1, 0x0102030405060708L);
            RawMemory.putInt(b.byteArray(), b.addressOffset() + 9, 0x0a0b0c0d);
            RawMemory.putShort(b.byteArray(), b.addressOffset() + 13, (short)0x0e0f);
            RawMemory.putByte(b.byteArray(), b.addressOffset() + 15, (byte)0x10);
            assertThat(b.getLong(1)).isEqualTo(0x0102030405060708L);
            assertThat(b.getInt(9)).isEqualTo(0x0a0b0c0d);
            assertThat(b.getShort(13)).isEqualTo((short)0x0e0f);
            assertThat(b.getByte(15)).isEqualTo((byte)0x10);
            assertThat(RawMemory.getLong(b.byteArray(), b.addressOffset() + 1)).isEqualTo(0x0102030405060708L);
            assertThat(RawMemory.getByte(b.byteArray(), b.addressOffset() + 15)).isEqualTo((byte)0x10);
        }
    }

    @Test
    void shouldCopyEveryRuntimeLengthBetweenEveryKindOfMemory()
    {
        final UnsafeBuffer[] sources = {
            new UnsafeBuffer(new byte[700]), new UnsafeBuffer(ByteBuffer.allocateDirect(700)),
        };
        final UnsafeBuffer[] destinations = {
            new UnsafeBuffer(new byte[700]), new UnsafeBuffer(ByteBuffer.allocateDirect(700)),
        };
        for (final UnsafeBuffer src : sources)
        {
            for (final UnsafeBuffer dst : destinations)
            {
                for (int length = 0; length <= RawMemory.RUNTIME_COPY_INLINE_LIMIT + 70; length++)
                {
                    for (int i = 0; i < 700; i++)
                    {
                        src.putByte(i, (byte)(i * 7 + length));
                        dst.putByte(i, (byte)0xEE);
                    }
                    RawMemory.copyRuntimeLength(src.byteArray(), src.addressOffset() + 3, dst.byteArray(),
                        dst.addressOffset() + 101, length);
                    for (int i = 0; i < 700; i++)
                    {
                        final byte expected = i >= 101 && i < 101 + length ? (byte)((i - 98) * 7 + length) : (byte)0xEE;
                        assertThat(dst.getByte(i)).as("length %d byte %d", length, i).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void shouldAccessIndicesAndCountersWithEitherBase()
    {
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[16]);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        for (final UnsafeBuffer b : new UnsafeBuffer[] {heap, direct})
        {
            final byte[] array = b.byteArray();
            final long base = b.addressOffset();
            RawMemory.putIntRelease(array, base + 4, 0xCAFE_BABE);
            assertThat(b.getInt(4)).isEqualTo(0xCAFE_BABE);
            assertThat(RawMemory.getIntAcquire(array, base + 4)).isEqualTo(0xCAFE_BABE);
            RawMemory.putLongRelease(array, base + 8, 0x0123_4567_89AB_CDEFL);
            assertThat(b.getLong(8)).isEqualTo(0x0123_4567_89AB_CDEFL);
            assertThat(RawMemory.getLongAcquire(array, base + 8)).isEqualTo(0x0123_4567_89AB_CDEFL);
            RawMemory.putLongOpaque(array, base, -2);
            assertThat(RawMemory.getLongOpaque(array, base)).isEqualTo(-2);
            assertThat(b.getLong(0)).isEqualTo(-2);
        }
    }

    @Test
    void shouldWriteRawOnlyThroughPlainUnsafeBuffers()
    {
        final ReadOnlyAtomicBuffer view =
            new ReadOnlyAtomicBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(8)).addressOffset(), 8, "view");
        assertThat(RawMemory.isRawWritable(new UnsafeBuffer(new byte[8]))).isTrue();
        assertThat(RawMemory.isRawWritable(view)).isFalse();
        assertThat(RawMemory.isRawWritable(new ExpandableArrayBuffer(8))).isFalse();
        assertThat(RawMemory.isRawReadable(view)).isTrue();
        assertThat(RawMemory.isRawReadable(new UnsafeBuffer(new byte[8]))).isTrue();
        assertThat(RawMemory.isRawReadable(new ExpandableArrayBuffer(8))).isFalse();
    }

    @Test
    void shouldRefuseRangesOutsideTheBuffer()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[16]);
        RawMemory.checkRange(b, 0, 16);
        RawMemory.checkRange(b, 16, 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawMemory.checkRange(b, 9, 8))
            .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index=9 length=8 capacity=16");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawMemory.checkRange(b, -1, 1))
            .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawMemory.checkRange(b, 0, -1))
            .isInstanceOf(IndexOutOfBoundsException.class);
        // lengths past the buffer and extreme values: the unsigned compare still refuses them
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawMemory.checkRange(b, 0, 17))
            .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index=0 length=17 capacity=16");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawMemory.checkRange(b, Integer.MIN_VALUE, 1))
            .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawMemory.checkRange(b, Integer.MAX_VALUE, 1))
            .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawMemory.checkRange(b, 1, Integer.MAX_VALUE))
            .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawMemory.checkRange(b, 0, Integer.MIN_VALUE))
            .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThat(RawMemory.isOutside(0, 0, 0)).isFalse();
        org.assertj.core.api.Assertions.assertThat(RawMemory.isOutside(0, 1, 0)).isTrue();
    }
}
