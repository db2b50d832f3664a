/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.pvring.core.SharedMemory;
import dev.pvring.xen.ring.BackRing;
import dev.pvring.xen.ring.FrontRing;
import dev.pvring.xen.ring.SharedRingDescriptor;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.SpscArrayQueue;
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
 * Messages per second through one SPSC channel, one producer thread and one consumer thread in the same JMH run
 * (a {@code @Group} of two {@code @GroupThreads(1)} methods per channel): the pvring Xen {@code io/ring.h} ring
 * against JCTools {@code SpscArrayQueue}, Agrona {@code OneToOneRingBuffer} and
 * {@code OneToOneConcurrentArrayQueue}, and a single-producer busy-spin Disruptor 4, consumed both through an
 * {@code EventPoller} on a JMH thread ({@code disruptor}) and, as Disruptor is usually run, by a
 * {@code BatchEventProcessor} on its own thread ({@code disruptorProcessor}, the only non-group benchmark here).
 * <p>
 * The figure is the consumer's {@code received} counter (messages/µs = Mmsg/s); the primary JMH score of a group
 * is the sum of both threads' invocations and means nothing here. {@code sent}/{@code full} (producer) and
 * {@code empty} (consumer polls that found nothing) show who waited for whom; {@code sequenceErrors} must be 0.
 * <p>
 * The Xen ring does the whole protocol: the front end (producer thread) claims up to {@code batch} free request
 * slots, writes 64 bytes in place (a 64-byte payload, then the sequence number over its first 8, so the slot holds
 * what the C anchor's {@code q->seq} and 56-byte {@code memcpy} write), publishes them with one
 * {@code pushRequests} (or {@code pushRequestsAndCheckNotify} with {@code push=checkNotify}), and consumes the
 * responses that free its slots ({@code unconsumedResponses} + {@code copyResponse} of the 8-byte id); the back
 * end (consumer thread) reads {@code req_prod} once per batch ({@code unconsumedRequests}), copies each request
 * out of shared memory ({@code copyRequest}, 64 bytes), checks the sequence, writes an 8-byte response in place
 * and publishes all responses with one push ({@code api=message}; with {@code api=batch} the same protocol runs
 * through the batch calls, which copy up to 64 requests or responses per call into a private array; {@code api=raw}
 * is a diagnostic floor, the C anchor's loops with unchecked accesses). Capacities: Xen ring 16 pages = 512 slots of
 * 64 B (32 KiB of slots), {@code OneToOneRingBuffer} 32 KiB = 455 records of 64 B + 8 B header, the others 512
 * entries.
 * <p>
 * As the C anchor ({@code bench/perf-kit/xenring_anchor.c}) does, the Xen ring's and Agrona ring buffer's producer
 * and consumer threads are pinned to CPUs 0 and 1 ({@link CpuAffinity}; {@code -Dpvring.bench.pin=false} turns it
 * off) and pause ({@link Thread#onSpinWait()}) when they find the ring full or empty. Before the two threads start,
 * the Xen ring's front and back code first runs alternately on one thread, on a ring of its own ({@code warmUp}),
 * so that the JIT compiles the same code in every fork.
 * See {@code bench/RING-BENCHMARKS.md}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class RingThroughputBenchmark
{
    /** Entries of every peer, and slots of the Xen ring. */
    static final int CAPACITY = 512;
    /** Bytes moved per message by the Xen ring and the Agrona ring buffer. */
    static final int MESSAGE_LENGTH = 64;
    /** Bytes of a Xen ring response: the request's id, like {@code netif_tx_response} id + status. */
    static final int RESPONSE_LENGTH = 8;
    /** 16 pages: (65536 - 64) / 64 = 1023 rounded down to 512 slots. */
    static final int XEN_RING_BYTES = 16 * SharedRingDescriptor.PAGE_SIZE;
    /** Agrona ring buffer data bytes: the same 32 KiB as the Xen ring's slots. */
    static final int AGRONA_RING_BYTES = CAPACITY * MESSAGE_LENGTH;
    /** Preallocated immutable boxes for the object queues: twice the capacity, so a sequence is recognisable. */
    static final int BOXES = 2 * CAPACITY;
    static final int MESSAGE_TYPE = 1;
    static final int API_MESSAGE = 0;
    static final int API_BATCH = 1;
    static final int API_RAW = 2;
    static final int API_INDEXED = 3;
    /** Most requests (or responses) one batch call copies into the private array. */
    static final int CHUNK = 64;

    /**
     * Producer-side counts.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ProducerCounters
    {
        /** Messages published. */
        public long sent;
        /** Attempts that found the channel full. */
        public long full;

        /** Restarts the counts for each iteration. */
        @Setup(Level.Iteration)
        public void clear()
        {
            sent = 0;
            full = 0;
        }
    }

    /**
     * Xen front-end counts: also the index stores, so {@code sent / pushes} is the batch actually achieved.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class FrontCounters
    {
        /** Requests published. */
        public long sent;
        /** Attempts that found no free request slot. */
        public long full;
        /** {@code req_prod} stores (one per batch). */
        public long pushes;

        /** Restarts the counts for each iteration. */
        @Setup(Level.Iteration)
        public void clear()
        {
            sent = 0;
            full = 0;
            pushes = 0;
        }
    }

    /**
     * Consumer-side counts.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ConsumerCounters
    {
        /** Messages consumed: the throughput figure. */
        public long received;
        /** Polls that found nothing. */
        public long empty;
        /** Messages whose sequence number was not the next one expected (must stay 0). */
        public long sequenceErrors;

        /** Restarts the counts for each iteration. */
        @Setup(Level.Iteration)
        public void clear()
        {
            received = 0;
            empty = 0;
            sequenceErrors = 0;
        }
    }

    // ---------------------------------------------------------------- pvring Xen ring

    /**
     * The shared ring (anonymous shared memory, initialised as {@code SHARED_RING_INIT} does) and the parameters.
     */
    @State(Scope.Group)
    public static class XenRing
    {
        /** Requests per push: a number, or {@code ring} for the ring size. */
        @Param({"1", "8", "32", "ring"})
        public String batch;

        /** {@code release}: {@code pushRequests}/{@code pushResponses}; {@code checkNotify}: the _AND_CHECK_NOTIFY
         * variants (a full fence and an event-index read per push). */
        @Param({"release", "checkNotify"})
        public String push;

        /** {@code true}: both ends' code first runs on one thread ({@link #warmUpOnOneThread}); {@code false}: the
         * JIT profiles it as the two threads first run it (forks then differ in what C2 inlined). */
        @Param({"true"})
        public boolean warmUp;

        /** {@code message}: the per-message calls ({@code claimRequest}, {@code copyRequest}, {@code claimResponse},
         * {@code copyResponse}); {@code batch}: the batch calls ({@code claimRequests}, {@code copyRequests} of up
         * to {@link #CHUNK} requests into a private array, {@code claimResponses}, {@code copyResponses}), which
         * keep the ring indices in registers for a whole batch; {@code indexed}: the batch claims and writes, with
         * the entries taken by {@code consumeRequests}/{@code consumeResponses} and each copied with {@code copyEntry}
         * in the caller's loop (at small batches the batch copy calls can stay out-of-line calls: each is made once
         * per poll); {@code raw}: a diagnostic floor, the C anchor's loop
         * with unchecked {@code Unsafe} accesses and no validation (not a library path). */
        @Param({"message", "batch"})
        public String api;

        SharedMemory memory;
        AtomicBuffer buffer;
        int batchSize;
        boolean checkNotify;
        int apiMode;

        /** Maps and initialises the ring. */
        @Setup(Level.Trial)
        public void setUp()
        {
            memory = SharedMemory.anonymous(XEN_RING_BYTES);
            buffer = memory.buffer();
            SharedRingDescriptor.sharedRingInit(buffer, 0);
            final int size = SharedRingDescriptor.ringSize(XEN_RING_BYTES, MESSAGE_LENGTH);
            batchSize = "ring".equals(batch) ? size : Integer.parseInt(batch);
            if (batchSize < 1 || batchSize > size)
            {
                throw new IllegalArgumentException("batch must be 1..ring size: batch=" + batch + " size=" + size);
            }
            checkNotify = switch (push)
            {
                case "release" -> false;
                case "checkNotify" -> true;
                default -> throw new IllegalArgumentException("push must be release or checkNotify: push=" + push);
            };
            apiMode = switch (api)
            {
                case "message" -> API_MESSAGE;
                case "batch" -> API_BATCH;
                case "raw" -> API_RAW;
                case "indexed" -> API_INDEXED;
                default -> throw new IllegalArgumentException("api must be message, batch, indexed or raw: api=" + api);
            };
            if (warmUp)
            {
                warmUpOnOneThread(this);
            }
        }

        /** Unmaps. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            memory.close();
        }
    }

    /**
     * The front end's private state, created by the producer thread (its own TLAB, away from the back end's).
     */
    @State(Scope.Thread)
    public static class XenFront
    {
        FrontRing front;
        AtomicBuffer buffer;
        UnsafeBuffer message;
        UnsafeBuffer response;
        /** {@link #CHUNK} responses, for the batch calls. */
        UnsafeBuffer responses;
        int batch;
        boolean checkNotify;
        int apiMode;
        long nextSequence;
        long nextResponse;
        long responseErrors;
        /** {@code api=raw}: {@code req_prod_pvt} and {@code rsp_cons}. */
        int rawReqProd;
        int rawRspCons;

        /**
         * Attaches the front end at index 0.
         *
         * @param ring the shared ring.
         */
        @Setup(Level.Trial)
        public void setUp(final XenRing ring)
        {
            CpuAffinity.pinCurrentThread(0); // as the C anchor's front end
            attach(ring);
        }

        void attach(final XenRing ring)
        {
            buffer = ring.buffer;
            front = FrontRing.attach(buffer, 0, XEN_RING_BYTES, MESSAGE_LENGTH, 0);
            message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
            message.setMemory(0, MESSAGE_LENGTH, (byte)0x5A);
            response = new UnsafeBuffer(new byte[RESPONSE_LENGTH]);
            responses = new UnsafeBuffer(new byte[CHUNK * RESPONSE_LENGTH]);
            batch = ring.batchSize;
            checkNotify = ring.checkNotify;
            apiMode = ring.apiMode;
        }

        /** Fails the trial if a response carried the wrong id. */
        @TearDown(Level.Trial)
        public void check()
        {
            if (responseErrors != 0 || front.isBroken())
            {
                throw new IllegalStateException(
                    "front end saw bad responses: responseErrors=" + responseErrors + " fault=" + front.fault());
            }
        }
    }

    /**
     * The back end's private state, created by the consumer thread.
     */
    @State(Scope.Thread)
    public static class XenBack
    {
        BackRing back;
        AtomicBuffer buffer;
        UnsafeBuffer request;
        /** {@link #CHUNK} requests, for the batch calls. */
        UnsafeBuffer requests;
        boolean checkNotify;
        int apiMode;
        long nextSequence;
        /** {@code api=raw}: {@code req_cons} and {@code rsp_prod_pvt}. */
        int rawReqCons;
        int rawRspProd;

        /**
         * Attaches the back end at index 0.
         *
         * @param ring the shared ring.
         */
        @Setup(Level.Trial)
        public void setUp(final XenRing ring)
        {
            CpuAffinity.pinCurrentThread(1); // as the C anchor's back end
            attach(ring);
        }

        void attach(final XenRing ring)
        {
            buffer = ring.buffer;
            back = BackRing.attach(buffer, 0, XEN_RING_BYTES, MESSAGE_LENGTH, 0);
            request = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
            requests = new UnsafeBuffer(new byte[CHUNK * MESSAGE_LENGTH]);
            checkNotify = ring.checkNotify;
            apiMode = ring.apiMode;
        }
    }

    /**
     * Front end: takes back answered slots, then claims up to {@code batch} free slots, writes 64 bytes into each
     * and publishes them with one index store.
     *
     * @param state    the front end.
     * @param counters producer counts.
     */
    @Benchmark
    @Group("xenRing")
    @GroupThreads(1)
    public void xenRingFront(final XenFront state, final FrontCounters counters)
    {
        frontStep(state, counters);
    }

    static void frontStep(final XenFront state, final FrontCounters counters)
    {
        if (state.apiMode == API_BATCH)
        {
            frontBatch(state, counters);
        }
        else if (state.apiMode == API_INDEXED)
        {
            frontIndexed(state, counters);
        }
        else if (state.apiMode == API_RAW)
        {
            frontRaw(state, counters);
        }
        else
        {
            front(state, counters);
        }
    }

    private static void front(final XenFront state, final FrontCounters counters)
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
        final int free = front.freeRequests();
        if (free == 0)
        {
            counters.full++;
            Thread.onSpinWait(); // as the C anchor's _mm_pause() when it claimed nothing
            return;
        }
        final int count = Math.min(state.batch, free);
        final UnsafeBuffer message = state.message;
        long sequence = state.nextSequence;
        for (int i = 0; i < count; i++)
        {
            final int slot = front.claimRequest();
            if (slot < 0)
            {
                throw new IllegalStateException("claim failed with free slots: status=" + slot);
            }
            front.putRequest(slot, message, 0, MESSAGE_LENGTH); // inlined like C's struct copy
            // The sequence goes into the slot, as the C anchor's q->seq does. Stamping the private message and then
            // copying it made a wide copy's load wait for that 8-byte store to commit (no store forwards into a
            // wider load), behind every older store to a slot whose cache line was still on the other core.
            front.putLong(slot, sequence++);
        }
        state.nextSequence = sequence;
        XenRingOneThreadBenchmark.pushRequests(front, state.checkNotify);
        counters.sent += count;
        counters.pushes++;
    }

    /**
     * Back end: copies every pending request out of the ring, checks its sequence, answers it with an 8-byte
     * response in place, and publishes the responses with one index store.
     *
     * @param state    the back end.
     * @param counters consumer counts.
     */
    @Benchmark
    @Group("xenRing")
    @GroupThreads(1)
    public void xenRingBack(final XenBack state, final ConsumerCounters counters)
    {
        backStep(state, counters);
    }

    static void backStep(final XenBack state, final ConsumerCounters counters)
    {
        if (state.apiMode == API_BATCH)
        {
            backBatch(state, counters);
        }
        else if (state.apiMode == API_INDEXED)
        {
            backIndexed(state, counters);
        }
        else if (state.apiMode == API_RAW)
        {
            backRaw(state, counters);
        }
        else
        {
            back(state, counters);
        }
    }

    /**
     * Diagnostic floor: the C anchor's front-end loop ({@code xenring_anchor.c}) with unchecked {@code Unsafe}
     * accesses, indices in fields of the state and no validation; the same 64-byte copy from a private
     * {@code byte[]} into each slot and the same pushes.
     */
    private static void frontRaw(final XenFront state, final FrontCounters counters)
    {
        final long ring = state.buffer.addressOffset();
        final long slots = ring + SharedRingDescriptor.HEADER_LENGTH;
        final int mask = CAPACITY - 1;
        final int rp = UnsafeApi.getIntAcquire(null, ring + SharedRingDescriptor.RSP_PROD_OFFSET);
        int rspCons = state.rawRspCons;
        long expected = state.nextResponse;
        long errors = 0;
        final byte[] response = state.response.byteArray();
        final long responseOffset = state.response.addressOffset();
        while (rspCons != rp)
        {
            UnsafeApi.putLong(response, responseOffset, UnsafeApi.getLong(slots + (long)(rspCons++ & mask) * 64));
            errors += UnsafeApi.getLong(response, responseOffset) != expected++ ? 1 : 0;
        }
        state.rawRspCons = rspCons;
        state.nextResponse = expected;
        state.responseErrors += errors;
        final byte[] message = state.message.byteArray();
        final long messageOffset = state.message.addressOffset();
        int reqProd = state.rawReqProd;
        long sequence = state.nextSequence;
        int n = 0;
        while (n < state.batch && reqProd - rspCons != CAPACITY)
        {
            final long slot = slots + (long)(reqProd++ & mask) * 64;
            UnsafeApi.putLong(slot, sequence++);
            for (int b = 8; b < 64; b += 8)
            {
                UnsafeApi.putLong(slot + b, UnsafeApi.getLong(message, messageOffset + b));
            }
            n++;
        }
        if (n == 0)
        {
            counters.full++;
            Thread.onSpinWait();
            return;
        }
        state.rawReqProd = reqProd;
        state.nextSequence = sequence;
        rawPush(ring + SharedRingDescriptor.REQ_PROD_OFFSET, ring + SharedRingDescriptor.REQ_EVENT_OFFSET, reqProd,
            state.checkNotify);
        counters.sent += n;
        counters.pushes++;
    }

    /**
     * Diagnostic floor: the C anchor's back-end loop with unchecked {@code Unsafe} accesses and no validation.
     */
    private static void backRaw(final XenBack state, final ConsumerCounters counters)
    {
        final long ring = state.buffer.addressOffset();
        final long slots = ring + SharedRingDescriptor.HEADER_LENGTH;
        final int mask = CAPACITY - 1;
        final int rp = UnsafeApi.getIntAcquire(null, ring + SharedRingDescriptor.REQ_PROD_OFFSET);
        int reqCons = state.rawReqCons;
        if (reqCons == rp)
        {
            counters.empty++;
            Thread.onSpinWait();
            return;
        }
        int rspProd = state.rawRspProd;
        final byte[] request = state.request.byteArray();
        final long requestOffset = state.request.addressOffset();
        long expected = state.nextSequence;
        long errors = 0;
        int received = 0;
        while (reqCons != rp && reqCons - rspProd != CAPACITY)
        {
            final long slot = slots + (long)(reqCons++ & mask) * 64;
            for (int b = 0; b < 64; b += 8)
            {
                UnsafeApi.putLong(request, requestOffset + b, UnsafeApi.getLong(slot + b));
            }
            final long sequence = UnsafeApi.getLong(request, requestOffset);
            errors += sequence != expected ? 1 : 0;
            expected = sequence + 1;
            UnsafeApi.putLong(slots + (long)(rspProd++ & mask) * 64, sequence);
            received++;
        }
        state.rawReqCons = reqCons;
        state.rawRspProd = rspProd;
        state.nextSequence = expected;
        rawPush(ring + SharedRingDescriptor.RSP_PROD_OFFSET, ring + SharedRingDescriptor.RSP_EVENT_OFFSET, rspProd,
            state.checkNotify);
        counters.received += received;
        counters.sequenceErrors += errors;
    }

    /**
     * The raw floor's {@code RING_PUSH_*}: the producer index stored, and with check-notify pushes a full fence and
     * the event index read, as {@code _AND_CHECK_NOTIFY} does (the notify decision itself is not needed here).
     */
    private static void rawPush(
        final long prodAddress, final long eventAddress, final int prod, final boolean checkNotify)
    {
        if (checkNotify)
        {
            UnsafeApi.putIntVolatile(null, prodAddress, prod); // wmb, store, mb
            UnsafeApi.getIntVolatile(null, eventAddress);
        }
        else
        {
            UnsafeApi.putIntRelease(null, prodAddress, prod);
        }
    }

    /**
     * {@link #front} through the batch calls: {@code copyResponses} in chunks, one {@code claimRequests}, and the
     * same 64-byte copy into each claimed slot.
     */
    private static void frontBatch(final XenFront state, final FrontCounters counters)
    {
        final FrontRing front = state.front;
        if (front.unconsumedResponses() > 0)
        {
            final UnsafeBuffer responses = state.responses;
            long expected = state.nextResponse;
            long errors = 0;
            int copied;
            while ((copied = front.copyResponses(responses, 0, RESPONSE_LENGTH, RESPONSE_LENGTH, CHUNK)) > 0)
            {
                for (int k = 0; k < copied; k++)
                {
                    if (responses.getLong(k * RESPONSE_LENGTH) != expected)
                    {
                        errors++;
                    }
                    expected++;
                }
            }
            state.nextResponse = expected;
            state.responseErrors += errors;
        }
        claimWriteAndPush(state, counters);
    }

    /**
     * The batch front ends' requests: one {@code claimRequests} of up to {@code batch} slots, the 64-byte copy and the
     * sequence written into each by ring index, one push.
     */
    private static void claimWriteAndPush(final XenFront state, final FrontCounters counters)
    {
        final FrontRing front = state.front;
        final int first = front.reqProdPvt();
        final int claimed = front.claimRequests(state.batch);
        if (claimed <= 0)
        {
            if (claimed < 0)
            {
                throw new IllegalStateException("claim failed: status=" + claimed);
            }
            counters.full++;
            Thread.onSpinWait(); // as the C anchor's _mm_pause() when it claimed nothing
            return;
        }
        final UnsafeBuffer message = state.message;
        long sequence = state.nextSequence;
        for (int k = 0; k < claimed; k++)
        {
            front.putEntry(first + k, message, 0, MESSAGE_LENGTH);
            front.putEntryLong(first + k, 0, sequence++);
        }
        state.nextSequence = sequence;
        XenRingOneThreadBenchmark.pushRequests(front, state.checkNotify);
        counters.sent += claimed;
        counters.pushes++;
    }

    /**
     * {@link #back} through the batch calls: {@code copyRequests} of up to {@link #CHUNK} requests into a private
     * array, one {@code claimResponses} per chunk, the 8-byte answers written in place, one push.
     */
    private static void backBatch(final XenBack state, final ConsumerCounters counters)
    {
        final BackRing back = state.back;
        final int pending = back.unconsumedRequests();
        if (pending == 0)
        {
            counters.empty++;
            Thread.onSpinWait(); // as the C anchor's _mm_pause() on an empty ring
            return;
        }
        final UnsafeBuffer requests = state.requests;
        long expected = state.nextSequence;
        long errors = 0;
        int received = 0;
        int copied;
        while ((copied = back.copyRequests(requests, 0, MESSAGE_LENGTH, MESSAGE_LENGTH, CHUNK)) > 0)
        {
            final int firstResponse = back.rspProdPvt();
            back.claimResponses(copied);
            for (int k = 0; k < copied; k++)
            {
                final long sequence = requests.getLong(k * MESSAGE_LENGTH);
                if (sequence != expected)
                {
                    errors++;
                }
                expected = sequence + 1;
                back.putEntryLong(firstResponse + k, 0, sequence);
            }
            received += copied;
        }
        state.nextSequence = expected;
        XenRingOneThreadBenchmark.pushResponses(back, state.checkNotify);
        counters.received += received;
        counters.sequenceErrors += errors;
    }

    /**
     * {@link #frontBatch} with the responses taken by {@code consumeResponses} and copied one by one with
     * {@code copyEntry} (the copy inlines into this loop), the requests as in {@link #frontBatch}.
     */
    private static void frontIndexed(final XenFront state, final FrontCounters counters)
    {
        final FrontRing front = state.front;
        final int pending = front.unconsumedResponses();
        if (pending > 0)
        {
            final UnsafeBuffer response = state.response;
            final int firstResponse = front.rspCons();
            final int taken = front.consumeResponses(pending);
            long expected = state.nextResponse;
            long errors = 0;
            for (int k = 0; k < taken; k++)
            {
                front.copyEntry(firstResponse + k, response, 0, RESPONSE_LENGTH);
                if (response.getLong(0) != expected)
                {
                    errors++;
                }
                expected++;
            }
            state.nextResponse = expected;
            state.responseErrors += errors;
        }
        claimWriteAndPush(state, counters);
    }

    /**
     * {@link #backBatch} with the requests taken by {@code consumeRequests}, their responses claimed at once, and
     * each request copied with {@code copyEntry} into one private entry, checked and answered in place.
     */
    private static void backIndexed(final XenBack state, final ConsumerCounters counters)
    {
        final BackRing back = state.back;
        final int pending = back.unconsumedRequests();
        if (pending == 0)
        {
            counters.empty++;
            Thread.onSpinWait(); // as the C anchor's _mm_pause() on an empty ring
            return;
        }
        final int first = back.reqCons();
        final int taken = back.consumeRequests(pending);
        final int firstResponse = back.rspProdPvt();
        back.claimResponses(taken);
        final UnsafeBuffer request = state.request;
        long expected = state.nextSequence;
        long errors = 0;
        for (int k = 0; k < taken; k++)
        {
            back.copyEntry(first + k, request, 0, MESSAGE_LENGTH);
            final long sequence = request.getLong(0);
            if (sequence != expected)
            {
                errors++;
            }
            expected = sequence + 1;
            back.putEntryLong(firstResponse + k, 0, sequence);
        }
        state.nextSequence = expected;
        XenRingOneThreadBenchmark.pushResponses(back, state.checkNotify);
        counters.received += taken;
        counters.sequenceErrors += errors;
    }

    private static void back(final XenBack state, final ConsumerCounters counters)
    {
        final BackRing back = state.back;
        final int requests = back.unconsumedRequests();
        if (requests == 0)
        {
            counters.empty++;
            Thread.onSpinWait(); // as the C anchor's _mm_pause() on an empty ring
            return;
        }
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
            back.putLong(back.claimResponse(), sequence);
        }
        state.nextSequence = expected;
        XenRingOneThreadBenchmark.pushResponses(back, state.checkNotify);
        counters.received += requests;
        counters.sequenceErrors += errors;
    }

    /** Rounds of {@link #warmUpOnOneThread}: ~3 M messages at batch 32, well past C2's compile thresholds. */
    static final int WARM_UP_ROUNDS = 100_000;

    /**
     * Drives both ends' code on a ring of its own, alternately, on this thread, before the two threads start: the
     * JIT's profile of {@code front}/{@code back} then holds every branch and call site at its steady-state
     * frequency. Without it the profile depends on which thread got ahead while it was taken: in forks where the
     * front end mostly found the ring full, C2 judged the claim loop's calls cold and, the callees being over 35
     * bytecodes, left {@code claimRequest} and {@code putRequest} out of line; those forks ran at 30-45 Mmsg/s and
     * the others at 70-86 (batch 32, 6 forks, the compiled stubs printed per fork).
     */
    static void warmUpOnOneThread(final XenRing shape)
    {
        driveOnOneThread(shape, WARM_UP_ROUNDS);
    }

    /**
     * Runs {@code rounds} rounds of the front end's then the back end's code on a ring of its own, shaped as
     * {@code shape}, on this thread.
     *
     * @return the back end's counts (the front end's own checks throw on a bad response).
     * @throws IllegalStateException if a request or response arrived out of sequence, or nothing arrived.
     */
    static ConsumerCounters driveOnOneThread(final XenRing shape, final int rounds)
    {
        final XenRing ring = new XenRing();
        ring.batch = shape.batch;
        ring.push = shape.push;
        ring.api = shape.api;
        ring.apiMode = shape.apiMode;
        ring.memory = SharedMemory.anonymous(XEN_RING_BYTES);
        ring.buffer = ring.memory.buffer();
        SharedRingDescriptor.sharedRingInit(ring.buffer, 0);
        ring.batchSize = shape.batchSize;
        ring.checkNotify = shape.checkNotify;
        try
        {
            final XenFront front = new XenFront();
            final XenBack back = new XenBack();
            front.attach(ring);
            back.attach(ring);
            final FrontCounters frontCounters = new FrontCounters();
            final ConsumerCounters backCounters = new ConsumerCounters();
            for (int i = 0; i < rounds; i++)
            {
                frontStep(front, frontCounters);
                backStep(back, backCounters);
            }
            front.check();
            if (backCounters.sequenceErrors != 0 || backCounters.received == 0)
            {
                throw new IllegalStateException("warm-up ring: received=" + backCounters.received +
                    " sequenceErrors=" + backCounters.sequenceErrors);
            }
            return backCounters;
        }
        finally
        {
            ring.memory.close();
        }
    }

    // ---------------------------------------------------------------- JCTools SpscArrayQueue

    /**
     * Immutable preallocated boxes {@code 0..BOXES-1}: the object queues carry a sequence number (mod
     * {@link #BOXES}) without allocating.
     */
    static final Long[] SEQUENCE_BOXES = new Long[BOXES];

    static
    {
        for (int i = 0; i < BOXES; i++)
        {
            SEQUENCE_BOXES[i] = (long)i;
        }
    }

    /**
     * Producer cursor of an object queue.
     */
    @State(Scope.Thread)
    public static class BoxProducer
    {
        long nextSequence;
    }

    /**
     * Consumer cursor of an object queue.
     */
    @State(Scope.Thread)
    public static class BoxConsumer
    {
        long nextSequence;
    }

    /**
     * The JCTools queue.
     */
    @State(Scope.Group)
    public static class JcToolsQueue
    {
        SpscArrayQueue<Long> queue;

        /** Creates the queue. */
        @Setup(Level.Trial)
        public void setUp()
        {
            queue = new SpscArrayQueue<>(CAPACITY);
        }
    }

    /**
     * Offers one boxed sequence number.
     *
     * @param channel  the queue.
     * @param producer sequence cursor.
     * @param counters producer counts.
     */
    @Benchmark
    @Group("spscArrayQueue")
    @GroupThreads(1)
    public void spscArrayQueueOffer(
        final JcToolsQueue channel, final BoxProducer producer, final ProducerCounters counters)
    {
        offerBox(channel.queue, producer, counters);
    }

    /**
     * Polls one element and checks its sequence number.
     *
     * @param channel  the queue.
     * @param consumer sequence cursor.
     * @param counters consumer counts.
     */
    @Benchmark
    @Group("spscArrayQueue")
    @GroupThreads(1)
    public void spscArrayQueuePoll(
        final JcToolsQueue channel, final BoxConsumer consumer, final ConsumerCounters counters)
    {
        pollBox(channel.queue, consumer, counters);
    }

    // Shared by both object queues; each JMH fork runs one benchmark, so the queue call stays monomorphic.
    private static void offerBox(final Queue<Long> queue, final BoxProducer producer, final ProducerCounters counters)
    {
        final long sequence = producer.nextSequence;
        if (queue.offer(SEQUENCE_BOXES[(int)sequence & (BOXES - 1)]))
        {
            producer.nextSequence = sequence + 1;
            counters.sent++;
        }
        else
        {
            counters.full++;
        }
    }

    private static void pollBox(final Queue<Long> queue, final BoxConsumer consumer, final ConsumerCounters counters)
    {
        final Long element = queue.poll();
        if (element == null)
        {
            counters.empty++;
        }
        else
        {
            consumeBox(element, consumer, counters);
        }
    }

    private static void consumeBox(final Long element, final BoxConsumer consumer, final ConsumerCounters counters)
    {
        final long sequence = consumer.nextSequence;
        if (element.longValue() != (sequence & (BOXES - 1)))
        {
            counters.sequenceErrors++;
        }
        consumer.nextSequence = sequence + 1;
        counters.received++;
    }

    // ---------------------------------------------------------------- Agrona OneToOneConcurrentArrayQueue

    /**
     * The Agrona object queue.
     */
    @State(Scope.Group)
    public static class AgronaQueue
    {
        OneToOneConcurrentArrayQueue<Long> queue;

        /** Creates the queue. */
        @Setup(Level.Trial)
        public void setUp()
        {
            queue = new OneToOneConcurrentArrayQueue<>(CAPACITY);
        }
    }

    /**
     * Offers one boxed sequence number.
     *
     * @param channel  the queue.
     * @param producer sequence cursor.
     * @param counters producer counts.
     */
    @Benchmark
    @Group("oneToOneConcurrentArrayQueue")
    @GroupThreads(1)
    public void oneToOneConcurrentArrayQueueOffer(
        final AgronaQueue channel, final BoxProducer producer, final ProducerCounters counters)
    {
        offerBox(channel.queue, producer, counters);
    }

    /**
     * Polls one element and checks its sequence number.
     *
     * @param channel  the queue.
     * @param consumer sequence cursor.
     * @param counters consumer counts.
     */
    @Benchmark
    @Group("oneToOneConcurrentArrayQueue")
    @GroupThreads(1)
    public void oneToOneConcurrentArrayQueuePoll(
        final AgronaQueue channel, final BoxConsumer consumer, final ConsumerCounters counters)
    {
        pollBox(channel.queue, consumer, counters);
    }

    // ---------------------------------------------------------------- Agrona OneToOneRingBuffer

    /**
     * The Agrona ring buffer over anonymous shared memory (like the Xen ring).
     */
    @State(Scope.Group)
    public static class AgronaRing
    {
        SharedMemory memory;
        OneToOneRingBuffer ring;

        /** Maps the buffer. */
        @Setup(Level.Trial)
        public void setUp()
        {
            final int length = AGRONA_RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH;
            final int mapped = (length + SharedMemory.PAGE_SIZE - 1) / SharedMemory.PAGE_SIZE * SharedMemory.PAGE_SIZE;
            memory = SharedMemory.anonymous(mapped);
            ring = new OneToOneRingBuffer(new UnsafeBuffer(memory.buffer(), 0, length));
        }

        /** Unmaps. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            memory.close();
        }
    }

    /**
     * The ring buffer producer's message (sequence + 56 bytes).
     */
    @State(Scope.Thread)
    public static class AgronaProducer
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
        long nextSequence;

        /** Fills the payload. */
        @Setup(Level.Trial)
        public void setUp()
        {
            CpuAffinity.pinCurrentThread(0); // placed as the Xen ring's front end
            message.setMemory(0, MESSAGE_LENGTH, (byte)0x5A);
        }
    }

    /**
     * The ring buffer consumer: copies each message out (as the Xen back end does) and checks the sequence.
     */
    @State(Scope.Thread)
    public static class AgronaConsumer implements MessageHandler
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
        long nextSequence;
        long errors;

        /** Pins the consumer thread as the Xen ring's back end. */
        @Setup(Level.Trial)
        public void setUp()
        {
            CpuAffinity.pinCurrentThread(1);
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            buffer.getBytes(index, copy, 0, length);
            final long sequence = copy.getLong(0);
            if (sequence != nextSequence)
            {
                errors++;
            }
            nextSequence = sequence + 1;
        }
    }

    /**
     * Writes one 64-byte message.
     *
     * @param channel  the ring buffer.
     * @param producer message and sequence.
     * @param counters producer counts.
     */
    @Benchmark
    @Group("oneToOneRingBuffer")
    @GroupThreads(1)
    public void oneToOneRingBufferWrite(
        final AgronaRing channel, final AgronaProducer producer, final ProducerCounters counters)
    {
        final long sequence = producer.nextSequence;
        producer.message.putLong(0, sequence);
        if (channel.ring.write(MESSAGE_TYPE, producer.message, 0, MESSAGE_LENGTH))
        {
            producer.nextSequence = sequence + 1;
            counters.sent++;
        }
        else
        {
            counters.full++;
            Thread.onSpinWait(); // as the Xen ring's front end when full
        }
    }

    /**
     * Reads every available message (Agrona's usual {@code read(handler)} drain).
     *
     * @param channel  the ring buffer.
     * @param consumer the handler.
     * @param counters consumer counts.
     */
    @Benchmark
    @Group("oneToOneRingBuffer")
    @GroupThreads(1)
    public void oneToOneRingBufferRead(
        final AgronaRing channel, final AgronaConsumer consumer, final ConsumerCounters counters)
    {
        final long errorsBefore = consumer.errors;
        final int read = channel.ring.read(consumer);
        if (read == 0)
        {
            counters.empty++;
            Thread.onSpinWait(); // as the Xen ring's back end when empty
        }
        else
        {
            counters.received += read;
            counters.sequenceErrors += consumer.errors - errorsBefore;
        }
    }

    // ---------------------------------------------------------------- Disruptor 4

    /**
     * A preallocated Disruptor event carrying a sequence number.
     */
    public static final class SequenceEvent
    {
        long value;
    }

    /**
     * A single-producer Disruptor with a busy-spin wait strategy, consumed through an {@link EventPoller} on the
     * JMH consumer thread (no Disruptor-owned thread).
     */
    @State(Scope.Group)
    public static class DisruptorChannel
    {
        RingBuffer<SequenceEvent> ring;
        EventPoller<SequenceEvent> poller;

        /** Builds the ring buffer and its poller, gating the producer on the poller. */
        @Setup(Level.Trial)
        public void setUp()
        {
            ring = RingBuffer.createSingleProducer(SequenceEvent::new, CAPACITY, new BusySpinWaitStrategy());
            poller = ring.newPoller();
            ring.addGatingSequences(poller.getSequence());
        }
    }

    /**
     * The Disruptor producer's cursor.
     */
    @State(Scope.Thread)
    public static class DisruptorProducer
    {
        long nextSequence;
    }

    /**
     * The Disruptor consumer: checks each event's sequence.
     */
    @State(Scope.Thread)
    public static class DisruptorConsumer implements EventPoller.Handler<SequenceEvent>
    {
        long nextSequence;
        long received;
        long errors;

        @Override
        public boolean onEvent(final SequenceEvent event, final long sequence, final boolean endOfBatch)
        {
            final long value = event.value;
            if (value != nextSequence)
            {
                errors++;
            }
            nextSequence = value + 1;
            received++;
            return true;
        }
    }

    /**
     * Claims, fills and publishes one event ({@code tryNext} throws Disruptor's preallocated exception when full).
     *
     * @param channel  the Disruptor.
     * @param producer the cursor.
     * @param counters producer counts.
     */
    @Benchmark
    @Group("disruptor")
    @GroupThreads(1)
    public void disruptorPublish(
        final DisruptorChannel channel, final DisruptorProducer producer, final ProducerCounters counters)
    {
        final RingBuffer<SequenceEvent> ring = channel.ring;
        final long slot;
        try
        {
            slot = ring.tryNext();
        }
        catch (final InsufficientCapacityException full)
        {
            counters.full++;
            return;
        }
        ring.get(slot).value = producer.nextSequence++;
        ring.publish(slot);
        counters.sent++;
    }

    /**
     * Polls every available event.
     *
     * @param channel  the Disruptor.
     * @param consumer the handler.
     * @param counters consumer counts.
     * @throws Exception never (the handler does not throw).
     */
    @Benchmark
    @Group("disruptor")
    @GroupThreads(1)
    public void disruptorPoll(
        final DisruptorChannel channel, final DisruptorConsumer consumer, final ConsumerCounters counters)
        throws Exception
    {
        final long receivedBefore = consumer.received;
        final long errorsBefore = consumer.errors;
        channel.poller.poll(consumer);
        final long received = consumer.received - receivedBefore;
        if (received == 0)
        {
            counters.empty++;
        }
        else
        {
            counters.received += received;
            counters.sequenceErrors += consumer.errors - errorsBefore;
        }
    }

    // ---------------------------------------------------------------- Disruptor 4, its own consumer thread

    /**
     * Disruptor's usual arrangement: a {@link BatchEventProcessor} on its own thread with a busy-spin wait
     * strategy (started here, outside JMH), the producer on the JMH thread. Its counts reach JMH through
     * {@link ProcessorCounters} at the end of each iteration.
     */
    @State(Scope.Benchmark)
    public static class DisruptorProcessorChannel
    {
        RingBuffer<SequenceEvent> ring;
        BatchEventProcessor<SequenceEvent> processor;
        CountingHandler handler;
        Thread consumer;

        /** Builds the ring buffer and starts the processor thread. */
        @Setup(Level.Trial)
        public void setUp()
        {
            ring = RingBuffer.createSingleProducer(SequenceEvent::new, CAPACITY, new BusySpinWaitStrategy());
            handler = new CountingHandler();
            processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
            ring.addGatingSequences(processor.getSequence());
            consumer = new Thread(processor, "disruptor-batch-event-processor");
            consumer.setDaemon(true);
            consumer.start();
        }

        /**
         * Halts the processor and waits for its thread.
         *
         * @throws InterruptedException if interrupted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException
        {
            processor.halt();
            consumer.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /**
     * The processor's event handler: checks sequences and publishes its counts at the end of each batch (a release
     * store, a plain move on x86) so the JMH thread can read them.
     */
    public static final class CountingHandler implements EventHandler<SequenceEvent>
    {
        private final AtomicLong receivedPublished = new AtomicLong();
        private final AtomicLong errorsPublished = new AtomicLong();
        private long nextSequence;
        private long received;
        private long errors;

        @Override
        public void onEvent(final SequenceEvent event, final long sequence, final boolean endOfBatch)
        {
            final long value = event.value;
            if (value != nextSequence)
            {
                errors++;
            }
            nextSequence = value + 1;
            received++;
            if (endOfBatch)
            {
                receivedPublished.lazySet(received);
                errorsPublished.lazySet(errors);
            }
        }
    }

    /**
     * Producer counts plus the consumer thread's, taken at the iteration's start and end.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ProcessorCounters
    {
        /** Events published. */
        public long sent;
        /** Attempts that found the ring buffer full. */
        public long full;
        /** Events handled by the processor thread during the iteration. */
        public long received;
        /** Events whose sequence was not the next expected (must stay 0). */
        public long sequenceErrors;
        private long receivedBase;
        private long errorsBase;

        /**
         * Remembers the consumer's counts at the iteration's start.
         *
         * @param channel the Disruptor.
         */
        @Setup(Level.Iteration)
        public void start(final DisruptorProcessorChannel channel)
        {
            receivedBase = channel.handler.receivedPublished.get();
            errorsBase = channel.handler.errorsPublished.get();
        }

        /**
         * Takes the consumer's counts at the iteration's end (JMH reads the counters after this).
         *
         * @param channel the Disruptor.
         */
        @TearDown(Level.Iteration)
        public void stop(final DisruptorProcessorChannel channel)
        {
            received = channel.handler.receivedPublished.get() - receivedBase;
            sequenceErrors = channel.handler.errorsPublished.get() - errorsBase;
        }
    }

    /**
     * Claims, fills and publishes one event for the processor thread.
     *
     * @param channel  the Disruptor.
     * @param producer the cursor.
     * @param counters producer and consumer counts.
     */
    @Benchmark
    public void disruptorProcessor(
        final DisruptorProcessorChannel channel, final DisruptorProducer producer, final ProcessorCounters counters)
    {
        final RingBuffer<SequenceEvent> ring = channel.ring;
        final long slot;
        try
        {
            slot = ring.tryNext();
        }
        catch (final InsufficientCapacityException full)
        {
            counters.full++;
            return;
        }
        ring.get(slot).value = producer.nextSequence++;
        ring.publish(slot);
        counters.sent++;
    }
}
