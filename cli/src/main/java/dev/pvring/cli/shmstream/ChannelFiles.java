/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.pvring.core.SharedMemory;
import dev.pvring.core.SharedMemoryException;
import dev.pvring.shmstream.ShmStreamDescriptor;

/**
 * Opens the files behind channels and events for the shmstream commands, under the CLI's rule for shared files: a
 * command creates a missing file, reuses a file that is already of its kind (a channel file starts with the
 * SHMStream v2 marker; an event file is one page, zero but for the futex word at 0), and refuses anything else
 * ({@link RefusedException}) unless {@code --replace} asks to replace it (the option every {@code pvring} command
 * that creates shared files offers; {@code --force} is an alias here). Only a regular file is ever replaced, never
 * a directory, a device or a link. New files are created whole under a
 * temporary name and then linked into place, which fails instead of replacing a file that appeared meanwhile; a
 * replacement is renamed over the old file (whose contents are never written).
 */
final class ChannelFiles
{
    /** Default channel region: 1 MiB, as the 2019 Muen example policy's network channels. */
    static final long DEFAULT_REGION_SIZE = 1 << 20;

    /**
     * A mapped file and whether this command created it (so it may delete it when interrupted).
     *
     * @param memory  the mapping.
     * @param path    the file.
     * @param created whether the file did not exist (or was replaced by {@code --replace}).
     */
    record Opened(SharedMemory memory, Path path, boolean created)
    {
        /** Deletes the file if this command created it (a mapping stays valid for whoever holds it). */
        void deleteIfCreated()
        {
            if (created)
            {
                try
                {
                    Files.deleteIfExists(path);
                }
                catch (final IOException ignore)
                {
                    // best effort while stopping
                }
            }
        }
    }

    private ChannelFiles()
    {
    }

    /**
     * Checks a region size given on the command line.
     *
     * @param regionSize bytes, or null.
     * @return null if fine, else the usage error.
     */
    static String checkRegionSize(final Long regionSize)
    {
        if (regionSize != null && (regionSize <= 0 || regionSize % SharedMemory.PAGE_SIZE != 0 ||
            regionSize > SharedMemory.MAX_SIZE))
        {
            return "region size must be a positive multiple of " + SharedMemory.PAGE_SIZE + " up to " +
                SharedMemory.MAX_SIZE + ": regionSize=" + regionSize;
        }
        return null;
    }

