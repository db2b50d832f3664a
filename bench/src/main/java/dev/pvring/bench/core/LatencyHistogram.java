/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.core;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * HdrHistogram recording of operation latencies in nanoseconds for one JMH fork: the current iteration is
 * recorded into one histogram, measurement iterations are added to the trial histogram, and the trial's
 * percentiles are printed as one {@code # pvring-latency} line when the fork ends.
 * <p>
 * If the system property {@value #HGRM_DIR_PROPERTY} names a directory, the full percentile distribution is also
 * written there as {@code <label>.hgrm} (HdrHistogram's plotter format, values in microseconds).
 */
final class LatencyHistogram
{
    /** System property naming a directory for {@code .hgrm} percentile distributions. */
    static final String HGRM_DIR_PROPERTY = "pvring.bench.hgrmDir";
    /** Values above this are recorded as this (one minute). */
    static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram iteration = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    private final Histogram trial = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);

    /**
     * Records one latency into the current iteration (no allocation).
     *
     * @param nanos latency.
     */
    void record(final long nanos)
    {
        iteration.recordValue(Math.min(Math.max(nanos, 0), HIGHEST_NANOS));
    }

    /**
     * Starts a new iteration.
     */
    void resetIteration()
    {
        iteration.reset();
    }

    /**
     * Ends an iteration; measurement iterations count towards the trial.
     *
     * @param measurement whether the iteration was a measurement (not a warm-up) iteration.
     */
    void endIteration(final boolean measurement)
    {
        if (measurement)
        {
            trial.add(iteration);
        }
    }

    /**
     * The current iteration's histogram (for per-iteration percentiles).
     *
     * @return the histogram.
     */
    Histogram iteration()
    {
        return iteration;
    }

    /**
     * Prints the trial's percentiles and writes the {@code .hgrm} file if requested.
     *
     * @param out   where to print.
     * @param label benchmark and parameters, e.g. {@code FutexRoundTripBenchmark.roundTrip peer=THREAD}.
     */
    void printTrial(final PrintStream out, final String label)
    {
        out.println();
        out.println(format(label, trial));
        final String dir = System.getProperty(HGRM_DIR_PROPERTY);
        if (dir != null && trial.getTotalCount() > 0)
        {
            final Path file = Path.of(dir, label.replaceAll("[^A-Za-z0-9_.=-]+", "_") + ".hgrm");
            try (PrintStream hgrm = new PrintStream(Files.newOutputStream(file), false, "UTF-8"))
            {
                trial.outputPercentileDistribution(hgrm, 1000.0);
                out.println("# pvring-latency distribution written to " + file);
            }
            catch (final IOException ex)
            {
                out.println("# pvring-latency cannot write " + file + ": " + ex);
            }
        }
    }

    /**
     * One line of percentiles in nanoseconds.
     *
     * @param label     what was measured.
     * @param histogram the recording.
     * @return the line, starting with {@code # pvring-latency}.
     */
    static String format(final String label, final Histogram histogram)
    {
        if (histogram.getTotalCount() == 0)
        {
            return "# pvring-latency " + label + ": no measurement samples";
        }
        return String.format(Locale.ROOT,
            "# pvring-latency %s: n=%d p50=%d p90=%d p99=%d p99.9=%d max=%d mean=%.1f ns",
            label, histogram.getTotalCount(), histogram.getValueAtPercentile(50.0),
            histogram.getValueAtPercentile(90.0), histogram.getValueAtPercentile(99.0),
            histogram.getValueAtPercentile(99.9), histogram.getMaxValue(), histogram.getMean());
    }
}
