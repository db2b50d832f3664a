/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import java.util.Arrays;
import java.util.Locale;

/**
 * Median and range of a figure across forks, and ratios of two such figures: the ratio of the medians, with a
 * range that covers every pairing of forks ({@code min/max .. max/min}), so a ratio whose range straddles a
 * target did not clearly meet it.
 *
 * @param median median across forks (mean of the middle two for an even count).
 * @param min    smallest fork value.
 * @param max    largest fork value.
 * @param count  number of forks.
 */
record Spread(double median, double min, double max, int count)
{
    /** A missing figure. */
    static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    /**
     * The spread of some per-fork values (NaN values are ignored).
     *
     * @param values per-fork values.
     * @return the spread, {@link #NONE} when empty.
     */
    static Spread of(final double... values)
    {
        final double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0)
        {
            return NONE;
        }
        final int n = sorted.length;
        final double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return new Spread(median, sorted[0], sorted[n - 1], n);
    }

    /**
     * Whether there is a figure.
     *
     * @return true if at least one fork had a value.
     */
    boolean present()
    {
        return count > 0;
    }

    /**
     * This figure divided by another.
     *
     * @param other the denominator.
     * @return median ratio, range over all fork pairings.
     */
    Spread over(final Spread other)
    {
        if (!present() || !other.present())
        {
            return NONE;
        }
        return new Spread(median / other.median, min / other.max, max / other.min, Math.min(count, other.count));
    }

    /**
     * This figure divided by a single number (an anchor measured elsewhere).
     *
     * @param value the denominator.
     * @return the ratio.
     */
    Spread over(final double value)
    {
        if (!present() || Double.isNaN(value) || value == 0)
        {
            return NONE;
        }
        return new Spread(median / value, min / value, max / value, count);
    }

    /**
     * {@code median [min..max]} with a sensible number of digits, or {@code -} when missing.
     *
     * @return the text.
     */
    String text()
    {
        if (!present())
        {
            return "-";
        }
        if (count == 1 || min == max)
        {
            return number(median);
        }
        return number(median) + " [" + number(min) + ".." + number(max) + "]";
    }

    /**
     * Formats a number with 3 significant digits (no exponent for everyday magnitudes).
     *
     * @param value the number.
     * @return the text.
     */
    static String number(final double value)
    {
        if (Double.isNaN(value))
        {
            return "-";
        }
        final double magnitude = Math.abs(value);
        if (magnitude == 0)
        {
            return "0";
        }
        if (magnitude >= 1000)
        {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (magnitude >= 100)
        {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 1)
        {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        if (magnitude >= 0.001)
        {
            return String.format(Locale.ROOT, "%.4f", value);
        }
        return String.format(Locale.ROOT, "%.2e", value);
    }
}
