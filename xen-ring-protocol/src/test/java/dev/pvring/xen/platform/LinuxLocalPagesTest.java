/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The Linux platform's page pool needs no Xen: contiguous runs, zeroing, fragmentation and the refusal to free a
 * granted page are checked here (granting itself needs {@code /dev/xen/gntalloc}).
 */
class LinuxLocalPagesTest
{
    @Test
    void shouldAllocateContiguousZeroedRunsAroundSinglePages()
    {
        final LinuxLocalPages pages = new LinuxLocalPages(32);
        try
        {
            final LocalPage[] singles = new LocalPage[8];
            for (int i = 0; i < singles.length; i++)
            {
                singles[i] = pages.allocate();
                singles[i].buffer().putLong(0, -1L);
            }
            pages.free(singles[2]);
            pages.free(singles[3]);
            pages.free(singles[5]);

            final LocalPageRange two = pages.allocateContiguous(2);
            final LocalPageRange big = pages.allocateContiguous(20);

            assertThat(two.firstFrame()).isEqualTo(singles[2].frame());
            assertThat(two.buffer().getLong(0)).as("zeroed").isZero();
            assertThat(two.buffer().getLong(4096)).as("zeroed").isZero();
            assertThat(big.firstFrame()).as("after the last single page").isEqualTo(8);
            assertThat(big.buffer().capacity()).isEqualTo(20 * 4096);
            assertThat(big.buffer().addressOffset() - pages.address(0)).isEqualTo(8L * 4096);
            assertThat(pages.freePages()).isEqualTo(32 - 8 + 3 - 2 - 20);
            assertThat(pages.allocateContiguous(5)).as("only frames 5, 28..31 are free").isNull();
            assertThat(pages.allocateContiguous(4).firstFrame()).isEqualTo(28);

            pages.granted(big.firstFrame() + 7, 1);
            assertThatThrownBy(() -> pages.free(big)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("frame=15");
            pages.granted(big.firstFrame() + 7, -1);
            assertThatThrownBy(() -> pages.free(big.page(0))).isInstanceOf(IllegalArgumentException.class);
            pages.free(big);
            assertThat(big.buffer().capacity()).isZero();
            assertThatThrownBy(() -> pages.free(big)).isInstanceOf(IllegalArgumentException.class);
            assertThat(pages.allocateContiguous(20).firstFrame()).isEqualTo(8);
            assertThatThrownBy(() -> pages.allocateContiguous(GrantTable.MAX_REGION_PAGES + 1))
                .isInstanceOf(IllegalArgumentException.class);
        }
        finally
        {
            pages.close();
        }
    }
}
