/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.agrona.UnsafeApi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JVM's field layout really puts 128 bytes of padding between a ring end's private state and both ends of the
 * object, so another object on the heap never shares (or prefetches with) a cache line the ring's thread writes.
 */
class RingPaddingTest
{
    private static final int PADDING = 128;

    @ParameterizedTest
    @ValueSource(classes = {FrontRing.class, BackRing.class})
    void shouldKeepEveryStateFieldAtLeast128BytesFromBothEndsOfTheObject(final Class<?> ring)
    {
        final List<Long> state = new ArrayList<>();
        final List<Long> before = new ArrayList<>();
        final List<Long> after = new ArrayList<>();
        for (Class<?> type = ring; type != Object.class; type = type.getSuperclass())
        {
            for (final Field field : type.getDeclaredFields())
            {
                if (Modifier.isStatic(field.getModifiers()))
                {
                    continue;
                }
                final long offset = UnsafeApi.objectFieldOffset(field);
                if (field.getName().matches("p\\d{3}"))
                {
                    before.add(offset);
                }
                else if (field.getName().matches("q\\d{3}"))
                {
                    after.add(offset);
                }
                else
                {
                    state.add(offset);
                }
            }
        }
        assertThat(before).hasSize(PADDING);
        assertThat(after).hasSize(PADDING);
        assertThat(state).as("private state fields").hasSizeGreaterThan(5);
        final long firstState = state.stream().mapToLong(Long::longValue).min().orElseThrow();
        final long lastState = state.stream().mapToLong(Long::longValue).max().orElseThrow();
        final long lastBefore = before.stream().mapToLong(Long::longValue).max().orElseThrow();
        final long firstAfter = after.stream().mapToLong(Long::longValue).min().orElseThrow();
        final long lastAfter = after.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(firstState).as("state after the leading padding").isGreaterThan(lastBefore)
            .isGreaterThanOrEqualTo(PADDING);
        assertThat(firstAfter).as("trailing padding after the state").isGreaterThan(lastState);
        assertThat(lastAfter + 1 - (lastState + 8)).as("bytes after the last state field")
            .isGreaterThanOrEqualTo(PADDING - 8);
    }
}
