/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Pins the calling thread to one CPU ({@code sched_setaffinity(0, ...)} through FFM), as the C anchors pin their
 * two threads to CPUs 0 and 1, so a cross-thread Java figure and its C twin run with the same placement.
 * {@code -Dpvring.bench.pin=false} turns pinning off; a machine with fewer CPUs than asked is left alone.
 */
public final class CpuAffinity
{
    private static final boolean ENABLED = !"false".equals(System.getProperty("pvring.bench.pin"));
    private static final MethodHandle SCHED_SETAFFINITY = Linker.nativeLinker().downcallHandle(
        Linker.nativeLinker().defaultLookup().find("sched_setaffinity").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

    private CpuAffinity()
    {
    }

    /**
     * Pins the calling thread to {@code cpu} if pinning is on and the machine has that CPU.
     *
     * @param cpu the CPU, 0..63.
     * @return whether the thread is now pinned.
     */
    public static boolean pinCurrentThread(final int cpu)
    {
        if (!ENABLED || cpu < 0 || cpu > 63 || cpu >= Runtime.getRuntime().availableProcessors())
        {
            return false;
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mask = arena.allocate(ValueLayout.JAVA_LONG);
            mask.set(ValueLayout.JAVA_LONG, 0, 1L << cpu);
            return (int)SCHED_SETAFFINITY.invokeExact(0, 8L, mask) == 0;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("sched_setaffinity failed: cpu=" + cpu, t);
        }
    }
}
