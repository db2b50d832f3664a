/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

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
 * simulator requires today. Compiled code needs no probe (the JIT marks its atomic instructions), but one
 * volatile load of a word the next instruction writes costs about nothing.
 */
final class SimGuardedBuffer extends UnsafeBuffer
{
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
