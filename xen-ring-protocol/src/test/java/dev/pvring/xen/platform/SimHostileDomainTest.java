/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A domain that writes garbage into its own simulated files (every sim process maps them read-write): the
 * victim process that maps or copies its grants, or binds its ports, gets status codes, never an exception, a
 * hang or an access outside the files.
 */
@Timeout(120)
class SimHostileDomainTest
{
    @Test
    void shouldReportAGrantHeaderWhoseSizesOverflowTheLayoutAsBadDomain()
    {
        try (SimFixture sim = new SimFixture(); SharedMemory grantFile = hostileMapping(sim, 1, "grant"))
        {
            // 60 M entries: the layout offsets wrapped in int, the file looked long enough, and map(ref=40 M)
            // took a lock word 1.7 GB beyond a 300 KB file.
            grantFile.buffer().putIntVolatile(SimGrantTableDescriptor.ENTRIES_OFFSET, 60_000_000);

            assertThatVictimSeesNoSuchDomain(sim.directory, 40_000_000);
        }
    }

    @Test
    void shouldReportOutOfRangeOrOversizedHeaderFieldsAsBadDomain()
    {
        final int[][] hostile = {
            {SimGrantTableDescriptor.PAGES_OFFSET, 0},
            {SimGrantTableDescriptor.PAGES_OFFSET, SimGrantTableDescriptor.MAX_PAGES + 1},
            {SimGrantTableDescriptor.PAGES_OFFSET, -1},
            {SimGrantTableDescriptor.ENTRIES_OFFSET, GrantTable.NR_RESERVED_ENTRIES},
            {SimGrantTableDescriptor.ENTRIES_OFFSET, SimGrantTableDescriptor.MAX_ENTRIES},
            {SimGrantTableDescriptor.ENTRIES_OFFSET, Integer.MIN_VALUE},
            {SimGrantTableDescriptor.MAPTRACK_OFFSET, 0},
            {SimGrantTableDescriptor.MAPTRACK_OFFSET, SimGrantTableDescriptor.MAX_MAPTRACK + 1},
        };
        for (final int[] field : hostile)
        {
            try (SimFixture sim = new SimFixture(); SharedMemory grantFile = hostileMapping(sim, 1, "grant"))
            {
                grantFile.buffer().putIntVolatile(field[0], field[1]);

                assertThatVictimSeesNoSuchDomain(sim.directory, 20);
            }
        }
        for (final int ports : new int[] {1, SimEventChannelDescriptor.MAX_PORTS, -5})
        {
            try (SimFixture sim = new SimFixture(); SharedMemory eventFile = hostileMapping(sim, 1, "evtchn"))
            {
                eventFile.buffer().putIntVolatile(SimEventChannelDescriptor.PORTS_OFFSET, ports);

                assertThatVictimSeesNoSuchDomain(sim.directory, 20);
            }
        }
    }

    @Test
    void shouldNeverBuildAViewFromAHeaderRewrittenAfterItsValidation() throws Exception
    {
        try (SimFixture sim = new SimFixture(); SharedMemory grantFile = hostileMapping(sim, 1, "grant"))
        {
            final int generation = sim.system.view(1).generation;
            final AtomicBuffer header = grantFile.buffer();
            final AtomicBoolean done = new AtomicBoolean();
            final Thread flipper = new Thread(() ->
            {
                while (!done.get())
                {
                    header.putIntVolatile(SimGrantTableDescriptor.ENTRIES_OFFSET, 60_000_000);
                    header.putIntVolatile(SimGrantTableDescriptor.ENTRIES_OFFSET, 64);
                }
            });
            flipper.start();
            int accepted = 0;
            int rejected = 0;
            try
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < deadline || accepted == 0 || rejected == 0)
                {
                    final SimDomainView view = SimDomainView.open(sim.directory, 1, generation);
                    if (view == null)
                    {
                        rejected++;
                        continue;
                    }
                    try
                    {
                        assertThat(view.entries).as("entries of an accepted view").isEqualTo(64);
                        accepted++;
                    }
                    finally
                    {
                        view.close();
                    }
                }
            }
            finally
            {
                done.set(true);
                flipper.join();
            }
            System.out.printf("header race: views accepted=%d rejected=%d%n", accepted, rejected);
        }
    }

    /** A fresh process's view (lazy, like a backend opening the system after the domain wrote its header). */
    static void assertThatVictimSeesNoSuchDomain(final Path directory, final int ref)
    {
        try (SimSystem backend = SimSystem.open(directory); SimPlatform dom0 = backend.join(0))
        {
            final GrantMapBatch map = new GrantMapBatch(1);
            map.add(1, ref, true);
            final GrantCopyBatch copy = new GrantCopyBatch(1);
            copy.addFromForeign(1, ref, 0, new UnsafeBuffer(new byte[64]), 0, 64);

            assertThat(dom0.grantTable().map(map)).isZero();
            assertThat(dom0.grantTable().copy(copy)).isZero();
            assertThat(dom0.eventChannels().bindInterdomain(1, 1)).isEqualTo(EventChannels.NO_SUCH_DOMAIN);

            assertThat(map.status(0)).isEqualTo(GrantStatus.BAD_DOMAIN);
            assertThat(copy.status(0)).isEqualTo(GrantStatus.BAD_DOMAIN);
            assertThat(new SimInspector(backend).grants(1)).isEmpty();
        }
    }

    /** The hostile domain's own mapping of one of its files. */
    static SharedMemory hostileMapping(final SimFixture sim, final int domid, final String kind)
    {
        final int generation = sim.system.view(domid).generation;
        return SharedMemory.open(sim.directory.resolve("dom" + domid + ".gen" + generation + "." + kind),
            SharedMemory.Access.READ_WRITE);
    }
}
