/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.pvring.core.SharedMemory;
import dev.pvring.xen.ring.SharedRingDescriptor;
import dev.pvring.xen.store.SocketPaths;

/**
 * The one rule for commands that put an io/ring.h ring into a file: they never overwrite a file that is not
 * already a ring. A missing file is created (and deleted again if the command is stopped by a signal, see
 * {@link Signals}); an existing regular file is reused only if it is large enough and the ring's bytes are all zero
 * (never used) or hold a plausible io/ring.h header (producer indices at most a ring apart, {@code __pad} zero).
 * Anything else is refused with one line naming what is there (exit {@link ExitCodes#REFUSED}), unless the user
 * passed {@value #REPLACE_OPTION}, which replaces a regular file (never a directory, link target or device) with a
 * fresh one.
 */
public final class RingFiles
{
    /** The option every file-creating command offers to replace a file that is not its own. */
    public static final String REPLACE_OPTION = "--replace";
    /** Help text of {@value #REPLACE_OPTION}. */
    public static final String REPLACE_DESCRIPTION =
        "Replace FILE even if it is not a ring file (a regular file only; without it such a file is refused).";

    private RingFiles()
    {
    }

    /**
     * A mapped ring file.
     *
     * @param memory  the read-write mapping of the first {@code mappedBytes} of the file.
     * @param created whether this call created the file (it is registered with {@link Signals#deleteOnStop}).
     */
    public record Opened(SharedMemory memory, boolean created)
    {
    }

    /**
     * Creates a ring file, or reuses one that already holds a ring of this shape (see the class comment).
     *
     * @param file        the file.
     * @param mappedBytes bytes to map (a page multiple); an existing file must be at least this long.
     * @param exactSize   whether an existing file must be exactly {@code mappedBytes} long (a file the command
     *                    owns entirely, as {@code demo}'s).
     * @param ringOffset  where the ring starts in the file.
     * @param ringBytes   bytes of the shared ring (header and entries).
     * @param replace     whether the user asked to replace a regular file that is not a ring.
     * @return the mapping and whether the file was created.
     * @throws CommandFailure ({@link ExitCodes#REFUSED}) if the file is not the command's to overwrite.
     */
    public static Opened createOrReuse(
        final Path file, final long mappedBytes, final boolean exactSize, final int ringOffset, final int ringBytes,
        final boolean replace)
    {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(file))
        {
            if (!Files.isRegularFile(file))
            {
                throw CommandFailure.refused("refusing to overwrite " + file + ": it is " + SocketPaths.describe(file) +
                    ", not a ring file (" + REPLACE_OPTION + " replaces regular files only)");
            }
            final String problem = notARing(file, mappedBytes, exactSize, ringOffset, ringBytes);
            if (problem == null)
            {
                return new Opened(SharedMemory.open(file, 0, mappedBytes, SharedMemory.Access.READ_WRITE), false);
            }
            if (!replace)
            {
                throw CommandFailure.refused("refusing to overwrite " + file + ": it is " + problem +
                    " (pass " + REPLACE_OPTION + " to replace it)");
            }
            try
            {
                Files.delete(file);
            }
            catch (final IOException ex)
            {
                throw CommandFailure.failure("cannot replace " + file + ": " + ex);
            }
        }
        final SharedMemory memory = SharedMemory.create(file, mappedBytes);
        Signals.deleteOnStop(file);
        return new Opened(memory, true);
    }

    /**
     * Maps an existing file that must hold a ring (or nothing yet: all zero), for a command that attaches to a
     * ring someone else created and writes into it.
     *
     * @param file        the file.
     * @param mappedBytes bytes to map (a page multiple); the file must be at least this long.
     * @param ringOffset  where the ring starts.
     * @param ringBytes   bytes of the shared ring.
     * @return the read-write mapping.
     * @throws CommandFailure ({@link ExitCodes#REFUSED}) if the file does not hold a ring;
     *                        ({@link ExitCodes#FAILURE}) if it does not exist.
     */
    public static SharedMemory attach(final Path file, final long mappedBytes, final int ringOffset, final int ringBytes)
    {
        if (!Files.exists(file))
        {
            throw CommandFailure.failure("no ring file: " + file + " does not exist (start the front end first)");
        }
        if (!Files.isRegularFile(file))
        {
            throw CommandFailure.refused("refusing to write to " + file + ": it is " + SocketPaths.describe(file) +
                ", not a ring file");
        }
        final String problem = notARing(file, mappedBytes, false, ringOffset, ringBytes);
        if (problem != null)
        {
            throw CommandFailure.refused("refusing to write to " + file + ": it is " + problem);
        }
        return SharedMemory.open(file, 0, mappedBytes, SharedMemory.Access.READ_WRITE);
    }

    /** Why an existing regular file is not a ring file of this shape, or null if it is one. */
    private static String notARing(
        final Path file, final long mappedBytes, final boolean exactSize, final int ringOffset, final int ringBytes)
    {
        final ByteBuffer ring = ByteBuffer.allocate(ringBytes).order(ByteOrder.LITTLE_ENDIAN);
        final long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            size = channel.size();
            if (size < mappedBytes || (exactSize && size != mappedBytes))
            {
                return "a regular file of " + size + " bytes, not a ring file of " + mappedBytes + " bytes";
            }
            while (ring.hasRemaining() && channel.read(ring, ringOffset + ring.position()) > 0)
            {
                // read the whole ring
            }
        }
        catch (final IOException ex)
        {
            throw CommandFailure.failure("cannot read " + file + ": " + ex);
        }
        final String header = headerProblem(ring.flip(), ringBytes);
        return header == null ? null : "a regular file of " + size + " bytes that does not hold an io/ring.h ring at " +
            "offset " + ringOffset + " (" + header + ")";
    }

    /**
     * Why the bytes of a ring are not a ring, or null if they are all zero or a plausible io/ring.h ring: the
     * {@code __pad} bytes zero and {@code req_prod - rsp_prod} at most the entries the ring could hold with
     * 1-byte entries (a previous run may have used another entry size).
     *
     * @param ring      the ring's bytes, little-endian, position 0.
     * @param ringBytes bytes of the shared ring.
     * @return the problem, or null.
     */
    static String headerProblem(final ByteBuffer ring, final int ringBytes)
    {
        boolean zero = true;
        for (int i = 0; i < ring.limit() && zero; i++)
        {
            zero = ring.get(i) == 0;
        }
        if (zero)
        {
            return null;
        }
        for (int i = SharedRingDescriptor.PAD_OFFSET; i < SharedRingDescriptor.HEADER_LENGTH; i++)
        {
            if (ring.get(i) != 0)
            {
                return "header byte " + i + " (in __pad) is 0x" + Integer.toHexString(ring.get(i) & 0xFF) + ", not 0";
            }
        }
        final int reqProd = ring.getInt(SharedRingDescriptor.REQ_PROD_OFFSET);
        final int rspProd = ring.getInt(SharedRingDescriptor.RSP_PROD_OFFSET);
        final long outstanding = Integer.toUnsignedLong(reqProd - rspProd);
        final int limit = SharedRingDescriptor.ringSize(ringBytes, 1);
        if (outstanding > limit)
        {
            return "req_prod=" + Integer.toUnsignedString(reqProd) + " rsp_prod=" + Integer.toUnsignedString(rspProd) +
                " are " + outstanding + " apart, more than any ring of " + ringBytes + " bytes holds";
        }
        return null;
    }
}
