/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.IdleStrategy;

/**
 * An Agrona {@link IdleStrategy} that spins ({@link Thread#onSpinWait()}), then yields, then sleeps on a
 * {@link Waiter} until the peer notifies. A blocking wake-up across vCPUs costs tens of microseconds, a
 * spinning reader sees an index move in tens of nanoseconds: spinning first keeps the fast case fast and
 * blocking keeps an idle consumer off the CPU.
 * <p>
 * Use it in the usual duty cycle {@code idle.idle(doWork())}. The strategy takes the waiter's token at the end
 * of every idle call (and in {@link #reset()}), i.e. <em>before</em> the next {@code doWork()}; a
 * notification sent after that token makes the next blocking wait return at once, so no wake-up is lost.
 * The peer must therefore notify after publishing work whenever it may be asleep.
 * <p>
 * Not thread safe: one instance per consuming thread.
 */
public final class SpinYieldBlockIdleStrategy implements IdleStrategy
{
    /** Default spins before yielding. */
    public static final int DEFAULT_SPINS = 2000;
    /** Default yields before blocking. */
    public static final int DEFAULT_YIELDS = 50;
    /** Default longest sleep before re-checking for work (a safety net, not a poll interval). */
    public static final long DEFAULT_MAX_BLOCK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Waiter waiter;
    private final int maxSpins;
    private final int maxYields;
    private final long maxBlockNanos;
    private int spins;
    private int yields;
    private int token;

    /**
     * Uses the default spin, yield and block limits.
     *
     * @param waiter the doorbell the producer rings.
     */
    public SpinYieldBlockIdleStrategy(final Waiter waiter)
    {
        this(waiter, DEFAULT_SPINS, DEFAULT_YIELDS, DEFAULT_MAX_BLOCK_NANOS);
    }

    /**
     * @param waiter        the doorbell the producer rings.
     * @param maxSpins      busy spins before yielding (0 or more).
     * @param maxYields     yields before blocking (0 or more).
     * @param maxBlockNanos longest single sleep (positive).
     */
    public SpinYieldBlockIdleStrategy(
        final Waiter waiter, final int maxSpins, final int maxYields, final long maxBlockNanos)
    {
        if (maxSpins < 0 || maxYields < 0 || maxBlockNanos <= 0)
        {
            throw new IllegalArgumentException(
                "invalid idle limits: maxSpins=" + maxSpins + " maxYields=" + maxYields + " maxBlockNanos=" + maxBlockNanos);
        }
        this.waiter = waiter;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.maxBlockNanos = maxBlockNanos;
        reset();
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (spins < maxSpins)
        {
            spins++;
            Thread.onSpinWait();
        }
        else if (yields < maxYields)
        {
            yields++;
            Thread.yield();
        }
        else
        {
            waiter.await(token, maxBlockNanos);
        }
        token = waiter.prepareWait();
    }

    /**
     * Whether the next {@link #idle()} will sleep on the waiter (spins and yields are used up). A ring consumer
     * arms its event index only then ({@code finalCheckFor...}), so a peer publishing while we still spin is
     * not asked to notify:
     * <pre>{@code
     * if (idle.willBlock() && ring.finalCheckForResponses()) { continue; } // work arrived: do not sleep
     * idle.idle();
     * }</pre>
     *
     * @return true if the next idle call blocks.
     */
    public boolean willBlock()
    {
        return spins >= maxSpins && yields >= maxYields;
    }

    @Override
    public void reset()
    {
        spins = 0;
        yields = 0;
        token = waiter.prepareWait();
    }

    @Override
    public String alias()
    {
        return "spin-yield-block";
    }
}
