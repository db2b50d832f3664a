/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

/**
 * Which entry of a multi-page map failed and why (security catalogue T6): filled by
 * {@link GrantTable#mapRegion(int, int[], int, boolean, GrantMapFailure)} when it returns {@code null}. Reusable
 * (allocate one per driver, no allocation per map); not thread safe.
 */
public final class GrantMapFailure
{
    private int index = -1;
    private int status = GrantStatus.OKAY;

    /**
     * Forgets an earlier failure ({@link #index()} -1, {@link #status()} {@link GrantStatus#OKAY}).
     */
    public void reset()
    {
        index = -1;
        status = GrantStatus.OKAY;
    }

    /**
     * Records a failure (for {@link GrantTable} implementations).
     *
     * @param index  the failing entry (0-based position in the refs given to the map call).
     * @param status its negative {@code GNTST_*} code.
     */
    public void set(final int index, final int status)
    {
        if (index < 0 || status >= GrantStatus.OKAY)
        {
            throw new IllegalArgumentException(
                "a failure needs an entry and a negative status: index=" + index + " status=" + status);
        }
        this.index = index;
        this.status = status;
    }

    /**
     * Whether a failure is recorded.
     *
     * @return true after a failed map (until {@link #reset()}).
     */
    public boolean isFailed()
    {
        return index >= 0;
    }

    /**
     * The failing entry.
     *
     * @return its index in the refs given to the map call, or -1 if nothing failed.
     */
    public int index()
    {
        return index;
    }

    /**
     * Why it failed.
     *
     * @return a negative {@code GNTST_*} code ({@link GrantStatus}), or {@link GrantStatus#OKAY} if nothing failed.
     */
    public int status()
    {
        return status;
    }

    @Override
    public String toString()
    {
        return index < 0 ? "GrantMapFailure{none}" :
            "GrantMapFailure{index=" + index + ", status=" + GrantStatus.name(status) + "}";
    }
}
