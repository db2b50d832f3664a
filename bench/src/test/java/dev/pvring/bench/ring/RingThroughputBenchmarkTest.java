/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Xen ring's front- and back-end loops of {@link RingThroughputBenchmark}, outside JMH and on one thread: every
 * api and batch size delivers every request once and in sequence, and every response reaches the front end (its
 * own check throws otherwise).
 */
class RingThroughputBenchmarkTest
{
    private static final int ROUNDS = 3_000;

    @ParameterizedTest
    @CsvSource({
        "message, 1, checkNotify", "message, 8, release", "message, 32, checkNotify", "message, ring, checkNotify",
        "batch, 1, checkNotify", "batch, 8, release", "batch, 32, checkNotify", "batch, ring, checkNotify",
        "indexed, 1, checkNotify", "indexed, 8, release", "indexed, 32, checkNotify", "indexed, ring, checkNotify",
        "raw, 1, checkNotify", "raw, 8, release", "raw, 32, checkNotify", "raw, ring, release"})
    void shouldDeliverEveryRequestInSequence(final String api, final String batch, final String push)
    {
        final RingThroughputBenchmark.XenRing ring = shape(api, batch, push);
        try
        {
            final RingThroughputBenchmark.ConsumerCounters counts =
                RingThroughputBenchmark.driveOnOneThread(ring, ROUNDS);
            // One thread alternates the ends: each round the back end answers the whole batch the front end pushed.
            assertThat(counts.received).isEqualTo((long)ROUNDS * ring.batchSize);
            assertThat(counts.sequenceErrors).isZero();
            assertThat(counts.empty).isZero();
        }
        finally
        {
            ring.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"api, bogus", "batch, 0", "push, sometimes"})
    void shouldRejectUnknownParameters(final String name, final String value)
    {
        final RingThroughputBenchmark.XenRing ring = new RingThroughputBenchmark.XenRing();
        ring.api = "api".equals(name) ? value : "message";
        ring.batch = "batch".equals(name) ? value : "8";
        ring.push = "push".equals(name) ? value : "release";
        ring.warmUp = false;
        assertThatThrownBy(ring::setUp).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name + "=");
        if (ring.memory != null)
        {
            ring.tearDown();
        }
    }

    private static RingThroughputBenchmark.XenRing shape(final String api, final String batch, final String push)
    {
        final RingThroughputBenchmark.XenRing ring = new RingThroughputBenchmark.XenRing();
        ring.api = api;
        ring.batch = batch;
        ring.push = push;
        ring.warmUp = false;
        ring.setUp();
        return ring;
    }
}
