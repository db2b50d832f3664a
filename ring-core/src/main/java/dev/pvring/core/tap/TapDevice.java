/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core.tap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import dev.pvring.core.linux.LibC;

/**
 * A Linux TAP device (Ethernet frames without packet information), opened through FFM:
 * {@code open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)} and {@code ioctl(TUNSETIFF)} with
 * {@code IFF_TAP | IFF_NO_PI}, optionally {@code IFF_VNET_HDR}. Creates the device if it does not exist (needs
 * {@code CAP_NET_ADMIN}) or attaches to an existing persistent one ({@code ip tuntap add dev NAME mode tap}). The
 * descriptor stays attached if the device is later moved into another network namespace.
 * <p>
 * With {@link #openWithVnetHeader(String, int)} every frame read or written is preceded by a
 * {@link VirtioNetHdrDescriptor} ({@code struct virtio_net_hdr}, 10 bytes): the kernel then hands over frames
 * whose checksum is still to be filled in ({@code NEEDS_CSUM}) and, with {@link #TUN_F_TSO4}/{@link #TUN_F_TSO6}
 * offloads, TCP segments up to 64 KiB with their MSS ({@code gso_size}); Xen's netif carries the same facts as
 * {@code csum_blank} flags and GSO extra-info slots.
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
    /** {@code IFF_VNET_HDR}: a {@code struct virtio_net_hdr} precedes each frame. */
    public static final short IFF_VNET_HDR = 0x4000;
    /** {@code TUNSETOFFLOAD} = {@code _IOW('T', 208, unsigned int)}: which offloads the reader accepts. */
    public static final long TUNSETOFFLOAD = 0x4004_54d0L;
    /** {@code TUNSETVNETHDRSZ} = {@code _IOW('T', 216, int)}. */
    public static final long TUNSETVNETHDRSZ = 0x4004_54d8L;
    /** {@code TUN_F_CSUM}: frames may arrive with a partial checksum ({@code NEEDS_CSUM}). */
    public static final int TUN_F_CSUM = 0x01;
    /** {@code TUN_F_TSO4}: TCP/IPv4 segmentation offload (needs {@link #TUN_F_CSUM}). */
    public static final int TUN_F_TSO4 = 0x02;
    /** {@code TUN_F_TSO6}: TCP/IPv6 segmentation offload (needs {@link #TUN_F_CSUM}). */
    public static final int TUN_F_TSO6 = 0x04;
    /** {@code IFNAMSIZ}: interface names are at most 15 bytes plus NUL. */
    public static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)} on 64-bit Linux. */
    public static final int IFREQ_LENGTH = 40;
    /** Offset of {@code ifr_flags} in {@code struct ifreq}. */
    public static final int IFR_FLAGS_OFFSET = 16;

    /** {@code EPERM}. */
    public static final int EPERM = 1;
    /** {@code ENOENT}. */
    public static final int ENOENT = 2;
    /** {@code ENODEV}. */
    public static final int ENODEV = 19;
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
    private final int headerLength;
    private int fd;

    private TapDevice(
        final Arena arena, final MemorySegment errno, final String name, final int fd, final int headerLength)
    {
        this.arena = arena;
        this.errno = errno;
        this.name = name;
        this.fd = fd;
        this.headerLength = headerLength;
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
        return open(name, false, 0);
    }

    /**
     * Opens (creating if needed) the TAP device {@code name} with {@code IFF_VNET_HDR}: every frame read or written
     * starts with a {@link VirtioNetHdrDescriptor#LENGTH}-byte header, and the kernel may hand over the offloads
     * in {@code offloads} ({@code TUNSETOFFLOAD}).
     *
     * @param name     interface name, 1 to 15 ASCII bytes.
     * @param offloads {@code TUN_F_*} bits the reader handles (0: plain frames, full checksums).
     * @return the open device.
     * @throws IllegalArgumentException for a bad name or unknown offload bits.
     * @throws IllegalStateException if {@code /dev/net/tun} cannot be opened or an ioctl fails, with errno text.
     */
    public static TapDevice openWithVnetHeader(final String name, final int offloads)
    {
        if ((offloads & ~(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)) != 0 ||
            (offloads != 0 && (offloads & TUN_F_CSUM) == 0))
        {
            throw new IllegalArgumentException(
                "offloads must be TUN_F_CSUM [| TUN_F_TSO4 | TUN_F_TSO6] or 0: offloads=0x" +
                Integer.toHexString(offloads));
        }
        return open(name, true, offloads);
    }

    private static TapDevice open(final String name, final boolean vnetHeader, final int offloads)
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
                    "); " + (e == ENOENT || e == ENODEV ? "load the tun module (modprobe tun) or create the node" :
                    "needs root or CAP_NET_ADMIN"));
            }
            final MemorySegment ifreq = arena.allocate(IFREQ_LENGTH, 8);
            MemorySegment.copy(nameBytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
            ifreq.set(ValueLayout.JAVA_SHORT, IFR_FLAGS_OFFSET,
                (short)(IFF_TAP | IFF_NO_PI | (vnetHeader ? IFF_VNET_HDR : 0)));
            ioctlOrClose(errno, fd, TUNSETIFF, ifreq, "TUNSETIFF", name);
            if (vnetHeader)
            {
                final MemorySegment size = arena.allocate(ValueLayout.JAVA_INT);
                size.set(ValueLayout.JAVA_INT, 0, VirtioNetHdrDescriptor.LENGTH);
                ioctlOrClose(errno, fd, TUNSETVNETHDRSZ, size, "TUNSETVNETHDRSZ", name);
                // TUNSETOFFLOAD takes the flags by value: pass them as the pointer-sized argument.
                ioctlOrClose(errno, fd, TUNSETOFFLOAD, MemorySegment.ofAddress(offloads), "TUNSETOFFLOAD", name);
            }
            return new TapDevice(arena, errno, ifreq.getString(0, StandardCharsets.US_ASCII), fd,
                vnetHeader ? VirtioNetHdrDescriptor.LENGTH : 0);
        }
        catch (final RuntimeException ex)
        {
            arena.close();
            throw ex;
        }
    }

    private static void ioctlOrClose(
        final MemorySegment errno, final int fd, final long request, final MemorySegment arg, final String what,
        final String name)
    {
        if (LibC.ioctl(errno, fd, request, arg) < 0)
        {
            final int e = LibC.errno(errno);
            LibC.close(errno, fd);
            throw new IllegalStateException("ioctl(" + what + ") failed: name=" + name + " errno=" + e + " (" +
                LibC.strerror(e) + ")" + (e == EPERM ? "; creating a TAP device needs root or CAP_NET_ADMIN" : ""));
        }
    }

    /**
     * Bytes of {@code struct virtio_net_hdr} before each frame: {@link VirtioNetHdrDescriptor#LENGTH} when opened
     * with {@link #openWithVnetHeader(String, int)}, else 0.
     *
     * @return header length.
     */
    public int headerLength()
    {
        return headerLength;
    }

    /**
     * Reads one frame (preceded by its {@link #headerLength()}-byte header) if one is queued.
     *
     * @param buffer native destination.
     * @param length bytes available in {@code buffer}; a longer frame is truncated by the kernel.
     * @return the bytes read (header included), or -1 if no frame is queued.
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
     * Writes one frame (preceded by its {@link #headerLength()}-byte header).
     *
     * @param buffer native source.
     * @param length header plus frame length.
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
     * The file descriptor (for poll/epoll wake-ups; -1 once closed).
     *
     * @return the descriptor.
     */
    public int fd()
    {
        return fd;
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
