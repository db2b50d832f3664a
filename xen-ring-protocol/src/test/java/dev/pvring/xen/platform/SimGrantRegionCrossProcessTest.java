/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvring.testkit.ChildJvm;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * dom1 grants from another JVM ({@link GrantRegionPeerMain}): this JVM (dom0) maps its 16-page range as one region
 * and its page pool through a persistent-grant cache; dom1's ends of access fail while mapped (the pool quarantines)
 * and all succeed once dom0 unmapped.
 */
@Timeout(120)
class SimGrantRegionCrossProcessTest
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
    void shouldMapAnotherProcesssRangeContiguouslyAndCacheItsPool() throws Exception
    {
        final int pages = GrantRegionPeerMain.RANGE_PAGES;
        try (ChildJvm child = ChildJvm.start(GrantRegionPeerMain.class, sim.directory.toString()))
        {
            mailbox.awaitAtLeast(Mailbox.CHILD_STEP, 1);
            final int[] refs = new int[pages];
            for (int i = 0; i < pages; i++)
            {
                refs[i] = (int)mailbox.get(GrantRegionPeerMain.REFS_SLOT + i);
            }
            final GrantTable grants = sim.dom0.grantTable();
            final GrantMapFailure failure = new GrantMapFailure();
            final GrantRegion region = grants.mapRegion(1, refs, pages, false, failure);
            assertThat(region).as(failure + " " + child.output()).isNotNull();
            final AtomicBuffer ring = region.buffer();
            for (int i = 0; i < pages; i++)
            {
                assertThat(ring.getLong(i * GrantTable.PAGE_SIZE)).isEqualTo(0xABC0_0000L + i);
            }
            ring.putLongVolatile((pages - 1) * GrantTable.PAGE_SIZE + 8, 0xD0D0L);
            final PersistentGrantCache cache = new PersistentGrantCache(grants, 2, false);
            int seen = 0;
            for (int round = 0; round < 3; round++)
            {
                for (int page = 0; page < GrantRegionPeerMain.POOL_PAGES; page++)
                {
                    final int ref = (int)mailbox.get(GrantRegionPeerMain.REFS_SLOT + pages + page);
                    seen += cache.acquire(1, ref).buffer().getInt(0) == 700 + page ? 1 : 0;
                    cache.release(1, ref);
                }
            }
            assertThat(seen).isEqualTo(3 * GrantRegionPeerMain.POOL_PAGES);
            assertThat(cache.size()).as("bounded").isEqualTo(2);
            assertThat(cache.evictions()).isEqualTo(3 * GrantRegionPeerMain.POOL_PAGES - 2);
            mailbox.put(Mailbox.STEP, 1);
            mailbox.awaitAtLeast(Mailbox.CHILD_STEP, 2);

            assertThat(mailbox.get(Mailbox.RESULT)).as("no end of access while the region is mapped").isZero();
            assertThat(mailbox.get(Mailbox.RESULT2)).as("the two cached pool pages are quarantined").isEqualTo(2);

            assertThat(grants.unmapRegion(region)).isTrue();
            cache.close();
            mailbox.put(Mailbox.STEP, 2);
            mailbox.awaitAtLeast(Mailbox.CHILD_STEP, 3);
            assertThat(mailbox.get(Mailbox.COUNT)).as("range refs ended + quarantined pages released")
                .isEqualTo(pages + 2);
            assertThat(child.waitFor(60)).as(child.output()).isZero();
        }
        assertThat(new SimInspector(sim.system).grants(1)).isEmpty();
        assertThat(new SimInspector(sim.system).mappings(0)).isEmpty();
    }
}
