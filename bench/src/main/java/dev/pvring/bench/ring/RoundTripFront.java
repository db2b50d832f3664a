/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import static dev.pvring.bench.ring.RoundTripFileDescriptor.BACK_STARTING;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.BACK_STATE_OFFSET;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.BACK_STOPPED;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.ENTRY_LENGTH;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.RING_LENGTH;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.RING_OFFSET;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.STOP_OFFSET;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.TO_BACK_EVENT_OFFSET;
import static dev.pvring.bench.ring.RoundTripFileDescriptor.TO_FRONT_EVENT_OFFSET;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;
import dev.pvring.core.SpinYieldBlockIdleStrategy;
import dev.pvring.xen.ring.FrontRing;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The front end of the round-trip benchmark: creates a {@link RoundTripFileDescriptor} file in /dev/shm,
 * initialises the ring, starts a {@link RingEcho} back end on a thread or in a second JVM, and exchanges one
 * 64-byte request/response at a time. {@link #roundTrip(long)} allocates nothing.
 */
public final class RoundTripFront implements AutoCloseable
{
    /** Where the back end runs. */
    public enum Placement
    {
        /** A daemon thread of this JVM. */
        THREAD,
        /** A second JVM ({@link PeerProcess}) mapping the same file. */
        PROCESS;

        /**
         * Parses {@code thread} or {@code process}.
         *
         * @param label the JMH parameter value.
         * @return the placement.
         */
        public static Placement of(final String label)
        {
            return switch (label)
            {
                case "thread" -> THREAD;
                case "process" -> PROCESS;
                default ->
                    throw new IllegalArgumentException("placement must be thread or process: placement=" + label);
            };
        }
    }

    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int STOP_TIMEOUT_SECONDS = 10;
    /** Spins between liveness checks of the back end while busy-waiting. */
    private static final int LIVENESS_CHECK_MASK = (1 << 20) - 1;

    private final Path file;
    private final SharedMemory memory;
    private final AtomicBuffer region;
    private final FrontRing front;
    private final FutexEvent toBack;
    private final SpinYieldBlockIdleStrategy idle;
    private final UnsafeBuffer request;
    private final UnsafeBuffer response;
    private Thread backThread;
    private RingEcho backEcho;
    private PeerProcess backProcess;

    private RoundTripFront(final Path file, final SharedMemory memory, final WaitMode mode)
    {
        this.file = file;
        this.memory = memory;
        this.region = memory.buffer();
        this.front = FrontRing.init(region, RING_OFFSET, RING_LENGTH, ENTRY_LENGTH);
        this.toBack = new FutexEvent(region, TO_BACK_EVENT_OFFSET);
        this.idle = mode.idleStrategy(new FutexEvent(region, TO_FRONT_EVENT_OFFSET));
        this.request = new UnsafeBuffer(new byte[ENTRY_LENGTH]);
        this.request.setMemory(0, ENTRY_LENGTH, (byte)0x5A);
        this.response = new UnsafeBuffer(new byte[ENTRY_LENGTH]);
    }

    /**
     * Creates the file, initialises the ring and starts the back end; returns once the back end is attached.
     *
     * @param placement where the back end runs.
     * @param mode      how both ends wait.
     * @return the connected front end.
     * @throws IOException if the file or the process cannot be created.
     */
    public static RoundTripFront start(final Placement placement, final WaitMode mode) throws IOException
    {
        final Path file = Files.createTempFile(Path.of("/dev/shm"), "pvring-bench-rtt-", ".ring");
        Files.delete(file);
        final RoundTripFront front = new RoundTripFront(file, SharedMemory.create(file, RoundTripFileDescriptor.LENGTH),
            mode);
        try
        {
            front.startBack(placement, mode);
            return front;
        }
        catch (final IOException | RuntimeException ex)
        {
            front.close();
            throw ex;
        }
    }

    private void startBack(final Placement placement, final WaitMode mode) throws IOException
    {
        if (placement == Placement.THREAD)
        {
            backEcho = new RingEcho(region, mode);
            backThread = new Thread(backEcho, "ring-echo-back");
            backThread.setDaemon(true);
            backThread.start();
        }
        else
        {
            backProcess = PeerProcess.start(RingEcho.class, file.toString(), mode.label());
        }
        final long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        // Acquire pairs with the back end's release of "running": its attach is complete.
        while (region.getIntAcquire(BACK_STATE_OFFSET) == BACK_STARTING)
        {
            if (!isBackAlive() || System.nanoTime() > deadline)
            {
                throw new IllegalStateException("back end did not start: placement=" + placement + " output=" +
                    (backProcess != null ? backProcess.output() : "(thread)"));
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Sends one request carrying {@code sequence} and waits for its echo.
     *
     * @param sequence the value written at the start of the request.
     * @return the value found at the start of the response (equal to {@code sequence}).
     * @throws IllegalStateException if the echo is wrong, the ring broke or the back end died.
     */
    public long roundTrip(final long sequence)
    {
        final FrontRing front = this.front;
        final SpinYieldBlockIdleStrategy idle = this.idle;
        request.putLong(0, sequence);
        final int slot = front.claimRequest();
        if (slot < 0)
        {
            throw new IllegalStateException("cannot claim a request slot: status=" + slot + " " + front);
        }
        region.putBytes(slot, request, 0, ENTRY_LENGTH);
        if (idle == null)
        {
            front.pushRequests();
        }
        else if (front.pushRequestsAndCheckNotify())
        {
            toBack.notifyPeer();
        }
        int spins = 0;
        while (front.unconsumedResponses() == 0)
        {
            if (idle == null)
            {
                if ((++spins & LIVENESS_CHECK_MASK) == 0)
                {
                    checkBack();
                }
                Thread.onSpinWait();
            }
            else if (idle.willBlock())
            {
                checkBack();
                // Arm rsp_event only now, right before sleeping; the final check closes the race with a push.
                if (!front.finalCheckForResponses())
                {
                    idle.idle();
                }
            }
            else
            {
                idle.idle();
            }
        }
        if (idle != null)
        {
            idle.reset();
        }
        front.copyResponse(response, 0, ENTRY_LENGTH);
        final long echoed = response.getLong(0);
        if (echoed != sequence)
        {
            throw new IllegalStateException("wrong echo: expected=" + sequence + " echoed=" + echoed);
        }
        return echoed;
    }

    private void checkBack()
    {
        if (front.isBroken() || !isBackAlive())
        {
            throw new IllegalStateException("no response: fault=" + front.fault() + " backAlive=" + isBackAlive());
        }
    }

    private boolean isBackAlive()
    {
        return backThread != null ? backThread.isAlive() : backProcess != null && backProcess.isAlive();
    }

    /**
     * Asks the back end to stop, waits for it and checks that it stopped cleanly. Allocates nothing on success
     * (it runs inside JMH's last measured iteration).
     *
     * @throws InterruptedException if interrupted while waiting.
     * @throws IllegalStateException if the back end did not stop cleanly.
     */
    public void stop() throws InterruptedException
    {
        // Release: the back end sees the stop request after everything we did; the doorbell wakes it if asleep.
        region.putIntRelease(STOP_OFFSET, 1);
        toBack.notifyPeer();
        final int exit;
        if (backThread != null)
        {
            backThread.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
            exit = backThread.isAlive() ? -1 : 0;
        }
        else
        {
            exit = backProcess.waitFor(STOP_TIMEOUT_SECONDS);
        }
        final int state = region.getIntAcquire(BACK_STATE_OFFSET);
        if (exit != 0 || state != BACK_STOPPED)
        {
            throw new IllegalStateException("back end did not stop cleanly: exit=" + exit + " state=" + state +
                " " + (backProcess != null ? backProcess.output() : backEcho.summary()));
        }
    }

    /**
     * The back end's summary line after {@link #stop()}: its own counts (thread) or its output (process).
     *
     * @return the text.
     */
    public String backSummary()
    {
        return backProcess != null ? backProcess.output() : backEcho.summary();
    }

    /**
     * Front-to-back notifications this end sent.
     *
     * @return the count.
     */
    public long notificationsSent()
    {
        return toBack.notificationsSent();
    }

    @Override
    public void close() throws IOException
    {
        if (backProcess != null)
        {
            backProcess.close();
        }
        memory.close();
        Files.deleteIfExists(file);
    }
}
