/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import java.util.concurrent.TimeUnit;

import dev.pvring.core.BatchPublisher;
import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;
import dev.pvring.core.SpinYieldBlockIdleStrategy;
import dev.pvring.xen.ring.BackRing;
import dev.pvring.xen.ring.FrontRing;
import dev.pvring.xen.ring.SharedRingDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Notifications per message at saturation on a Xen ring (16 pages, 512 slots of 64 B) whose two ends both wait
 * with {@link SpinYieldBlockIdleStrategy} on futex doorbells and arm their event index only right before sleeping
 * ({@code willBlock()} then {@code finalCheckFor...()}). The front end publishes up to {@code batch} requests per
 * push through a {@link BatchPublisher} ({@code pushRequestsAndCheckNotify}, ringing the back end's doorbell when
 * {@code req_event} asks); the back end answers up to {@code batch} requests per
 * {@code pushResponsesAndCheckNotify}, ringing the front end's doorbell when {@code rsp_event} asks.
 * <p>
 * Counters are rates (per µs) of one thread each, so a ratio of two counters of the same side is exact:
 * request notifications per message = {@code requestNotifications / sent}, response notifications per message =
 * {@code responseNotifications / received}. {@code *FutexWakes} are the notifications that found the peer asleep
 * (a {@code FUTEX_WAKE} system call), {@code *Sleeps} the futex waits. Each fork also prints a {@code NOTIFY} line
 * per side with the totals and the ratio. The target: at most 1 notification per 32 messages with
 * batching.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class XenRingNotifyBenchmark
{
    static final int MESSAGE_LENGTH = 64;
    static final int RESPONSE_LENGTH = 8;
    static final int RING_BYTES = 16 * SharedRingDescriptor.PAGE_SIZE;
    static final int TO_BACK_EVENT_OFFSET = RING_BYTES;
    static final int TO_FRONT_EVENT_OFFSET = RING_BYTES + 128;
    static final int REGION_BYTES = RING_BYTES + SharedRingDescriptor.PAGE_SIZE;
    /** Longest futex sleep: short, so a thread waiting for a peer that stopped at an iteration's end resumes. */
    static final long MAX_BLOCK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * The shared region: the ring and two doorbells.
     */
    @State(Scope.Group)
    public static class Channel
    {
        /** Messages per push, on both sides. */
        @Param({"1", "32"})
        public int batch;

        SharedMemory memory;
        AtomicBuffer region;

        /** Maps the region and initialises the ring. */
        @Setup(Level.Trial)
        public void setUp()
        {
            if (batch < 1 || batch > SharedRingDescriptor.ringSize(RING_BYTES, MESSAGE_LENGTH))
            {
                throw new IllegalArgumentException("batch must be 1..ring size: batch=" + batch);
            }
            memory = SharedMemory.anonymous(REGION_BYTES);
            region = memory.buffer();
            SharedRingDescriptor.sharedRingInit(region, 0);
        }

        /** Unmaps. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            memory.close();
        }
    }

    /**
     * Front-end counts.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class FrontCounters
    {
        /** Requests published. */
        public long sent;
        /** Steps that found the ring full and no response to take back. */
        public long full;
        /** Notifications sent to the back end (its {@code req_event} asked). */
        public long requestNotifications;
        /** Request notifications that woke a sleeping back end. */
        public long requestFutexWakes;
        /** Futex sleeps of the front end. */
        public long frontSleeps;

        /** Restarts the counts for each iteration. */
        @Setup(Level.Iteration)
        public void clear()
        {
            sent = 0;
            full = 0;
            requestNotifications = 0;
            requestFutexWakes = 0;
            frontSleeps = 0;
        }
    }

    /**
     * Back-end counts.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class BackCounters
    {
        /** Requests answered. */
        public long received;
        /** Steps that found no request. */
        public long empty;
        /** Notifications sent to the front end (its {@code rsp_event} asked). */
        public long responseNotifications;
        /** Response notifications that woke a sleeping front end. */
        public long responseFutexWakes;
        /** Futex sleeps of the back end. */
        public long backSleeps;
        /** Requests whose sequence was not the next expected (must stay 0). */
        public long sequenceErrors;

        /** Restarts the counts for each iteration. */
        @Setup(Level.Iteration)
        public void clear()
        {
            received = 0;
            empty = 0;
            responseNotifications = 0;
            responseFutexWakes = 0;
            backSleeps = 0;
            sequenceErrors = 0;
        }
    }

    /**
     * The front end's private state, created by its own thread.
     */
    @State(Scope.Thread)
    public static class Front
    {
        FrontRing front;
        AtomicBuffer region;
        FutexEvent toBack;
        FutexEvent toFront;
        SpinYieldBlockIdleStrategy idle;
        BatchPublisher publisher;
        UnsafeBuffer message;
        UnsafeBuffer response;
        int batch;
        long nextSequence;
        long nextResponse;
        long responseErrors;

        /**
         * Attaches at index 0 with its doorbells.
         *
         * @param channel the shared region.
         */
        @Setup(Level.Trial)
        public void setUp(final Channel channel)
        {
            region = channel.region;
            batch = channel.batch;
            front = FrontRing.attach(region, 0, RING_BYTES, MESSAGE_LENGTH, 0);
            toBack = new FutexEvent(region, TO_BACK_EVENT_OFFSET);
            toFront = new FutexEvent(region, TO_FRONT_EVENT_OFFSET);
            idle = new SpinYieldBlockIdleStrategy(toFront, SpinYieldBlockIdleStrategy.DEFAULT_SPINS,
                SpinYieldBlockIdleStrategy.DEFAULT_YIELDS, MAX_BLOCK_NANOS);
            publisher = new BatchPublisher(front::pushRequestsAndCheckNotify, toBack, batch);
            message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
            message.setMemory(0, MESSAGE_LENGTH, (byte)0x5A);
            response = new UnsafeBuffer(new byte[RESPONSE_LENGTH]);
        }

        /** Prints the totals of the whole trial (warm-up included) and fails on a bad response. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            System.out.println(notifyLine("front", batch, publisher.messages(), publisher.notifications(),
                toBack.wakeUpsIssued(), toFront.blockingWaits()).append(" pushes=").append(publisher.flushes()));
            if (responseErrors != 0 || front.isBroken())
            {
                throw new IllegalStateException(
                    "front end saw bad responses: responseErrors=" + responseErrors + " fault=" + front.fault());
            }
        }
    }

    /**
     * The back end's private state, created by its own thread.
     */
    @State(Scope.Thread)
    public static class Back
    {
        BackRing back;
        AtomicBuffer region;
        FutexEvent toBack;
        FutexEvent toFront;
        SpinYieldBlockIdleStrategy idle;
        UnsafeBuffer request;
        int batch;
        long nextSequence;
        long messages;

        /**
         * Attaches at index 0 with its doorbells.
         *
         * @param channel the shared region.
         */
        @Setup(Level.Trial)
        public void setUp(final Channel channel)
        {
            region = channel.region;
            batch = channel.batch;
            back = BackRing.attach(region, 0, RING_BYTES, MESSAGE_LENGTH, 0);
            toBack = new FutexEvent(region, TO_BACK_EVENT_OFFSET);
            toFront = new FutexEvent(region, TO_FRONT_EVENT_OFFSET);
            idle = new SpinYieldBlockIdleStrategy(toBack, SpinYieldBlockIdleStrategy.DEFAULT_SPINS,
                SpinYieldBlockIdleStrategy.DEFAULT_YIELDS, MAX_BLOCK_NANOS);
            request = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
        }

        /** Prints the totals of the whole trial (warm-up included). */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            System.out.println(notifyLine("back", batch, messages, toFront.notificationsSent(), toFront.wakeUpsIssued(),
                toBack.blockingWaits()));
        }
    }

    /**
     * A {@code NOTIFY} line of one side's trial totals, built without invokedynamic concatenation (its bootstrap
     * would allocate inside the last measured iteration).
     */
    static StringBuilder notifyLine(
        final String side, final int batch, final long messages, final long notifications, final long futexWakes,
        final long sleeps)
    {
        return new StringBuilder(160).append("NOTIFY side=").append(side).append(" batch=").append(batch)
            .append(" messages=").append(messages).append(" notifications=").append(notifications)
            .append(" notificationsPerMessage=").append(messages == 0 ? 0.0 : (double)notifications / messages)
            .append(" futexWakes=").append(futexWakes).append(" sleeps=").append(sleeps);
    }

    /**
     * One duty-cycle step of the front end: take back answered slots, queue up to {@code batch} requests (the
     * publisher pushes and notifies per full batch; a partial batch is flushed), or idle when nothing moved.
     *
     * @param state    the front end.
     * @param counters front counts.
     */
    @Benchmark
    @Group("notify")
    @GroupThreads(1)
    public void front(final Front state, final FrontCounters counters)
    {
        final FrontRing front = state.front;
        final int responses = front.unconsumedResponses();
        if (responses > 0)
        {
            final UnsafeBuffer response = state.response;
            long expected = state.nextResponse;
            long errors = 0;
            for (int i = 0; i < responses; i++)
            {
                front.copyResponse(response, 0, RESPONSE_LENGTH);
                if (response.getLong(0) != expected)
                {
                    errors++;
                }
                expected++;
            }
            state.nextResponse = expected;
            state.responseErrors += errors;
        }
        final BatchPublisher publisher = state.publisher;
        final long notificationsBefore = publisher.notifications();
        final long wakesBefore = state.toBack.wakeUpsIssued();
        final AtomicBuffer region = state.region;
        final UnsafeBuffer message = state.message;
        final int batch = state.batch;
        long sequence = state.nextSequence;
        int queued = 0;
        while (queued < batch)
        {
            final int slot = front.claimRequest();
            if (slot < 0)
            {
                break;
            }
            message.putLong(0, sequence++);
            region.putBytes(slot, message, 0, MESSAGE_LENGTH);
            publisher.queued();
            queued++;
        }
        publisher.flush();
        state.nextSequence = sequence;
        counters.sent += queued;
        counters.requestNotifications += publisher.notifications() - notificationsBefore;
        counters.requestFutexWakes += state.toBack.wakeUpsIssued() - wakesBefore;
        final SpinYieldBlockIdleStrategy idle = state.idle;
        if (responses > 0 || queued > 0)
        {
            idle.reset();
            return;
        }
        counters.full++;
        if (!idle.willBlock() || !front.finalCheckForResponses())
        {
            final long sleepsBefore = state.toFront.blockingWaits();
            idle.idle();
            counters.frontSleeps += state.toFront.blockingWaits() - sleepsBefore;
        }
    }

    /**
     * One duty-cycle step of the back end: answer up to {@code batch} requests with one push, or idle.
     *
     * @param state    the back end.
     * @param counters back counts.
     */
    @Benchmark
    @Group("notify")
    @GroupThreads(1)
    public void back(final Back state, final BackCounters counters)
    {
        final BackRing back = state.back;
        final int requests = Math.min(back.unconsumedRequests(), state.batch);
        final SpinYieldBlockIdleStrategy idle = state.idle;
        if (requests == 0)
        {
            counters.empty++;
            if (!idle.willBlock() || !back.finalCheckForRequests())
            {
                final long sleepsBefore = state.toBack.blockingWaits();
                idle.idle();
                counters.backSleeps += state.toBack.blockingWaits() - sleepsBefore;
            }
            return;
        }
        final AtomicBuffer region = state.region;
        final UnsafeBuffer request = state.request;
        long expected = state.nextSequence;
        long errors = 0;
        for (int i = 0; i < requests; i++)
        {
            back.copyRequest(request, 0, MESSAGE_LENGTH);
            final long sequence = request.getLong(0);
            if (sequence != expected)
            {
                errors++;
            }
            expected = sequence + 1;
            region.putLong(back.claimResponse(), sequence);
        }
        state.nextSequence = expected;
        state.messages += requests;
        if (back.pushResponsesAndCheckNotify())
        {
            final long wakesBefore = state.toFront.wakeUpsIssued();
            state.toFront.notifyPeer();
            counters.responseNotifications++;
            counters.responseFutexWakes += state.toFront.wakeUpsIssued() - wakesBefore;
        }
        idle.reset();
        counters.received += requests;
        counters.sequenceErrors += errors;
    }
}
