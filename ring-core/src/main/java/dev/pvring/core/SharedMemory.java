/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

import dev.pvring.core.linux.LibC;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A page-aligned region of memory that other threads and processes can map: a file (in {@code /dev/shm} or
 * any path), or anonymous shared memory. Mapped through FFM ({@code FileChannel.map} into a shared
 * {@link Arena}, {@code mmap(MAP_SHARED|MAP_ANONYMOUS)}, or {@code mmap} of a {@link SharedFile}'s descriptor for
 * windows mapped and unmapped often), viewed as an Agrona {@link AtomicBuffer}.
 * <p>
 * Sizes and file offsets must be multiples of {@link #PAGE_SIZE}; a mapping is at most 2 GiB - 4 KiB, the
 * largest page multiple an {@code AtomicBuffer} can index. Every failure names the path and the numbers.
 * <p>
 * {@link #close()} unmaps. Afterwards {@link #buffer()} and {@link #segment()} throw
 * {@link IllegalStateException}, and a buffer obtained before closing is detached (capacity 0), so a stale
 * access fails with an {@link IndexOutOfBoundsException} rather than touching unmapped memory. Closing while
 * another thread still uses the buffer is a misuse the caller must prevent.
 */
public final class SharedMemory implements AutoCloseable
{
    /** The page size every size and offset is a multiple of (the Xen ABI page). */
    public static final int PAGE_SIZE = 4096;
    /** Largest mapping: the biggest page multiple an {@code int}-indexed buffer can address. */
    public static final long MAX_SIZE = (Integer.MAX_VALUE / PAGE_SIZE) * (long)PAGE_SIZE;

    /** How a region is mapped. */
    public enum Access
    {
        /** {@code PROT_READ}: writes through the buffer throw {@link ReadOnlyMappingException}. */
        READ_ONLY,
        /** {@code PROT_READ | PROT_WRITE}. */
        READ_WRITE
    }

    private final Path path;
    private final long fileOffset;
    private final Access access;
    private final Arena arena;
    private final MemorySegment segment;
    private final UnsafeBuffer buffer;
    private final long unmapAddress;
    private volatile boolean closed;

    private SharedMemory(
        final Path path, final long fileOffset, final Access access, final Arena arena, final MemorySegment segment,
        final long unmapAddress)
    {
        this.path = path;
        this.fileOffset = fileOffset;
        this.access = access;
        this.arena = arena;
        this.segment = segment;
        this.unmapAddress = unmapAddress;
        final int length = (int)segment.byteSize();
        this.buffer = access == Access.READ_ONLY ?
            new ReadOnlyAtomicBuffer(segment.address(), length, describe(path, fileOffset)) :
            new UnsafeBuffer(segment.address(), length);
    }

    /**
     * Creates a new zero-filled file of {@code size} bytes and maps it read-write. Fails if the file exists.
     *
     * @param path file to create, e.g. {@code /dev/shm/my-ring}.
     * @param size bytes, a positive multiple of {@link #PAGE_SIZE}.
     * @return the mapping.
     * @throws SharedMemoryException if the file exists, the directory is missing or not writable.
     */
    public static SharedMemory create(final Path path, final long size)
    {
        checkSize(path, size);
        try (FileChannel channel = FileChannel.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            channel.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1);
            return map(path, channel, 0, size, Access.READ_WRITE);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new SharedMemoryException("shared memory file already exists: path=" + path, ex);
        }
        catch (final IOException ex)
        {
            throw ioFailure("cannot create shared memory file", path, ex);
        }
    }

    /**
     * Opens a file if it exists (it must then hold at least {@code size} bytes), otherwise creates it zero
     * filled; maps {@code size} bytes read-write.
     *
     * @param path file.
     * @param size bytes, a positive multiple of {@link #PAGE_SIZE}.
     * @return the mapping.
     */
    public static SharedMemory createOrOpen(final Path path, final long size)
    {
        checkSize(path, size);
        try (FileChannel channel = FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long existing = channel.size();
            if (existing == 0)
            {
                channel.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1);
            }
            else if (existing < size)
            {
                throw new SharedMemoryException(
                    "file smaller than requested: path=" + path + " fileSize=" + existing + " requested=" + size);
            }
            return map(path, channel, 0, size, Access.READ_WRITE);
        }
        catch (final IOException ex)
        {
            throw ioFailure("cannot open or create shared memory file", path, ex);
        }
    }

    /**
     * Maps a whole existing file, whose size must be a positive page multiple.
     *
     * @param path   existing file.
     * @param access read-only or read-write.
     * @return the mapping.
     */
    public static SharedMemory open(final Path path, final Access access)
    {
        final long size;
        try
        {
            size = Files.size(path);
        }
        catch (final IOException ex)
        {
            throw ioFailure("cannot open shared memory file", path, ex);
        }
        if (size == 0)
        {
            throw new SharedMemoryException("shared memory file is empty: path=" + path + " fileSize=0");
        }
        return open(path, 0, size, access);
    }

    /**
     * Maps {@code size} bytes of an existing file starting at {@code offset}.
     *
     * @param path   existing file.
     * @param offset file offset, a multiple of {@link #PAGE_SIZE}.
     * @param size   bytes, a positive multiple of {@link #PAGE_SIZE}.
     * @param access read-only or read-write.
     * @return the mapping.
     * @throws SharedMemoryException if the file is missing, not accessible or smaller than {@code offset+size}.
     */
    public static SharedMemory open(final Path path, final long offset, final long size, final Access access)
    {
        checkWindow(path, offset, size);
        final Set<StandardOpenOption> options = access == Access.READ_ONLY ?
            EnumSet.of(StandardOpenOption.READ) : EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        try (FileChannel channel = FileChannel.open(path, options))
        {
            final long fileSize = channel.size();
            if (fileSize < offset + size)
            {
                throw new SharedMemoryException(
                    "file smaller than requested: path=" + path + " fileSize=" + fileSize + " offset=" + offset +
                    " requested=" + size);
            }
            return map(path, channel, offset, size, access);
        }
        catch (final IOException ex)
        {
            throw ioFailure("cannot open shared memory file", path, ex);
        }
    }

    /**
     * Maps zero-filled anonymous shared memory ({@code mmap(MAP_SHARED|MAP_ANONYMOUS)}), for rings between
     * threads of one process.
     *
     * @param size bytes, a positive multiple of {@link #PAGE_SIZE}.
     * @return the mapping.
     */
    public static SharedMemory anonymous(final long size)
    {
        checkSize(null, size);
        final MemorySegment errno = LibC.allocateErrnoState(Arena.ofAuto());
        final long address = LibC.mmap(
            errno, 0, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_ANONYMOUS, -1, 0);
        if (address == LibC.MAP_FAILED)
        {
            final int e = LibC.errno(errno);
            throw new SharedMemoryException(
                "anonymous mmap failed: size=" + size + " errno=" + e + " (" + LibC.strerror(e) + ")");
        }
        return new SharedMemory(null, 0, Access.READ_WRITE, null, MemorySegment.ofAddress(address).reinterpret(size),
            address);
    }

    private static SharedMemory map(
        final Path path, final FileChannel channel, final long offset, final long size, final Access access)
        throws IOException
    {
        final Arena arena = Arena.ofShared();
        try
        {
            final MemorySegment segment = channel.map(
                access == Access.READ_ONLY ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE,
                offset, size, arena);
            return new SharedMemory(path, offset, access, arena, segment, 0);
        }
        catch (final IOException | RuntimeException ex)
        {
            arena.close();
            throw ex;
        }
    }

    /**
     * Adopts a region the caller mapped with {@code mmap} itself (for instance of a device such as
     * {@code /dev/xen/gntdev}): the result views it as any other mapping, and {@link #close()} detaches the buffer
     * and unmaps the region with one {@code munmap}. The caller must not unmap it otherwise.
     *
     * @param path    what was mapped (for messages), or {@code null}.
     * @param offset  the mmap offset used (for messages).
     * @param access  how it was mapped: {@code READ_ONLY} for a {@code PROT_READ} mapping (the buffer refuses writes).
     * @param address the mapping's address (page-aligned).
     * @param size    its length, a positive multiple of {@link #PAGE_SIZE}.
     * @return the adopted mapping.
     * @throws IllegalArgumentException if the address or size is not page-aligned.
     */
    public static SharedMemory adoptMapping(
        final Path path, final long offset, final Access access, final long address, final long size)
    {
        checkSize(path, size);
        if (address == 0 || address % PAGE_SIZE != 0)
        {
            throw new IllegalArgumentException("address must be page-aligned and non-zero: path=" + path +
                " address=" + address);
        }
        return ofMapping(path, offset, access, address, size);
    }

    /**
     * A window mapped by {@code mmap} (see {@link SharedFile}); {@link #close()} unmaps it with {@code munmap}.
     */
    static SharedMemory ofMapping(
        final Path path, final long offset, final Access access, final long address, final long size)
    {
        final MemorySegment segment = MemorySegment.ofAddress(address).reinterpret(size);
        return new SharedMemory(
            path, offset, access, null, access == Access.READ_ONLY ? segment.asReadOnly() : segment, address);
    }

    static void checkWindow(final Path path, final long offset, final long size)
    {
        checkSize(path, size);
        if (offset < 0 || offset % PAGE_SIZE != 0)
        {
            throw new IllegalArgumentException(
                "offset must be a non-negative multiple of the page size: path=" + path + " offset=" + offset +
                " pageSize=" + PAGE_SIZE);
        }
    }

    /**
     * The size of a regular file, with the same errors as {@link #open(Path, Access)}.
     */
    static long regularFileSize(final Path path)
    {
        try
        {
            if (!Files.isRegularFile(path))
            {
                throw new SharedMemoryException("not a regular file: path=" + path);
            }
            return Files.size(path);
        }
        catch (final IOException ex)
        {
            throw ioFailure("cannot open shared memory file", path, ex);
        }
    }

    private static void checkSize(final Path path, final long size)
    {
        if (size <= 0 || size % PAGE_SIZE != 0)
        {
            throw new IllegalArgumentException(
                "size must be a positive multiple of the page size: path=" + path + " size=" + size +
                " pageSize=" + PAGE_SIZE);
        }
        if (size > MAX_SIZE)
        {
            throw new IllegalArgumentException(
                "size too large for one mapping: path=" + path + " size=" + size + " max=" + MAX_SIZE);
        }
    }

    private static SharedMemoryException ioFailure(final String what, final Path path, final IOException ex)
    {
        final String reason;
        if (ex instanceof NoSuchFileException)
        {
            reason = "no such file or directory";
        }
        else if (ex instanceof AccessDeniedException)
        {
            reason = "permission denied";
        }
        else
        {
            reason = String.valueOf(ex.getMessage());
        }
        return new SharedMemoryException(what + ": path=" + path + " reason=" + reason, ex);
    }

    private static String describe(final Path path, final long offset)
    {
        return path == null ? "anonymous" : offset == 0 ? path.toString() : path + "@" + offset;
    }

    /**
     * The Agrona view of the whole region. Read-only mappings return a {@link ReadOnlyAtomicBuffer}.
     *
     * @return the buffer (same instance on every call).
     * @throws IllegalStateException after {@link #close()}.
     */
    public AtomicBuffer buffer()
    {
        checkOpen();
        return buffer;
    }

    /**
     * The FFM view of the region (read-only segments reject writes).
     *
     * @return the segment.
     * @throws IllegalStateException after {@link #close()}.
     */
    public MemorySegment segment()
    {
        checkOpen();
        return segment;
    }

    /**
     * Start address of the mapping (page-aligned).
     *
     * @return the address.
     */
    public long address()
    {
        checkOpen();
        return segment.address();
    }

    /**
     * Mapped length in bytes.
     *
     * @return the size.
     */
    public long size()
    {
        return segment.byteSize();
    }

    /**
     * The mapped file, or {@code null} for anonymous memory.
     *
     * @return the path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Offset of the mapping within its file.
     *
     * @return the file offset (0 for anonymous memory).
     */
    public long fileOffset()
    {
        return fileOffset;
    }

    /**
     * Whether writes are refused.
     *
     * @return true for {@link Access#READ_ONLY}.
     */
    public boolean isReadOnly()
    {
        return access == Access.READ_ONLY;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("shared memory is closed: mapping=" + describe(path, fileOffset));
        }
    }

    /**
     * Unmaps the region. Idempotent. Does not delete the file.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (buffer instanceof ReadOnlyAtomicBuffer readOnly)
        {
            readOnly.detach();
        }
        else
        {
            buffer.wrap(new byte[0]);
        }
        if (arena != null)
        {
            arena.close();
        }
        else
        {
            LibC.munmap(LibC.allocateErrnoState(Arena.ofAuto()), unmapAddress, segment.byteSize());
        }
    }

    @Override
    public String toString()
    {
        return "SharedMemory{mapping=" + describe(path, fileOffset) + ", size=" + size() + ", access=" + access +
            (closed ? ", closed" : "") + "}";
    }
}
