/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * What the Linux /dev/xen platform can show without Xen: a clear error when the devices are missing, and its
 * local page pool. (Its grant and event channel paths are untested here: no Xen host.)
 */
class LinuxPlatformTest
{
    @Test
    void shouldExplainAMissingXenDevice()
    {
        assertThatThrownBy(() -> LinuxDevice.open("/dev/xen/pvring-test-missing", dev.pvring.core.linux.LibC.O_RDWR))
            .isInstanceOf(PlatformException.class)
            .hasMessage("cannot open Xen device: path=/dev/xen/pvring-test-missing errno=2 (No such file or " +
                "directory); the Linux platform needs a Xen dom0 or driver domain with the xen-gntdev, xen-gntalloc " +
                "and xen-evtchn drivers (use the simulated platform elsewhere)");
        assertThatThrownBy(() -> LinuxPlatform.open(0x7FF0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("domid out of range: domid=32752 max=32751");
    }

    @Test
    void shouldOpenOnXenAndFailClearlyElsewhere()
    {
        if (Files.exists(Path.of(LinuxPlatform.GNTDEV)))
        {
            try (LinuxPlatform platform = LinuxPlatform.open(0))
            {
                assertThat(platform.localPages().freePages()).isEqualTo(LinuxPlatform.DEFAULT_PAGES);
            }
        }
        else
        {
            assertThatThrownBy(() -> LinuxPlatform.open(0))
                .isInstanceOf(PlatformException.class)
                .hasMessageStartingWith("cannot open Xen device: path=/dev/xen/gntdev errno=2");
        }
    }

    @Test
    void shouldAllocateZeroedLocalPagesAndRefuseToFreeGrantedOnes()
    {
        final LinuxLocalPages pages = new LinuxLocalPages(2);
        try
        {
            final LocalPage page = pages.allocate();
            page.buffer().putLong(0, -1L);
            pages.granted(page.frame(), 1);
            assertThatThrownBy(() -> pages.free(page))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("page is still granted: frame=" + page.frame() + " grants=1 (end access first)");
            pages.granted(page.frame(), -1);
            pages.free(page);
            assertThat(pages.allocate()).isNotNull();
            final LocalPage again = pages.allocate();
            assertThat(again.buffer().getLong(0)).isZero();
            assertThat(pages.allocate()).isNull();
            final LocalPage foreign = new LocalPage(0, new org.agrona.concurrent.UnsafeBuffer(new byte[4096]));
            assertThatThrownBy(() -> pages.free(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("page does not belong to this allocator: frame=0");
        }
        finally
        {
            pages.close();
        }
    }
}
