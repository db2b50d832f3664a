/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The round-trip benchmark's front end and its {@link RingEcho} back end, outside JMH: every request comes back
 * with its sequence, in every wait mode, on a thread and across processes, and both ends stop cleanly.
 */
class RoundTripFrontTest
{
    private static final int ROUND_TRIPS = 2_000;

    @ParameterizedTest
    @EnumSource(WaitMode.class)
    @Timeout(60)
    void shouldEchoEveryRequestFromABackEndThread(final WaitMode mode) throws Exception
    {
        try (RoundTripFront front = RoundTripFront.start(RoundTripFront.Placement.THREAD, mode))
        {
            for (long sequence = 0; sequence < ROUND_TRIPS; sequence++)
            {
                assertThat(front.roundTrip(sequence)).isEqualTo(sequence);
            }
            final long notifications = front.notificationsSent();
            front.stop();
            assertThat(front.backSummary()).startsWith("echoed=" + ROUND_TRIPS + " ");
            if (mode == WaitMode.SPIN)
            {
                assertThat(notifications).as("spinning ends never ring the doorbell").isZero();
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldEchoEveryRequestFromABackEndProcess() throws Exception
    {
        try (RoundTripFront front = RoundTripFront.start(RoundTripFront.Placement.PROCESS, WaitMode.BLOCK))
        {
            for (long sequence = 0; sequence < ROUND_TRIPS; sequence++)
            {
                assertThat(front.roundTrip(sequence)).isEqualTo(sequence);
            }
            final long notifications = front.notificationsSent();
            front.stop();
            assertThat(front.backSummary()).startsWith("ring echo block: echoed=" + ROUND_TRIPS + " ");
            assertThat(notifications)
                .as("a back end that sleeps at once asks to be woken, at most once per request")
                .isBetween(1L, (long)ROUND_TRIPS);
        }
    }

    @Test
    void shouldNameTheParameterValuesItAccepts()
    {
        assertThat(WaitMode.of("spinBlock")).isEqualTo(WaitMode.SPIN_BLOCK);
        assertThat(RoundTripFront.Placement.of("process")).isEqualTo(RoundTripFront.Placement.PROCESS);
        assertThatThrownBy(() -> WaitMode.of("poll"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("wait must be spin, spinBlock or block: wait=poll");
        assertThatThrownBy(() -> RoundTripFront.Placement.of("vm"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("placement must be thread or process: placement=vm");
    }
}
