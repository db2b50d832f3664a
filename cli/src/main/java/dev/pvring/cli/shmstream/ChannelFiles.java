/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;

/**
 * Opens the files behind channels and events for the shmstream commands.
 */
final class ChannelFiles
{
    /** Default channel region: 1 MiB, as the 2019 Muen example policy's network channels. */
    static final long DEFAULT_REGION_SIZE = 1 << 20;

    private ChannelFiles()
    {
    }

    /**
     * Maps a channel for writing. An existing file is used as it is ({@code regionSize}, if given, must fit in it);
     * a new one is created zero-filled under a temporary name and renamed into place, so a reader never sees a
     * half-sized file.
     *
     * @param path       channel file.
     * @param regionSize bytes, or {@code null} for the existing file's size (or the default for a new file).
     * @return the mapping.
     */
    static SharedMemory openForWriting(final Path path, final Long regionSize)
    {
        if (regionSize != null && (regionSize <= 0 || regionSize % SharedMemory.PAGE_SIZE != 0))
        {
            throw new IllegalArgumentException("region size must be a positive multiple of " + SharedMemory.PAGE_SIZE +
                ": regionSize=" + regionSize);
        }
        if (Files.exists(path))
        {
            if (regionSize == null)
            {
                return SharedMemory.open(path, SharedMemory.Access.READ_WRITE);
            }
            return SharedMemory.open(path, 0, regionSize, SharedMemory.Access.READ_WRITE);
        }
        final long size = regionSize == null ? DEFAULT_REGION_SIZE : regionSize;
        final Path parent = path.toAbsolutePath().getParent();
        final Path temporary = parent.resolve("." + path.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        final SharedMemory memory = SharedMemory.create(temporary, size);
        try
        {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
            return memory;
        }
        catch (final IOException ex)
        {
            memory.close();
            try
            {
                Files.deleteIfExists(temporary);
            }
            catch (final IOException ignore)
            {
                // the original failure matters more
            }
            throw new UncheckedIOException("cannot create channel file: path=" + path, ex);
        }
    }

    /**
     * Maps a channel read-only, waiting for the file to appear if {@code wait} is set.
     *
     * @param path     channel file.
     * @param wait     whether to wait for the writer to create it.
     * @param progress where to say that we wait.
     * @return the mapping.
     * @throws InterruptedException if interrupted while waiting.
     */
    static SharedMemory openForReading(final Path path, final boolean wait, final PrintStream progress)
        throws InterruptedException
    {
        boolean told = false;
        while (wait && (!Files.exists(path) || size(path) == 0))
        {
            if (!told)
            {
                progress.println("waiting for " + path + " to be created by its writer");
                told = true;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return SharedMemory.open(path, SharedMemory.Access.READ_ONLY);
    }

    private static long size(final Path path)
    {
        try
        {
            return Files.size(path);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    /**
     * Maps (creating if needed) a one-page event file and binds a {@link FutexEvent} at offset 0.
     *
     * @param path event file.
     * @return the mapping; the event is {@code new FutexEvent(memory.buffer(), 0)}.
     */
    static SharedMemory openEvent(final Path path)
    {
        return SharedMemory.createOrOpen(path, SharedMemory.PAGE_SIZE);
    }
}
