/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SmallCopyTest
{
    @Test
    void shouldCopyEveryLengthAndAlignmentExactly()
    {
        final UnsafeBuffer src = new UnsafeBuffer(new byte[700]);
        for (int i = 0; i < 700; i++)
        {
            src.putByte(i, (byte)(i * 7 + 3));
        }
        for (int length = 0; length <= 300; length++)
        {
            for (int srcOffset = 0; srcOffset < 9; srcOffset++)
            {
                final int dstOffset = (length + srcOffset) % 5;
                final UnsafeBuffer dst = new UnsafeBuffer(new byte[320]);
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
    void shouldKeepAgronaBoundsChecks()
    {
        final UnsafeBuffer src = new UnsafeBuffer(new byte[64]);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[16]);
        assertThatThrownBy(() -> SmallCopy.copy(src, 0, dst, 0, 24)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
