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
import dev.pvring.shmstream.ReadResult;
import dev.pvring.shmstream.ShmStreamReader;
import dev.pvring.shmstream.ShmStreamWriter;
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
 * One-thread cost of a Muen SHMStream v2 channel ({@link ShmStreamWriter}, {@link ShmStreamReader}) beside its C
 * twin ({@code bench/perf-kit/shmstream_onethread.c}: the writer and reader algorithm of Muen's C code, Solo5's
 * {@code bindings/muen}). The channel is a 1 MiB region (the muen-net policy's size); a round writes
 * {@code batch} elements of {@code size} bytes ({@link ShmStreamWriter#write}: WSC, copy, WC), then reads them
 * back one per {@link ShmStreamReader#read} (epoch, WC, copy, WSC re-check, epoch re-check) and checks each
 * element's sequence number. {@code size} 64 is a small message, 1516 the muen-net element
 * ({@code struct net_msg}). Score per invocation of {@code messages} elements (SampleTime);
 * {@code bench/run-onethread.sh --config 'ShmStreamOneThreadBenchmark|'} prints ns per element and the ratio to C
 * per A/B pair.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class ShmStreamOneThreadBenchmark
{
    /** Region size of the channel (as the C twin's). */
    static final int REGION = 1 << 20;
    /** Protocol id of the channel (as the C twin's). */
    static final long PROTOCOL = 0xbe9c_4000_0000_0001L;

    /** Shared configuration. */
    @State(Scope.Thread)
    public static class Config
    {
        /** Bytes per element: a small message, and the muen-net element. */
        @Param({"64", "1516"})
        public int size;

        /** Elements written before they are read back. */
        @Param({"1", "32"})
        public int batch;

        /** Elements per invocation, a multiple of the batch. */
        @Param({"4096"})
        public int messages;

        /** Checks the parameters. */
        @Setup(Level.Trial)
        public void setUp()
        {
            if (size < 8 || size > 2048 || batch < 1 || (long)size * batch > REGION - 64 || messages % batch != 0)
            {
                throw new IllegalArgumentException("need 8 <= size <= 2048, size * batch <= region - 64, batch " +
                    "dividing messages: size=" + size + " batch=" + batch + " messages=" + messages);
            }
        }
    }

    /** The Java channel and private buffers. */
    @State(Scope.Thread)
    public static class JavaChannel
    {
        /** Where the private source and destination buffers live. */
        @Param({"heap", "offheap"})
        public String buffers;

        /** {@code scalar} or {@code wide}: which moves pvring's copies use in this fork ({@link CopyMode}). */
        @Param({"scalar"})
        public String copies;

        SharedMemory memory;
        ShmStreamWriter writer;
        ShmStreamReader reader;
        UnsafeBuffer src;
        UnsafeBuffer dst;
        int size;
        int batch;
        int messages;
        long nextWrite;
        long nextRead;
        long errors;

        /**
         * Maps the channel, initializes the writer, attaches the reader.
         *
         * @param config shared configuration.
         */
        @Setup(Level.Trial)
        public void setUp(final Config config)
        {
            CopyMode.check(copies);
            memory = SharedMemory.anonymous(REGION);
            writer = new ShmStreamWriter(memory.buffer());
            writer.initialize(PROTOCOL, config.size, 0x1234_5678_90ab_cdefL);
            reader = new ShmStreamReader(memory.buffer(), PROTOCOL, config.size);
            src = buffer(2048);
            src.setMemory(0, 2048, (byte)0x5a);
            dst = buffer(2048);
            size = config.size;
            batch = config.batch;
            messages = config.messages;
            if (reader.read(dst, 0) != ReadResult.NO_DATA)
            {
                throw new IllegalStateException("reader did not join the fresh epoch: reader=" + reader);
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

        /** Fails on a wrong result or sequence; unmaps. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            memory.close();
            if (errors != 0)
            {
                throw new IllegalStateException("shmstream: errors=" + errors);
            }
        }
    }

    /** The C twin. */
    @State(Scope.Thread)
    public static class CChannel
    {
        CTwin twin;
        MethodHandle run;
        MethodHandle close;
        MemorySegment context;
        long messages;

        /**
         * Compiles and opens the twin.
         *
         * @param config shared configuration.
         * @throws Throwable if a downcall fails.
         */
        @Setup(Level.Trial)
        public void setUp(final Config config) throws Throwable
        {
            twin = CTwin.build("shmstream_onethread.c");
            final MethodHandle open = twin.function("ss1_open",
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            run = twin.function(
                "ss1_run", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            close = twin.function("ss1_close", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            messages = config.messages;
            context = (MemorySegment)open.invokeExact(config.size, config.batch);
            if (context.equals(MemorySegment.NULL))
            {
                throw new IllegalStateException("C twin refused the configuration");
            }
        }

        /**
         * Checks the C side's results and sequence numbers; unloads.
         *
         * @throws Throwable if a downcall fails.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws Throwable
        {
            final long errors = (long)run.invokeExact(context, 0L);
            close.invokeExact(context);
            twin.close();
            if (errors != 0)
            {
                throw new IllegalStateException("C shmstream: errors=" + errors);
            }
        }
    }

    /**
     * C: {@code messages} elements, one downcall.
     *
     * @param channel the twin.
     * @return its error count.
     * @throws Throwable if the downcall fails.
     */
    @Benchmark
    public long c(final CChannel channel) throws Throwable
    {
        return (long)channel.run.invokeExact(channel.context, channel.messages);
    }

    /**
     * Java: {@code messages} elements.
     *
     * @param s the channel.
     * @return errors of this invocation.
     */
    @Benchmark
    public long java(final JavaChannel s)
    {
        final ShmStreamWriter writer = s.writer;
        final ShmStreamReader reader = s.reader;
        final UnsafeBuffer src = s.src;
        final UnsafeBuffer dst = s.dst;
        final int size = s.size;
        final int batch = s.batch;
        final int messages = s.messages;
        long nextWrite = s.nextWrite;
        long nextRead = s.nextRead;
        long errors = 0;
        for (int done = 0; done < messages; done += batch)
        {
            for (int k = 0; k < batch; k++)
            {
                src.putLong(0, nextWrite++);
                writer.write(src, 0, size);
            }
            for (int k = 0; k < batch; k++)
            {
                errors += reader.read(dst, 0) != ReadResult.SUCCESS ? 1 : 0;
                errors += dst.getLong(0) != nextRead++ ? 1 : 0;
            }
        }
        s.nextWrite = nextWrite;
        s.nextRead = nextRead;
        s.errors += errors;
        return errors;
    }
}
