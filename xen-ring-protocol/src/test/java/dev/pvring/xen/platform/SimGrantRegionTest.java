/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import dev.pvring.core.ReadOnlyMappingException;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Multi-page grants on the simulated platform: N refs mapped into one contiguous region, N contiguous local pages,
 * all-or-nothing failures naming the failing entry (T6).
 */
class SimGrantRegionTest
{
    private static final int PAGE = GrantTable.PAGE_SIZE;

    private Path directory;
    private SimSystem system;
    private SimPlatform dom0;
    private SimPlatform dom1;
    private GrantTable back;
    private GrantTable front;
    private final GrantMapFailure failure = new GrantMapFailure();

    @BeforeEach
    void setUp()
    {
        directory = SimFixture.newDirectory();
        system = SimSystem.create(directory, 4,
            SimDomainConfig.defaults(0).withPages(64).withGrantEntries(64).withPorts(16).withMaptrackEntries(600));
        dom0 = system.join(0);
        dom0.createDomain(
            SimDomainConfig.defaults(1).withPages(600).withGrantEntries(600).withPorts(16).withMaptrackEntries(16));
        dom1 = system.join(1);
        back = dom0.grantTable();
        front = dom1.grantTable();
    }

    @AfterEach
    void tearDown()
    {
        dom1.close();
        dom0.close();
        system.close();
        SimSystem.delete(directory);
    }

    private SimInspector inspector()
    {
        return new SimInspector(system);
    }

