/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import dev.pvring.core.SpinYieldBlockIdleStrategy;
import dev.pvring.core.Waiter;

/**
 * How an end of the round-trip benchmark waits for its peer.
 */
public enum WaitMode
{
    /** Busy-spin on the ring index; plain pushes, no event index, no doorbell. */
    SPIN("spin"),
    /**
     * {@link SpinYieldBlockIdleStrategy} defaults (2000 spins, 50 yields, then a futex sleep): the event index is
     * armed ({@code finalCheckFor...}) only when the next idle call would block; pushes check the event index and
     * ring the futex doorbell when the peer asked.
     */
    SPIN_BLOCK("spinBlock"),
    /** Arms the event index and sleeps on the futex at once whenever there is no work (no spinning at all). */
    BLOCK("block");

    private final String label;

    WaitMode(final String label)
    {
        this.label = label;
    }

    /**
     * The JMH parameter value.
     *
     * @return the label.
     */
    public String label()
    {
        return label;
    }

    /**
     * Parses a JMH parameter value.
     *
     * @param label {@code spin}, {@code spinBlock} or {@code block}.
     * @return the mode.
     */
    public static WaitMode of(final String label)
    {
        for (final WaitMode mode : values())
        {
            if (mode.label.equals(label))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("wait must be spin, spinBlock or block: wait=" + label);
    }

    /**
     * The idle strategy of this mode, or {@code null} for {@link #SPIN}.
     *
     * @param waiter the doorbell this end sleeps on.
     * @return the strategy.
     */
    public SpinYieldBlockIdleStrategy idleStrategy(final Waiter waiter)
    {
        return switch (this)
        {
            case SPIN -> null;
            case SPIN_BLOCK -> new SpinYieldBlockIdleStrategy(waiter);
            case BLOCK ->
                new SpinYieldBlockIdleStrategy(waiter, 0, 0, SpinYieldBlockIdleStrategy.DEFAULT_MAX_BLOCK_NANOS);
        };
    }
}
