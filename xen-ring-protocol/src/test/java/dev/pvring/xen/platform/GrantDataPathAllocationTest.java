/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

/**
 * The per-request paths of the grant machinery allocate nothing: page pool acquire/release, persistent-grant cache
 * hits, and reusing a map batch (clear, add, read statuses); a reused batch maps and unmaps many times and leaves
 * no pin behind.
 */
class GrantDataPathAllocationTest
{
    private static final int ROUNDS = 100_000;

    private static long allocatedBy(final Runnable work)
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        work.run();
        final long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void shouldNotAllocatePerRequest()
    {
        try (SimFixture sim = new SimFixture();
            GrantPagePool pool = GrantPagePool.create(sim.dom1.grantTable(), sim.dom1.localPages(), 0, 16, false);
            PersistentGrantCache cache = new PersistentGrantCache(sim.dom0.grantTable(), 16, false))
        {
            for (int page = 0; page < 16; page++)
            {
                cache.acquire(1, pool.ref(page));
                cache.release(1, pool.ref(page));
            }
            final GrantMapBatch batch = new GrantMapBatch(11);
            final long[] sink = new long[1];
            final Runnable perRequest = () ->
            {
                for (int i = 0; i < ROUNDS; i++)
                {
                    final int a = pool.acquire();
                    final int b = pool.acquire();
                    final GrantMapping mapping = cache.acquire(1, pool.ref(a));
                    sink[0] += mapping.buffer().getLong(0) + pool.buffer(b).getLong(0);
                    cache.release(1, pool.ref(a));
                    batch.clear();
                    for (int k = 0; k < 11; k++)
                    {
                        batch.add(1, pool.ref(k), true);
                    }
                    sink[0] += batch.status(10) + batch.size();
                    pool.release(b);
                    pool.release(a);
                }
            };

            final long allocated = allocatedBy(perRequest);

            assertThat(allocated).as("bytes allocated by %d rounds", ROUNDS).isLessThan(1024);
            assertThat(cache.misses()).as("every round hit the cache").isEqualTo(16);
            assertThat(cache.hits()).isEqualTo(2L * ROUNDS);
        }
    }

    @Test
    void shouldReuseOneMapBatchForManyRequests()
    {
        try (SimFixture sim = new SimFixture();
            GrantPagePool pool = GrantPagePool.create(sim.dom1.grantTable(), sim.dom1.localPages(), 0, 11, true))
        {
            final GrantTable back = sim.dom0.grantTable();
            final GrantMapBatch batch = new GrantMapBatch(11);
            for (int round = 0; round < 500; round++)
            {
                batch.clear();
                final int segments = 1 + round % 11;
                for (int k = 0; k < segments; k++)
                {
                    pool.buffer(k).putInt(0, round * 100 + k);
                    batch.add(1, pool.ref(k), true);
                }
                // Segment 3 of every fifth request is a bad ref: only it fails, the rest map (T6).
                if (round % 5 == 0 && segments > 3)
                {
                    batch.clear();
                    for (int k = 0; k < segments; k++)
                    {
                        batch.add(1, k == 3 ? 1 << 20 : pool.ref(k), true);
                    }
                }
                final boolean bad = round % 5 == 0 && segments > 3;

                assertThat(back.map(batch)).isEqualTo(bad ? segments - 1 : segments);
                for (int k = 0; k < segments; k++)
                {
                    if (bad && k == 3)
                    {
                        assertThat(batch.status(k)).isEqualTo(GrantStatus.BAD_GNTREF);
                    }
                    else
                    {
                        assertThat(batch.buffer(k).getInt(0)).isEqualTo(round * 100 + k);
                    }
                }
                assertThat(back.unmap(batch)).isEqualTo(bad ? segments - 1 : segments);
            }
            batch.clear();
            assertThat(new SimInspector(sim.system).grants(1)).allSatisfy(g -> assertThat(g.mapCount()).isZero());
            assertThat(new SimInspector(sim.system).mappings(0)).isEmpty();
        }
    }
}
