/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.pvring.core.linux.LibC;

/**
 * One open Xen character device ({@code /dev/xen/...}) with its own errno capture and ioctl argument memory.
 * Callers serialize ioctls on an instance (each owner synchronizes).
 */
final class LinuxDevice implements AutoCloseable
{
    /** {@code MAP_FIXED}. */
    static final int MAP_FIXED = 0x10;
    private static final long SYS_PPOLL = "aarch64".equals(System.getProperty("os.arch")) ? 73 : 271;
    private static final short POLLIN = 1;

    final String path;
    final int fd;
    final MemorySegment errno;
    final MemorySegment arg;
    private final Arena arena;
    private final MemorySegment pollFd;
    private final MemorySegment timespec;

    private LinuxDevice(final String path, final int fd, final Arena arena)
    {
        this.path = path;
        this.fd = fd;
        this.arena = arena;
        this.errno = LibC.allocateErrnoState(arena);
        this.arg = arena.allocate(64, 8);
        this.pollFd = arena.allocate(8, 8);
        this.timespec = arena.allocate(16, 8);
    }

    static LinuxDevice open(final String path, final int flags)
    {
        final Arena arena = Arena.ofShared();
        final MemorySegment errno = LibC.allocateErrnoState(arena);
        final int fd = LibC.open(errno, arena.allocateFrom(path), flags | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            final int e = LibC.errno(errno);
            arena.close();
            throw new PlatformException("cannot open Xen device: path=" + path + " errno=" + e + " (" +
                LibC.strerror(e) + "); the Linux platform needs a Xen dom0 or driver domain with the xen-gntdev, " +
                "xen-gntalloc and xen-evtchn drivers (use the simulated platform elsewhere)");
        }
        return new LinuxDevice(path, fd, arena);
    }

    /**
     * ioctl with {@link #arg} as argument.
     *
     * @return the result (-1 on failure, {@link #lastErrno()} tells why).
     */
    int ioctl(final long request)
    {
        return LibC.ioctl(errno, fd, request, arg);
    }

    int ioctl(final long request, final MemorySegment argument)
    {
        return LibC.ioctl(errno, fd, request, argument);
    }

    int lastErrno()
    {
        return LibC.errno(errno);
    }

    String lastError()
    {
        final int e = lastErrno();
        return "errno=" + e + " (" + LibC.strerror(e) + ")";
    }

    long mmap(final long address, final int prot, final int flags, final long offset)
    {
        return LibC.mmap(errno, address, GrantTable.PAGE_SIZE, prot, flags, fd, offset);
    }

    /**
     * Waits until the device is readable.
     *
     * @param timeoutNanos negative waits without limit.
     */
    void awaitReadable(final MemorySegment errnoState, final long timeoutNanos)
    {
        pollFd.set(ValueLayout.JAVA_INT, 0, fd);
        pollFd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
        pollFd.set(ValueLayout.JAVA_SHORT, 6, (short)0);
        long ts = 0;
        if (timeoutNanos >= 0)
        {
            timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            ts = timespec.address();
        }
        LibC.syscall(errnoState, SYS_PPOLL, pollFd.address(), 1, ts, 0, 8, 0);
    }

    @Override
    public void close()
    {
        LibC.close(errno, fd);
        arena.close();
    }
}
