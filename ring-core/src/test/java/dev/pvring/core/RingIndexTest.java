/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class RingIndexTest
{
    /** The C expression on uint32 values, computed in 64-bit arithmetic as an independent reference. */
    private static boolean referenceNotify(final long newIdx, final long oldIdx, final long event)
    {
        final long a = (newIdx - event) & 0xFFFF_FFFFL;
        final long b = (newIdx - oldIdx) & 0xFFFF_FFFFL;
        return a < b;
    }

    @Test
    void shouldMeasureDistanceAcrossTheWrap()
    {
        assertThat(RingIndex.distance(0xFFFF_FFF0, 0x0000_0010)).isEqualTo(0x20);
        assertThat(RingIndex.distance(5, 5)).isZero();
        assertThat(RingIndex.distance(1, 0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(RingIndex.distance(0x7FFF_FFFF, 0x8000_0001)).isEqualTo(2);
    }

    @Test
    void shouldMaskFreeRunningIndices()
    {
        assertThat(RingIndex.mask(0xFFFF_FFFF, 256)).isEqualTo(255);
        assertThat(RingIndex.mask(0x1_00, 256)).isZero();
        assertThat(RingIndex.mask(-3, 32)).isEqualTo(29);
    }

    @Test
    void shouldNotifyExactlyWhenTheEventIsPassed()
    {
        // event in (old, new] -> notify
        assertThat(RingIndex.isNotifyRequired(10, 5, 6)).isTrue();
        assertThat(RingIndex.isNotifyRequired(10, 5, 10)).isTrue();
        assertThat(RingIndex.isNotifyRequired(10, 5, 5)).isFalse();
        assertThat(RingIndex.isNotifyRequired(10, 5, 11)).isFalse();
        // SHARED_RING_INIT sets event = 1: the first push notifies.
        assertThat(RingIndex.isNotifyRequired(1, 0, 1)).isTrue();
        // across the wrap
        assertThat(RingIndex.isNotifyRequired(0x0000_0004, 0xFFFF_FFFC, 0xFFFF_FFFE)).isTrue();
        assertThat(RingIndex.isNotifyRequired(0x0000_0004, 0xFFFF_FFFC, 0x0000_0000)).isTrue();
        assertThat(RingIndex.isNotifyRequired(0x0000_0004, 0xFFFF_FFFC, 0xFFFF_FFFC)).isFalse();
        assertThat(RingIndex.isNotifyRequired(0x0000_0004, 0xFFFF_FFFC, 0x0000_0005)).isFalse();
        // nothing published: never notify
        assertThat(RingIndex.isNotifyRequired(7, 7, 7)).isFalse();
    }

    @Test
    void shouldMatchTheCExpressionOnRandomIndicesNearTheWrap()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 1_000_000; i++)
        {
            final int old = i % 2 == 0 ? random.nextInt() : 0xFFFF_FF00 + random.nextInt(512);
            final int n = old + random.nextInt(300);
            final int event = old + random.nextInt(600) - 150;
            assertThat(RingIndex.isNotifyRequired(n, old, event))
                .as("new=%x old=%x event=%x", n, old, event)
                .isEqualTo(referenceNotify(Integer.toUnsignedLong(n), Integer.toUnsignedLong(old),
                    Integer.toUnsignedLong(event)));
        }
    }

    @Test
    void shouldDetectOverflowUnsigned()
    {
        assertThat(RingIndex.exceeds(0xFFFF_FFF0, 0x0000_0010, 32)).isFalse();
        assertThat(RingIndex.exceeds(0xFFFF_FFF0, 0x0000_0011, 32)).isTrue();
        // a producer behind the consumer is a huge unsigned distance
        assertThat(RingIndex.exceeds(100, 99, 32)).isTrue();
        assertThat(RingIndex.reaches(0, 32, 32)).isTrue();
        assertThat(RingIndex.reaches(0, 31, 32)).isFalse();
        assertThat(RingIndex.minUnsigned(0xFFFF_FFFF, 3)).isEqualTo(3);
        assertThat(RingIndex.minUnsigned(2, 3)).isEqualTo(2);
    }

    @Test
    void shouldRoundDownLikeRd32()
    {
        assertThat(RingIndex.roundDownToPowerOfTwo(4032 / 112)).isEqualTo(32);
        assertThat(RingIndex.roundDownToPowerOfTwo(4032 / 108)).isEqualTo(32);
        assertThat(RingIndex.roundDownToPowerOfTwo(4032 / 12)).isEqualTo(256);
        assertThat(RingIndex.roundDownToPowerOfTwo(0)).isZero();
        assertThat(RingIndex.roundDownToPowerOfTwo(1)).isEqualTo(1);
        assertThat(RingIndex.isPowerOfTwo(0)).isFalse();
        assertThat(RingIndex.isPowerOfTwo(64)).isTrue();
        assertThatThrownBy(() -> RingIndex.checkPowerOfTwo(48))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("ring size must be a positive power of two: size=48");
    }
}
