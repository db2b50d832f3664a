/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file this process cannot open read-write, for the "permission denied" tests.
 */
final class UnwritableFiles
{
    private UnwritableFiles()
    {
    }

    /**
     * A 4 KiB file in {@code dir} with no permissions, or, as root (who bypasses file modes), a sysfs file that
     * refuses a read-write open. Skips the test if neither is possible.
     *
     * @param dir a scratch directory the caller deletes.
     * @return the file.
     * @throws Exception if the file cannot be written.
     */
    static Path create(final Path dir) throws Exception
    {
        if ("root".equals(System.getProperty("user.name")))
        {
            final Path notes = Path.of("/sys/kernel/notes");
            assumeTrue(Files.exists(notes), "needs /sys/kernel/notes when running as root");
            return notes;
        }
        final Path locked = dir.resolve("locked");
        Files.write(locked, new byte[4096]);
        assumeTrue(locked.toFile().setWritable(false, false) && locked.toFile().setReadable(false, false));
        return locked;
    }
}
