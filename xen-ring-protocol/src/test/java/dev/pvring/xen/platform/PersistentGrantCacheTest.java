/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backend persistent-grant cache on the simulated platform: map once, reuse, LRU eviction that unmaps,
 * everything unmapped exactly once at close (the granter's map counts go back to 0).
 */
class PersistentGrantCacheTest
{
    private SimFixture sim;
    private CountingGrantTable back;
    private GrantPagePool pool;

    @BeforeEach
    void setUp()
    {
        sim = new SimFixture();
        back = new CountingGrantTable(sim.dom0.grantTable());
        pool = GrantPagePool.create(sim.dom1.grantTable(), sim.dom1.localPages(), 0, 8, false);
        for (int page = 0; page < 8; page++)
        {
            pool.buffer(page).putInt(0, 100 + page);
        }
    }

    @AfterEach
    void tearDown()
    {
        pool.close();
        sim.close();
    }

    private int pins(final int ref)
    {
        return new SimInspector(sim.system).grants(1).stream().filter(g -> g.ref() == ref)
            .mapToInt(SimInspector.GrantInfo::mapCount).sum();
    }

    @Test
    void shouldMapOnceAndServeLaterRequestsFromTheCache()
    {
        try (PersistentGrantCache cache = new PersistentGrantCache(back, 4, false))
        {
            final int ref = pool.ref(3);
            final GrantMapping first = cache.acquire(1, ref);
            assertThat(first.buffer().getInt(0)).isEqualTo(103);
            cache.release(1, ref);

            for (int i = 0; i < 1000; i++)
            {
                final GrantMapping again = cache.acquire(1, ref);
                assertThat(again).isSameAs(first);
                cache.release(1, ref);
            }

            assertThat(back.mapCalls).as("mapped once").isEqualTo(1);
            assertThat(cache.hits()).isEqualTo(1000);
            assertThat(cache.misses()).isEqualTo(1);
            assertThat(pins(ref)).isEqualTo(1);
            first.buffer().putInt(8, 7);
            assertThat(pool.buffer(3).getInt(8)).as("writable, shared").isEqualTo(7);
        }
        assertThat(pins(pool.ref(3))).isZero();
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedUnpinnedMappingAndUnmapIt()
    {
        try (PersistentGrantCache cache = new PersistentGrantCache(back, 3, false))
        {
            final int a = pool.ref(0);
            final int b = pool.ref(1);
            final int c = pool.ref(2);
            final int d = pool.ref(3);
            for (final int ref : List.of(a, b, c))
            {
                cache.acquire(1, ref);
                cache.release(1, ref);
            }
            final GrantMapping mappingOfB = cache.acquire(1, b);
            cache.release(1, b);
            cache.acquire(1, a);
            cache.release(1, a);
            // Recency now (oldest first): c, b, a.
            final GrantMapping mappingOfC = cache.acquire(1, c);
            cache.release(1, c);
            // Now: b, a, c. Adding d evicts b.

            final GrantMapping mappingOfD = cache.acquire(1, d);

            assertThat(mappingOfD.buffer().getInt(0)).isEqualTo(103);
            assertThat(cache.contains(1, b)).isFalse();
            assertThat(cache.contains(1, a)).isTrue();
            assertThat(cache.contains(1, c)).isTrue();
            assertThat(cache.evictions()).isEqualTo(1);
            assertThat(cache.size()).isEqualTo(3);
            assertThat(mappingOfB.isMapped()).isFalse();
            assertThat(back.unmapsPerMapping).containsExactly(java.util.Map.entry(mappingOfB, 1));
            assertThat(pins(b)).as("the evicted grant is no longer mapped").isZero();
            cache.release(1, d);
            assertThat(mappingOfC.isMapped()).isTrue();
        }
    }

    @Test
    void shouldNeverEvictAPinnedMappingAndReportNoSpaceWhenAllArePinned()
    {
        try (PersistentGrantCache cache = new PersistentGrantCache(back, 2, false))
        {
            final GrantMapping x = cache.acquire(1, pool.ref(0));
            final GrantMapping y = cache.acquire(1, pool.ref(1));
            assertThat(cache.acquire(1, pool.ref(0))).as("same ref twice in one request").isSameAs(x);

            assertThat(cache.acquire(1, pool.ref(2))).isNull();
            assertThat(cache.lastStatus()).isEqualTo(GrantStatus.NO_SPACE);
            assertThat(x.isMapped()).isTrue();
            assertThat(y.isMapped()).isTrue();

            cache.release(1, pool.ref(0));
            assertThat(cache.acquire(1, pool.ref(2))).as("x still pinned once").isNull();
            cache.release(1, pool.ref(0));
            assertThat(cache.acquire(1, pool.ref(2))).isNotNull();
            assertThat(x.isMapped()).as("evicted once its pins were gone").isFalse();
            assertThatThrownBy(() -> cache.release(1, pool.ref(0))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldReportABadRefWithItsStatusAndCacheNothing()
    {
        try (PersistentGrantCache cache = new PersistentGrantCache(back, 2, false))
        {
            assertThat(cache.acquire(1, 1 << 20)).isNull();
            assertThat(cache.lastStatus()).isEqualTo(GrantStatus.BAD_GNTREF);
            assertThat(cache.acquire(7, pool.ref(0))).isNull();
            assertThat(cache.lastStatus()).isEqualTo(GrantStatus.BAD_DOMAIN);
            assertThat(cache.size()).isZero();
            assertThat(cache.acquire(1, pool.ref(0))).isNotNull();
            assertThat(cache.lastStatus()).isEqualTo(GrantStatus.OKAY);
        }
    }

    @Test
    void shouldUnmapEveryMappingExactlyOnceAtDisconnect()
    {
        final PersistentGrantCache cache = new PersistentGrantCache(back, 8, false);
        for (int page = 0; page < 8; page++)
        {
            cache.acquire(1, pool.ref(page));
            if (page % 2 == 0)
            {
                cache.release(1, pool.ref(page));
            }
        }
        assertThat(new SimInspector(sim.system).grants(1)).allSatisfy(g -> assertThat(g.mapCount()).isEqualTo(1));

        cache.close();
        cache.close();

        assertThat(back.unmapsPerMapping).hasSize(8).allSatisfy((m, n) -> assertThat(n).isEqualTo(1));
        assertThat(cache.unmaps()).isEqualTo(8);
        assertThat(new SimInspector(sim.system).grants(1)).allSatisfy(g -> assertThat(g.mapCount()).isZero());
        assertThat(new SimInspector(sim.system).mappings(0)).isEmpty();
        assertThatThrownBy(() -> cache.acquire(1, pool.ref(0))).isInstanceOf(IllegalStateException.class);
        pool.close();
        assertThat(pool.quarantinedPages()).as("nothing left mapped: every page ended").isZero();
    }

    @Test
    void shouldInvalidateOnlyUnpinnedMappings()
    {
        try (PersistentGrantCache cache = new PersistentGrantCache(back, 4, false))
        {
            cache.acquire(1, pool.ref(0));
            assertThat(cache.invalidate(1, pool.ref(0))).isFalse();
            cache.release(1, pool.ref(0));
            assertThat(cache.invalidate(1, pool.ref(0))).isTrue();
            assertThat(pins(pool.ref(0))).isZero();
            assertThat(cache.invalidate(1, pool.ref(0))).isFalse();
        }
    }
}
