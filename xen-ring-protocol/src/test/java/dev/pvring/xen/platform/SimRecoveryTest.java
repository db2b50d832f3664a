/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a process that dies inside the simulated hypervisor leaves behind, and how it is repaired.
 */
@Timeout(60)
class SimRecoveryTest
{
    private int deadPid;

    @BeforeEach
    void setUp() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        process.waitFor();
        deadPid = (int)process.pid();
        assertThat(SimHypervisor.isProcessAlive(deadPid)).isFalse();
    }

    @Test
    void shouldTakeOverAPinLockLeftByADeadProcessAndRecomputeThePins()
    {
        try (SimFixture sim = new SimFixture())
        {
            final LocalPage page = sim.dom1.localPages().allocate();
            final int ref = sim.dom1.grantTable().grantAccess(0, page.frame(), false);
            final SimDomainView view = sim.system.view(1);
            final int active = view.activeOffset(ref);
            // Died inside the lock after setting GTF_reading|GTF_writing and counting a pin it never recorded.
            view.grants.putInt(active + SimGrantTableDescriptor.ACTIVE_LOCK_OFFSET, deadPid);
            view.grants.putInt(
                active + SimGrantTableDescriptor.ACTIVE_PINS_OFFSET, SimGrantTableDescriptor.PIN_WRITABLE);
            view.grants.putInt(view.entryOffset(ref), view.grants.getInt(view.entryOffset(ref)) |
                GrantEntryV1Descriptor.GTF_READING | GrantEntryV1Descriptor.GTF_WRITING);
            assertThat(sim.dom1.grantTable().tryEndAccess(ref)).isFalse();
            final GrantMapBatch batch = new GrantMapBatch(1);
            batch.add(1, ref, true);

            assertThat(sim.dom0.grantTable().map(batch)).isEqualTo(1);

            final SimInspector.GrantInfo info = new SimInspector(sim.system).grants(1).get(0);
            assertThat(info.lockHolder()).isZero();
            assertThat(info.readOnlyPins()).isEqualTo(1);
            assertThat(info.writablePins()).as("the dead process's pin is gone").isZero();
            assertThat(info.flags() & GrantEntryV1Descriptor.GTF_WRITING).isZero();
            sim.dom0.grantTable().unmap(batch);
            assertThat(sim.dom1.grantTable().tryEndAccess(ref)).isTrue();
        }
    }

    @Test
    void shouldRepairLocksAndOrphansOnReclaim()
    {
        try (SimFixture sim = new SimFixture())
        {
            final LocalPage page = sim.dom1.localPages().allocate();
            final int ref = sim.dom1.grantTable().grantAccess(0, page.frame(), true);
            final SimDomainView view = sim.system.view(1);
            final GrantMapBatch batch = new GrantMapBatch(1);
            batch.add(1, ref, true);
            sim.dom0.grantTable().map(batch);
            final int active = view.activeOffset(ref);
            view.grants.putInt(active + SimGrantTableDescriptor.ACTIVE_LOCK_OFFSET, deadPid);
            view.grants.putInt(active + SimGrantTableDescriptor.ACTIVE_PINS_OFFSET, 3);
            // An orphaned ref and page of the dead process.
            final int orphan = 40;
            view.grants.putInt(view.activeOffset(orphan) + SimGrantTableDescriptor.ACTIVE_OWNER_OFFSET, deadPid);
            SimGrantProtocol.publish(view.grants, view.entryOffset(orphan), 0, 7, true);
            view.grants.putInt(view.frameOffset(7) + SimGrantTableDescriptor.FRAME_OWNER_OFFSET, deadPid);
            view.grants.putInt(view.frameOffset(7) + SimGrantTableDescriptor.FRAME_GRANTS_OFFSET, 1);

            final SimHypervisor.ReclaimReport report = sim.system.reclaim();

            assertThat(report).isEqualTo(new SimHypervisor.ReclaimReport(0, 0, 1, 0, 1, 1));
            final SimInspector.GrantInfo info = new SimInspector(sim.system).grants(1).get(0);
            assertThat(info.ref()).isEqualTo(ref);
            assertThat(info.readOnlyPins()).as("recomputed from the maptrack").isEqualTo(1);
            assertThat(new SimInspector(sim.system).grants(1)).hasSize(1);
            sim.dom0.grantTable().unmap(batch);
            assertThat(sim.dom1.grantTable().tryEndAccess(ref)).isTrue();
            assertThat(sim.system.reclaim().total()).isZero();
        }
    }

    @Test
    void shouldFreeAPortADeadProcessLeftHalfSetUp()
    {
        try (SimFixture sim = new SimFixture())
        {
            final SimDomainView view = sim.system.view(0);
            final int offset = view.portOffset(9) + SimEventChannelDescriptor.PORT_BINDING_OFFSET;
            view.events.putLong(offset, SimEventChannelDescriptor.binding(SimEventChannelDescriptor.STATE_RESERVED, 1,
                deadPid));

            assertThat(sim.system.reclaim().ports()).isEqualTo(1);
            assertThat(new SimInspector(sim.system).ports(0)).isEmpty();
        }
    }
}
