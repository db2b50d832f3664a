/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few Linux x86_64/aarch64 libc calls pvring needs, as FFM downcalls (never JNI).
 * <p>
 * Every call captures {@code errno} in the same downcall (so no other native call can clobber it) and
 * returns the raw C result; {@link #errno(MemorySegment)} and {@link #strerror(int)} turn a failure into a
 * message. Calls that block ({@code futex}, {@code read}) are linked without {@code critical}, so the
 * thread is left in native state and does not stall safepoints.
 */
public final class LibC
{
    /** {@code PROT_READ}. */
    public static final int PROT_READ = 0x1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 0x2;
    /** {@code MAP_SHARED}. */
    public static final int MAP_SHARED = 0x01;
    /** {@code MAP_ANONYMOUS}. */
    public static final int MAP_ANONYMOUS = 0x20;
    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_NONBLOCK}. */
    public static final int O_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 0x80000;
    /** {@code EAGAIN}: try again (also {@code EWOULDBLOCK}). */
    public static final int EAGAIN = 11;
    /** {@code EINTR}: interrupted system call. */
    public static final int EINTR = 4;
    /** {@code ETIMEDOUT}: a timed wait expired. */
    public static final int ETIMEDOUT = 110;
    /** {@code MAP_FAILED} as returned by {@code mmap}. */
    public static final long MAP_FAILED = -1L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle MMAP = downcall("mmap", FunctionDescriptor.of(
        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(
        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(
        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(
        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle READ = downcall("read", FunctionDescriptor.of(
        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(
        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle IOCTL = downcall("ioctl", FunctionDescriptor.of(
        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
        Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SYSCALL6 = downcall("syscall", FunctionDescriptor.of(
        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
        Linker.Option.firstVariadicArg(1));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
        LINKER.defaultLookup().find("strerror").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle GETPID = LINKER.downcallHandle(
        LINKER.defaultLookup().find("getpid").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT));

    private LibC()
    {
    }

    private static MethodHandle downcall(final String name, final FunctionDescriptor fd, final Linker.Option... extra)
    {
        final Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        final MemorySegment symbol = LINKER.defaultLookup().find(name)
            .orElseThrow(() -> new UnsupportedOperationException("libc symbol not found: name=" + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /**
     * Allocates a segment to receive {@code errno} from a downcall; one per thread and call site is enough.
     *
     * @param arena owning arena.
     * @return a capture segment for the {@code errnoState} parameter of the calls below.
     */
    public static MemorySegment allocateErrnoState(final Arena arena)
    {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /**
     * Reads the {@code errno} captured by the last call that used this state segment.
     *
     * @param errnoState a segment from {@link #allocateErrnoState(Arena)}.
     * @return the captured errno.
     */
    public static int errno(final MemorySegment errnoState)
    {
        return (int)ERRNO.get(errnoState, 0L);
    }

    /**
     * The C library's text for an errno value.
     *
     * @param errno the error number.
     * @return e.g. {@code "No such file or directory"}.
     */
    public static String strerror(final int errno)
    {
        try
        {
            final MemorySegment text = (MemorySegment)STRERROR.invokeExact(errno);
            return text.reinterpret(4096).getString(0);
        }
        catch (final Throwable t)
        {
            return "errno " + errno;
        }
    }

    /**
     * {@code mmap(2)}.
     *
     * @param errnoState capture segment.
     * @param addr       hint address or 0.
     * @param length     bytes.
     * @param prot       {@code PROT_*}.
     * @param flags      {@code MAP_*}.
     * @param fd         file descriptor or -1.
     * @param offset     file offset (page multiple).
     * @return the address or {@link #MAP_FAILED}.
     */
    public static long mmap(
        final MemorySegment errnoState, final long addr, final long length, final int prot, final int flags,
        final int fd, final long offset)
    {
        try
        {
            return (long)MMAP.invokeExact(errnoState, addr, length, prot, flags, fd, offset);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code munmap(2)}.
     *
     * @param errnoState capture segment.
     * @param addr       mapping address.
     * @param length     bytes.
     * @return 0 or -1.
     */
    public static int munmap(final MemorySegment errnoState, final long addr, final long length)
    {
        try
        {
            return (int)MUNMAP.invokeExact(errnoState, addr, length);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code open(2)}.
     *
     * @param errnoState capture segment.
     * @param path       NUL-terminated path.
     * @param flags      {@code O_*}.
     * @return the descriptor or -1.
     */
    public static int open(final MemorySegment errnoState, final MemorySegment path, final int flags)
    {
        try
        {
            return (int)OPEN.invokeExact(errnoState, path, flags);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code close(2)}.
     *
     * @param errnoState capture segment.
     * @param fd         descriptor.
     * @return 0 or -1.
     */
    public static int close(final MemorySegment errnoState, final int fd)
    {
        try
        {
            return (int)CLOSE.invokeExact(errnoState, fd);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code read(2)}.
     *
     * @param errnoState capture segment.
     * @param fd         descriptor.
     * @param buf        destination.
     * @param count      bytes.
     * @return bytes read or -1.
     */
    public static long read(final MemorySegment errnoState, final int fd, final MemorySegment buf, final long count)
    {
        try
        {
            return (long)READ.invokeExact(errnoState, fd, buf, count);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code write(2)}.
     *
     * @param errnoState capture segment.
     * @param fd         descriptor.
     * @param buf        source.
     * @param count      bytes.
     * @return bytes written or -1.
     */
    public static long write(final MemorySegment errnoState, final int fd, final MemorySegment buf, final long count)
    {
        try
        {
            return (long)WRITE.invokeExact(errnoState, fd, buf, count);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code ioctl(2)} with a pointer argument.
     *
     * @param errnoState capture segment.
     * @param fd         descriptor.
     * @param request    request number.
     * @param arg        argument structure (or {@link MemorySegment#NULL}).
     * @return the ioctl's result or -1.
     */
    public static int ioctl(final MemorySegment errnoState, final int fd, final long request, final MemorySegment arg)
    {
        try
        {
            return (int)IOCTL.invokeExact(errnoState, fd, request, arg);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code syscall(2)} with up to six arguments (unused ones are ignored by the kernel).
     *
     * @param errnoState capture segment.
     * @param number     system call number.
     * @param a1         argument 1.
     * @param a2         argument 2.
     * @param a3         argument 3.
     * @param a4         argument 4.
     * @param a5         argument 5.
     * @param a6         argument 6.
     * @return the raw result (-1 with errno on failure).
     */
    public static long syscall(
        final MemorySegment errnoState, final long number, final long a1, final long a2, final long a3,
        final long a4, final long a5, final long a6)
    {
        try
        {
            return (long)SYSCALL6.invokeExact(errnoState, number, a1, a2, a3, a4, a5, a6);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code getpid(2)}.
     *
     * @return this process's id.
     */
    public static int getpid()
    {
        try
        {
            return (int)GETPID.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(final Throwable t)
    {
        if (t instanceof RuntimeException re)
        {
            return re;
        }
        if (t instanceof Error e)
        {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