    private int pinsOfDom1()
    {
        return inspector().grants(1).stream().mapToInt(SimInspector.GrantInfo::mapCount).sum();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 256})
    void shouldMapNPagesIntoOneContiguousBufferInRefOrder(final int pages)
    {
        final LocalPageRange range = dom1.localPages().allocateContiguous(pages);
        final int[] refs = new int[pages];
        assertThat(front.grantAccess(0, range, false, refs)).isEqualTo(GrantStatus.OKAY);
        for (int i = 0; i < pages; i++)
        {
            range.buffer().putInt(i * PAGE, 1000 + i);
            range.buffer().putInt(i * PAGE + PAGE - 4, 5000 + i);
        }
        // Map in reverse order: page i of the region must show the frame of refs[i], not of a neighbour.
        final int[] reversed = new int[pages];
        for (int i = 0; i < pages; i++)
        {
            reversed[i] = refs[pages - 1 - i];
        }

        final GrantRegion region = back.mapRegion(1, reversed, pages, false, failure);

        assertThat(region).as(failure.toString()).isNotNull();
        assertThat(failure.isFailed()).isFalse();
        assertThat(region.pages()).isEqualTo(pages);
        assertThat(region.domid()).isEqualTo(1);
        final AtomicBuffer buffer = region.buffer();
        assertThat(buffer.capacity()).isEqualTo(pages * PAGE);
        for (int i = 0; i < pages; i++)
        {
            assertThat(region.ref(i)).isEqualTo(reversed[i]);
            assertThat(buffer.getInt(i * PAGE)).as("page %d", i).isEqualTo(1000 + pages - 1 - i);
            assertThat(buffer.getInt(i * PAGE + PAGE - 4)).as("end of page %d", i).isEqualTo(5000 + pages - 1 - i);
        }
        buffer.putLong(0, 0x0123456789ABCDEFL);
        assertThat(range.buffer().getLong((pages - 1) * PAGE)).as("writes reach the granter").isEqualTo(
            0x0123456789ABCDEFL);
        assertThat(pinsOfDom1()).isEqualTo(pages);
        assertThat(inspector().mappings(0)).hasSize(pages);
        assertThat(front.tryEndAccess(refs[0])).as("mapped: end of access fails").isFalse();

        assertThat(back.unmapRegion(region)).isTrue();
        assertThat(back.unmapRegion(region)).as("exactly once").isFalse();

        assertThat(region.isMapped()).isFalse();
        assertThat(buffer.capacity()).as("detached").isZero();
        assertThatThrownBy(region::buffer).isInstanceOf(IllegalStateException.class);
        assertThat(pinsOfDom1()).isZero();
        assertThat(inspector().mappings(0)).isEmpty();
        for (final int ref : refs)
        {
            assertThat(front.tryEndAccess(ref)).isTrue();
        }
        dom1.localPages().free(range);
        assertThat(inspector().grants(1)).isEmpty();
    }

    @Test
    void shouldMapAReadOnlyRegionWithoutWritePermission()
    {
        final int pages = 4;
        final LocalPageRange range = dom1.localPages().allocateContiguous(pages);
        final int[] refs = new int[pages];
        assertThat(front.grantAccess(0, range, true, refs)).isEqualTo(GrantStatus.OKAY);
        range.buffer().putInt(3 * PAGE, 33);

        assertThat(back.mapRegion(1, refs, pages, false, failure)).as("writable map of read-only grants").isNull();
        assertThat(failure.index()).isZero();
        assertThat(failure.status()).isEqualTo(GrantStatus.PERMISSION_DENIED);

        final GrantRegion region = back.mapRegion(1, refs, pages, true, failure);

        assertThat(region).isNotNull();
        assertThat(region.isReadOnly()).isTrue();
        assertThat(region.buffer()).isInstanceOf(ReadOnlyAtomicBuffer.class);
        assertThat(region.buffer().getInt(3 * PAGE)).isEqualTo(33);
        assertThatThrownBy(() -> region.buffer().putInt(3 * PAGE, 1)).isInstanceOf(ReadOnlyMappingException.class);
        final long address = region.buffer().addressOffset();
        for (int i = 0; i < pages; i++)
        {
            assertThat(protection(address + (long)i * PAGE)).as("page %d", i).isEqualTo("r--s");
        }
        back.unmapRegion(region);
        assertThat(protection(address)).as("unmapped").isNull();

        final int[] writableRefs = new int[pages];
        final LocalPageRange other = dom1.localPages().allocateContiguous(pages);
        front.grantAccess(0, other, false, writableRefs);
        final GrantRegion writable = back.mapRegion(1, writableRefs, pages, false, failure);
        for (int i = 0; i < pages; i++)
        {
            assertThat(protection(writable.buffer().addressOffset() + (long)i * PAGE)).isEqualTo("rw-s");
        }
        back.unmapRegion(writable);
    }

    @Test
    void shouldReportTheFailingEntryInTheMiddleAndLeaveNothingMapped()
    {
        final int pages = 16;
        final LocalPageRange range = dom1.localPages().allocateContiguous(pages);
        final int[] refs = new int[pages];
        front.grantAccess(0, range, false, refs);
        final int revoked = refs[7];
        assertThat(front.tryEndAccess(revoked)).isTrue();
        final int slotsBefore = inspector().mappings(0).size();

        assertThat(back.mapRegion(1, refs, pages, false, failure)).isNull();

        assertThat(failure.index()).isEqualTo(7);
        assertThat(failure.status()).isEqualTo(GrantStatus.BAD_GNTREF);
        assertThat(pinsOfDom1()).as("entries 0..6 were unpinned again").isZero();
        assertThat(inspector().mappings(0)).hasSize(slotsBefore);
        assertThat(((SimGrantTable)back).liveRegions()).isZero();

        // A ref out of range and a ref granted to another domain fail the same way, at their index.
        refs[7] = front.grantAccess(0, range.frame(7), false);
        refs[15] = 1 << 30;
        assertThat(back.mapRegion(1, refs, pages, false, failure)).isNull();
        assertThat(failure.index()).isEqualTo(15);
        assertThat(failure.status()).isEqualTo(GrantStatus.BAD_GNTREF);
        assertThat(back.mapRegion(2, refs, pages, false, failure)).as("no such domain").isNull();
        assertThat(failure.index()).isZero();
        assertThat(failure.status()).isEqualTo(GrantStatus.BAD_DOMAIN);
        assertThat(pinsOfDom1()).isZero();

        // The next map of good refs succeeds, and the failure report is reset.
        refs[15] = front.grantAccess(0, range.frame(15), false);
        final GrantRegion region = back.mapRegion(1, refs, pages, false, failure);
        assertThat(region).isNotNull();
        assertThat(failure.isFailed()).isFalse();
        assertThat(pinsOfDom1()).isEqualTo(pages);
        back.unmapRegion(region);
        assertThat(pinsOfDom1()).isZero();
    }

    @Test
    void shouldRefuseOutOfRangeCountsAsMisuse()
    {
        final int[] refs = new int[GrantTable.MAX_REGION_PAGES + 1];
        assertThatThrownBy(() -> back.mapRegion(1, refs, 0, false, failure))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count=0");
        assertThatThrownBy(() -> back.mapRegion(1, refs, GrantTable.MAX_REGION_PAGES + 1, false, failure))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> back.mapRegion(1, new int[2], 3, false, failure))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refs=2");
        assertThatThrownBy(() -> dom1.localPages().allocateContiguous(0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldUnmapRegionsWhenThePlatformCloses()
    {
        final LocalPageRange range = dom1.localPages().allocateContiguous(8);
        final int[] refs = new int[8];
        front.grantAccess(0, range, false, refs);
        final GrantRegion region = back.mapRegion(1, refs, 8, false, failure);
        assertThat(pinsOfDom1()).isEqualTo(8);

        dom0.close();

        assertThat(region.isMapped()).isFalse();
        assertThat(pinsOfDom1()).isZero();
        assertThat(back.unmapRegion(region)).isFalse();
    }

    @Test
    void shouldAllocateZeroedContiguousFramesAndRefuseFreeingAGrantedRange()
    {
        final LocalPages pages = dom1.localPages();
        final int freeBefore = pages.freePages();
        final LocalPageRange dirty = pages.allocateContiguous(3);
        dirty.buffer().setMemory(0, 3 * PAGE, (byte)0x77);
        pages.free(dirty);

        final LocalPageRange range = pages.allocateContiguous(3);

        assertThat(range.pages()).isEqualTo(3);
        assertThat(range.buffer().capacity()).isEqualTo(3 * PAGE);
        for (int i = 0; i < 3; i++)
        {
            assertThat(range.frame(i)).isEqualTo(range.firstFrame() + i);
            assertThat(range.page(i).frame()).isEqualTo(range.firstFrame() + i);
        }
        for (int i = 0; i < 3 * PAGE; i += 8)
        {
            assertThat(range.buffer().getLong(i)).as("zeroed (XSA-403) at %d", i).isZero();
        }
        range.page(2).buffer().putInt(8, 99);
        assertThat(range.buffer().getInt(2 * PAGE + 8)).as("the page views share the range's memory").isEqualTo(99);
        assertThat(pages.freePages()).isEqualTo(freeBefore - 3);

        final int ref = front.grantAccess(0, range.frame(1), false);
        assertThatThrownBy(() -> pages.free(range)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("still granted");
        assertThatThrownBy(() -> pages.free(range.page(0))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("range");
        assertThat(front.tryEndAccess(ref)).isTrue();
        pages.free(range);
        assertThat(pages.freePages()).isEqualTo(freeBefore);
        assertThat(range.buffer().capacity()).as("detached").isZero();
        assertThatThrownBy(() -> pages.free(range)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFindARunPastFragmentationOrReportNone()
    {
        final LocalPages pages = dom1.localPages();
        // Take every other frame of the first 40, so no run of 2 exists among them.
        final LocalPage[] singles = new LocalPage[40];
        for (int i = 0; i < singles.length; i++)
        {
            singles[i] = pages.allocate();
        }
        for (int i = 0; i < singles.length; i += 2)
        {
            pages.free(singles[i]);
        }

        final LocalPageRange range = pages.allocateContiguous(4);

        assertThat(range.firstFrame()).isEqualTo(40);
        for (int i = 1; i < singles.length; i += 2)
        {
            assertThat(range.firstFrame() + 3 < singles[i].frame() || range.firstFrame() > singles[i].frame())
                .as("the run avoids taken frame %d", singles[i].frame()).isTrue();
        }
        // Frames 44..599 are free: room for two runs of 256 (44..299, 300..555), not a third.
        assertThat(pages.allocateContiguous(GrantTable.MAX_REGION_PAGES).firstFrame()).isEqualTo(44);
        assertThat(pages.allocateContiguous(GrantTable.MAX_REGION_PAGES).firstFrame()).isEqualTo(300);
        assertThat(pages.allocateContiguous(GrantTable.MAX_REGION_PAGES)).as("no third run of 256").isNull();
        assertThat(pages.allocateContiguous(44)).as("556..599 still fits 44").isNotNull();
    }

    /** The permissions column of the /proc/self/maps line whose range holds {@code address}, or null. */
    static String protection(final long address)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/maps")))
            {
                final int dash = line.indexOf('-');
                final int space = line.indexOf(' ');
                final long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                final long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0)
                {
                    return line.split(" ")[1];
                }
            }
            return null;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
