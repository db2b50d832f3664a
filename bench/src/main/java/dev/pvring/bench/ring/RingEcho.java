/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import static dev.pvring.bench.ring.RoundTripFileDescriptor.BACK_BROKEN;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.BACK_RUNNING;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.BACK_STATE_OFFSET;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.BACK_STOPPED;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.ENTRY_LENGTH;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.RING_LENGTH;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.RING_OFFSET;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.STOP_OFFSET;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.TO_BACK_EVENT_OFFSET;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.TO_FRONT_EVENT_OFFSET;

import java.io.IOException;
import java.nio.file.Path;

import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;
import dev.pvring.core.SpinYieldBlockIdleStrategy;
import dev.pvring.xen.ring.BackRing;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The back end of the round-trip benchmark: attaches to the ring in a {@link RoundTripFileDescriptor} region and
 * echoes every request (64 bytes copied out, then written back as the response) until the front end asks it to
 * stop. Runs on a thread of the benchmark JVM or, through {@link #main(String[])}, in a second JVM.
 * <p>
 * Waiting follows the {@link WaitMode}: spinning uses plain pushes; the blocking modes push with the event-index
 * check, ring the front end's doorbell when it asked, and arm {@code req_event} only right before sleeping
 * ({@code willBlock()} then {@code finalCheckForRequests()}), like {@code pvring demo}. Allocation-free after start.
 */
public final class RingEcho implements Runnable
{
    private final AtomicBuffer region;
    private final WaitMode mode;
    private long echoed;
    private long notificationsSent;
    private long sleeps;

    /**
     * An echo back end over a region; {@link #run()} attaches and echoes.
     *
     * @param region the shared region (a {@link RoundTripFileDescriptor} layout whose ring the front initialised).
     * @param mode   how to wait.
     */
    public RingEcho(final AtomicBuffer region, final WaitMode mode)
    {
        this.region = region;
        this.mode = mode;
    }

    @Override
    public void run()
    {
        final BackRing back = BackRing.attach(region, RING_OFFSET, RING_LENGTH, ENTRY_LENGTH);
        final FutexEvent toBack = new FutexEvent(region, TO_BACK_EVENT_OFFSET);
        final FutexEvent toFront = new FutexEvent(region, TO_FRONT_EVENT_OFFSET);
        final SpinYieldBlockIdleStrategy idle = mode.idleStrategy(toBack);
        final UnsafeBuffer request = new UnsafeBuffer(new byte[ENTRY_LENGTH]);
        // Release: the attach is complete before the front end sees "running" and starts sending.
        region.putIntRelease(BACK_STATE_OFFSET, BACK_RUNNING);
        long count = 0;
        while (true)
        {
            final int requests = back.unconsumedRequests();
            if (requests == 0)
            {
                // Acquire pairs with the front end's release of the stop request.
                if (region.getIntAcquire(STOP_OFFSET) != 0 || back.isBroken())
                {
                    break;
                }
                if (idle == null)
                {
                    Thread.onSpinWait();
                }
                else if (!idle.willBlock() || !back.finalCheckForRequests())
                {
                    idle.idle();
                }
                continue;
            }
            for (int i = 0; i < requests; i++)
            {
                back.copyRequest(request, 0, ENTRY_LENGTH);
                region.putBytes(back.claimResponse(), request, 0, ENTRY_LENGTH);
            }
            count += requests;
            if (idle == null)
            {
                back.pushResponses();
            }
            else
            {
                if (back.pushResponsesAndCheckNotify())
                {
                    toFront.notifyPeer();
                }
                idle.reset();
            }
        }
        echoed = count;
        notificationsSent = toFront.notificationsSent();
        sleeps = toBack.blockingWaits();
        // Release: the counts above are written before the front end reads the final state.
        region.putIntRelease(BACK_STATE_OFFSET, back.isBroken() ? BACK_BROKEN : BACK_STOPPED);
    }

    /**
     * A one-line summary, after {@link #run()} returned.
     *
     * @return echoed requests, notifications sent and sleeps.
     */
    public String summary()
    {
        // StringBuilder: no invokedynamic bootstrap inside a measured iteration (see LatencyRecorder).
        return new StringBuilder(96).append("echoed=").append(echoed).append(" notifications=")
            .append(notificationsSent).append(" sleeps=").append(sleeps).toString();
    }

    /**
     * Echoes in this process until stopped: {@code RingEcho FILE spin|spinBlock|block}. Exits when the parent
     * process closes this process's standard input (the parent ended), so a killed benchmark leaves no spinner.
     *
     * @param args the shared file and the wait mode.
     * @throws IOException if the file cannot be mapped.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length != 2)
        {
            System.err.println("usage: RingEcho FILE spin|spinBlock|block");
            System.exit(2);
        }
        final WaitMode mode = WaitMode.of(args[1]);
        final Thread watchdog = new Thread(RingEcho::haltWhenParentGone, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try (SharedMemory memory = SharedMemory.open(
            Path.of(args[0]), 0, RoundTripFileDescriptor.LENGTH, SharedMemory.Access.READ_WRITE))
        {
            final RingEcho echo = new RingEcho(memory.buffer(), mode);
            echo.run();
            System.out.println("ring echo " + mode.label() + ": " + echo.summary());
            System.exit(memory.buffer().getIntAcquire(BACK_STATE_OFFSET) == BACK_STOPPED ? 0 : 3);
        }
    }

    private static void haltWhenParentGone()
    {
        try
        {
            while (System.in.read() != -1)
            {
                // the parent never writes; EOF means it closed the pipe or died
            }
        }
        catch (final IOException ignored)
        {
            // treat like EOF
        }
        Runtime.getRuntime().halt(4);
    }
}
