/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import dev.pvring.core.linux.LibC;

/**
 * A Linux TAP device (Ethernet frames without packet information), opened through FFM:
 * {@code open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)} and {@code ioctl(TUNSETIFF)} with
 * {@code IFF_TAP | IFF_NO_PI}. Creates the device if it does not exist (needs {@code CAP_NET_ADMIN}) or attaches
 * to an existing persistent one ({@code ip tuntap add dev NAME mode tap}). The descriptor stays attached if the
 * device is later moved into another network namespace.
 * <p>
 * Reads and writes never block. Not thread safe: one thread per instance (reads and writes may share it).
 */
public final class TapDevice implements AutoCloseable
{
    /** {@code TUNSETIFF} = {@code _IOW('T', 202, int)}. */
    public static final long TUNSETIFF = 0x4004_54caL;
    /** {@code IFF_TAP}. */
    public static final short IFF_TAP = 0x0002;
    /** {@code IFF_NO_PI}: no 4-byte packet information before each frame. */
    public static final short IFF_NO_PI = 0x1000;
    /** {@code IFNAMSIZ}: interface names are at most 15 bytes plus NUL. */
    public static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)} on 64-bit Linux. */
    public static final int IFREQ_LENGTH = 40;
    /** Offset of {@code ifr_flags} in {@code struct ifreq}. */
    public static final int IFR_FLAGS_OFFSET = 16;

    /** {@code EIO}: a write to a TAP device that is down. */
    public static final int EIO = 5;
    /** {@code EINVAL}: a write the kernel refuses as a frame (shorter than an Ethernet header). */
    public static final int EINVAL = 22;
    /** {@code EMSGSIZE}: a write longer than the device accepts. */
    public static final int EMSGSIZE = 90;
    /** {@code ENOBUFS}: no kernel memory for the frame right now. */
    public static final int ENOBUFS = 105;

    private static final String TUN_PATH = "/dev/net/tun";

    private final Arena arena;
    private final MemorySegment errno;
    private final String name;
    private int fd;

    private TapDevice(final Arena arena, final MemorySegment errno, final String name, final int fd)
    {
        this.arena = arena;
        this.errno = errno;
        this.name = name;
        this.fd = fd;
    }

    /**
     * Opens (creating if needed) the TAP device {@code name} in this process's network namespace.
     *
     * @param name interface name, 1 to 15 ASCII bytes.
     * @return the open device.
     * @throws IllegalArgumentException for a bad name.
     * @throws IllegalStateException if {@code /dev/net/tun} cannot be opened or the ioctl fails, with errno text.
     */
    public static TapDevice open(final String name)
    {
        final byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length < 1 || nameBytes.length >= IFNAMSIZ || !name.chars().allMatch(c -> c > ' ' && c < 127))
        {
            throw new IllegalArgumentException("tap name must be 1 to 15 printable ASCII characters: name=" + name);
        }
        final Arena arena = Arena.ofShared();
        try
        {
            final MemorySegment errno = LibC.allocateErrnoState(arena);
            final int fd = LibC.open(errno, arena.allocateFrom(TUN_PATH),
                LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
            if (fd < 0)
            {
                final int e = LibC.errno(errno);
                throw new IllegalStateException("cannot open " + TUN_PATH + ": errno=" + e + " (" + LibC.strerror(e) +
                    "); needs root or CAP_NET_ADMIN and the tun module");
            }
            final MemorySegment ifreq = arena.allocate(IFREQ_LENGTH, 8);
            MemorySegment.copy(nameBytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
            ifreq.set(ValueLayout.JAVA_SHORT, IFR_FLAGS_OFFSET, (short)(IFF_TAP | IFF_NO_PI));
            if (LibC.ioctl(errno, fd, TUNSETIFF, ifreq) < 0)
            {
                final int e = LibC.errno(errno);
                LibC.close(errno, fd);
                throw new IllegalStateException("ioctl(TUNSETIFF) failed: name=" + name + " errno=" + e + " (" +
                    LibC.strerror(e) + ")");
            }
            return new TapDevice(arena, errno, ifreq.getString(0, StandardCharsets.US_ASCII), fd);
        }
        catch (final RuntimeException ex)
        {
            arena.close();
            throw ex;
        }
    }

    /**
     * Reads one frame if one is queued.
     *
     * @param buffer native destination.
     * @param length bytes available in {@code buffer}; a longer frame is truncated by the kernel.
     * @return the frame length, or -1 if no frame is queued.
     * @throws IllegalStateException if the device failed (e.g. it was deleted).
     */
    public int read(final MemorySegment buffer, final int length)
    {
        final long n = LibC.read(errno, fd, buffer, length);
        if (n >= 0)
        {
            return (int)n;
        }
        return failure("read");
    }

    /**
     * Writes one frame.
     *
     * @param buffer native source.
     * @param length frame length.
     * @return true if the kernel took the frame; false if the frame is dropped: the write would have blocked, the
     *     device is down ({@link #EIO}), or the kernel refused this one frame ({@link #EINVAL}, {@link #EMSGSIZE},
     *     {@link #ENOBUFS}).
     * @throws IllegalStateException if the device failed.
     */
    public boolean write(final MemorySegment buffer, final int length)
    {
        final long n = LibC.write(errno, fd, buffer, length);
        if (n >= 0)
        {
            return true;
        }
        final int e = LibC.errno(errno);
        if (e == EIO || e == EINVAL || e == EMSGSIZE || e == ENOBUFS)
        {
            return false;
        }
        return failure("write") >= 0;
    }

    private int failure(final String call)
    {
        final int e = LibC.errno(errno);
        if (e == LibC.EAGAIN || e == LibC.EINTR)
        {
            return -1;
        }
        throw new IllegalStateException(
            "tap " + call + " failed: name=" + name + " errno=" + e + " (" + LibC.strerror(e) + ")");
    }

    /**
     * The interface name the kernel assigned.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Closes the descriptor (a non-persistent device disappears). Idempotent.
     */
    @Override
    public void close()
    {
        if (fd >= 0)
        {
            LibC.close(errno, fd);
            fd = -1;
            arena.close();
        }
    }

    @Override
    public String toString()
    {
        return "TapDevice{name=" + name + ", fd=" + fd + "}";
    }
}
