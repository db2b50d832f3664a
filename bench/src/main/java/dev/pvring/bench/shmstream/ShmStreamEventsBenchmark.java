/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.shmstream;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;
import dev.pvring.core.SpinYieldBlockIdleStrategy;
import dev.pvring.shmstream.ReadResult;
import dev.pvring.shmstream.ShmStreamReader;
import dev.pvring.shmstream.ShmStreamWriter;
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
 * Events (futex-event notifications) per element with and without queue/flush, with a reader that spins, yields,
 * then sleeps on the event. {@code batch = 1} is Linux muennet's event after every write; {@code batch = 32} queues
 * 32 elements and flushes once. The writer's counters report elements, events and the futex wake system calls they
 * cost (only when the reader slept): events per element = {@code events / elements}; the target under load is at
 * most 1/32.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class ShmStreamEventsBenchmark
{
    static final long PROTOCOL = 0xbe9c_4000_0000_0002L;
    static final int REGION = 1 << 20;

    /**
     * The channel, its writer with a futex event, and the reader with its idle strategy.
     */
    @State(Scope.Group)
    public static class Channel
    {
        /** Bytes per element. */
        @Param({"64", "1516"})
        public int elementSize;

        /** Elements per flush: 1 = an event per write (no queue/flush). */
        @Param({"1", "32"})
        public int batch;

        SharedMemory memory;
        ShmStreamWriter writer;
        FutexEvent writerEvent;
        ShmStreamReader reader;
        SpinYieldBlockIdleStrategy idle;
        UnsafeBuffer source;
        UnsafeBuffer destination;

        /** Maps the channel and the event words. */
        @Setup(Level.Trial)
        public void setUp()
        {
            memory = SharedMemory.anonymous(REGION + SharedMemory.PAGE_SIZE);
            final UnsafeBuffer region = new UnsafeBuffer(memory.buffer(), 0, REGION);
            writerEvent = new FutexEvent(memory.buffer(), REGION);
            writer = new ShmStreamWriter(region, writerEvent);
            writer.initialize(PROTOCOL, elementSize);
            reader = new ShmStreamReader(region, PROTOCOL, elementSize);
            idle = new SpinYieldBlockIdleStrategy(new FutexEvent(memory.buffer(), REGION), 200, 10,
                TimeUnit.MILLISECONDS.toNanos(1));
            source = new UnsafeBuffer(ByteBuffer.allocateDirect(elementSize));
            destination = new UnsafeBuffer(new byte[elementSize]);
        }

        /** Unmaps. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            memory.close();
        }
    }

    /**
     * Writer-side counters, totals per iteration.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class WriterCounters
    {
        /** Elements written. */
        public long elements;
        /** Events raised. */
        public long events;
        /** Events that found the reader asleep and cost a FUTEX_WAKE. */
        public long futexWakes;
        private long eventsBase;
        private long wakesBase;

        /**
         * Restarts the counts for each iteration.
         *
         * @param channel the channel.
         */
        @Setup(Level.Iteration)
        public void reset(final Channel channel)
        {
            elements = 0;
            events = 0;
            futexWakes = 0;
            eventsBase = channel.writer.events();
            wakesBase = channel.writerEvent.wakeUpsIssued();
        }

        void update(final Channel channel)
        {
            events = channel.writer.events() - eventsBase;
            futexWakes = channel.writerEvent.wakeUpsIssued() - wakesBase;
        }
    }

    /**
     * Reader-side counters, rates.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ReaderCounters
    {
        /** Elements read. */
        public long read;
        /** Overruns. */
        public long overrun;
    }

    /**
     * Writes one element; flushes (raises the event) every {@code batch} elements.
     *
     * @param channel  the channel.
     * @param counters the writer's counts.
     */
    @Benchmark
    @Group("events")
    @GroupThreads(1)
    public void writer(final Channel channel, final WriterCounters counters)
    {
        final ShmStreamWriter writer = channel.writer;
        writer.queue(channel.source, 0, channel.elementSize);
        counters.elements++;
        if (writer.pending() >= channel.batch)
        {
            writer.flush();
            counters.update(channel);
        }
    }

    /**
     * Reads one element, or idles (spin, yield, then sleep on the event) when there is none.
     *
     * @param channel  the channel.
     * @param counters the reader's counts.
     * @return the result.
     */
    @Benchmark
    @Group("events")
    @GroupThreads(1)
    public ReadResult reader(final Channel channel, final ReaderCounters counters)
    {
        final ReadResult result = channel.reader.read(channel.destination, 0);
        switch (result)
        {
            case SUCCESS ->
            {
                counters.read++;
                channel.idle.reset();
            }
            case OVERRUN_DETECTED -> counters.overrun++;
            default -> channel.idle.idle();
        }
        return result;
    }
}
