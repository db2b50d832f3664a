/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import dev.pvring.core.linux.LibC;

/**
 * A shared-memory file kept open so that many page windows of it can be mapped and unmapped cheaply: each
 * {@link #map(long, long, SharedMemory.Access)} is one {@code mmap} of the kept descriptor and each window's
 * {@link SharedMemory#close()} one {@code munmap}. {@link SharedMemory#open(Path, long, long, SharedMemory.Access)}
 * opens the file, maps it through {@code FileChannel.map} into a shared {@link Arena} and closes that arena on
 * unmap, which stops every Java thread for a handshake: right for a ring mapped once, tens of microseconds too
 * slow for a grant mapped per request (the simulated grant table maps through this class).
 * <p>
 * The file's size is read when it is opened; windows must lie within it. A peer that later truncates the file can
 * still make an access through a window fault ({@code SIGBUS}), as with any shared file mapping. Closing the file
 * closes the descriptor only; windows already mapped stay valid until they are closed. Thread-safe.
 */
public final class SharedFile implements AutoCloseable
{
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int PROT_NONE = 0;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_FIXED = 0x10;
    private static final int MAP_NORESERVE = 0x4000;

    private final Path path;
    private final SharedMemory.Access access;
    private final long size;
    private final MemorySegment errno = LibC.allocateErrnoState(Arena.ofAuto());
    private int fd;

    private SharedFile(final Path path, final SharedMemory.Access access, final int fd, final long size)
    {
        this.path = path;
        this.access = access;
        this.fd = fd;
        this.size = size;
    }

    /**
     * Opens an existing file whose windows will be mapped with at most {@code access}.
     *
     * @param path   existing file.
     * @param access {@code READ_ONLY} (windows can only be read-only) or {@code READ_WRITE} (both).
     * @return the open file.
     * @throws SharedMemoryException if the file is missing, not accessible, or not a regular file.
     */
    public static SharedFile open(final Path path, final SharedMemory.Access access)
    {
        final MemorySegment errno = LibC.allocateErrnoState(Arena.ofAuto());
        final int flags = (access == SharedMemory.Access.READ_ONLY ? LibC.O_RDONLY : LibC.O_RDWR) | LibC.O_CLOEXEC;
        final int fd;
        try (Arena arena = Arena.ofConfined())
        {
            fd = LibC.open(errno, arena.allocateFrom(path.toString()), flags);
        }
        if (fd < 0)
        {
            final int e = LibC.errno(errno);
            final String reason = e == ENOENT ? "no such file or directory" :
                e == EACCES ? "permission denied" : "errno=" + e + " (" + LibC.strerror(e) + ")";
            throw new SharedMemoryException("cannot open shared memory file: path=" + path + " reason=" + reason);
        }
        final long size;
        try
        {
            size = SharedMemory.regularFileSize(path);
        }
        catch (final RuntimeException ex)
        {
            LibC.close(errno, fd);
            throw ex;
        }
        return new SharedFile(path, access, fd, size);
    }

    /**
     * The file this was opened on.
     *
     * @return the path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * The file's size when it was opened: windows end at or before it.
     *
     * @return bytes.
     */
    public long size()
    {
        return size;
    }

    /**
     * Maps {@code size} bytes at {@code offset} ({@code mmap(MAP_SHARED)} of the kept descriptor).
     *
     * @param offset file offset, a non-negative multiple of {@link SharedMemory#PAGE_SIZE}.
     * @param size   bytes, a positive multiple of {@link SharedMemory#PAGE_SIZE}.
     * @param access the window's access: {@code READ_ONLY} maps {@code PROT_READ}, and its buffer throws on writes.
     * @return the window; closing it unmaps it.
     * @throws IllegalArgumentException if the offset or size is not a page multiple, or {@code READ_WRITE} was
     *                                  asked of a file opened read-only.
     * @throws SharedMemoryException    if the window does not fit in the file or {@code mmap} fails.
     * @throws IllegalStateException    after {@link #close()}.
     */
    public synchronized SharedMemory map(final long offset, final long size, final SharedMemory.Access access)
    {
        if (fd < 0)
        {
            throw new IllegalStateException("shared file is closed: path=" + path);
        }
        SharedMemory.checkWindow(path, offset, size);
        if (access == SharedMemory.Access.READ_WRITE && this.access == SharedMemory.Access.READ_ONLY)
        {
            throw new IllegalArgumentException("read-write window of a file opened read-only: path=" + path +
                " offset=" + offset);
        }
        if (offset + size > this.size)
        {
            throw new SharedMemoryException("file smaller than requested: path=" + path + " fileSize=" + this.size +
                " offset=" + offset + " requested=" + size);
        }
        final int prot = access == SharedMemory.Access.READ_ONLY ? LibC.PROT_READ : LibC.PROT_READ | LibC.PROT_WRITE;
        final long address = LibC.mmap(errno, 0, size, prot, LibC.MAP_SHARED, fd, offset);
        if (address == LibC.MAP_FAILED)
        {
            final int e = LibC.errno(errno);
            throw new SharedMemoryException("mmap failed: path=" + path + " offset=" + offset + " size=" + size +
                " errno=" + e + " (" + LibC.strerror(e) + ")");
        }
        return SharedMemory.ofMapping(path, offset, access, address, size);
    }