    /**
     * Maps a channel for writing: creates a missing file (zero-filled, {@code regionSize} or 1 MiB), reuses an
     * SHMStream channel file ({@code regionSize}, if given, must fit in it), refuses any other file unless
     * {@code force}, which replaces it with a new channel file.
     *
     * @param path       channel file.
     * @param regionSize bytes, or {@code null} for the existing file's size (or the default for a new file).
     * @param force      whether to replace a file that is not a channel.
     * @return the mapping.
     * @throws RefusedException if the file is not a channel and {@code force} is not set, or is a directory.
     */
    static Opened openForWriting(final Path path, final Long regionSize, final boolean force)
    {
        final long size = regionSize == null ? DEFAULT_REGION_SIZE : regionSize;
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            return new Opened(createWhole(path, size, false), path, true);
        }
        final String mismatch = channelMismatch(path);
        if (mismatch != null)
        {
            checkReplaceable(path, mismatch, force, "channel");
            return new Opened(createWhole(path, size, true), path, true);
        }
        final SharedMemory memory = regionSize == null ?
            SharedMemory.open(path, SharedMemory.Access.READ_WRITE) :
            SharedMemory.open(path, 0, regionSize, SharedMemory.Access.READ_WRITE);
        return new Opened(memory, path, false);
    }

    /**
     * Why a file is not an SHMStream v2 channel file, or null if it is one: a regular file whose size is a
     * positive multiple of 4096 (as Muen requires) and which starts with the SHMStream v2 Transport marker.
     *
     * @param path file.
     * @return null, or a reason such as {@code it is not an SHMStream v2 channel (transport=0000000000000000,
     *         expected 487312b6b79a9b6d)}.
     */
    static String channelMismatch(final Path path)
    {
        final String region = regionMismatch(path);
        if (region != null)
        {
            return region;
        }
        try
        {
            final ByteBuffer marker = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
            {
                channel.read(marker, ShmStreamDescriptor.TRANSPORT_OFFSET);
            }
            if (marker.position() != 8 || marker.getLong(0) != ShmStreamDescriptor.TRANSPORT_MARKER)
            {
                return String.format("it is not an SHMStream v2 channel (transport=%016x, expected %016x)",
                    marker.getLong(0), ShmStreamDescriptor.TRANSPORT_MARKER);
            }
            return null;
        }
        catch (final IOException ex)
        {
            return "it cannot be read (" + ex.getMessage() + ")";
        }
    }

    /**
     * Why a file cannot hold an SHMStream v2 channel region, or null if it can: it must be a regular file whose
     * size is a positive multiple of 4096 (Muen regions are whole pages).
     *
     * @param path file.
     * @return null, or the reason.
     */
    static String regionMismatch(final Path path)
    {
        try
        {
            final BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile())
            {
                return "it is not a regular file";
            }
            final long size = attributes.size();
            if (size < SharedMemory.PAGE_SIZE || size % SharedMemory.PAGE_SIZE != 0 || size > SharedMemory.MAX_SIZE)
            {
                return "it is not an SHMStream v2 channel (size " + size + " is not a positive multiple of " +
                    SharedMemory.PAGE_SIZE + ")";
            }
            return null;
        }
        catch (final IOException ex)
        {
            return "it cannot be read (" + ex.getMessage() + ")";
        }
    }

    /**
     * Maps an event file (one page, futex word at 0): creates a missing one, reuses one that looks like a pvring
     * event file, refuses anything else unless {@code force} (which replaces it).
     *
     * @param path  event file.
     * @param force whether to replace a file that is not an event file.
     * @return the mapping; the event is {@code new FutexEvent(memory.buffer(), 0)}.
     */
    static Opened openEvent(final Path path, final boolean force)
    {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            return new Opened(createWhole(path, SharedMemory.PAGE_SIZE, false), path, true);
        }
        final String mismatch = eventMismatch(path);
        if (mismatch != null)
        {
            checkReplaceable(path, mismatch, force, "event");
            return new Opened(createWhole(path, SharedMemory.PAGE_SIZE, true), path, true);
        }
        return new Opened(SharedMemory.open(path, SharedMemory.Access.READ_WRITE), path, false);
    }

    private static String eventMismatch(final Path path)
    {
        try
        {
            final BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile())
            {
                return "it is not a regular file";
            }
            if (attributes.size() != SharedMemory.PAGE_SIZE)
            {
                return "it is not a one-page event file (size " + attributes.size() + ")";
            }
            final byte[] bytes = Files.readAllBytes(path);
            for (int i = 4; i < bytes.length; i++)
            {
                if (bytes[i] != 0)
                {
                    return "it is not an event file (non-zero byte at offset " + i + ")";
                }
            }
            return null;
        }
        catch (final IOException ex)
        {
            return "it cannot be read (" + ex.getMessage() + ")";
        }
    }

    /** Refuses unless asked to replace, and then only a regular file. */
    private static void checkReplaceable(final Path path, final String mismatch, final boolean replace,
        final String kind)
    {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
        {
            throw new RefusedException("refusing to use " + path + " as a" + ("event".equals(kind) ? "n " : " ") +
                kind + " file: " + mismatch + " (--replace replaces regular files only)");
        }
        if (!replace)
        {
            throw new RefusedException("refusing to use " + path + " as a" + ("event".equals(kind) ? "n " : " ") +
                kind + " file: " + mismatch + " (--replace replaces it with a new " + kind + " file)");
        }
    }

    /**
     * Creates a zero-filled file of {@code size} bytes under a temporary name in the same directory, then links it
     * into place (failing if a file appeared there meanwhile) or, with {@code replace}, renames it over the old one.
     */
    private static SharedMemory createWhole(final Path path, final long size, final boolean replace)
    {
        final Path parent = path.toAbsolutePath().getParent();
        final Path temporary = parent.resolve(
            "." + path.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        final SharedMemory memory = SharedMemory.create(temporary, size);
        try
        {
            if (replace)
            {
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            else
            {
                link(temporary, path);
            }
            return memory;
        }
        catch (final FileAlreadyExistsException ex)
        {
            memory.close();
            deleteQuietly(temporary);
            throw new RefusedException("refusing to overwrite " + path + ": another process created it meanwhile");
        }
        catch (final IOException ex)
        {
            memory.close();
            deleteQuietly(temporary);
            throw new UncheckedIOException("cannot create " + path + ": " + ex.getMessage(), ex);
        }
    }

    /** link(2) never replaces; where hard links are not supported, a plain move (which checks first). */
    private static void link(final Path temporary, final Path path) throws IOException
    {
        try
        {
            Files.createLink(path, temporary);
        }
        catch (final UnsupportedOperationException ex)
        {
            Files.move(temporary, path);
            return;
        }
        Files.delete(temporary);
    }

    private static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // the original failure matters more
        }
    }

    /**
     * Maps a channel read-only once it exists and can hold a region (a regular file, a positive multiple of 4096
     * bytes), saying once that it waits.
     *
     * @param path     channel file.
     * @param progress where to say that it waits.
     * @param stopped  whether to give up (a signal arrived).
     * @return the mapping, or null if stopped first.
     * @throws InterruptedException if interrupted while waiting.
     */
    static SharedMemory awaitForReading(final Path path, final PrintWriter progress, final BooleanSupplier stopped)
        throws InterruptedException
    {
        String told = null;
        while (!stopped.getAsBoolean())
        {
            final String reason = Files.exists(path) ? regionMismatch(path) : "it does not exist yet";
            if (reason == null)
            {
                try
                {
                    return SharedMemory.open(path, SharedMemory.Access.READ_ONLY);
                }
                catch (final SharedMemoryException ex)
                {
                    // replaced or removed between the check and the open: look again
                }
            }
            else if (!reason.equals(told))
            {
                progress.println("waiting for the peer to create " + path + ": " + reason);
                progress.flush();
                told = reason;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return null;
    }

    /**
     * The identity of the file at {@code path} now (device and inode), to notice that a writer replaced it.
     *
     * @param path file.
     * @return the file key, or null if there is no file.
     */
    static Object fileKey(final Path path)
    {
        try
        {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }
}
