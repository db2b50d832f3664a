/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reaper in one process: nothing is dead, so nothing is reaped; the loop stops when told. */
class SimReaperTest
{
    private Path directory;
    private SimSystem system;

    @BeforeEach
    void setUp()
    {
        directory = Path.of("/dev/shm/pvring-test", "reaper-" + UUID.randomUUID());
        system = SimSystem.create(directory, 4, SimDomainConfig.defaults(0));
    }

    @AfterEach
    void tearDown()
    {
        system.close();
        SimSystem.delete(directory);
    }

    @Test
    void shouldReapNothingOfALiveProcessAndStopWhenTold()
    {
        try (SimPlatform dom0 = system.join(0))
        {
            dom0.createDomain(SimDomainConfig.defaults(1));
            final SimReaper reaper = new SimReaper(system);
            assertThat(reaper.reapOnce()).isZero();
            final AtomicInteger checks = new AtomicInteger();
            final long released = new SimReaper(system).run(() -> checks.incrementAndGet() > 3, 1_000_000L);
            assertThat(released).isZero();
            assertThat(checks.get()).isEqualTo(4);
            assertThat(system.isAlive(1)).isTrue();
        }
    }

    @Test
    void shouldRejectANonPositiveInterval()
    {
        assertThatThrownBy(() -> new SimReaper(system).run(() -> true, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intervalNanos=0");
    }
}
