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
import dev.pvring.core.SmallCopy;
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
 * One-thread cost of {@link SmallCopy#copy} out of shared memory into a private buffer (the {@code copyRequest}
 * copy on its own) beside C's {@code memcpy} of a run-time length ({@code bench/perf-kit/bytering_onethread.c},
 * {@code sc1_run}): {@code copies} copies of {@code length} bytes out of consecutive 128-byte slots of a 64 KiB
 * anonymous mapping, summing the first 8 bytes of each copy. Score per invocation (SampleTime); the report divides
 * by {@code messages}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class SmallCopyOneThreadBenchmark
{
    /** Shared configuration. */
    @State(Scope.Thread)
    public static class Config
    {
        /** Bytes per copy: netif_tx_request, a 64-byte request, blkif_request. */
        @Param({"12", "64", "112"})
        public int length;

        /** Copies per invocation. */
        @Param({"4096"})
        public int messages;
    }

    /** The Java side. */
    @State(Scope.Thread)
    public static class JavaCopy
    {
        /** Where the private destination lives. */
        @Param({"heap", "offheap"})
        public String buffers;

        /** {@code scalar} or {@code wide}: which moves pvring's copies use in this fork ({@link CopyMode}). */
        @Param({"scalar"})
        public String copies;

        SharedMemory memory;
        AtomicBuffer area;
        UnsafeBuffer dst;
        int length;
        int messages;
        int slot;

        /**
         * Maps and fills the area.
         *
         * @param config shared configuration.
         */
        @Setup(Level.Trial)
        public void setUp(final Config config)
        {
            CopyMode.check(copies);
            memory = SharedMemory.anonymous(65536);
            area = memory.buffer();
            for (int i = 0; i < 65536; i++)
            {
                area.putByte(i, (byte)(i * 7 + 1));
            }
            dst = "heap".equals(buffers) ? new UnsafeBuffer(new byte[256]) :
                new UnsafeBuffer(ByteBuffer.allocateDirect(256));
            length = config.length;
            messages = config.messages;
        }

        /** Unmaps. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            memory.close();
        }
    }

    /** The C twin. */
    @State(Scope.Thread)
    public static class CCopy
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
            final MethodHandle open = twin.function(
                "sc1_open", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            run = twin.function(
                "sc1_run", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            close = twin.function("sc1_close", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            messages = config.messages;
            context = (MemorySegment)open.invokeExact(config.length);
            if (context.equals(MemorySegment.NULL))
            {
                throw new IllegalStateException("C twin refused the configuration: length=" + config.length);
            }
        }

        /**
         * Unloads.
         *
         * @throws Throwable if a downcall fails.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws Throwable
        {
            close.invokeExact(context);
            twin.close();
        }
    }

    /**
     * C: {@code messages} copies, one downcall.
     *
     * @param copy the twin.
     * @return the checksum.
     * @throws Throwable if the downcall fails.
     */
    @Benchmark
    public long c(final CCopy copy) throws Throwable
    {
        return (long)copy.run.invokeExact(copy.context, copy.messages);
    }

    /**
     * Java: {@code messages} copies.
     *
     * @param s the Java side.
     * @return the checksum.
     */
    @Benchmark
    public long java(final JavaCopy s)
    {
        final AtomicBuffer area = s.area;
        final UnsafeBuffer dst = s.dst;
        final int length = s.length;
        final int messages = s.messages;
        int slot = s.slot;
        long sum = 0;
        for (int i = 0; i < messages; i++)
        {
            SmallCopy.copy(area, (slot & 511) * 128, dst, 0, length);
            sum += dst.getLong(0);
            slot++;
        }
        s.slot = slot;
        return sum;
    }
}
