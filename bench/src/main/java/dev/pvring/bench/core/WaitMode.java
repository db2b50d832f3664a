/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.core;

import java.util.concurrent.TimeUnit;

import dev.pvring.core.SpinYieldBlockIdleStrategy;
import dev.pvring.core.Waiter;
import org.agrona.concurrent.IdleStrategy;

/**
 * How a side of a round trip waits for its peer: both sides of a benchmark use the same mode.
 */
public enum WaitMode
{
    /**
     * No spinning, no yielding: every wait that finds no work goes to the kernel ({@code FUTEX_WAIT}), so
     * every round trip pays two blocking wake-ups. Compare with the C anchor "futex ping-pong".
     */
    BLOCK
    {
        @Override
        IdleStrategy idleStrategy(final Waiter waiter)
        {
            return new SpinYieldBlockIdleStrategy(waiter, 0, 0, MAX_BLOCK_NANOS);
        }
    },

    /**
     * {@link SpinYieldBlockIdleStrategy} with its defaults: spin, then yield, then block. With a busy peer the
     * answer arrives while spinning and no system call is made; compare with the C anchor "pp2".
     */
    SPIN_THEN_BLOCK
    {
        @Override
        IdleStrategy idleStrategy(final Waiter waiter)
        {
            return new SpinYieldBlockIdleStrategy(
                waiter, SpinYieldBlockIdleStrategy.DEFAULT_SPINS, SpinYieldBlockIdleStrategy.DEFAULT_YIELDS,
                MAX_BLOCK_NANOS);
        }
    };

    /** Longest single sleep: a safety net so a stop request is seen even without a notification. */
    static final long MAX_BLOCK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * A fresh idle strategy for one waiting thread.
     *
     * @param waiter the doorbell this side sleeps on.
     * @return the strategy.
     */
    abstract IdleStrategy idleStrategy(Waiter waiter);
}
