/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ParkingEventTest
{
    @Test
    void shouldNotSleepWhenNotifiedAfterToken()
    {
        final ParkingEvent event = new ParkingEvent();
        final int token = event.prepareWait();
        event.notifyPeer();
        assertThat(event.await(token, TimeUnit.SECONDS.toNanos(5))).isTrue();
        assertThat(event.blockingWaits()).isZero();
        assertThat(event.wakeUpsIssued()).isZero();
    }

    @Test
    void shouldSayWhenTheNextIdleBlocks()
    {
        final ParkingEvent event = new ParkingEvent();
        final SpinYieldBlockIdleStrategy idle = new SpinYieldBlockIdleStrategy(event, 2, 1, 1_000_000);
        assertThat(idle.willBlock()).isFalse();
        idle.idle();
        idle.idle();
        assertThat(idle.willBlock()).as("one yield left").isFalse();
        idle.idle();
        assertThat(idle.willBlock()).isTrue();
        idle.idle(1);
        assertThat(idle.willBlock()).as("work resets the strategy").isFalse();
    }

    @Test
    void shouldTimeOut()
    {
        final ParkingEvent event = new ParkingEvent();
        assertThat(event.await(event.prepareWait(), TimeUnit.MILLISECONDS.toNanos(20))).isFalse();
        assertThat(event.blockingWaits()).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void shouldNeverLoseAWakeUpBetweenThreads() throws Exception
    {
        final int rounds = 20_000;
        final ParkingEvent toConsumer = new ParkingEvent();
        final AtomicInteger published = new AtomicInteger();
        final Thread consumer = new Thread(() ->
        {
            final SpinYieldBlockIdleStrategy idle = new SpinYieldBlockIdleStrategy(toConsumer, 10, 0,
                TimeUnit.SECONDS.toNanos(30));
            int seen = 0;
            while (seen < rounds)
            {
                final int now = published.get();
                if (now > seen)
                {
                    seen = now;
                    idle.reset();
                }
                else
                {
                    idle.idle();
                }
            }
        });
        consumer.start();
        for (int i = 1; i <= rounds; i++)
        {
            published.set(i);
            toConsumer.notifyPeer();
            if (i % 64 == 0)
            {
                Thread.sleep(0, 50_000);
            }
        }
        // a lost wake-up would leave the consumer asleep for 30 s and trip the timeout
        consumer.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(consumer.isAlive()).isFalse();
        assertThat(toConsumer.notificationsSent()).isEqualTo(rounds);
    }
}
