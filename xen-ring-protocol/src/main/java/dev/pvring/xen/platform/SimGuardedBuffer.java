/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A read-write view of a simulator file that another process may truncate under this process's mapping. Any
 * access to a page the truncation removed raises {@code SIGBUS}; HotSpot turns that into an {@link InternalError}
 * for plain loads and stores and copies (the interpreter runs them inside its "unsafe access" guard, compiled code
 * marks them), but <b>not</b> for an atomic read-modify-write run by the interpreter: its native
 * {@code Unsafe_CompareAndSetInt}/{@code Long} (and {@code getAndAdd}/{@code getAndSet}, which loop over it) runs
 * unguarded, and the fault kills the JVM. Every process runs the simulator's cold paths (bind, map, unmap, lock
 * take-over, reclaim) in the interpreter for a while, and the protocol words of another domain's files are exactly
 * what they compare-and-set.
 * <p>
 * So every atomic read-modify-write of this view first reads the same word with a (guarded) volatile load: if the
 * page is gone, that load raises the {@link InternalError} and the read-modify-write never runs (the CAS entry
 * points also refuse to touch memory while that error is pending). That covers a file truncated and left short.
 * <b>It does not cover a race:</b> a truncation that lands between the load and the atomic instruction of
 * interpreted code still kills the process, and in the interpreter that window is long (a process that truncates
 * and re-extends the file in a tight loop killed a {@code -Xint} JVM looping over a guarded compare-and-set within
 * about 3 s, where an unguarded one died at the first truncation). Closing it needs memory no peer can shrink (a
 * sealed {@code memfd}, or System V shared memory), which independent processes cannot open by path, as this
 * simulator requires today.
 * <p>
 * Compiled code is safe (C1 and C2 mark their atomic instructions, and the fault becomes an
 * {@link InternalError}; measured: a C1-only JVM survived 15 s of that truncation loop, reporting 68,000 faults).
 * So loading this class also runs its read-modify-write methods on a scratch buffer until a batch runs at compiled
 * speed (at most {@link #WARM_UP_NANOS}): the race is then left only to a JVM that cannot compile ({@code -Xint})
 * and to the moments after the JIT throws code away (deoptimization), not to every cold path of every process.
 */
final class SimGuardedBuffer extends UnsafeBuffer
{
    /** Longest warm-up at class loading (a JVM that never compiles stops here). */
    static final long WARM_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int WARM_UP_BATCH = 1_000;
    /** A batch of {@link #WARM_UP_BATCH} rounds of the eight methods this fast ran compiled. */
    private static final long COMPILED_BATCH_NANOS = TimeUnit.MICROSECONDS.toNanos(400);
    /** Whether the warm-up saw compiled speed before its deadline (diagnostics and tests). */
    static final boolean WARMED_UP = warmUp();

    /**
     * Views {@code length} bytes at {@code address} (a read-write mapping this process keeps open).
     *
     * @param address start.
     * @param length  bytes.
     */
    SimGuardedBuffer(final long address, final int length)
    {
        super(address, length);
    }

    /**
     * The view a simulator file's mapping is used through: guarded if writable; a read-only mapping's own buffer
     * (it refuses every write, atomic ones included, before touching memory).
     *
     * @param memory an open mapping.
     * @return the buffer; {@link #detach} it before the mapping is closed.
     */
    static AtomicBuffer over(final SharedMemory memory)
    {
        return memory.isReadOnly() ? memory.buffer() : new SimGuardedBuffer(memory.address(), (int)memory.size());
    }

    /**
     * Points a view from {@link #over} at nothing (as {@link SharedMemory#close()} does with its own buffer), so a
     * use after the unmap throws instead of touching unmapped memory.
     *
     * @param buffer the view (others are left alone: their mapping detaches them).
     */
    static void detach(final AtomicBuffer buffer)
    {
        if (buffer instanceof SimGuardedBuffer guarded)
        {
            guarded.wrap(new byte[0]);
        }
    }

    /**
     * Runs the eight read-modify-write methods on private memory until a batch takes compiled time, so the JIT
     * has compiled them (and the {@link UnsafeBuffer} methods they call) before any simulator file is mapped.
     */
    private static boolean warmUp()
    {
        final ByteBuffer scratch = ByteBuffer.allocateDirect(64);
        try
        {
            final SimGuardedBuffer buffer = new SimGuardedBuffer(new UnsafeBuffer(scratch).addressOffset(), 64);
            final long deadline = System.nanoTime() + WARM_UP_NANOS;
            long sink = 0;
            while (true)
            {
                final long start = System.nanoTime();
                for (int i = 0; i < WARM_UP_BATCH; i++)
                {
                    sink += buffer.compareAndSetInt(0, i, i + 1) ? 1 : 0;
                    sink += buffer.compareAndExchangeInt(0, i + 1, i);
                    sink += buffer.getAndSetInt(4, i);
                    sink += buffer.getAndAddInt(4, 1);
                    sink += buffer.compareAndSetLong(8, i, i + 1) ? 1 : 0;
                    sink += buffer.compareAndExchangeLong(8, i + 1, i);
                    sink += buffer.getAndSetLong(16, i);
                    sink += buffer.getAndAddLong(16, 1);
                }
                final long end = System.nanoTime();
                if (end - start < COMPILED_BATCH_NANOS)
                {
                    return sink != Long.MIN_VALUE;
                }
                if (end - deadline >= 0)
                {
                    return false;
                }
            }
        }
        finally
        {
            Reference.reachabilityFence(scratch);
        }
    }

    @Override
    public boolean compareAndSetInt(final int index, final int expectedValue, final int updateValue)
    {
        getIntVolatile(index);
        return super.compareAndSetInt(index, expectedValue, updateValue);
    }

    @Override
    public int compareAndExchangeInt(final int index, final int expectedValue, final int updateValue)
    {
        getIntVolatile(index);
        return super.compareAndExchangeInt(index, expectedValue, updateValue);
    }

    @Override
    public int getAndSetInt(final int index, final int value)
    {
        getIntVolatile(index);
        return super.getAndSetInt(index, value);
    }

    @Override
    public int getAndAddInt(final int index, final int delta)
    {
        getIntVolatile(index);
        return super.getAndAddInt(index, delta);
    }

    @Override
    public boolean compareAndSetLong(final int index, final long expectedValue, final long updateValue)
    {
        getLongVolatile(index);
        return super.compareAndSetLong(index, expectedValue, updateValue);
    }

    @Override
    public long compareAndExchangeLong(final int index, final long expectedValue, final long updateValue)
    {
        getLongVolatile(index);
        return super.compareAndExchangeLong(index, expectedValue, updateValue);
    }

    @Override
    public long getAndSetLong(final int index, final long value)
    {
        getLongVolatile(index);
        return super.getAndSetLong(index, value);
    }

    @Override
    public long getAndAddLong(final int index, final long delta)
    {
        getLongVolatile(index);
        return super.getAndAddLong(index, delta);
    }
}
