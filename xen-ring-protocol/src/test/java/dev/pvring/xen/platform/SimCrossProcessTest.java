/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import dev.pvring.testkit.ChildJvm;
import dev.pvring.core.ReadOnlyMappingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * dom1 runs in another JVM ({@link SimPeerMain}); this JVM is dom0.
 */
@Timeout(120)
class SimCrossProcessTest
{
    private SimFixture sim;
    private Mailbox mailbox;

    @BeforeEach
    void setUp()
    {
        sim = new SimFixture();
        sim.dom1.close();
        mailbox = new Mailbox(sim.directory);
    }

    @AfterEach
    void tearDown()
    {
        mailbox.close();
        sim.close();
    }

    @Test
    void shouldShareAGrantedPageBothWaysAndEndAccessOnlyAfterUnmap() throws Exception
    {
        try (ChildJvm child = ChildJvm.start(SimPeerMain.class, "grant", sim.directory.toString()))
        {
            final int ref = (int)mailbox.awaitAtLeast(Mailbox.REF, 1);
            final int roRef = (int)mailbox.get(Mailbox.REF_READ_ONLY);
            final GrantTable grants = sim.dom0.grantTable();
            final GrantMapBatch batch = new GrantMapBatch(2);
            batch.add(1, ref, false);
            batch.add(1, roRef, true);

            assertThat(grants.map(batch)).isEqualTo(2);
            assertThat(batch.buffer(0).getLong(0)).as("dom1's write").isEqualTo(SimPeerMain.PATTERN);
            assertThat(batch.buffer(1).getStringWithoutLengthAscii(0, 7)).isEqualTo("read me");
            assertThatThrownBy(() -> batch.buffer(1).putByte(0, (byte)1)).isInstanceOf(ReadOnlyMappingException.class);
            batch.buffer(0).putLongVolatile(8, SimPeerMain.BACK_WRITE);
            mailbox.awaitAtLeast(Mailbox.CHILD_STEP, 1);

            mailbox.put(Mailbox.STEP, 1);
            mailbox.awaitAtLeast(Mailbox.CHILD_STEP, 2);
            assertThat(mailbox.get(Mailbox.RESULT)).as("end access while mapped fails").isEqualTo(2);
            assertThat(grants.unmap(batch)).isEqualTo(2);
            mailbox.put(Mailbox.STEP, 2);
            mailbox.awaitAtLeast(Mailbox.CHILD_STEP, 3);
            assertThat(mailbox.get(Mailbox.RESULT2)).as("end access after unmap succeeds").isEqualTo(1);
            assertThat(child.waitFor(60)).as(child.output()).isZero();
        }
        assertThat(new SimInspector(sim.system).grants(1)).isEmpty();
    }

    @Test
    void shouldWakeABlockedWaiterInAnotherProcess() throws Exception
    {
        final EventChannels events = sim.dom0.eventChannels();
        final int port = events.allocateUnbound(1);
        mailbox.put(Mailbox.PORT, port);
        final int rounds = 200;
        try (ChildJvm child = ChildJvm.start(SimPeerMain.class, "pingpong", sim.directory.toString(),
            Integer.toString(rounds)))
        {
            assertThat(events.wait(port, TimeUnit.SECONDS.toNanos(60))).as(child.output())
                .isEqualTo(EventChannels.NOTIFIED);
            for (int i = 0; i < rounds; i++)
            {
                assertThat(events.notify(port)).isEqualTo(EventChannels.OK);
                assertThat(events.wait(port, TimeUnit.SECONDS.toNanos(60))).isEqualTo(EventChannels.NOTIFIED);
            }
            mailbox.awaitAtLeast(Mailbox.CHILD_STEP, 1);
            events.close(port);
            assertThat(child.waitFor(60)).as(child.output()).isZero();
            assertThat(mailbox.get(Mailbox.CHILD_STEP)).as("the child saw PEER_CLOSED").isEqualTo(2);
        }
    }

