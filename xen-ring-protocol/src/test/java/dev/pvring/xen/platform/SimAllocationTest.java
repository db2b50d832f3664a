/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The hot paths allocate nothing: notify, poll, wait(0), pollPending, and a grant copy batch.
 */
class SimAllocationTest
{
    private static final int ROUNDS = 100_000;

    @Test
    void shouldNotAllocateOnTheHotPaths()
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (SimFixture sim = new SimFixture())
        {
            final EventChannels back = sim.dom0.eventChannels();
            final EventChannels front = sim.dom1.eventChannels();
            final int backPort = back.allocateUnbound(1);
            final int frontPort = front.bindInterdomain(0, backPort);
            final int ref = sim.dom1.grantTable().grantAccess(0, sim.dom1.localPages().allocate().frame(), false);
            final GrantTable grants = sim.dom0.grantTable();
            final UnsafeBuffer local = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(4096));
            final GrantCopyBatch batch = new GrantCopyBatch(2);
            final int[] pending = new int[4];
            final Runnable hotPaths = () ->
            {
                for (int i = 0; i < ROUNDS; i++)
                {
                    front.notify(frontPort);
                    back.poll(backPort);
                    front.notify(frontPort);
                    back.wait(backPort, 0);
                    front.notify(frontPort);
                    back.pollPending(pending);
                    batch.clear();
                    batch.addToForeign(local, 0, 1, ref, 0, 1500);
                    batch.addFromForeign(1, ref, 0, local, 2048, 1500);
                    grants.copy(batch);
                }
            };
            hotPaths.run();
            final long before = threads.getCurrentThreadAllocatedBytes();
            hotPaths.run();
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertThat(batch.status(0)).isEqualTo(GrantStatus.OKAY);
            assertThat(batch.status(1)).isEqualTo(GrantStatus.OKAY);
            assertThat(allocated).as("bytes allocated by %d rounds", ROUNDS).isLessThan(1024);
        }
    }
}
