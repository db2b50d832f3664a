/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.SharedMemory;
import dev.pvring.core.internal.RawMemory;
import dev.pvring.xen.ring.BackRing;
import dev.pvring.xen.ring.FrontRing;
import dev.pvring.xen.ring.SharedRingDescriptor;
import dev.pvring.xen.ring.entry.BlkifAbi;
import dev.pvring.xen.ring.entry.BlkifDescriptor;
import dev.pvring.xen.ring.entry.NetifTxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifTxResponseDescriptor;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The per-message protocol cost of the Xen ring with <b>one thread driving both ends</b>, beside its C twin
 * ({@code bench/perf-kit/xenring_onethread.c}, Debian's real {@code io/ring.h} macros, called through FFM in the
 * same fork, 4096 messages per call, so the downcall is amortised). No cache line moves between cores, so the figure does not depend on where
 * the scheduler puts two threads: it is the headline figure of issue 10. Score: ns per message.
 * <p>
 * One round of {@code batch} messages on a 16-page ring that starts empty, on both sides:
 * <ol>
 *   <li>front: {@code claimRequest}, copy a request template into the slot ({@code putRequest}; C: struct
 *       assignment), stamp the id; push ({@code RING_PUSH_REQUESTS_AND_CHECK_NOTIFY} by default);</li>
 *   <li>back: {@code unconsumedRequests} (req_prod once, overflow check), per request {@code copyRequest}
 *       ({@code RING_COPY_REQUEST}), check the copy's id, {@code claimResponse} and write the response in place;
 *       push;</li>
 *   <li>front: {@code unconsumedResponses} (rsp_prod once, overflow check), {@code copyResponse} each, check its
 *       id.</li>
 * </ol>
 * Entries ({@code entry}): {@code REQ64} 64-byte request / 8-byte response (as {@code RingThroughputBenchmark}),
 * {@code NETIF_TX} {@code netif_tx_request} (12) / {@code netif_tx_response} (4), {@code BLKIF}
 * {@code blkif_request} (112, x86_64) / {@code blkif_response} (16). The Java side's private copy buffers
 * (template, request and response copies) are {@code new UnsafeBuffer(new byte[n])} ({@code buffers=heap}) or
 * direct ({@code buffers=offheap}); the ring itself is anonymous shared memory ({@link SharedMemory}).
 * <p>
 * Run Java and C interleaved with {@code bench/run-onethread.sh}, which prints the ratio per A/B pair. The mode is
 * SampleTime: one invocation ({@code messages} = 4096 messages, tens of microseconds) is timed at a time, and the
 * report takes the median invocation divided by {@code messages}; a preemption on a loaded machine does not move
 * the median (it moves the mean: {@code -bm avgt}). JMH's own table shows ns per invocation.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class XenRingOneThreadBenchmark
{
    /** Entry shapes: request and response lengths, as the C twin's structures. */
    public enum Entry
    {
        /** 64-byte request (u64 sequence + 56 bytes), 8-byte response: C shape 0. */
        REQ64(64, 64, 8),
        /** {@code netif_tx_request} / {@code netif_tx_response}: C shape 1. */
        NETIF_TX(NetifTxRequestDescriptor.ENTRY_LENGTH, NetifTxRequestDescriptor.LENGTH,
            NetifTxResponseDescriptor.LENGTH),
        /** {@code blkif_request} / {@code blkif_response}, x86_64 ABI: C shape 2. */
        BLKIF(BlkifAbi.X86_64.requestLength, BlkifAbi.X86_64.requestLength, BlkifAbi.X86_64.responseLength);

        final int entrySize;
        final int requestLength;
        final int responseLength;

        Entry(final int entrySize, final int requestLength, final int responseLength)
        {
            this.entrySize = entrySize;
            this.requestLength = requestLength;
            this.responseLength = responseLength;
        }
    }

    /** Most entries per batch copy call (the private arrays of entries hold this many). */
    static final int CHUNK = 64;

    /** The configuration both sides share. */
    @State(Scope.Thread)
    public static class Config
    {
        /** Entry shape. */
        @Param({"REQ64", "NETIF_TX", "BLKIF"})
        public Entry entry;

        /** Requests per push: a number, or {@code ring} for the ring size. */
        @Param({"1", "8", "32", "ring"})
        public String batch;

        /** {@code checkNotify}: the {@code _AND_CHECK_NOTIFY} pushes drivers use; {@code release}: plain pushes. */
        @Param({"checkNotify"})
        public String push;

        /** Ring pages. */
        @Param({"16"})
        public int pages;

        /** Messages per invocation, a multiple of the batch (the score is per invocation: JMH's SampleTime keeps
         * whole nanoseconds per operation, too coarse for a few ns per message; the report divides). */
        @Param({"4096"})
        public int messages;

        int ringBytes;
        int batchSize;
        boolean checkNotify;

        /** Checks and resolves the parameters. */
        @Setup(Level.Trial)
        public void setUp()
        {
            ringBytes = pages * SharedMemory.PAGE_SIZE;
            final int size = SharedRingDescriptor.ringSize(ringBytes, entry.entrySize);
            batchSize = "ring".equals(batch) ? size : Integer.parseInt(batch);
            if (batchSize < 1 || batchSize > size || messages < 1 || messages % batchSize != 0)
            {
                throw new IllegalArgumentException("batch must be 1..ring size and divide messages: batch=" + batch +
                    " size=" + size + " messages=" + messages);
            }
            checkNotify = switch (push)
            {
                case "release" -> false;
                case "checkNotify" -> true;
                default -> throw new IllegalArgumentException("push must be release or checkNotify: push=" + push);
            };
        }
    }

    /** The Java ring, both ends, and the private copy buffers. */
    @State(Scope.Thread)
    public static class JavaRing
    {
        /** Where the private copy buffers live. */
        @Param({"heap", "offheap"})
        public String buffers;

        /** {@code scalar} or {@code wide}: which moves pvring's copies use in this fork ({@link CopyMode}). */
        @Param({"scalar"})
        public String copies;

        /** {@code message}: the per-message calls ({@code claimRequest}, {@code copyRequest}, ...);
         * {@code batch}: the batch calls ({@code claimRequests}, {@code copyRequests}, {@code claimResponses},
         * {@code copyResponses}) with up to {@link #CHUNK} copies per call into private arrays of entries;
         * {@code segment} ({@code REQ64} only): the per-message calls, but the caller's own field reads and writes
         * (ids in the ring slots and in the private copies) go through {@link MemorySegment}s instead of Agrona's
         * accessors: a diagnostic of what the caller's {@code UnsafeBuffer} accesses cost; {@code batchsegment}
         * ({@code REQ64} only): the batch calls, with the caller's reads of its private copies through
         * {@link MemorySegment}s over the same memory, whose checks C2 hoists out of a counted loop where Agrona's
         * stay per read; {@code indexed}: the batch claims and writes, with the entries taken
         * by {@code consumeRequests}/{@code consumeResponses} and each copied by {@code copyEntry} into one private
         * entry in the caller's loop; {@code raw} and
         * {@code rawcopy} ({@code REQ64} only): diagnostic floors without the ring API, see {@code req64Raw} and
         * {@code req64RawCopy}. */
        @Param({"message", "indexed"})
        public String api;

        SharedMemory memory;
        AtomicBuffer ring;
        FrontRing front;
        BackRing back;
        UnsafeBuffer template;
        UnsafeBuffer request;
        UnsafeBuffer response;
        UnsafeBuffer requests;
        UnsafeBuffer responses;
        boolean batchApi;
        boolean segmentApi;
        boolean batchSegmentApi;
        boolean indexedApi;
        boolean rawApi;
        boolean rawCopyApi;
        int rawReqProd;
        int rawReqCons;
        int rawRspProd;
        int rawRspCons;
        MemorySegment ringSegment;
        MemorySegment requestSegment;
        MemorySegment responseSegment;
        Entry entry;
        int batch;
        int messages;
        boolean checkNotify;
        long nextSequence;
        long nextRequest;
        long nextResponse;
        long errors;

        /**
         * Initialises the ring, attaches both ends, allocates the private buffers.
         *
         * @param config the shared configuration.
         */
        @Setup(Level.Trial)
        public void setUp(final Config config)
        {
            CopyMode.check(copies);
            memory = SharedMemory.anonymous(config.ringBytes);
            ring = memory.buffer();
            entry = config.entry;
            front = FrontRing.init(ring, 0, config.ringBytes, entry.entrySize);
            back = BackRing.attach(ring, 0, config.ringBytes, entry.entrySize, 0);
            template = buffer(entry.requestLength);
            request = buffer(entry.requestLength);
            response = buffer(entry.responseLength);
            requests = buffer(CHUNK * entry.requestLength);
            responses = buffer(CHUNK * entry.responseLength);
            batchApi = switch (api)
            {
                case "message" -> false;
                case "batch", "batchsegment", "indexed", "segment", "raw", "rawcopy" ->
                    "batch".equals(api) || "batchsegment".equals(api);
                default -> throw new IllegalArgumentException(
                    "api must be message, batch, batchsegment, indexed, segment, raw or rawcopy: api=" + api);
            };
            segmentApi = "segment".equals(api);
            batchSegmentApi = "batchsegment".equals(api);
            indexedApi = "indexed".equals(api);
            rawCopyApi = "rawcopy".equals(api);
            rawApi = "raw".equals(api) || rawCopyApi;
            if ((rawApi || batchSegmentApi) && entry != Entry.REQ64)
            {
                throw new IllegalArgumentException(
                    "api=" + api + " is implemented for entry=REQ64 only: entry=" + entry);
            }
            if (segmentApi)
            {
                if (entry != Entry.REQ64)
                {
                    throw new IllegalArgumentException("api=segment is implemented for entry=REQ64 only: entry=" + entry);
                }
                ringSegment = memory.segment();
                requestSegment = segment(request);
                responseSegment = segment(response);
            }
            if (batchSegmentApi)
            {
                requestSegment = segment(requests);
                responseSegment = segment(responses);
            }
            batch = config.batchSize;
            messages = config.messages;
            checkNotify = config.checkNotify;
            switch (entry)
            {
                case REQ64 -> template.setMemory(8, 56, (byte)0xab);
                case NETIF_TX ->
                {
                    template.putInt(NetifTxRequestDescriptor.GREF_OFFSET, 8);
                    template.putShort(NetifTxRequestDescriptor.OFFSET_OFFSET, (short)64);
                    template.putShort(NetifTxRequestDescriptor.SIZE_OFFSET, (short)1514);
                }
                case BLKIF ->
                {
                    template.putByte(BlkifAbi.OPERATION_OFFSET, (byte)BlkifDescriptor.OP_READ);
                    template.putByte(BlkifAbi.NR_SEGMENTS_OFFSET, (byte)1);
                    template.putShort(BlkifAbi.HANDLE_OFFSET, (short)0xca00);
                    template.putLong(BlkifAbi.X86_64.sectorNumberOffset, 2048);
                    template.putInt(BlkifAbi.X86_64.segmentsOffset + BlkifDescriptor.SEGMENT_GREF_OFFSET, 9);
                    template.putByte(BlkifAbi.X86_64.segmentsOffset + BlkifDescriptor.SEGMENT_LAST_SECT_OFFSET,
                        (byte)7);
                }
            }
        }

        private UnsafeBuffer buffer(final int length)
        {
            return switch (buffers)
            {
                case "heap" -> new UnsafeBuffer(new byte[length]);
                case "offheap" -> new UnsafeBuffer(ByteBuffer.allocateDirect(length));
                default -> throw new IllegalArgumentException("buffers must be heap or offheap: buffers=" + buffers);
            };
        }

        private static MemorySegment segment(final UnsafeBuffer buffer)
        {
            return buffer.byteArray() != null ? MemorySegment.ofArray(buffer.byteArray()) :
                MemorySegment.ofBuffer(buffer.byteBuffer());
        }

        /** Fails the trial on a wrong id or a broken ring; unmaps. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            memory.close();
            if (errors != 0 || front.isBroken() || back.isBroken())
            {
                throw new IllegalStateException("Java ring: errors=" + errors + " front=" + front + " back=" + back);
            }
        }
    }

    /** The C twin: the same rounds with the {@code io/ring.h} macros. */
    @State(Scope.Thread)
    public static class CRing
    {
        CTwin twin;
        MethodHandle run;
        MethodHandle close;
        MemorySegment context;
        long messages;

        /**
         * Compiles and loads the twin, opens a ring of the configured shape.
         *
         * @param config the shared configuration.
         * @throws Throwable if the downcall fails.
         */
        @Setup(Level.Trial)
        public void setUp(final Config config) throws Throwable
        {
            twin = CTwin.build("xenring_onethread.c");
            final MethodHandle open = twin.function("xr1_open", FunctionDescriptor.of(ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            final MethodHandle batch = twin.function(
                "xr1_batch", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            run = twin.function(
                "xr1_run", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            close = twin.function("xr1_close", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            messages = config.messages;
            context = (MemorySegment)open.invokeExact(
                config.entry.ordinal(), config.pages, config.batchSize, config.checkNotify ? 1 : 0);
            if (context.equals(MemorySegment.NULL) || (int)batch.invokeExact(context) != config.batchSize)
            {
                throw new IllegalStateException("C twin refused the configuration: batch=" + config.batchSize);
            }
        }

        /**
         * Checks the C side saw no wrong id; unloads.
         *
         * @throws Throwable if the downcall fails.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws Throwable
        {
            final long errors = (long)run.invokeExact(context, 0L);
            close.invokeExact(context);
            twin.close();
            if (errors != 0)
            {
                throw new IllegalStateException("C ring: errors=" + errors);
            }
        }
    }

    /**
     * C: {@code messages} messages in rounds of {@code batch}, one downcall.
     *
     * @param ring the C twin.
     * @return the C side's error count (0), so nothing is dead code.
     * @throws Throwable if the downcall fails.
     */
    @Benchmark
    public long c(final CRing ring) throws Throwable
    {
        return (long)ring.run.invokeExact(ring.context, ring.messages);
    }

    /**
     * Java: {@code messages} messages in rounds of {@code batch}.
     *
     * @param ring the Java ring.
     * @return the error count (0).
     */
    @Benchmark
    public long java(final JavaRing ring)
    {
        if (ring.rawCopyApi)
        {
            return req64RawCopy(ring);
        }
        if (ring.rawApi)
        {
            return ring.template.byteArray() != null ? req64RawHeap(ring) : req64Raw(ring);
        }
        if (ring.segmentApi)
        {
            return req64Segment(ring);
        }
        if (ring.indexedApi)
        {
            return switch (ring.entry)
            {
                case REQ64 -> req64Indexed(ring);
                case NETIF_TX -> netifTxIndexed(ring);
                case BLKIF -> blkifIndexed(ring);
            };
        }
        if (ring.batchApi)
        {
            return switch (ring.entry)
            {
                case REQ64 -> req64Batch(ring);
                case NETIF_TX -> netifTxBatch(ring);
                case BLKIF -> blkifBatch(ring);
            };
        }
        return switch (ring.entry)
        {
            case REQ64 -> req64(ring);
            case NETIF_TX -> netifTx(ring);
            case BLKIF -> blkif(ring);
        };
    }

    private static long req64(final JavaRing s)
    {
        final FrontRing front = s.front;
        final BackRing back = s.back;
        final UnsafeBuffer template = s.template;
        final UnsafeBuffer request = s.request;
        final UnsafeBuffer response = s.response;
        final int batch = s.batch;
        final int messages = s.messages;
        final boolean checkNotify = s.checkNotify;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        for (int done = 0; done < messages; done += batch)
        {
            for (int i = 0; i < batch; i++)
            {
                final int slot = front.claimRequest();
                front.putRequest(slot, template, 0, 64);
                front.putLong(slot, sequence++);
            }
            pushRequests(front, checkNotify);
            final int requests = back.unconsumedRequests();
            for (int i = 0; i < requests; i++)
            {
                back.copyRequest(request, 0, 64);
                final long id = request.getLong(0);
                errors += id != expected++ ? 1 : 0;
                back.putLong(back.claimResponse(), id);
            }
            pushResponses(back, checkNotify);
            final int responses = front.unconsumedResponses();
            for (int i = 0; i < responses; i++)
            {
                front.copyResponse(response, 0, 8);
                errors += response.getLong(0) != answered++ ? 1 : 0;
            }
        }
        return finish(s, sequence, expected, answered, errors);
    }

    private static long netifTx(final JavaRing s)
    {
        final FrontRing front = s.front;
        final BackRing back = s.back;
        final UnsafeBuffer template = s.template;
        final UnsafeBuffer request = s.request;
        final UnsafeBuffer response = s.response;
        final int batch = s.batch;
        final int messages = s.messages;
        final boolean checkNotify = s.checkNotify;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        for (int done = 0; done < messages; done += batch)
        {
            for (int i = 0; i < batch; i++)
            {
                final int slot = front.claimRequest();
                front.putRequest(slot, template, 0, NetifTxRequestDescriptor.LENGTH);
                front.putShort(slot + NetifTxRequestDescriptor.ID_OFFSET, (short)sequence++);
            }
            pushRequests(front, checkNotify);
            final int requests = back.unconsumedRequests();
            for (int i = 0; i < requests; i++)
            {
                back.copyRequest(request, 0, NetifTxRequestDescriptor.LENGTH);
                final short id = request.getShort(NetifTxRequestDescriptor.ID_OFFSET);
                errors += id != (short)expected++ ? 1 : 0;
                final int slot = back.claimResponse();
                back.putShort(slot + NetifTxResponseDescriptor.ID_OFFSET, id);
                back.putShort(slot + NetifTxResponseDescriptor.STATUS_OFFSET, (short)0);
            }
            pushResponses(back, checkNotify);
            final int responses = front.unconsumedResponses();
            for (int i = 0; i < responses; i++)
            {
                front.copyResponse(response, 0, NetifTxResponseDescriptor.LENGTH);
                errors += response.getShort(NetifTxResponseDescriptor.ID_OFFSET) != (short)answered++ ? 1 : 0;
            }
        }
        return finish(s, sequence, expected, answered, errors);
    }

    private static long blkif(final JavaRing s)
    {
        final FrontRing front = s.front;
        final BackRing back = s.back;
        final UnsafeBuffer template = s.template;
        final UnsafeBuffer request = s.request;
        final UnsafeBuffer response = s.response;
        final int batch = s.batch;
        final int messages = s.messages;
        final boolean checkNotify = s.checkNotify;
        final int requestLength = s.entry.requestLength;
        final int responseLength = s.entry.responseLength;
        final int idOffset = BlkifAbi.X86_64.idOffset;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        for (int done = 0; done < messages; done += batch)
        {
            for (int i = 0; i < batch; i++)
            {
                final int slot = front.claimRequest();
                front.putRequest(slot, template, 0, requestLength);
                front.putLong(slot + idOffset, sequence++);
            }
            pushRequests(front, checkNotify);
            final int requests = back.unconsumedRequests();
            for (int i = 0; i < requests; i++)
            {
                back.copyRequest(request, 0, requestLength);
                final long id = request.getLong(idOffset);
                errors += id != expected++ ? 1 : 0;
                final int slot = back.claimResponse();
                back.putLong(slot + BlkifAbi.RESPONSE_ID_OFFSET, id);
                back.putByte(slot + BlkifAbi.RESPONSE_OPERATION_OFFSET, request.getByte(BlkifAbi.OPERATION_OFFSET));
                back.putShort(slot + BlkifAbi.RESPONSE_STATUS_OFFSET, (short)BlkifDescriptor.RSP_OKAY);
            }
            pushResponses(back, checkNotify);
            final int responses = front.unconsumedResponses();
            for (int i = 0; i < responses; i++)
            {
                front.copyResponse(response, 0, responseLength);
                errors += response.getLong(BlkifAbi.RESPONSE_ID_OFFSET) != answered++ ? 1 : 0;
            }
        }
        return finish(s, sequence, expected, answered, errors);
    }

    private static long req64Segment(final JavaRing s)
    {
        final FrontRing front = s.front;
        final BackRing back = s.back;
        final MemorySegment ringSegment = s.ringSegment;
        final MemorySegment requestSegment = s.requestSegment;
        final MemorySegment responseSegment = s.responseSegment;
        final UnsafeBuffer template = s.template;
        final UnsafeBuffer request = s.request;
        final UnsafeBuffer response = s.response;
        final int batch = s.batch;
        final int messages = s.messages;
        final boolean checkNotify = s.checkNotify;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        for (int done = 0; done < messages; done += batch)
        {
            for (int i = 0; i < batch; i++)
            {
                final int slot = front.claimRequest();
                front.putRequest(slot, template, 0, 64);
                ringSegment.set(ValueLayout.JAVA_LONG_UNALIGNED, slot, sequence++);
            }
            pushRequests(front, checkNotify);
            final int requests = back.unconsumedRequests();
            for (int i = 0; i < requests; i++)
            {
                back.copyRequest(request, 0, 64);
                final long id = requestSegment.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                errors += id != expected++ ? 1 : 0;
                ringSegment.set(ValueLayout.JAVA_LONG_UNALIGNED, back.claimResponse(), id);
            }
            pushResponses(back, checkNotify);
            final int responses = front.unconsumedResponses();
            for (int i = 0; i < responses; i++)
            {
                front.copyResponse(response, 0, 8);
                errors += responseSegment.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != answered++ ? 1 : 0;
            }
        }
        return finish(s, sequence, expected, answered, errors);
    }

    /** Diagnostic floor (REQ64, off-heap buffers only): the same protocol steps with unchecked raw accesses and
     * every index in a local, as C does: what Java costs without any check. */
    private static long req64Raw(final JavaRing s)
    {
        final long ringAddress = s.ring.addressOffset();
        final long slots = ringAddress + SharedRingDescriptor.HEADER_LENGTH;
        final long template = s.template.addressOffset();
        final long request = s.request.addressOffset();
        final long response = s.response.addressOffset();
        final int mask = s.front.size() - 1;
        final int batch = s.batch;
        final int messages = s.messages;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        int reqProd = s.rawReqProd;
        int reqCons = s.rawReqCons;
        int rspProd = s.rawRspProd;
        int rspCons = s.rawRspCons;
        for (int done = 0; done < messages; done += batch)
        {
            for (int i = 0; i < batch; i++)
            {
                final long slot = slots + (long)(reqProd++ & mask) * 64;
                for (int b = 0; b < 64; b += 8)
                {
                    org.agrona.UnsafeApi.putLong(slot + b, org.agrona.UnsafeApi.getLong(template + b));
                }
                org.agrona.UnsafeApi.putLong(slot, sequence++);
            }
            org.agrona.UnsafeApi.putIntVolatile(null, ringAddress + SharedRingDescriptor.REQ_PROD_OFFSET, reqProd);
            final int rp = org.agrona.UnsafeApi.getIntAcquire(null, ringAddress + SharedRingDescriptor.REQ_PROD_OFFSET);
            while (reqCons != rp)
            {
                final long slot = slots + (long)(reqCons++ & mask) * 64;
                for (int b = 0; b < 64; b += 8)
                {
                    org.agrona.UnsafeApi.putLong(request + b, org.agrona.UnsafeApi.getLong(slot + b));
                }
                final long id = org.agrona.UnsafeApi.getLong(request);
                errors += id != expected++ ? 1 : 0;
                org.agrona.UnsafeApi.putLong(slots + (long)(rspProd++ & mask) * 64, id);
            }
            org.agrona.UnsafeApi.putIntVolatile(null, ringAddress + SharedRingDescriptor.RSP_PROD_OFFSET, rspProd);
            final int sp = org.agrona.UnsafeApi.getIntAcquire(null, ringAddress + SharedRingDescriptor.RSP_PROD_OFFSET);
            while (rspCons != sp)
            {
                final long slot = slots + (long)(rspCons++ & mask) * 64;
                org.agrona.UnsafeApi.putLong(response, org.agrona.UnsafeApi.getLong(slot));
                errors += org.agrona.UnsafeApi.getLong(response) != answered++ ? 1 : 0;
            }
        }
        s.rawReqProd = reqProd;
        s.rawReqCons = reqCons;
        s.rawRspProd = rspProd;
        s.rawRspCons = rspCons;
        return finish(s, sequence, expected, answered, errors);
    }

    /** Diagnostic floor (REQ64, heap buffers only): the same protocol steps with unchecked raw accesses and
     * every index in a local, as C does: what Java costs without any check. */
    private static long req64RawHeap(final JavaRing s)
    {
        final long ringAddress = s.ring.addressOffset();
        final long slots = ringAddress + SharedRingDescriptor.HEADER_LENGTH;
        final byte[] templateArray = s.template.byteArray();
        final byte[] requestArray = s.request.byteArray();
        final byte[] responseArray = s.response.byteArray();
        final long template = s.template.addressOffset();
        final long request = s.request.addressOffset();
        final long response = s.response.addressOffset();
        final int mask = s.front.size() - 1;
        final int batch = s.batch;
        final int messages = s.messages;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        int reqProd = s.rawReqProd;
        int reqCons = s.rawReqCons;
        int rspProd = s.rawRspProd;
        int rspCons = s.rawRspCons;
        for (int done = 0; done < messages; done += batch)
        {
            for (int i = 0; i < batch; i++)
            {
                final long slot = slots + (long)(reqProd++ & mask) * 64;
                for (int b = 0; b < 64; b += 8)
                {
                    org.agrona.UnsafeApi.putLong(slot + b, org.agrona.UnsafeApi.getLongUnaligned(templateArray, template + b));
                }
                org.agrona.UnsafeApi.putLong(slot, sequence++);
            }
            org.agrona.UnsafeApi.putIntVolatile(null, ringAddress + SharedRingDescriptor.REQ_PROD_OFFSET, reqProd);
            final int rp = org.agrona.UnsafeApi.getIntAcquire(null, ringAddress + SharedRingDescriptor.REQ_PROD_OFFSET);
            while (reqCons != rp)
            {
                final long slot = slots + (long)(reqCons++ & mask) * 64;
                for (int b = 0; b < 64; b += 8)
                {
                    org.agrona.UnsafeApi.putLongUnaligned(requestArray, request + b, org.agrona.UnsafeApi.getLong(slot + b));
                }
                final long id = org.agrona.UnsafeApi.getLongUnaligned(requestArray, request);
                errors += id != expected++ ? 1 : 0;
                org.agrona.UnsafeApi.putLong(slots + (long)(rspProd++ & mask) * 64, id);
            }
            org.agrona.UnsafeApi.putIntVolatile(null, ringAddress + SharedRingDescriptor.RSP_PROD_OFFSET, rspProd);
            final int sp = org.agrona.UnsafeApi.getIntAcquire(null, ringAddress + SharedRingDescriptor.RSP_PROD_OFFSET);
            while (rspCons != sp)
            {
                final long slot = slots + (long)(rspCons++ & mask) * 64;
                org.agrona.UnsafeApi.putLongUnaligned(responseArray, response, org.agrona.UnsafeApi.getLong(slot));
                errors += org.agrona.UnsafeApi.getLongUnaligned(responseArray, response) != answered++ ? 1 : 0;
            }
        }
        s.rawReqProd = reqProd;
        s.rawReqCons = reqCons;
        s.rawRspProd = rspProd;
        s.rawRspCons = rspCons;
        return finish(s, sequence, expected, answered, errors);
    }

    /**
     * Diagnostic floor (REQ64, heap or off-heap buffers): {@code raw}'s protocol steps, every index in a local and
     * no check, with each copy through {@code RawMemory.copy}, the routine behind the ring API's copies, so
     * {@code copies=wide} applies to it as to the API: what the API costs above its own copies.
     */
    private static long req64RawCopy(final JavaRing s)
    {
        final long ringAddress = s.ring.addressOffset();
        final long slots = ringAddress + SharedRingDescriptor.HEADER_LENGTH;
        final byte[] templateArray = s.template.byteArray();
        final byte[] requestArray = s.request.byteArray();
        final byte[] responseArray = s.response.byteArray();
        final long template = s.template.addressOffset();
        final long request = s.request.addressOffset();
        final long response = s.response.addressOffset();
        final int mask = s.front.size() - 1;
        final int batch = s.batch;
        final int messages = s.messages;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        int reqProd = s.rawReqProd;
        int reqCons = s.rawReqCons;
        int rspProd = s.rawRspProd;
        int rspCons = s.rawRspCons;
        for (int done = 0; done < messages; done += batch)
        {
            for (int i = 0; i < batch; i++)
            {
                final long slot = slots + (long)(reqProd++ & mask) * 64;
                RawMemory.copy(templateArray, template, null, slot, 64);
                UnsafeApi.putLong(slot, sequence++);
            }
            UnsafeApi.putIntVolatile(null, ringAddress + SharedRingDescriptor.REQ_PROD_OFFSET, reqProd);
            final int rp = UnsafeApi.getIntAcquire(null, ringAddress + SharedRingDescriptor.REQ_PROD_OFFSET);
            while (reqCons != rp)
            {
                final long slot = slots + (long)(reqCons++ & mask) * 64;
                RawMemory.copy(null, slot, requestArray, request, 64);
                final long id = RawMemory.getLong(requestArray, request);
                errors += id != expected++ ? 1 : 0;
                UnsafeApi.putLong(slots + (long)(rspProd++ & mask) * 64, id);
            }
            UnsafeApi.putIntVolatile(null, ringAddress + SharedRingDescriptor.RSP_PROD_OFFSET, rspProd);
            final int sp = UnsafeApi.getIntAcquire(null, ringAddress + SharedRingDescriptor.RSP_PROD_OFFSET);
            while (rspCons != sp)
            {
                final long slot = slots + (long)(rspCons++ & mask) * 64;
                RawMemory.copy(null, slot, responseArray, response, 8);
                errors += RawMemory.getLong(responseArray, response) != answered++ ? 1 : 0;
            }
        }
        s.rawReqProd = reqProd;
        s.rawReqCons = reqCons;
        s.rawRspProd = rspProd;
        s.rawRspCons = rspCons;
        return finish(s, sequence, expected, answered, errors);
    }

    private static long req64Batch(final JavaRing s)
    {
        final FrontRing front = s.front;
        final BackRing back = s.back;
        final UnsafeBuffer template = s.template;
        final UnsafeBuffer requests = s.requests;
        final UnsafeBuffer responses = s.responses;
        // api=batchsegment: the same loop, the caller's reads of its copies through segments over the same memory (a
        // fork runs one api, so C2 compiles one side of each test and hoists the test out of the loop)
        final boolean segmentReads = s.batchSegmentApi;
        final MemorySegment requestCopies = s.requestSegment;
        final MemorySegment responseCopies = s.responseSegment;
        final int batch = s.batch;
        final int messages = s.messages;
        final boolean checkNotify = s.checkNotify;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        for (int done = 0; done < messages; done += batch)
        {
            sequence = claimWriteAndPushReq64(front, template, batch, sequence, checkNotify);
            back.unconsumedRequests();
            int copied;
            while ((copied = back.copyRequests(requests, 0, 64, 64, CHUNK)) > 0)
            {
                final int firstResponse = back.rspProdPvt();
                back.claimResponses(copied);
                for (int k = 0; k < copied; k++)
                {
                    final long id = segmentReads ?
                        requestCopies.get(ValueLayout.JAVA_LONG_UNALIGNED, k * 64L) : requests.getLong(k * 64);
                    errors += id != expected++ ? 1 : 0;
                    back.putEntryLong(firstResponse + k, 0, id);
                }
            }
            pushResponses(back, checkNotify);
            front.unconsumedResponses();
            while ((copied = front.copyResponses(responses, 0, 8, 8, CHUNK)) > 0)
            {
                for (int k = 0; k < copied; k++)
                {
                    final long id = segmentReads ?
                        responseCopies.get(ValueLayout.JAVA_LONG_UNALIGNED, k * 8L) : responses.getLong(k * 8);
                    errors += id != answered++ ? 1 : 0;
                }
            }
        }
        return finish(s, sequence, expected, answered, errors);
    }

    private static long req64Indexed(final JavaRing s)
    {
        final FrontRing front = s.front;
        final BackRing back = s.back;
        final UnsafeBuffer template = s.template;
        final UnsafeBuffer request = s.request;
        final UnsafeBuffer response = s.response;
        final int batch = s.batch;
        final int messages = s.messages;
        final boolean checkNotify = s.checkNotify;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        for (int done = 0; done < messages; done += batch)
        {
            sequence = claimWriteAndPushReq64(front, template, batch, sequence, checkNotify);
            final int firstRequest = back.reqCons();
            final int taken = back.consumeRequests(back.unconsumedRequests());
            final int firstResponse = back.rspProdPvt();
            back.claimResponses(taken);
            for (int k = 0; k < taken; k++)
            {
                back.copyEntry(firstRequest + k, request, 0, 64);
                final long id = request.getLong(0);
                errors += id != expected++ ? 1 : 0;
                back.putEntryLong(firstResponse + k, 0, id);
            }
            pushResponses(back, checkNotify);
            final int firstAnswer = front.rspCons();
            final int answers = front.consumeResponses(front.unconsumedResponses());
            for (int k = 0; k < answers; k++)
            {
                front.copyEntry(firstAnswer + k, response, 0, 8);
                errors += response.getLong(0) != answered++ ? 1 : 0;
            }
        }
        return finish(s, sequence, expected, answered, errors);
    }

    private static long netifTxBatch(final JavaRing s)
    {
        final FrontRing front = s.front;
        final BackRing back = s.back;
        final UnsafeBuffer template = s.template;
        final UnsafeBuffer requests = s.requests;
        final UnsafeBuffer responses = s.responses;
        final int batch = s.batch;
        final int messages = s.messages;
        final boolean checkNotify = s.checkNotify;
        final int requestLength = NetifTxRequestDescriptor.LENGTH;
        final int responseLength = NetifTxResponseDescriptor.LENGTH;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        for (int done = 0; done < messages; done += batch)
        {
            sequence = claimWriteAndPushNetifTx(front, template, batch, sequence, checkNotify);
            back.unconsumedRequests();
            int copied;
            while ((copied = back.copyRequests(requests, 0, requestLength, requestLength, CHUNK)) > 0)
            {
                final int firstResponse = back.rspProdPvt();
                back.claimResponses(copied);
                for (int k = 0; k < copied; k++)
                {
                    final short id = requests.getShort(k * requestLength + NetifTxRequestDescriptor.ID_OFFSET);
                    errors += id != (short)expected++ ? 1 : 0;
                    back.putEntryShort(firstResponse + k, NetifTxResponseDescriptor.ID_OFFSET, id);
                    back.putEntryShort(firstResponse + k, NetifTxResponseDescriptor.STATUS_OFFSET, (short)0);
                }
            }
            pushResponses(back, checkNotify);
            front.unconsumedResponses();
            while ((copied = front.copyResponses(responses, 0, responseLength, responseLength, CHUNK)) > 0)
            {
                for (int k = 0; k < copied; k++)
                {
                    errors += responses.getShort(k * responseLength + NetifTxResponseDescriptor.ID_OFFSET) !=
                        (short)answered++ ? 1 : 0;
                }
            }
        }
        return finish(s, sequence, expected, answered, errors);
    }

    private static long blkifBatch(final JavaRing s)
    {
        final FrontRing front = s.front;
        final BackRing back = s.back;
        final UnsafeBuffer template = s.template;
        final UnsafeBuffer requests = s.requests;
        final UnsafeBuffer responses = s.responses;
        final int batch = s.batch;
        final int messages = s.messages;
        final boolean checkNotify = s.checkNotify;
        final int requestLength = s.entry.requestLength;
        final int responseLength = s.entry.responseLength;
        final int idOffset = BlkifAbi.X86_64.idOffset;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        for (int done = 0; done < messages; done += batch)
        {
            sequence = claimWriteAndPushBlkif(front, template, requestLength, idOffset, batch, sequence, checkNotify);
            back.unconsumedRequests();
            int copied;
            while ((copied = back.copyRequests(requests, 0, requestLength, requestLength, CHUNK)) > 0)
            {
                final int firstResponse = back.rspProdPvt();
                back.claimResponses(copied);
                for (int k = 0; k < copied; k++)
                {
                    final int at = k * requestLength;
                    final long id = requests.getLong(at + idOffset);
                    errors += id != expected++ ? 1 : 0;
                    final int index = firstResponse + k;
                    back.putEntryLong(index, BlkifAbi.RESPONSE_ID_OFFSET, id);
                    back.putEntryByte(index, BlkifAbi.RESPONSE_OPERATION_OFFSET, requests.getByte(at));
                    back.putEntryShort(index, BlkifAbi.RESPONSE_STATUS_OFFSET, (short)BlkifDescriptor.RSP_OKAY);
                }
            }
            pushResponses(back, checkNotify);
            front.unconsumedResponses();
            while ((copied = front.copyResponses(responses, 0, responseLength, responseLength, CHUNK)) > 0)
            {
                for (int k = 0; k < copied; k++)
                {
                    errors += responses.getLong(k * responseLength + BlkifAbi.RESPONSE_ID_OFFSET) != answered++ ? 1 : 0;
                }
            }
        }
        return finish(s, sequence, expected, answered, errors);
    }

    private static long netifTxIndexed(final JavaRing s)
    {
        final FrontRing front = s.front;
        final BackRing back = s.back;
        final UnsafeBuffer template = s.template;
        final UnsafeBuffer request = s.request;
        final UnsafeBuffer response = s.response;
        final int batch = s.batch;
        final int messages = s.messages;
        final boolean checkNotify = s.checkNotify;
        final int requestLength = NetifTxRequestDescriptor.LENGTH;
        final int responseLength = NetifTxResponseDescriptor.LENGTH;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        for (int done = 0; done < messages; done += batch)
        {
            sequence = claimWriteAndPushNetifTx(front, template, batch, sequence, checkNotify);
            final int firstRequest = back.reqCons();
            final int taken = back.consumeRequests(back.unconsumedRequests());
            final int firstResponse = back.rspProdPvt();
            back.claimResponses(taken);
            for (int k = 0; k < taken; k++)
            {
                back.copyEntry(firstRequest + k, request, 0, requestLength);
                final short id = request.getShort(NetifTxRequestDescriptor.ID_OFFSET);
                errors += id != (short)expected++ ? 1 : 0;
                back.putEntryShort(firstResponse + k, NetifTxResponseDescriptor.ID_OFFSET, id);
                back.putEntryShort(firstResponse + k, NetifTxResponseDescriptor.STATUS_OFFSET, (short)0);
            }
            pushResponses(back, checkNotify);
            final int firstAnswer = front.rspCons();
            final int answers = front.consumeResponses(front.unconsumedResponses());
            for (int k = 0; k < answers; k++)
            {
                front.copyEntry(firstAnswer + k, response, 0, responseLength);
                errors += response.getShort(NetifTxResponseDescriptor.ID_OFFSET) != (short)answered++ ? 1 : 0;
            }
        }
        return finish(s, sequence, expected, answered, errors);
    }

    private static long blkifIndexed(final JavaRing s)
    {
        final FrontRing front = s.front;
        final BackRing back = s.back;
        final UnsafeBuffer template = s.template;
        final UnsafeBuffer request = s.request;
        final UnsafeBuffer response = s.response;
        final int batch = s.batch;
        final int messages = s.messages;
        final boolean checkNotify = s.checkNotify;
        final int requestLength = s.entry.requestLength;
        final int responseLength = s.entry.responseLength;
        final int idOffset = BlkifAbi.X86_64.idOffset;
        long sequence = s.nextSequence;
        long expected = s.nextRequest;
        long answered = s.nextResponse;
        long errors = 0;
        for (int done = 0; done < messages; done += batch)
        {
            sequence = claimWriteAndPushBlkif(front, template, requestLength, idOffset, batch, sequence, checkNotify);
            final int firstRequest = back.reqCons();
            final int taken = back.consumeRequests(back.unconsumedRequests());
            final int firstResponse = back.rspProdPvt();
            back.claimResponses(taken);
            for (int k = 0; k < taken; k++)
            {
                back.copyEntry(firstRequest + k, request, 0, requestLength);
                final long id = request.getLong(idOffset);
                errors += id != expected++ ? 1 : 0;
                final int index = firstResponse + k;
                back.putEntryLong(index, BlkifAbi.RESPONSE_ID_OFFSET, id);
                back.putEntryByte(index, BlkifAbi.RESPONSE_OPERATION_OFFSET, request.getByte(0));
                back.putEntryShort(index, BlkifAbi.RESPONSE_STATUS_OFFSET, (short)BlkifDescriptor.RSP_OKAY);
            }
            pushResponses(back, checkNotify);
            final int firstAnswer = front.rspCons();
            final int answers = front.consumeResponses(front.unconsumedResponses());
            for (int k = 0; k < answers; k++)
            {
                front.copyEntry(firstAnswer + k, response, 0, responseLength);
                errors += response.getLong(BlkifAbi.RESPONSE_ID_OFFSET) != answered++ ? 1 : 0;
            }
        }
        return finish(s, sequence, expected, answered, errors);
    }

    /**
     * The batch loops' requests (REQ64): one {@code claimRequests} of up to {@code batch} slots, the template copied
     * into each and its id stamped by ring index, one push.
     *
     * @return the next id.
     */
    private static long claimWriteAndPushReq64(
        final FrontRing front, final UnsafeBuffer template, final int batch, final long sequence,
        final boolean checkNotify)
    {
        final int first = front.reqProdPvt();
        final int claimed = front.claimRequests(batch);
        long id = sequence;
        for (int k = 0; k < claimed; k++)
        {
            front.putEntry(first + k, template, 0, 64);
            front.putEntryLong(first + k, 0, id++);
        }
        pushRequests(front, checkNotify);
        return id;
    }

    /**
     * {@link #claimWriteAndPushReq64} for {@code netif_tx_request}s (a 16-bit id).
     *
     * @return the next id.
     */
    private static long claimWriteAndPushNetifTx(
        final FrontRing front, final UnsafeBuffer template, final int batch, final long sequence,
        final boolean checkNotify)
    {
        final int first = front.reqProdPvt();
        final int claimed = front.claimRequests(batch);
        long id = sequence;
        for (int k = 0; k < claimed; k++)
        {
            front.putEntry(first + k, template, 0, NetifTxRequestDescriptor.LENGTH);
            front.putEntryShort(first + k, NetifTxRequestDescriptor.ID_OFFSET, (short)id++);
        }
        pushRequests(front, checkNotify);
        return id;
    }

    /**
     * {@link #claimWriteAndPushReq64} for {@code blkif_request}s (the id at {@code idOffset}).
     *
     * @return the next id.
     */
    private static long claimWriteAndPushBlkif(
        final FrontRing front, final UnsafeBuffer template, final int requestLength, final int idOffset,
        final int batch, final long sequence, final boolean checkNotify)
    {
        final int first = front.reqProdPvt();
        final int claimed = front.claimRequests(batch);
        long id = sequence;
        for (int k = 0; k < claimed; k++)
        {
            front.putEntry(first + k, template, 0, requestLength);
            front.putEntryLong(first + k, idOffset, id++);
        }
        pushRequests(front, checkNotify);
        return id;
    }

    /** {@code pushRequestsAndCheckNotify} with check-notify pushes, else {@code pushRequests} (also used by
     * {@link RingThroughputBenchmark}). */
    static void pushRequests(final FrontRing front, final boolean checkNotify)
    {
        if (checkNotify)
        {
            front.pushRequestsAndCheckNotify();
        }
        else
        {
            front.pushRequests();
        }
    }

    /** {@code pushResponsesAndCheckNotify} with check-notify pushes, else {@code pushResponses}. */
    static void pushResponses(final BackRing back, final boolean checkNotify)
    {
        if (checkNotify)
        {
            back.pushResponsesAndCheckNotify();
        }
        else
        {
            back.pushResponses();
        }
    }

    private static long finish(
        final JavaRing s, final long sequence, final long expected, final long answered, final long errors)
    {
        s.nextSequence = sequence;
        s.nextRequest = expected;
        s.nextResponse = answered;
        s.errors += errors;
        return errors;
    }
}