    /**
     * Maps {@code count} pages of the file, each from its own file offset, into ONE contiguous region: reserves
     * {@code count} pages of address space ({@code PROT_NONE}), then maps each page over its place with
     * {@code mmap(MAP_SHARED | MAP_FIXED)} of the kept descriptor. Closing the result unmaps the whole region with
     * one {@code munmap}. If any page cannot be mapped, everything mapped so far is unmapped and nothing is left.
     *
     * @param fileOffsets page-aligned file offsets; page {@code i} of the region shows {@code fileOffsets[i]}.
     * @param count       number of pages to map (1..{@code fileOffsets.length}).
     * @param access      {@code READ_ONLY} maps every page {@code PROT_READ} and the buffer throws on writes.
     * @return the region ({@link SharedMemory#fileOffset()} is the first page's offset).
     * @throws IllegalArgumentException if {@code count} is out of range, an offset is not a page multiple, or
     *                                  {@code READ_WRITE} was asked of a file opened read-only.
     * @throws SharedMemoryException    if an offset lies outside the file or {@code mmap} fails; the message names
     *                                  the page index ({@code page=i}).
     * @throws IllegalStateException    after {@link #close()}.
     */
    public synchronized SharedMemory mapPages(final long[] fileOffsets, final int count, final SharedMemory.Access access)
    {
        if (fd < 0)
        {
            throw new IllegalStateException("shared file is closed: path=" + path);
        }
        if (count < 1 || count > fileOffsets.length || (long)count * SharedMemory.PAGE_SIZE > SharedMemory.MAX_SIZE)
        {
            throw new IllegalArgumentException("page count out of range: count=" + count + " offsets=" +
                fileOffsets.length + " path=" + path);
        }
        if (access == SharedMemory.Access.READ_WRITE && this.access == SharedMemory.Access.READ_ONLY)
        {
            throw new IllegalArgumentException("read-write window of a file opened read-only: path=" + path);
        }
        for (int i = 0; i < count; i++)
        {
            final long offset = fileOffsets[i];
            if (offset < 0 || offset % SharedMemory.PAGE_SIZE != 0)
            {
                throw new IllegalArgumentException("offset must be a non-negative multiple of the page size: path=" +
                    path + " page=" + i + " offset=" + offset);
            }
            if (offset + SharedMemory.PAGE_SIZE > this.size)
            {
                throw new SharedMemoryException("file smaller than requested: path=" + path + " fileSize=" +
                    this.size + " page=" + i + " offset=" + offset);
            }
        }
        final long length = (long)count * SharedMemory.PAGE_SIZE;
        final long base = LibC.mmap(errno, 0, length, PROT_NONE, MAP_PRIVATE | LibC.MAP_ANONYMOUS | MAP_NORESERVE,
            -1, 0);
        if (base == LibC.MAP_FAILED)
        {
            final int e = LibC.errno(errno);
            throw new SharedMemoryException("cannot reserve address space: path=" + path + " pages=" + count +
                " errno=" + e + " (" + LibC.strerror(e) + ")");
        }
        final int prot = access == SharedMemory.Access.READ_ONLY ? LibC.PROT_READ : LibC.PROT_READ | LibC.PROT_WRITE;
        for (int i = 0; i < count; i++)
        {
            final long address = base + (long)i * SharedMemory.PAGE_SIZE;
            final long mapped = LibC.mmap(errno, address, SharedMemory.PAGE_SIZE, prot, LibC.MAP_SHARED | MAP_FIXED,
                fd, fileOffsets[i]);
            if (mapped != address)
            {
                final int e = LibC.errno(errno);
                LibC.munmap(errno, base, length);
                throw new SharedMemoryException("mmap failed: path=" + path + " page=" + i + " offset=" +
                    fileOffsets[i] + " errno=" + e + " (" + LibC.strerror(e) + ")");
            }
        }
        return SharedMemory.ofMapping(path, fileOffsets[0], access, base, length);
    }

    /**
     * Closes the descriptor. Idempotent. Windows stay mapped until they are closed.
     */
    @Override
    public synchronized void close()
    {
        if (fd >= 0)
        {
            LibC.close(errno, fd);
            fd = -1;
        }
    }

    @Override
    public String toString()
    {
        return "SharedFile{path=" + path + ", size=" + size + ", access=" + access + (fd < 0 ? ", closed" : "") + "}";
    }
}
