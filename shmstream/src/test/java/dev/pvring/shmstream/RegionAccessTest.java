/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RegionAccessTest
{
    @Test
    void shouldCopyEveryLengthBetweenEveryKindOfMemory()
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
                for (int length = 0; length <= RegionAccess.INLINE_LIMIT + 70; length++)
                {
                    for (int i = 0; i < 700; i++)
                    {
                        src.putByte(i, (byte)(i * 7 + length));
                        dst.putByte(i, (byte)0xEE);
                    }
                    RegionAccess.copy(src.byteArray(), src.addressOffset() + 3, dst.byteArray(),
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
    void shouldAccessCountersWithEitherBase()
    {
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[16]);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        for (final UnsafeBuffer b : new UnsafeBuffer[] {heap, direct})
        {
            final byte[] array = b.byteArray();
            final long base = b.addressOffset();
            RegionAccess.putLongRelease(array, base + 8, 0x0123_4567_89AB_CDEFL);
            assertThat(b.getLong(8)).isEqualTo(0x0123_4567_89AB_CDEFL);
            assertThat(RegionAccess.getLongAcquire(array, base + 8)).isEqualTo(0x0123_4567_89AB_CDEFL);
            RegionAccess.putLongOpaque(array, base, -2);
            assertThat(RegionAccess.getLongOpaque(array, base)).isEqualTo(-2);
            assertThat(b.getLong(0)).isEqualTo(-2);
        }
    }

    @Test
    void shouldWriteRawOnlyThroughPlainUnsafeBuffers()
    {
        final ReadOnlyAtomicBuffer view =
            new ReadOnlyAtomicBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(8)).addressOffset(), 8, "view");
        assertThat(RegionAccess.rawWritable(new UnsafeBuffer(new byte[8]))).isTrue();
        assertThat(RegionAccess.rawWritable(view)).isFalse();
        assertThat(RegionAccess.rawWritable(new ExpandableArrayBuffer(8))).isFalse();
        assertThat(RegionAccess.rawReadable(view)).isTrue();
        assertThat(RegionAccess.rawReadable(new UnsafeBuffer(new byte[8]))).isTrue();
        assertThat(RegionAccess.rawReadable(new ExpandableArrayBuffer(8))).isFalse();
    }
}
