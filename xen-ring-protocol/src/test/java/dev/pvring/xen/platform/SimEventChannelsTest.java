/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.Notifier;
import dev.pvring.core.SpinYieldBlockIdleStrategy;
import dev.pvring.core.Waiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SimEventChannelsTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private SimFixture sim;
    private EventChannels back;
    private EventChannels front;
    private int backPort;
    private int frontPort;

    @BeforeEach
    void setUp()
    {
        sim = new SimFixture();
        back = sim.dom0.eventChannels();
        front = sim.dom1.eventChannels();
        backPort = back.allocateUnbound(1);
        frontPort = front.bindInterdomain(0, backPort);
    }

    @AfterEach
    void tearDown()
    {
        sim.close();
    }

    @Test
    void shouldConnectAnUnboundPortToItsBinder()
    {
        assertThat(backPort).isPositive();
        assertThat(frontPort).isPositive();
        assertThat(back.isConnected(backPort)).isTrue();
        assertThat(front.isConnected(frontPort)).isTrue();
        final SimInspector.PortInfo info = new SimInspector(sim.system).ports(0).get(0);
        assertThat(info.state()).isEqualTo(SimEventChannelDescriptor.STATE_INTERDOMAIN);
        assertThat(info.remoteDomid()).isEqualTo(1);
        assertThat(info.remotePort()).isEqualTo(frontPort);
        assertThat(info.owner()).isEqualTo((int)ProcessHandle.current().pid());
    }

    @Test
    void shouldDeliverANotificationOnce()
    {
        assertThat(front.notify(frontPort)).isEqualTo(EventChannels.OK);

        assertThat(back.wait(backPort, SECOND)).isEqualTo(EventChannels.NOTIFIED);
        assertThat(back.wait(backPort, 0)).isEqualTo(EventChannels.TIMED_OUT);
        assertThat(back.poll(backPort)).isFalse();
    }

    @Test
    void shouldCoalesceNotificationsUntilConsumed()
    {
        for (int i = 0; i < 1000; i++)
        {
            front.notify(frontPort);
        }

        assertThat(new SimInspector(sim.system).ports(0).get(0).deliveries()).as("one doorbell ring").isEqualTo(1);
        assertThat(back.poll(backPort)).isTrue();
        assertThat(back.poll(backPort)).isFalse();
    }

    @Test
    void shouldTimeOutWithoutNotification()
    {
        final long start = System.nanoTime();

        assertThat(back.wait(backPort, TimeUnit.MILLISECONDS.toNanos(30))).isEqualTo(EventChannels.TIMED_OUT);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(25));
    }

    @Test
    void shouldWakeABlockedWaiterInAnotherThread() throws Exception
    {
        final CompletableFuture<Integer> result = CompletableFuture.supplyAsync(() -> back.wait(backPort, -1));
        awaitSleeper(backPort);
        assertThat(result).isNotDone();

        front.notify(frontPort);

        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(EventChannels.NOTIFIED);
    }

    @Test
    void shouldKeepAMaskedEventPendingAndDeliverItOnUnmask() throws Exception
    {
        back.mask(backPort);
        front.notify(frontPort);

        assertThat(back.wait(backPort, TimeUnit.MILLISECONDS.toNanos(20))).isEqualTo(EventChannels.TIMED_OUT);
        assertThat(back.poll(backPort)).as("masked: not consumable").isFalse();
        assertThat(new SimInspector(sim.system).ports(0).get(0).pending()).isTrue();
        final CompletableFuture<Integer> result = CompletableFuture.supplyAsync(() -> back.wait(backPort, -1));
        awaitSleeper(backPort);
        assertThat(result).isNotDone();

        back.unmask(backPort);

        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(EventChannels.NOTIFIED);
    }

    @Test
    void shouldReportPeerCloseToWaitersAndNotifiers() throws Exception
    {
        final CompletableFuture<Integer> result = CompletableFuture.supplyAsync(() -> back.wait(backPort, -1));
        awaitSleeper(backPort);

        front.close(frontPort);

        assertThat(result.get(10, TimeUnit.SECONDS)).as("the close woke the waiter")
            .isEqualTo(EventChannels.PEER_CLOSED);
        assertThat(back.wait(backPort, -1)).isEqualTo(EventChannels.PEER_CLOSED);
        assertThat(back.poll(backPort)).as("the close's event was consumed").isFalse();
        assertThat(back.notify(backPort)).isEqualTo(EventChannels.NOT_CONNECTED);
        assertThat(back.isConnected(backPort)).isFalse();
        back.close(backPort);
        assertThat(new SimInspector(sim.system).ports(0)).isEmpty();
        assertThat(new SimInspector(sim.system).ports(1)).isEmpty();
    }

    @Test
    void shouldWakeALocalWaiterWhenThePortIsClosed() throws Exception
    {
        final CompletableFuture<Integer> result = CompletableFuture.supplyAsync(() -> back.wait(backPort, -1));
        awaitSleeper(backPort);

        back.close(backPort);

        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(EventChannels.CLOSED);
        assertThat(front.notify(frontPort)).isEqualTo(EventChannels.NOT_CONNECTED);
        assertThat(front.wait(frontPort, -1)).isEqualTo(EventChannels.PEER_CLOSED);
    }

    @Test
    void shouldDropNotificationsOnAPortNotYetBound()
    {
        final int unbound = back.allocateUnbound(1);

        assertThat(back.notify(unbound)).isEqualTo(EventChannels.NOT_CONNECTED);
        assertThat(back.isConnected(unbound)).isFalse();
        assertThat(back.wait(unbound, 0)).isEqualTo(EventChannels.TIMED_OUT);
    }

    @Test
    void shouldReturnCodesForBadBindsFromAPeer()
    {
        final int forDom5 = back.allocateUnbound(5);

        assertThat(front.bindInterdomain(0, forDom5)).isEqualTo(EventChannels.INVALID_PORT);
        assertThat(front.bindInterdomain(0, backPort)).as("already bound").isEqualTo(EventChannels.INVALID_PORT);
        assertThat(front.bindInterdomain(0, 0)).isEqualTo(EventChannels.INVALID_PORT);
        assertThat(front.bindInterdomain(0, 64)).isEqualTo(EventChannels.INVALID_PORT);
        assertThat(front.bindInterdomain(0, -3)).isEqualTo(EventChannels.INVALID_PORT);
        assertThat(front.bindInterdomain(0, 50)).as("free port").isEqualTo(EventChannels.INVALID_PORT);
        assertThat(front.bindInterdomain(3, 1)).isEqualTo(EventChannels.NO_SUCH_DOMAIN);
        assertThat(front.bindInterdomain(100_000, 1)).isEqualTo(EventChannels.NO_SUCH_DOMAIN);
        assertThat(new SimInspector(sim.system).ports(1)).as("failed binds leave no port behind").hasSize(1);
        assertThat(EventChannels.describe(EventChannels.INVALID_PORT)).isEqualTo("INVALID_PORT");
    }

    @Test
    void shouldReturnNoFreePortWhenTheTableIsFull()
    {
        int last = 0;
        for (int i = 0; i < 62; i++)
        {
            last = back.allocateUnbound(1);
            assertThat(last).isPositive();
        }

        assertThat(back.allocateUnbound(1)).isEqualTo(EventChannels.NO_FREE_PORT);
        back.close(last);
        assertThat(back.allocateUnbound(1)).isEqualTo(last);
    }

    @Test
    void shouldExplainLocalMisuse()
    {
        assertThatThrownBy(() -> back.notify(0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("event channel port out of range: port=0 ports=64");
        assertThatThrownBy(() -> back.wait(64, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("event channel port out of range: port=64 ports=64");
        assertThatThrownBy(() -> back.notify(40))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("event channel port is not open in this process: port=40 domid=0");
        back.close(backPort);
        assertThatThrownBy(() -> back.notify(backPort))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("event channel port is not open in this process: port=" + backPort + " domid=0");
        assertThatThrownBy(() -> back.wait(backPort, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> back.close(backPort)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> back.mask(backPort)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> back.unmask(backPort)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> back.isConnected(backPort)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> back.allocateUnbound(-1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("domid out of range: domid=-1 max=32751");
    }

    @Test
    void shouldCollectPendingPortsForOneLoop() throws Exception
    {
        final int back2 = back.allocateUnbound(1);
        final int front2 = front.bindInterdomain(0, back2);
        final int back3 = back.allocateUnbound(1);
        final int front3 = front.bindInterdomain(0, back3);
        final int[] pending = new int[4];

        assertThat(back.pollPending(pending)).isZero();
        front.notify(front3);
        front.notify(frontPort);

        assertThat(back.pollPending(pending)).isEqualTo(2);
        assertThat(new int[] {pending[0], pending[1]}).containsExactlyInAnyOrder(backPort, back3);
        assertThat(back.pollPending(pending)).isZero();
        final CompletableFuture<Integer> result = CompletableFuture.supplyAsync(() -> back.waitPending(pending, -1));
        Thread.sleep(50);
        assertThat(result).isNotDone();
        front.notify(front2);
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(pending[0]).isEqualTo(back2);
        assertThat(back.waitPending(pending, TimeUnit.MILLISECONDS.toNanos(10))).isZero();
    }

    @Test
    void shouldNotStarveLaterPortsWhenTheOutputIsSmall()
    {
        final int back2 = back.allocateUnbound(1);
        final int front2 = front.bindInterdomain(0, back2);
        final int[] one = new int[1];
        front.notify(frontPort);
        front.notify(front2);

        assertThat(back.pollPending(one)).isEqualTo(1);
        final int first = one[0];
        front.notify(first == backPort ? frontPort : front2);
        assertThat(back.pollPending(one)).isEqualTo(1);

        assertThat(one[0]).as("the other port comes next").isNotEqualTo(first);
    }

    @Test
    void shouldAdaptToRingCoreNotifierAndWaiter() throws Exception
    {
        final Notifier notifier = front.notifier(frontPort);
        final Waiter waiter = back.waiter(backPort);
        final SpinYieldBlockIdleStrategy idle = new SpinYieldBlockIdleStrategy(waiter, 0, 0, SECOND);
        final int token = waiter.prepareWait();

        notifier.notifyPeer();

        assertThat(waiter.await(token, SECOND)).isTrue();
        assertThat(notifier.notificationsSent()).isEqualTo(1);
        assertThat(notifier.wakeUpsIssued()).isEqualTo(1);
        final CompletableFuture<Void> sleeper = CompletableFuture.runAsync(() ->
        {
            idle.reset();
            idle.idle();
        });
        awaitSleeper(backPort);
        Thread.sleep(50); // from the waiter count to the futex call: a few instructions, no allocation
        notifier.notifyPeer();
        sleeper.get(10, TimeUnit.SECONDS);
        assertThat(waiter.blockingWaits()).isEqualTo(1);
    }

    @Test
    void shouldCloseEveryPortOnPlatformClose()
    {
        back.allocateUnbound(1);

        sim.dom0.close();

        assertThat(new SimInspector(sim.system).ports(0)).isEmpty();
        assertThat(front.wait(frontPort, 0)).isEqualTo(EventChannels.PEER_CLOSED);
        assertThatThrownBy(() -> back.allocateUnbound(1))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("platform is closed: domid=0");
    }

    @Test
    void shouldBindToItsOwnDomain()
    {
        final int a = back.allocateUnbound(0);
        final int b = back.bindInterdomain(0, a);

        back.notify(b);

        assertThat(back.wait(a, SECOND)).isEqualTo(EventChannels.NOTIFIED);
    }

    /**
     * Waits until a thread sleeps on the doorbell of a port of domain 0 (its waiter count, as the inspector shows it),
     * instead of assuming that a fixed sleep lets another thread get there on a loaded machine.
     */
    private void awaitSleeper(final int port) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (new SimInspector(sim.system).ports(0).stream().noneMatch(p -> p.port() == port && p.waiters() > 0))
        {
            assertThat(System.nanoTime() - deadline).as("no thread waits on port %d", port).isNegative();
            Thread.sleep(1);
        }
    }
}
