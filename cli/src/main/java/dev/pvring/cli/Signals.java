/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import sun.misc.Signal;

/**
 * How {@code pvring} stops on SIGINT, SIGTERM and SIGHUP: the first signal only sets a flag
 * ({@link #stopRequested()}) that every long-running command polls; the command then stops, prints its last state
 * line and returns its exit code (servers {@link ExitCodes#OK}, finite commands {@link ExitCodes#INTERRUPTED}).
 * Files and child processes a command created are registered here ({@link #deleteOnStop}, {@link #destroyOnStop})
 * and removed when the process exits after a stop signal, even if the command itself does not get that far:
 * a command that has not returned {@value #GRACE_SECONDS} s after the signal, or a second signal, makes the process
 * clean up and exit at once with {@link ExitCodes#INTERRUPTED}.
 * <p>
 * Only {@link Pvring#main} installs the handlers; in-process runs (tests, embedding) keep the JVM's own handling.
 */
public final class Signals
{
    /** Seconds a command has to stop after the first signal before the process exits without it. */
    public static final int GRACE_SECONDS = 5;

    private static final Set<Path> FILES = ConcurrentHashMap.newKeySet();
    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();
    private static volatile String stopSignal;

    private Signals()
    {
    }

    /**
     * Installs the handlers for SIGINT, SIGTERM and SIGHUP and the exit hook that cleans up after them. A signal
     * the parent made the process ignore (e.g. SIGINT of a background job) stays ignored.
     */
    static void install()
    {
        for (final String name : new String[] {"INT", "TERM", "HUP"})
        {
            try
            {
                // HotSpot leaves a shutdown signal the process inherited as ignored alone (handle returns SIG_IGN)
                Signal.handle(new Signal(name), Signals::onSignal);
            }
            catch (final IllegalArgumentException unavailable)
            {
                // the JVM or the OS keeps this signal (e.g. -Xrs): its default handling stays
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(Signals::cleanUpIfStopped, "pvring-cleanup"));
    }

    /**
     * Whether a stop signal arrived: long-running commands poll this and stop (one volatile read).
     *
     * @return true after SIGINT, SIGTERM or SIGHUP.
     */
    public static boolean stopRequested()
    {
        return stopSignal != null;
    }

    /**
     * The signal that asked to stop, for the command's last line.
     *
     * @return e.g. {@code "SIGTERM"}, or null if none arrived.
     */
    public static String stopSignal()
    {
        return stopSignal;
    }

    /**
     * Registers a file this process created, to be deleted if the process is stopped by a signal.
     *
     * @param file the file (or unix socket) the command created.
     */
    public static void deleteOnStop(final Path file)
    {
        FILES.add(file);
    }

    /**
     * Forgets a file registered with {@link #deleteOnStop}: the command finished and keeps it (or deleted it).
     *
     * @param file the file.
     */
    public static void keep(final Path file)
    {
        FILES.remove(file);
    }

    /**
     * Registers a child process, to be stopped if this process is stopped by a signal.
     *
     * @param child the child.
     */
    public static void destroyOnStop(final Process child)
    {
        CHILDREN.add(child);
    }

    /**
     * Forgets a child registered with {@link #destroyOnStop} (it ended, or the command stopped it).
     *
     * @param child the child.
     */
    public static void forget(final Process child)
    {
        CHILDREN.remove(child);
    }

    private static void onSignal(final Signal signal)
    {
        if (stopSignal != null)
        {
            report("pvring: second signal (SIG" + signal.getName() + "): cleaning up and exiting now");
            cleanUp();
            Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
        }
        stopSignal = "SIG" + signal.getName();
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                TimeUnit.SECONDS.sleep(GRACE_SECONDS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            report("pvring: still running " + GRACE_SECONDS + " s after " + stopSignal +
                ": cleaning up and exiting now");
            cleanUp();
            Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
        }, "pvring-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void cleanUpIfStopped()
    {
        if (stopRequested())
        {
            cleanUp();
        }
    }

    /** Stops registered children (SIGTERM, then SIGKILL after a second) and deletes registered files. */
    private static synchronized void cleanUp()
    {
        for (final Process child : CHILDREN)
        {
            child.destroy();
        }
        for (final Process child : CHILDREN)
        {
            try
            {
                if (!child.waitFor(1, TimeUnit.SECONDS))
                {
                    child.destroyForcibly();
                }
            }
            catch (final InterruptedException ex)
            {
                child.destroyForcibly();
            }
            CHILDREN.remove(child);
        }
        for (final Path file : FILES)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ex)
            {
                report("pvring: cannot delete " + file + ": " + ex.getMessage());
            }
            FILES.remove(file);
        }
    }

    private static void report(final String line)
    {
        final PrintStream err = System.err;
        err.println(line);
        err.flush();
    }
}
