/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.shmstream;

import java.util.concurrent.TimeUnit;

import dev.pvring.core.SharedMemory;
import dev.pvring.shmstream.ReadResult;
import dev.pvring.shmstream.ShmStreamDescriptor;
import dev.pvring.shmstream.ShmStreamReader;
import dev.pvring.shmstream.ShmStreamWriter;
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
 * SHMStream v2 throughput for 64-byte and 1516-byte (muen-net) elements in a 1 MiB shared-memory channel: the
 * writer alone, the reader alone (re-reading a full ring), a writer and a reader on two threads, and a plain copy
 * of the same bytes into the same ring ({@code memcpyBaseline}) to express the protocol's cost as a fraction of
 * memcpy bandwidth (bytes/s = ops/s x elementSize). The C memcpy anchor is {@code shared/perf-kit/run_anchors.sh}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class ShmStreamThroughputBenchmark
{
    static final long PROTOCOL = 0xbe9c_4000_0000_0001L;
    static final int REGION = 1 << 20;

    /**
     * One channel, its writer and a reader, on anonymous shared memory.
     */
    public abstract static class ChannelBase
    {
        SharedMemory memory;
        AtomicBuffer region;
        ShmStreamWriter writer;
        ShmStreamReader reader;
        UnsafeBuffer source;
        int elementSize;
        int elements;

        void open(final int size)
        {
            elementSize = size;
            memory = SharedMemory.anonymous(REGION);
            region = memory.buffer();
            writer = new ShmStreamWriter(region);
            writer.initialize(PROTOCOL, elementSize);
            reader = new ShmStreamReader(region, PROTOCOL, elementSize);
            source = new UnsafeBuffer(new byte[elementSize]);
            source.setMemory(0, elementSize, (byte)0x5A);
            elements = writer.elements();
        }
    }

    /**
     * A channel used by one thread.
     */
    @State(Scope.Thread)
    public static class Channel extends ChannelBase
    {
        /** Bytes per element. */
        @Param({"64", "1516"})
        public int size;

        /** Maps and initializes the channel. */
        @Setup(Level.Trial)
        public void setUp()
        {
            open(size);
        }

        /** Unmaps the channel. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            memory.close();
        }
    }

    /**
     * A channel shared by the writer and reader threads of a group.
     */
    @State(Scope.Group)
    public static class PairChannel extends ChannelBase
    {
        /** Bytes per element. */
        @Param({"64", "1516"})
        public int size;

        /** Maps and initializes the channel. */
        @Setup(Level.Trial)
        public void setUp()
        {
            open(size);
        }

        /** Unmaps the channel. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            memory.close();
        }
    }

    /**
     * The reading thread's destination and result counts.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ReaderCounters
    {
        /** Elements read. */
        public long success;
        /** Overruns (the writer lapped the reader). */
        public long overrun;
        /** Reads that found nothing. */
        public long noData;
        final UnsafeBuffer destination = new UnsafeBuffer(new byte[1516]);
    }

    /**
     * Position of the plain-copy baseline.
     */
    @State(Scope.Thread)
    public static class CopyCursor
    {
        int slot;
    }

    /**
     * The writer alone: WSC, copy, WC per element.
     *
     * @param channel the channel.
     */
    @Benchmark
    public void writer(final Channel channel)
    {
        channel.writer.queue(channel.source, 0, channel.elementSize);
    }

    /**
     * The reader alone, re-reading a full ring (RC reset when it catches up).
     *
     * @param channel  the channel.
     * @param counters destination and counts.
     * @return the last byte copied.
     */
    @Benchmark
    public byte reader(final Channel channel, final ReaderCounters counters)
    {
        if (channel.writer.writeCount() == 0)
        {
            for (int i = 0; i < channel.elements; i++)
            {
                channel.writer.queue(channel.source, 0, channel.elementSize);
            }
        }
        final ReadResult result = channel.reader.read(counters.destination, 0);
        if (result == ReadResult.SUCCESS)
        {
            counters.success++;
        }
        else
        {
            channel.reader.reset();
        }
        return counters.destination.getByte(channel.elementSize - 1);
    }

    /**
     * The same bytes copied into the same ring without the protocol: the memcpy bandwidth baseline.
     *
     * @param channel the channel.
     * @param cursor  the slot position.
     */
    @Benchmark
    public void memcpyBaseline(final Channel channel, final CopyCursor cursor)
    {
        final int slot = cursor.slot;
        channel.region.putBytes(ShmStreamDescriptor.DATA_OFFSET + slot * channel.elementSize, channel.source, 0,
            channel.elementSize);
        cursor.slot = slot + 1 == channel.elements ? 0 : slot + 1;
    }

    /**
     * Writer thread of the writer/reader pair.
     *
     * @param channel the channel.
     */
    @Benchmark
    @Group("pair")
    @GroupThreads(1)
    public void pairWriter(final PairChannel channel)
    {
        channel.writer.queue(channel.source, 0, channel.elementSize);
    }

    /**
     * Reader thread of the writer/reader pair: counts Success, overruns and empty polls.
     *
     * @param channel  the channel.
     * @param counters destination and counts.
     * @return the result.
     */
    @Benchmark
    @Group("pair")
    @GroupThreads(1)
    public ReadResult pairReader(final PairChannel channel, final ReaderCounters counters)
    {
        final ReadResult result = channel.reader.read(counters.destination, 0);
        switch (result)
        {
            case SUCCESS -> counters.success++;
            case OVERRUN_DETECTED -> counters.overrun++;
            default -> counters.noData++;
        }
        return result;
    }
}
