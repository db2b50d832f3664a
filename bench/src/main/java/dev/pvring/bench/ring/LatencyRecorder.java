/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

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
        // StringBuilder, not "+": an invokedynamic concatenation site bootstraps (hundreds of KB) on first use,
        // and this runs inside the last measured iteration, where -prof gc would count it.
        final double mean = Math.round(histogram.getMean() * 10.0) / 10.0;
        return new StringBuilder(256).append(LINE_PREFIX).append(" benchmark=").append(benchmark).append(' ')
            .append(labels).append(" unit=ns count=").append(histogram.getTotalCount())
            .append(" p50=").append(histogram.getValueAtPercentile(50))
            .append(" p90=").append(histogram.getValueAtPercentile(90))
            .append(" p99=").append(histogram.getValueAtPercentile(99))
            .append(" p99.9=").append(histogram.getValueAtPercentile(99.9))
            .append(" max=").append(histogram.getMaxValue())
            .append(" mean=").append(mean).toString();
    }
}
