/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether a path may take a new listening unix socket: only if nothing is there, or a stale socket (a socket file
 * nobody answers on, left by a server that died). Anything else (a regular file, a directory even if empty, a
 * symbolic link, a socket a server answers on, a FIFO or device) belongs to someone and must not be deleted.
 * {@link #describe} names what is there in one phrase for the refusal message.
 */
public final class SocketPaths
{
    /** How long {@link #check} waits for a listener whose backlog is full before calling it alive. */
    private static final long PROBE_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    /** What {@link #check} found at a socket path. */
    public enum Verdict
    {
        /** Nothing there and the parent is a directory: bind. */
        FREE,
        /** A socket file nobody answers on: delete it ({@link #deleteStale}), then bind. */
        STALE_SOCKET,
        /** A socket some server answers on: refuse. */
        LIVE_SOCKET,
        /** Something that is not a socket (file, directory, link, FIFO, device...): refuse. */
        NOT_A_SOCKET,
        /** The parent directory does not exist. */
        NO_PARENT,
        /** The parent exists but is not a directory. */
        PARENT_NOT_A_DIRECTORY
    }

    private SocketPaths()
    {
    }

    /**
     * Looks at a path without changing anything (a socket there is probed with a non-blocking connect).
     *
     * @param path the socket path.
     * @return what is there.
     */
    public static Verdict check(final Path path)
    {
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.exists(parent))
        {
            return Verdict.NO_PARENT;
        }
        if (parent != null && !Files.isDirectory(parent))
        {
            return Verdict.PARENT_NOT_A_DIRECTORY;
        }
        final int type = type(path);
        if (type == 0)
        {
            return Verdict.FREE;
        }
        if (type != S_IFSOCK)
        {
            return Verdict.NOT_A_SOCKET;
        }
        return answers(path) ? Verdict.LIVE_SOCKET : Verdict.STALE_SOCKET;
    }

    /**
     * Deletes a stale socket file after checking again that it is one.
     *
     * @param path the socket path {@link #check} called {@link Verdict#STALE_SOCKET}.
     * @return true if a stale socket was deleted; false if the path no longer holds one (check again).
     * @throws IOException if the delete fails.
     */
    public static boolean deleteStale(final Path path) throws IOException
    {
        if (type(path) != S_IFSOCK || answers(path))
        {
            return false;
        }
        return Files.deleteIfExists(path);
    }

    /**
     * One phrase naming what is at a path, for messages: e.g. "a regular file of 12 bytes", "an empty directory",
     * "a symbolic link to /x", "a unix socket a server answers on".
     *
     * @param path the path (a symbolic link is described, not followed).
     * @return the phrase.
     */
    public static String describe(final Path path)
    {
        final int type = type(path);
        try
        {
            return switch (type)
            {
                case 0 -> "nothing";
                case S_IFREG -> "a regular file of " + Files.size(path) + " bytes";
                case S_IFDIR -> isEmptyDirectory(path) ? "an empty directory" : "a directory";
                case S_IFLNK -> "a symbolic link to " + Files.readSymbolicLink(path);
                case S_IFSOCK -> answers(path) ? "a unix socket a server answers on" :
                    "a unix socket nobody answers on (stale)";
                case S_IFIFO -> "a FIFO (named pipe)";
                case S_IFCHR -> "a character device";
                case S_IFBLK -> "a block device";
                default -> "a special file (mode " + Integer.toOctalString(type) + ")";
            };
        }
        catch (final IOException ex)
        {
            return "something that cannot be read (" + ex.getMessage() + ")";
        }
    }

    /** The file type bits ({@code S_IFMT}) of the path itself, 0 if nothing is there. */
    private static int type(final Path path)
    {
        try
        {
            return (Integer)Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
        }
        catch (final NoSuchFileException ex)
        {
            return 0;
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            // no unix view: tell the common kinds apart through the basic one; treat the rest as special
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            {
                return 0;
            }
            return Files.isSymbolicLink(path) ? S_IFLNK : Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ?
                S_IFDIR : Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? S_IFREG : S_IFMT;
        }
    }

    private static boolean isEmptyDirectory(final Path path) throws IOException
    {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path))
        {
            return !entries.iterator().hasNext();
        }
    }

    /**
     * Whether something listens: a listener that accepts, or one whose backlog stays full, counts as alive; only
     * a refused connect ({@code ECONNREFUSED}) means stale. Anything else (e.g. no permission) counts as alive, so
     * a socket this process cannot judge is never deleted.
     */
    private static boolean answers(final Path path)
    {
        try (SocketChannel probe = XsSockets.connect(path, System.nanoTime() + PROBE_TIMEOUT_NANOS))
        {
            return true;
        }
        catch (final ConnectException refused)
        {
            return false;
        }
        catch (final IOException other)
        {
            return true;
        }
    }
}
