/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.ExitCodes;

/**
 * Lets a command stop cleanly on SIGINT/SIGTERM and choose its exit code. The JVM runs a shutdown hook on either
 * signal; this one asks the command to stop ({@link #isRequested()}, and optionally interrupts the command's
 * thread so a blocking read of stdin returns), waits for the command to clean up and call {@link #finish(int)},
 * then ends the process with that code ({@code Runtime.halt}: during shutdown {@code System.exit} would block). A
 * command that does not finish within {@link #GRACE_SECONDS} ends with {@link ExitCodes#INTERRUPTED}.
 * <p>
 * Usage: {@code try (SignalStop stop = SignalStop.install(...)) { ...; return stop.finish(code); }}.
 */
final class SignalStop implements AutoCloseable
{
    /** How long the hook waits for the command to clean up. */
    static final long GRACE_SECONDS = 10;

    private final Thread worker;
    private final boolean interruptWorker;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;
    private volatile int exitCode = ExitCodes.INTERRUPTED;

    private SignalStop(final String name, final boolean interruptWorker)
    {
        this.worker = Thread.currentThread();
        this.interruptWorker = interruptWorker;
        this.hook = new Thread(this::onSignal, name + "-stop");
    }

    /**
     * Installs the hook for the calling thread's command.
     *
     * @param name            thread name prefix.
     * @param interruptWorker whether to interrupt the calling thread on a signal (for blocking reads of stdin
     *                        through an interruptible channel).
     * @return the handle; close it when the command returns.
     */
    static SignalStop install(final String name, final boolean interruptWorker)
    {
        final SignalStop stop = new SignalStop(name, interruptWorker);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    private void onSignal()
    {
        requested = true;
        if (interruptWorker)
        {
            worker.interrupt();
        }
        try
        {
            finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ignore)
        {
            // exit with what we have
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(exitCode);
    }

    /**
     * Whether SIGINT or SIGTERM asked the command to stop.
     *
     * @return true once a signal arrived.
     */
    boolean isRequested()
    {
        return requested;
    }

    /**
     * Records the command's exit code; a running hook exits the process with it.
     *
     * @param code exit code.
     * @return {@code code}.
     */
    int finish(final int code)
    {
        exitCode = code;
        finished.countDown();
        return code;
    }

    @Override
    public void close()
    {
        finished.countDown();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // the hook is running and exits with the recorded code
        }
    }
}
