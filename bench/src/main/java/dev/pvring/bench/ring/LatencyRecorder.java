/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * An HdrHistogram of nanosecond latencies, preallocated (recording never allocates; values above 10 s are
 * clamped), printed as one parseable line:
 * <pre>
 * HDR-RTT benchmark=NAME key=value... unit=ns count=N p50=X p90=X p99=X p99.9=X max=X mean=X
 * </pre>
 * {@code bench/ring-report.sh} collects these lines from the JMH log.
 */
public final class LatencyRecorder
{
    /** Prefix of the printed line. */
    public static final String LINE_PREFIX = "HDR-RTT";
    private static final long HIGHEST = TimeUnit.SECONDS.toNanos(10);

    private final Histogram histogram = new Histogram(1, HIGHEST, 3);

    /**
     * Records one latency.
     *
     * @param nanos the latency.
     */
    public void record(final long nanos)
    {
        histogram.recordValue(Math.min(Math.max(nanos, 1), HIGHEST));
    }

    /**
     * Values recorded.
     *
     * @return the count.
     */
    public long count()
    {
        return histogram.getTotalCount();
    }

    /**
     * Forgets everything recorded.
     */
    public void reset()
    {
        histogram.reset();
    }

    /**
     * The summary line.
     *
     * @param benchmark the benchmark name.
     * @param labels    {@code key=value} words identifying the configuration, space-separated.
     * @return the line.
     */
    public String line(final String benchmark, final String labels)
    {
        return LINE_PREFIX + " benchmark=" + benchmark + " " + labels + " unit=ns count=" + histogram.getTotalCount() +
            " p50=" + histogram.getValueAtPercentile(50) + " p90=" + histogram.getValueAtPercentile(90) +
            " p99=" + histogram.getValueAtPercentile(99) + " p99.9=" + histogram.getValueAtPercentile(99.9) +
            " max=" + histogram.getMaxValue() + " mean=" + String.format(Locale.ROOT, "%.1f", histogram.getMean());
    }
}
