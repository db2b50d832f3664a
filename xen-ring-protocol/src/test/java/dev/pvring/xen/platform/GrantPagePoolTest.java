/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The frontend page pool on the simulated platform: granted once, LIFO reuse, end of access exactly once at close,
 * quarantine of pages the backend still maps (XSA-396, T5).
 */
class GrantPagePoolTest
{
    private SimFixture sim;
    private CountingGrantTable front;
    private LocalPages pages;

    @BeforeEach
    void setUp()
    {
        sim = new SimFixture();
        front = new CountingGrantTable(sim.dom1.grantTable());
        pages = sim.dom1.localPages();
    }

    @AfterEach
    void tearDown()
    {
        sim.close();
    }

    @Test
    void shouldGrantEveryPageOnceAndReuseLastReleasedFirst()
    {
        final int freeBefore = pages.freePages();
        try (GrantPagePool pool = GrantPagePool.create(front, pages, 0, 8, false))
        {
            assertThat(pool.capacity()).isEqualTo(8);
            assertThat(front.grantCalls).isEqualTo(8);
            assertThat(new SimInspector(sim.system).grants(1)).hasSize(8)
                .allSatisfy(g -> assertThat(g.grantee()).isZero())
                .allSatisfy(g -> assertThat(g.flags() & GrantEntryV1Descriptor.GTF_READONLY).isZero());
            assertThat(pages.freePages()).isEqualTo(freeBefore - 8);

            final int a = pool.acquire();
            final int b = pool.acquire();
            final int c = pool.acquire();
            assertThat(Set.of(a, b, c)).hasSize(3);
            pool.release(b);
            pool.release(c);
            assertThat(pool.acquire()).as("last released first").isEqualTo(c);
            assertThat(pool.acquire()).isEqualTo(b);
            assertThat(pool.available()).isEqualTo(5);

            // 100,000 requests of churn: no grant and no end of access per request, same refs throughout.
            final Set<Integer> refs = new HashSet<>();
            for (int i = 0; i < 100_000; i++)
            {
                final int page = pool.acquire();
                refs.add(pool.ref(page));
                pool.buffer(page).putInt(0, i);
                pool.release(page);
            }
            assertThat(refs).as("LIFO hands out the same hot page").hasSize(1);
            assertThat(front.grantCalls).isEqualTo(8);
            assertThat(front.endCalls).isZero();
        }
        assertThat(front.endsPerRef).hasSize(8).allSatisfy((ref, ends) -> assertThat(ends).isEqualTo(1));
        assertThat(front.endCalls).as("ended exactly once each").isEqualTo(8);
        assertThat(new SimInspector(sim.system).grants(1)).isEmpty();
        assertThat(pages.freePages()).isEqualTo(freeBefore);
    }

    @Test
    void shouldHandOutEveryPageThenReportEmpty()
    {
        try (GrantPagePool pool = GrantPagePool.create(front, pages, 0, 4, true))
        {
            final Set<Integer> handles = new HashSet<>();
            for (int i = 0; i < 4; i++)
            {
                handles.add(pool.acquire());
            }
            assertThat(handles).containsExactlyInAnyOrder(0, 1, 2, 3);
            assertThat(pool.acquire()).isEqualTo(GrantPagePool.EMPTY);
            assertThat(pool.isInUse(2)).isTrue();
            pool.release(2);
            assertThat(pool.isInUse(2)).isFalse();
            assertThatThrownBy(() -> pool.release(2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("page=2");
            assertThatThrownBy(() -> pool.release(4)).isInstanceOf(IllegalArgumentException.class);
            assertThat(new SimInspector(sim.system).grants(1))
                .allSatisfy(g -> assertThat(g.flags() & GrantEntryV1Descriptor.GTF_READONLY).isNotZero());
        }
    }

    @Test
    void shouldLetTheBackendMapAPoolPageAndQuarantineItIfStillMappedAtClose()
    {
        final GrantTable back = sim.dom0.grantTable();
        final int freeBefore = pages.freePages();
        final GrantPagePool pool = GrantPagePool.create(front, pages, 0, 4, false);
        final int page = pool.acquire();
        pool.buffer(page).putLong(0, 0xFEEDL);
        final GrantMapBatch batch = new GrantMapBatch(1);
        batch.add(1, pool.ref(page), false);
        assertThat(back.map(batch)).isEqualTo(1);
        assertThat(batch.buffer(0).getLong(0)).isEqualTo(0xFEEDL);

        pool.close();

        assertThat(pool.quarantinedPages()).isEqualTo(1);
        assertThat(pool.isQuarantined(page)).isTrue();
        assertThat(front.endCalls).as("one attempt per page").isEqualTo(4);
        assertThat(new SimInspector(sim.system).grants(1)).as("the mapped grant stays").singleElement()
            .satisfies(g -> assertThat(g.ref()).isEqualTo(pool.ref(page)));
        assertThat(pages.freePages()).as("the quarantined page is not freed").isEqualTo(freeBefore - 1);
        assertThatThrownBy(pool::acquire).isInstanceOf(IllegalStateException.class);
        assertThat(batch.buffer(0).getLong(0)).as("the backend's view still holds the old data, nothing reused")
            .isEqualTo(0xFEEDL);

        assertThat(pool.retryQuarantined()).as("still mapped").isZero();
        back.unmap(batch);
        assertThat(pool.retryQuarantined()).isEqualTo(1);
        assertThat(pool.quarantinedPages()).isZero();
        assertThat(front.endsPerRef).hasSize(4).allSatisfy((ref, ends) -> assertThat(ends).isEqualTo(1));
        assertThat(new SimInspector(sim.system).grants(1)).isEmpty();
        assertThat(pages.freePages()).isEqualTo(freeBefore);
        pool.close();
        assertThat(front.endsPerRef.values()).as("closing twice ends nothing again").containsOnly(1);
    }

    @Test
    void shouldGiveEverythingBackWhenThePoolCannotBeFilled()
    {
        final int freeBefore = pages.freePages();

        final GrantPagePool pool = GrantPagePool.create(front, pages, 0, freeBefore + 1, false);

        assertThat(pool).isNull();
        assertThat(pages.freePages()).isEqualTo(freeBefore);
        assertThat(new SimInspector(sim.system).grants(1)).isEmpty();
        assertThatThrownBy(() -> GrantPagePool.create(front, pages, 0, 0, false))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
