/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.nio.file.Path;
import java.util.UUID;

/**
 * A throw-away simulated system under {@code /dev/shm/pvring-test/}, with dom0 and dom1 joined by this
 * process; deleted on close.
 */
final class SimFixture implements AutoCloseable
{
    final Path directory;
    final SimSystem system;
    final SimPlatform dom0;
    final SimPlatform dom1;

    SimFixture()
    {
        this(SimDomainConfig.defaults(1).withPages(64).withGrantEntries(64).withPorts(64).withMaptrackEntries(64));
    }

    SimFixture(final SimDomainConfig dom1Config)
    {
        directory = newDirectory();
        system = SimSystem.create(directory, 8,
            SimDomainConfig.defaults(0).withPages(64).withGrantEntries(64).withPorts(64).withMaptrackEntries(64));
        dom0 = system.join(0);
        dom0.createDomain(dom1Config);
        dom1 = system.join(dom1Config.domid());
    }

    static Path newDirectory()
    {
        return Path.of("/dev/shm/pvring-test", "sim-" + UUID.randomUUID());
    }

    @Override
    public void close()
    {
        dom1.close();
        dom0.close();
        system.close();
        try
        {
            java.nio.file.Files.deleteIfExists(directory.resolve("mailbox"));
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        SimSystem.delete(directory);
    }
}
