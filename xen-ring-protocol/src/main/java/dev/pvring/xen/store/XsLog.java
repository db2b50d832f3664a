/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * xenstored's log: at most {@code linesPerWindow} lines per message kind per window (one second by default); what
 * a kind drops in a window is summed up in one line ("suppressed K ...") when the window is over. Logging never
 * throws: a logger that fails (a full disk, no file descriptor left to load a class, no memory) costs the line,
 * counted in {@link #failures()}, never the server. Used on the server thread only (counters are volatile for
 * readers elsewhere).
 */
final class XsLog
{
    /** Default lines per kind per window. */
    static final int DEFAULT_LINES_PER_WINDOW = 5;
    /** Default window. */
    static final long DEFAULT_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** One message kind's window. */
    private static final class Kind
    {
        final System.Logger.Level level;
        long windowStart;
        int lines;
        long suppressed;

        Kind(final System.Logger.Level level, final long windowStart)
        {
            this.level = level;
            this.windowStart = windowStart;
        }
    }

    /**
     * Loaded with this class: a class first loaded when no file descriptor is left fails, and stays failed
     * (JVMS 5.4.3), which would silence the log for good after the first flood.
     */
    private static final Class<?> KIND_CLASS = Kind.class;

    private final System.Logger logger;
    private final int linesPerWindow;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Kind> kinds = new HashMap<>();
    private volatile long lines;
    private volatile long suppressed;
    private volatile long failures;

    /**
     * A log with the default rate.
     *
     * @param logger where lines go.
     */
    XsLog(final System.Logger logger)
    {
        this(logger, DEFAULT_LINES_PER_WINDOW, DEFAULT_WINDOW_NANOS, System::nanoTime);
    }

    /**
     * A log with a given rate and clock.
     *
     * @param logger         where lines go.
     * @param linesPerWindow lines per kind per window.
     * @param windowNanos    window length.
     * @param clock          nanosecond clock.
     */
    XsLog(final System.Logger logger, final int linesPerWindow, final long windowNanos, final LongSupplier clock)
    {
        if (linesPerWindow <= 0 || windowNanos <= 0)
        {
            throw new IllegalArgumentException("rate must be positive: linesPerWindow=" + linesPerWindow +
                " windowNanos=" + windowNanos);
        }
        this.logger = logger;
        this.linesPerWindow = linesPerWindow;
        this.windowNanos = windowNanos;
        this.clock = clock;
    }

    /**
     * Logs a line unless its kind already logged {@code linesPerWindow} lines in this window.
     *
     * @param kind    message kind (a constant naming what happened, e.g. {@code "accept failed"}).
     * @param level   level.
     * @param message the line (built by the caller; keep it cheap).
     * @param thrown  cause, or null.
     * @return true if the line was written.
     */
    boolean log(final String kind, final System.Logger.Level level, final String message, final Throwable thrown)
    {
        try
        {
            final long now = clock.getAsLong();
            Kind k = kinds.get(kind);
            if (null == k)
            {
                k = new Kind(level, now);
                kinds.put(kind, k);
            }
            else if (now - k.windowStart >= windowNanos)
            {
                summarize(kind, k);
                k.windowStart = now;
                k.lines = 0;
            }
            if (k.lines >= linesPerWindow)
            {
                k.suppressed++;
                suppressed++;
                return false;
            }
            k.lines++;
            write(level, message, thrown);
            return true;
        }
        catch (final Throwable failed)
        {
            failures++;
            return false;
        }
    }

    /**
     * Writes the summaries of windows that are over (call now and then, so a flood that stopped is still
     * summed up).
     */
    void tick()
    {
        try
        {
            if (kinds.isEmpty())
            {
                return;
            }
            final long now = clock.getAsLong();
            for (final Map.Entry<String, Kind> e : kinds.entrySet())
            {
                final Kind k = e.getValue();
                if (k.suppressed > 0 && now - k.windowStart >= windowNanos)
                {
                    summarize(e.getKey(), k);
                    k.windowStart = now;
                    k.lines = 0;
                }
            }
        }
        catch (final Throwable failed)
        {
            failures++;
        }
    }

    /**
     * Lines written.
     *
     * @return count (summaries included).
     */
    long lines()
    {
        return lines;
    }

    /**
     * Lines dropped by the rate limit.
     *
     * @return count.
     */
    long suppressed()
    {
        return suppressed;
    }

    /**
     * Lines the logger failed to write (the failure was swallowed).
     *
     * @return count.
     */
    long failures()
    {
        return failures;
    }

    private void summarize(final String kind, final Kind k)
    {
        if (k.suppressed > 0)
        {
            final long dropped = k.suppressed;
            k.suppressed = 0;
            write(k.level, "suppressed " + dropped + " more '" + kind + "' messages in " +
                TimeUnit.NANOSECONDS.toMillis(windowNanos) + " ms", null);
        }
    }

    private void write(final System.Logger.Level level, final String message, final Throwable thrown)
    {
        try
        {
            if (null == thrown)
            {
                logger.log(level, message);
            }
            else
            {
                logger.log(level, message, thrown);
            }
            lines++;
        }
        catch (final Throwable failed)
        {
            failures++;
        }
    }
}
