/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code futex(2)} on a 32-bit word that may live in memory shared between processes.
 * <p>
 * The operations are the <em>non-private</em> {@code FUTEX_WAIT}/{@code FUTEX_WAKE}, so the kernel keys the
 * word by its backing page (file or shared anonymous mapping) and a waker in another process that mapped the
 * same page at a different address finds the waiter. One instance holds its own errno and timespec scratch
 * memory: use one instance per thread.
 */
public final class Futex
{
    /** {@code FUTEX_WAIT} (0) without {@code FUTEX_PRIVATE_FLAG}, so other processes can wake us. */
    public static final int FUTEX_WAIT = 0;
    /** {@code FUTEX_WAKE} (1) without {@code FUTEX_PRIVATE_FLAG}. */
    public static final int FUTEX_WAKE = 1;
    /** Result of {@link #await(long, int, long)}: woken by {@code FUTEX_WAKE} (or spuriously). */
    public static final int WOKEN = 0;
    /** Result of {@link #await(long, int, long)}: the word no longer held the expected value. */
    public static final int VALUE_CHANGED = 1;
    /** Result of {@link #await(long, int, long)}: the timeout expired. */
    public static final int TIMED_OUT = 2;
    /** Result of {@link #await(long, int, long)}: a signal interrupted the wait. */
    public static final int INTERRUPTED = 3;

    /** {@code SYS_futex}: 202 on x86_64, 98 on aarch64 (asm-generic). */
    public static final long SYS_FUTEX = "aarch64".equals(System.getProperty("os.arch")) ? 98 : 202;

    private final MemorySegment errnoState;
    private final MemorySegment timespec;

    /**
     * Creates a futex caller with its own scratch memory.
     */
    public Futex()
    {
        final Arena arena = Arena.ofAuto();
        errnoState = LibC.allocateErrnoState(arena);
        timespec = arena.allocate(16, 8);
    }

    /**
     * Sleeps while the 32-bit word at {@code address} equals {@code expected}; the kernel compares and sleeps
     * atomically, so a wake issued after the word changed is never lost.
     *
     * @param address       absolute address of a 4-byte aligned word.
     * @param expected      value the word must still hold for the thread to sleep.
     * @param timeoutNanos  relative timeout; negative means wait forever.
     * @return {@link #WOKEN}, {@link #VALUE_CHANGED}, {@link #TIMED_OUT} or {@link #INTERRUPTED}.
     */
    public int await(final long address, final int expected, final long timeoutNanos)
    {
        checkAligned(address);
        long ts = 0;
        if (timeoutNanos >= 0)
        {
            timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            ts = timespec.address();
        }
        final long rc = LibC.syscall(errnoState, SYS_FUTEX, address, FUTEX_WAIT, expected, ts, 0, 0);
        if (rc == 0)
        {
            return WOKEN;
        }
        final int errno = LibC.errno(errnoState);
        return switch (errno)
        {
            case LibC.EAGAIN -> VALUE_CHANGED;
            case LibC.ETIMEDOUT -> TIMED_OUT;
            case LibC.EINTR -> INTERRUPTED;
            default -> throw new IllegalStateException(
                "futex wait failed: address=0x" + Long.toHexString(address) + " errno=" + errno + " (" +
                LibC.strerror(errno) + ")");
        };
    }

    /**
     * Wakes up to {@code count} threads, in any process, sleeping on the word at {@code address}.
     *
     * @param address absolute address of the word.
     * @param count   maximum number of waiters to wake.
     * @return number of waiters woken.
     */
    public int wake(final long address, final int count)
    {
        checkAligned(address);
        final long rc = LibC.syscall(errnoState, SYS_FUTEX, address, FUTEX_WAKE, count, 0, 0, 0);
        if (rc < 0)
        {
            final int errno = LibC.errno(errnoState);
            throw new IllegalStateException(
                "futex wake failed: address=0x" + Long.toHexString(address) + " errno=" + errno + " (" +
                LibC.strerror(errno) + ")");
        }
        return (int)rc;
    }

    private static void checkAligned(final long address)
    {
        if ((address & 3) != 0)
        {
            throw new IllegalArgumentException("futex word must be 4-byte aligned: address=0x" + Long.toHexString(address));
        }
    }
}
