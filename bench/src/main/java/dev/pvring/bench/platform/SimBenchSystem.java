/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.platform;

import java.nio.file.Path;
import java.util.UUID;

import dev.pvring.xen.platform.SimDomainConfig;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimSystem;

/**
 * A throw-away simulated system in {@code /dev/shm/pvring-bench/} with dom0 and dom1 joined by this process.
 */
final class SimBenchSystem implements AutoCloseable
{
    final Path directory = Path.of("/dev/shm/pvring-bench", "sim-" + UUID.randomUUID());
    final SimSystem system;
    final SimPlatform dom0;
    final SimPlatform dom1;

    SimBenchSystem()
    {
        system = SimSystem.create(directory, 4, SimDomainConfig.defaults(0).withPages(1024));
        dom0 = system.join(0);
        dom0.createDomain(SimDomainConfig.defaults(1).withPages(1024));
        dom1 = system.join(1);
    }

    @Override
    public void close()
    {
        dom1.close();
        dom0.close();
        system.close();
        SimSystem.delete(directory);
    }
}