    @Test
    void shouldClearLivenessBytesAndNotifyWhenAPeerDies() throws Exception
    {
        final EventChannels events = sim.dom0.eventChannels();
        final int port = events.allocateUnbound(1);
        final LocalPage backPage = sim.dom0.localPages().allocate();
        final int backRef = sim.dom0.grantTable().grantAccess(1, backPage.frame(), false);
        mailbox.put(Mailbox.BACK_REF, backRef);
        mailbox.put(Mailbox.PORT, port);
        final GrantMapBatch batch = new GrantMapBatch(1);
        try (ChildJvm child = ChildJvm.start(SimPeerMain.class, "liveness", sim.directory.toString()))
        {
            mailbox.awaitAtLeast(Mailbox.CHILD_STEP, 1);
            batch.add(1, (int)mailbox.get(Mailbox.REF), true);
            assertThat(sim.dom0.grantTable().map(batch)).isEqualTo(1);
            assertThat(backPage.buffer().getByteVolatile(0)).as("client live byte").isEqualTo((byte)1);
            assertThat(batch.buffer(0).getByteVolatile(0)).as("server live byte").isEqualTo((byte)1);
        }

        final SimHypervisor.ReclaimReport report = sim.system.reclaim();

        assertThat(report.mappings()).isEqualTo(1);
        assertThat(report.stillMapped()).isEqualTo(1);
        assertThat(backPage.buffer().getByteVolatile(0)).as("the dead mapper's byte was cleared").isZero();
        assertThat(batch.buffer(0).getByteVolatile(0)).as("the dead granter's byte was cleared").isZero();
        assertThat(new SimInspector(sim.system).ports(0).get(0).deliveries()).as("notified").isPositive();
        assertThat(events.wait(port, 0)).isEqualTo(EventChannels.PEER_CLOSED);
        sim.dom0.grantTable().unmap(batch);
        events.close(port);
    }

    @Test
    void shouldShowAndReclaimWhatADeadProcessHeld() throws Exception
    {
        final EventChannels events = sim.dom0.eventChannels();
        final int port = events.allocateUnbound(1);
        final LocalPage backPage = sim.dom0.localPages().allocate();
        final int backRef = sim.dom0.grantTable().grantAccess(1, backPage.frame(), true);
        mailbox.put(Mailbox.BACK_REF, backRef);
        mailbox.put(Mailbox.PORT, port);
        final GrantMapBatch batch = new GrantMapBatch(1);
        final int childPid;
        try (ChildJvm child = ChildJvm.start(SimPeerMain.class, "hold", sim.directory.toString()))
        {
            mailbox.awaitAtLeast(Mailbox.CHILD_STEP, 1);
            batch.add(1, (int)mailbox.get(Mailbox.REF), false);
            assertThat(sim.dom0.grantTable().map(batch)).isEqualTo(1);
            childPid = new SimInspector(sim.system).ports(1).get(0).owner();
            assertThat(sim.dom0.grantTable().tryEndAccess(backRef)).as("the child maps it").isFalse();
        }
        final SimInspector inspector = new SimInspector(sim.system);
        assertThat(inspector.ports(1)).singleElement()
            .satisfies(p -> assertThat(p.ownerAlive()).isFalse());
        assertThat(inspector.grants(1)).singleElement()
            .satisfies(g -> assertThat(g.owner()).isEqualTo(childPid))
            .satisfies(g -> assertThat(g.ownerAlive()).isFalse());
        assertThat(inspector.mappings(1)).singleElement()
            .satisfies(m -> assertThat(m.ownerAlive()).isFalse());
        assertThat(events.wait(port, TimeUnit.MILLISECONDS.toNanos(20))).as("no hang, only a timeout")
            .isEqualTo(EventChannels.TIMED_OUT);

        final SimHypervisor.ReclaimReport first = sim.system.reclaim();

        assertThat(first).isEqualTo(new SimHypervisor.ReclaimReport(1, 1, 0, 1, 1, 0));
        assertThat(events.wait(port, TimeUnit.SECONDS.toNanos(10))).isEqualTo(EventChannels.PEER_CLOSED);
        assertThat(sim.dom0.grantTable().tryEndAccess(backRef)).as("the dead mapper's pin is gone").isTrue();
        assertThat(batch.buffer(0).getInt(0)).as("our mapping of the dead process's grant stays valid").isZero();
        sim.dom0.grantTable().unmap(batch);
        assertThat(sim.system.reclaim()).isEqualTo(new SimHypervisor.ReclaimReport(0, 0, 1, 0, 1, 0));
        assertThat(new SimInspector(sim.system).grants(1)).isEmpty();
        assertThat(new SimInspector(sim.system).domains().get(1).usedPages()).isZero();
        events.close(port);
    }
}
