/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The drain of {@code /dev/xen/evtchn} ({@link LinuxEventChannels}) without a Xen host, against a fake of the
 * Linux evtchn driver and Xen: a fired port is queued once and masked until written back, and a port notified
 * while masked is delivered again when it is unmasked (T7: event storms, XSA-332).
 */
@Timeout(60)
class EvtchnPendingTest
{
    @Test
    void shouldReadOnceAndStayBoundedUnderAStormOfNotifications()
    {
        final FakeEvtchn kernel = new FakeEvtchn();
        final EvtchnPending pending = new EvtchnPending(kernel);
        pending.open(5);
        pending.open(6);
        int consumed = 0;
        int quiet = 0;
        final int rounds = 1000;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < 1000; i++)
            {
                kernel.fire(5);
            }
            if (round % 10 == 0)
            {
                kernel.fire(6);
            }
            final long readsBefore = kernel.reads;

            pending.drain();

            assertThat(kernel.reads - readsBefore).as("one read per drain").isOne();
            if (pending.consume(5))
            {
                consumed++;
            }
            if (pending.consume(6))
            {
                quiet++;
            }
        }
        System.out.printf("evtchn storm: notifications=%d deliveries=%d consumed=%d eoi=%d%n", rounds * 1000L,
            kernel.deliveries, consumed, kernel.unmasks);

        assertThat(consumed).as("the storming port is served once per round").isEqualTo(rounds);
        assertThat(quiet).as("the quiet port is not starved").isEqualTo(rounds / 10);
        assertThat(kernel.deliveries).as("at most one delivery per event taken").isLessThanOrEqualTo(
            consumed + quiet + 2L);
        assertThat(kernel.unmasks).as("ports written back only when consumed").isEqualTo(consumed + quiet);
    }

    @Test
    void shouldReturnFromDrainEvenIfTheQueueNeverEmpties()
    {
        final EvtchnPortQueue endless = new EvtchnPortQueue()
        {
            @Override
            public int read(final int[] ports)
            {
                for (int i = 0; i < ports.length; i++)
                {
                    ports[i] = 1 + i;
                }
                return ports.length;
            }

            @Override
            public void unmask(final int port)
            {
            }
        };
        final EvtchnPending pending = new EvtchnPending(endless);
        for (int port = 1; port <= 2 * EvtchnPending.BATCH; port++)
        {
            pending.open(port);
        }

        assertThat(pending.drain()).isEqualTo(EvtchnPending.BATCH);
        assertThat(pending.consume(EvtchnPending.BATCH)).isTrue();
        assertThat(pending.consume(EvtchnPending.BATCH + 1)).as("beyond one read").isFalse();
    }

    @Test
    void shouldKeepMaskedClosedAndUnknownPortsMaskedInTheKernel()
    {
        final FakeEvtchn kernel = new FakeEvtchn();
        final EvtchnPending pending = new EvtchnPending(kernel);
        pending.open(5);
        pending.open(7);
        pending.mask(5);
        kernel.fire(5);
        kernel.fire(7);
        kernel.fire(9);
        kernel.queue.add(0);
        kernel.queue.add(-3);
        kernel.queue.add(EvtchnPending.MAX_PORTS);

        assertThat(pending.drain()).as("5 and 7").isEqualTo(2);
        pending.close(7);
        for (int i = 0; i < 100; i++)
        {
            kernel.fire(5);
            pending.drain();
        }

        assertThat(pending.consume(5)).as("masked").isFalse();
        assertThat(pending.consume(7)).as("closed").isFalse();
        assertThat(kernel.unmasks).isZero();
        assertThat(kernel.deliveries).as("5 stayed masked in the kernel during the storm").isEqualTo(3);
        pending.unmask(5);
        assertThat(pending.consume(5)).isTrue();
        assertThat(kernel.unmasks).isOne();
        assertThat(pending.drain()).as("pending while masked: delivered again on write-back").isOne();
        assertThat(pending.consume(5)).isTrue();
        assertThat(pending.consume(5)).isFalse();
    }

    @Test
    void shouldNeverLoseTheLastNotificationWhileAnotherThreadStorms() throws Exception
    {
        final FakeEvtchn kernel = new FakeEvtchn();
        final EvtchnPending pending = new EvtchnPending(kernel);
        pending.open(5);
        final AtomicBoolean stop = new AtomicBoolean();
        final CompletableFuture<Long> storm = CompletableFuture.supplyAsync(() ->
        {
            long sent = 0;
            while (!stop.get())
            {
                kernel.fire(5);
                sent++;
            }
            return sent;
        });
        long consumed = 0;
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (System.nanoTime() < deadline)
        {
            pending.drain();
            if (pending.consume(5))
            {
                consumed++;
            }
        }
        stop.set(true);
        final long sent = storm.get(10, TimeUnit.SECONDS);
        kernel.fire(5);
        boolean last = false;
        for (int i = 0; i < 3 && !last; i++)
        {
            pending.drain();
            last = pending.consume(5);
        }
        System.out.printf("evtchn race: sent=%d consumed=%d deliveries=%d%n", sent, consumed, kernel.deliveries);

        assertThat(last).as("the notification after the storm is seen").isTrue();
        assertThat(kernel.deliveries).isLessThanOrEqualTo(consumed + 2);
    }

    /**
     * The Linux evtchn driver over Xen, as far as the drain sees it: firing an unmasked port queues it and masks
     * it; firing a masked one only marks it pending; writing it back unmasks it and re-fires it if pending.
     */
    static final class FakeEvtchn implements EvtchnPortQueue
    {
        final ArrayDeque<Integer> queue = new ArrayDeque<>();
        private final boolean[] masked = new boolean[EvtchnPending.MAX_PORTS];
        private final boolean[] firedWhileMasked = new boolean[EvtchnPending.MAX_PORTS];
        long reads;
        long unmasks;
        long deliveries;

        synchronized void fire(final int port)
        {
            if (masked[port])
            {
                firedWhileMasked[port] = true;
                return;
            }
            masked[port] = true;
            queue.add(port);
            deliveries++;
        }

        @Override
        public synchronized int read(final int[] ports)
        {
            reads++;
            int n = 0;
            while (n < ports.length && !queue.isEmpty())
            {
                ports[n++] = queue.poll();
            }
            return n;
        }

        @Override
        public synchronized void unmask(final int port)
        {
            unmasks++;
            masked[port] = false;
            if (firedWhileMasked[port])
            {
                firedWhileMasked[port] = false;
                fire(port);
            }
        }
    }
}
