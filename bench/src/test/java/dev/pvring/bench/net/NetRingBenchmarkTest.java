/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The smoke run of {@link NetRingBenchmark} without JMH: netfront here, netback in a child JVM, 200 000 frames
 * each way; every frame sent is counted, in sequence, at the other end, and the notification counters move.
 */
class NetRingBenchmarkTest
{
    private static final int FRAMES = 200_000;

    @ParameterizedTest
    @CsvSource({"true, 64", "true, 1500", "false, 64", "false, 1500"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCountEveryFrameAtTheOtherEnd(final boolean tx, final int frameBytes) throws Exception
    {
        final NetRingBenchmark.Link link = new NetRingBenchmark.Link().configure(frameBytes, 32);
        link.open(tx);
        link.startIteration();
        long sequence = -1;
        for (int i = 0; i < FRAMES; i++)
        {
            if (tx)
            {
                sequence = link.sendOne();
            }
            else
            {
                link.receiveOne();
            }
        }
        link.endIteration();
        final double frontPerPacket = link.frontNotificationsPerPacket();
        final double backPerPacket = link.backNotificationsPerPacket();
        final long badInIteration = link.badPackets();
        link.tearDown();

        if (tx)
        {
            assertThat(sequence).isEqualTo(FRAMES - 1);
            assertThat(link.trialSent).isEqualTo(FRAMES);
        }
        else
        {
            assertThat(link.trialSent).as("the peer keeps filling the ring until stopped").isGreaterThanOrEqualTo(FRAMES);
        }
        assertThat(link.trialReceived).isEqualTo(link.trialSent);
        assertThat(link.trialBad).isZero();
        assertThat(badInIteration).isZero();
        assertThat(frontPerPacket + backPerPacket).as("some notification was needed").isPositive();
        assertThat(frontPerPacket).as("batched").isLessThan(0.5);
        assertThat(backPerPacket).as("batched").isLessThan(0.5);
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFailTheTrialWhenAFrameIsMissingAtTheOtherEnd(final boolean tx) throws Exception
    {
        final NetRingBenchmark.Link link = new NetRingBenchmark.Link().configure(64, 32);
        link.open(tx);
        link.startIteration();
        for (int i = 0; i < 10_000; i++)
        {
            if (i == 5_000)
            {
                link.loseOneFrame();
            }
            if (tx)
            {
                link.sendOne();
            }
            else
            {
                link.receiveOne();
            }
        }
        link.endIteration();

        assertThatThrownBy(link::tearDown).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("frames lost or wrong").hasMessageContaining("bad=1");
        assertThat(link.trialBad).isEqualTo(1);
    }
}
