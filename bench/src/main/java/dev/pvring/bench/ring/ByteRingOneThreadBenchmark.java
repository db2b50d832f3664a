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
import dev.pvring.xen.ring.ByteRingReader;
import dev.pvring.xen.ring.ByteRingWriter;
import dev.pvring.xen.ring.ConsoleRing;
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
 * One-thread cost of the console/xenstore byte ring ({@link ByteRingWriter}, {@link ByteRingReader}) beside its C
 * twin ({@code bench/perf-kit/bytering_onethread.c}: Debian's {@code xencons_interface} with the flex-ring helpers
 * of {@code io/ring.h}). A round writes {@code batch} messages of {@code size} bytes into the console's 2048-byte
 * "out" ring (one {@code write} each: cons read once, bytes copied, prod published), then reads them back one
 * message per {@code read} and checks each message's sequence number. Score per invocation of {@code messages}
 * messages (SampleTime); {@code bench/run-onethread.sh --config 'ByteRingOneThreadBenchmark|'} prints ns per
 * message and the ratio to C per A/B pair.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class ByteRingOneThreadBenchmark
{
    /** Shared configuration. */
    @State(Scope.Thread)
    public static class Config
    {
        /** Bytes per message. */
        @Param({"16", "64"})
        public int size;

        /** Messages written before they are read back. */
        @Param({"1", "16"})
        public int batch;

        /** Messages per invocation, a multiple of the batch. */
        @Param({"4096"})
        public int messages;

        /** Checks the parameters. */
        @Setup(Level.Trial)
        public void setUp()
        {
            if (size < 8 || batch < 1 || size * batch > 2048 || messages % batch != 0)
            {
                throw new IllegalArgumentException(
                    "need 8 <= size, size * batch <= 2048, batch dividing messages: size=" + size + " batch=" + batch);
            }
        }
    }

    /** The Java byte ring and private buffers. */
    @State(Scope.Thread)
    public static class JavaRing
    {
        /** Where the private source and destination buffers live. */
        @Param({"heap", "offheap"})
        public String buffers;

        /** {@code scalar} or {@code wide}: which moves pvring's copies use in this fork ({@link CopyMode}). */
        @Param({"scalar"})
        public String copies;

        SharedMemory memory;
        ByteRingWriter writer;
        ByteRingReader reader;
        UnsafeBuffer src;
        UnsafeBuffer dst;
        int size;
        int batch;
        int messages;
        long nextWrite;
        long nextRead;
        long errors;

        /**
         * Maps a console page, attaches both ends.
         *
         * @param config shared configuration.
         */
        @Setup(Level.Trial)
        public void setUp(final Config config)
        {
            CopyMode.check(copies);
            memory = SharedMemory.anonymous(SharedMemory.PAGE_SIZE);
            writer = ConsoleRing.guest(memory.buffer(), 0).writer();
            reader = ConsoleRing.backend(memory.buffer(), 0).reader();
            src = buffer(2048);
            src.setMemory(0, 2048, (byte)0x5a);
            dst = buffer(2048);
            size = config.size;
            batch = config.batch;
            messages = config.messages;
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

        /** Fails on a wrong sequence; unmaps. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            memory.close();
            if (errors != 0)
            {
                throw new IllegalStateException("byte ring: errors=" + errors);
            }
        }
    }

    /** The C twin. */
    @State(Scope.Thread)
    public static class CRing
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
            twin = CTwin.build("bytering_onethread.c");
            final MethodHandle open = twin.function("br1_open",
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            run = twin.function(
                "br1_run", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            close = twin.function("br1_close", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            messages = config.messages;
            context = (MemorySegment)open.invokeExact(config.size, config.batch);
            if (context.equals(MemorySegment.NULL))
            {
                throw new IllegalStateException("C twin refused the configuration");
            }
        }

        /**
         * Checks the C side's sequence numbers; unloads.
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
                throw new IllegalStateException("C byte ring: errors=" + errors);
            }
        }
    }

    /**
     * C: {@code messages} messages, one downcall.
     *
     * @param ring the twin.
     * @return its error count.
     * @throws Throwable if the downcall fails.
     */
    @Benchmark
    public long c(final CRing ring) throws Throwable
    {
        return (long)ring.run.invokeExact(ring.context, ring.messages);
    }

    /**
     * Java: {@code messages} messages.
     *
     * @param s the ring.
     * @return errors of this invocation.
     */
    @Benchmark
    public long java(final JavaRing s)
    {
        final ByteRingWriter writer = s.writer;
        final ByteRingReader reader = s.reader;
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
                errors += writer.write(src, 0, size) != size ? 1 : 0;
            }
            for (int k = 0; k < batch; k++)
            {
                errors += reader.read(dst, 0, size) != size ? 1 : 0;
                errors += dst.getLong(0) != nextRead++ ? 1 : 0;
            }
        }
        s.nextWrite = nextWrite;
        s.nextRead = nextRead;
        s.errors += errors;
        return errors;
    }
}
