/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import dev.pvring.core.RingIndex;
import org.junit.jupiter.api.Test;

/**
 * The RingIndex benchmark's inputs are what its javadoc promises.
 */
class RingIndexBenchmarkTest
{
    private static final int SAMPLES = 4096;

    @Test
    void shouldCrossTheWrapAndNeedANotificationForAboutHalfTheSamples()
    {
        final RingIndexBenchmark benchmark = new RingIndexBenchmark();
        benchmark.ringSize = 256;
        benchmark.buildSamples();

        int notifications = 0;
        int beforeWrap = 0;
        final Set<Integer> outcomes = new HashSet<>();
        for (int i = 0; i < SAMPLES; i++)
        {
            final int[] sample = benchmark.sample(i);
            final int newIndex = sample[0];
            final int oldIndex = sample[1];
            final int consumer = sample[2];
            final int event = sample[3];
            final long batch = Integer.toUnsignedLong(newIndex - oldIndex);
            assertThat(batch).isBetween(1L, 64L);
            assertThat(Integer.toUnsignedLong(newIndex - consumer)).isBetween(0L, 256L);
            final boolean required = RingIndex.isNotifyRequired(newIndex, oldIndex, event);
            notifications += required ? 1 : 0;
            beforeWrap += newIndex < 0 ? 1 : 0;
            outcomes.add(required ? 1 : 0);
        }

        assertThat(outcomes).containsExactlyInAnyOrder(0, 1);
        assertThat(notifications).isBetween(SAMPLES * 2 / 5, SAMPLES * 3 / 5);
        assertThat(beforeWrap).as("samples with the producer index above 2^31 (before the 2^32 wrap)")
            .isBetween(SAMPLES / 4, SAMPLES * 3 / 4);
    }

    @Test
    void shouldRejectARingSizeThatIsNotAPowerOfTwo()
    {
        final RingIndexBenchmark benchmark = new RingIndexBenchmark();
        benchmark.ringSize = 48;

        assertThatThrownBy(benchmark::buildSamples)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("ring size must be a positive power of two: size=48");
    }
}
