/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.ExitCodes;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Lets a shmstream command stop cleanly on SIGINT, SIGTERM or SIGHUP and return its own exit code. While the
 * command runs, the signals only set a flag ({@link #isRequested()}) and optionally interrupt the command's thread
 * (so a blocking read of stdin through an interruptible channel returns); the command cleans up, prints its last
 * line and returns. Whatever handled the signals before (the JVM's shutdown, or {@code pvring}'s own handlers) is
 * restored by {@link #close()}. A command still running {@link #GRACE_SECONDS} s after the signal, or a second
 * signal, ends the process at once with {@link ExitCodes#INTERRUPTED}, after deleting the files registered with
 * {@link #deleteIfHalted(Path)}.
 * <p>
 * Usage: {@code try (SignalStop stop = SignalStop.install(...)) { ...; return stop.finish(code); }}.
 */
final class SignalStop implements AutoCloseable
{
    /** Seconds a command has to stop after the first signal. */
    static final long GRACE_SECONDS = 10;

    private static final String[] NAMES = {"INT", "TERM", "HUP"};

    private final Thread worker;
    private final boolean interruptWorker;
    private final Signal[] signals = new Signal[NAMES.length];
    private final SignalHandler[] previous = new SignalHandler[NAMES.length];
    private final Set<Path> files = ConcurrentHashMap.newKeySet();
    private volatile boolean requested;
    private volatile boolean finished;

    private SignalStop(final boolean interruptWorker)
    {
        this.worker = Thread.currentThread();
        this.interruptWorker = interruptWorker;
    }

    /**
     * Takes over SIGINT, SIGTERM and SIGHUP for the calling thread's command. A signal the process inherited as
     * ignored stays ignored.
     *
     * @param interruptWorker whether a signal interrupts the calling thread.
     * @return the handle; close it when the command returns.
     */
    static SignalStop install(final boolean interruptWorker)
    {
        final SignalStop stop = new SignalStop(interruptWorker);
        for (int i = 0; i < NAMES.length; i++)
        {
            try
            {
                stop.signals[i] = new Signal(NAMES[i]);
                stop.previous[i] = Signal.handle(stop.signals[i], stop::onSignal);
            }
            catch (final IllegalArgumentException unavailable)
            {
                stop.signals[i] = null;     // the JVM or the OS keeps this signal (e.g. -Xrs)
            }
        }
        return stop;
    }

    private void onSignal(final Signal signal)
    {
        if (requested)
        {
            halt();
        }
        requested = true;
        if (interruptWorker)
        {
            worker.interrupt();
        }
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
            if (!finished)
            {
                System.err.println("pvring: still running " + GRACE_SECONDS + " s after SIG" + signal.getName() +
                    ": cleaning up and exiting now");
                halt();
            }
        }, "shmstream-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void halt()
    {
        for (final Path file : files)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ignore)
            {
                // exiting anyway
            }
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
    }

    /**
     * Whether a signal asked the command to stop.
     *
     * @return true once SIGINT, SIGTERM or SIGHUP arrived.
     */
    boolean isRequested()
    {
        return requested;
    }

    /**
     * Registers a file the command created, deleted if the process has to end without the command (grace time
     * over, or a second signal).
     *
     * @param file the file.
     */
    void deleteIfHalted(final Path file)
    {
        files.add(file);
    }

    /**
     * Marks the command done.
     *
     * @param code its exit code.
     * @return {@code code}.
     */
    int finish(final int code)
    {
        finished = true;
        return code;
    }

    @Override
    public void close()
    {
        finished = true;
        for (int i = 0; i < NAMES.length; i++)
        {
            if (signals[i] != null && previous[i] != null)
            {
                Signal.handle(signals[i], previous[i]);
            }
        }
    }
}
