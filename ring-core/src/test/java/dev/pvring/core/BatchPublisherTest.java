/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchPublisherTest
{
    private int publishes;
    private boolean peerAsleep;

    @Test
    void shouldPublishOncePerBatchAndNotifyOnlyWhenThePeerAsked()
    {
        final ParkingEvent doorbell = new ParkingEvent();
        final BatchPublisher publisher = new BatchPublisher(this::publish, doorbell, 32);
        peerAsleep = true;
        for (int i = 0; i < 31; i++)
        {
            assertThat(publisher.queued()).isFalse();
        }
        assertThat(publishes).isZero();
        assertThat(publisher.queued()).as("32nd message fills the batch").isTrue();
        assertThat(publishes).isEqualTo(1);
        peerAsleep = false;
        for (int i = 0; i < 64; i++)
        {
            publisher.queued();
        }
        assertThat(publishes).isEqualTo(3);
        publisher.queued();
        assertThat(publisher.pending()).isEqualTo(1);
        assertThat(publisher.flush()).isFalse();
        assertThat(publisher.flush()).as("empty flush does nothing").isFalse();
        assertThat(publishes).isEqualTo(4);
        assertThat(publisher.messages()).isEqualTo(97);
        assertThat(publisher.flushes()).isEqualTo(4);
        assertThat(publisher.notifications()).isEqualTo(1);
        assertThat(doorbell.notificationsSent()).isEqualTo(1);
        assertThat(publisher.notificationsPerMessage()).isEqualTo(1.0 / 97);
    }

    @Test
    void shouldRejectEmptyBatches()
    {
        assertThatThrownBy(() -> new BatchPublisher(() -> true, new ParkingEvent(), 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("maxBatch must be at least 1: maxBatch=0");
    }

    private boolean publish()
    {
        publishes++;
        return peerAsleep;
    }
}
