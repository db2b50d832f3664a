/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * T19: a hostile writer (random header values, zero elements, huge sizes, {@code Size * Elements} beyond the region
 * or wrapping, epoch flips mid-read, WSC jumps of 2^63, WC below RC, muen-net lengths beyond 1514) never makes a
 * reader throw, loop or touch memory outside the region or its destination.
 * <p>
 * Out-of-bounds accesses are caught by Agrona's bounds checks: the region view is exactly the channel (not a page
 * multiple) and each destination exactly the largest element, so one byte too far throws and fails the test.
 * <p>
 * The mutation count defaults to {@value #DEFAULT_MUTATIONS} for CI. The full run ({@code >= 1e7}):
 * {@code mvn -B -pl shmstream -am verify -Dtest=ShmStreamFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dpvring.test.jvm.args=-Dpvring.fuzz.iterations=10000000}.
 */
class ShmStreamFuzzTest
{
    static final String ITERATIONS_PROPERTY = "pvring.fuzz.iterations";
    static final long DEFAULT_MUTATIONS = 1_000_000;
    static final long PROTOCOL = NetMessageDescriptor.PROTOCOL;
    static final int MAX_ELEMENT = NetMessageDescriptor.ELEMENT_LENGTH;
    /** Four 1516-byte elements plus a ragged tail: not a page multiple, so bounds checks sit right at its end. */
    static final int REGION = ShmStreamDescriptor.HEADER_LENGTH + 4 * MAX_ELEMENT + 13;
    static final int[] FIELDS = {
        ShmStreamDescriptor.TRANSPORT_OFFSET, ShmStreamDescriptor.EPOCH_OFFSET, ShmStreamDescriptor.PROTOCOL_OFFSET,
        ShmStreamDescriptor.SIZE_OFFSET, ShmStreamDescriptor.ELEMENTS_OFFSET, ShmStreamDescriptor.RESERVED_OFFSET,
        ShmStreamDescriptor.WSC_OFFSET, ShmStreamDescriptor.WC_OFFSET,
    };
    static final long[] INTERESTING = {
        0, 1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 1514, 1515, 1516, 1517, 3032, REGION, REGION - 64, REGION + 1,
        Integer.MAX_VALUE, 1L << 31, 1L << 32, (1L << 32) + 1, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE + 1, -1L, -2L, ShmStreamDescriptor.TRANSPORT_MARKER, PROTOCOL,
    };

    static long mutations()
    {
        return Long.getLong(ITERATIONS_PROPERTY, DEFAULT_MUTATIONS);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void shouldSurviveHostileMutationsWithAConcurrentReader() throws Exception
    {
        assertThat(UnsafeBuffer.SHOULD_BOUNDS_CHECK).as("bounds checks detect out-of-bounds reads").isTrue();
        final long mutations = mutations();
        try (SharedMemory memory = SharedMemory.anonymous(2 * SharedMemory.PAGE_SIZE))
        {
            final AtomicBuffer region = new UnsafeBuffer(memory.buffer(), 0, REGION);
            final AtomicBoolean done = new AtomicBoolean();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final ReaderLoop plain = new ReaderLoop(region, done, failure, false);
            final ReaderLoop net = new ReaderLoop(region, done, failure, true);
            final List<Thread> readers = new ArrayList<>();
            for (final ReaderLoop loop : new ReaderLoop[] {plain, net})
            {
                final Thread t = new Thread(loop, "fuzz-reader-" + (loop == plain ? "plain" : "net"));
                t.setUncaughtExceptionHandler((thread, ex) -> failure.compareAndSet(null, ex));
                readers.add(t);
                t.start();
            }

            final long start = System.nanoTime();
            final HostileWriter hostile = new HostileWriter(region, new SplittableRandom(0x5EED));
            for (long i = 0; i < mutations && failure.get() == null; i++)
            {
                hostile.mutate();
            }
            done.set(true);
            for (final Thread t : readers)
            {
                t.join(TimeUnit.MINUTES.toMillis(1));
                assertThat(t.isAlive()).as("%s stuck", t.getName()).isFalse();
            }
            final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("fuzz: %,d mutations in %,d ms; plain reader %s; muen-net reader %s%n",
                mutations, millis, plain.summary(), net.summary());

            assertThat(failure.get()).as("no exception escapes a reader").isNull();
            assertThat(plain.calls).isPositive();
            assertThat(net.calls).isPositive();
            final long successes = plain.counts.getOrDefault(ReadResult.SUCCESS, 0L) +
                net.counts.getOrDefault(ReadResult.SUCCESS, 0L);
            assertThat(successes).as("the valid writes in the mix get through").isPositive();
        }
    }

    @Test
    void shouldReachEveryResultCodeUnderSeededInterleavedMutations()
    {
        final long mutations = Math.max(100_000, mutations() / 10);
        try (SharedMemory memory = SharedMemory.anonymous(2 * SharedMemory.PAGE_SIZE))
        {
            final AtomicBuffer region = new UnsafeBuffer(memory.buffer(), 0, REGION);
            final HostileWriter hostile = new HostileWriter(region, new SplittableRandom(42));
            final ReaderLoop plain = new ReaderLoop(region, null, null, false);
            final ReaderLoop net = new ReaderLoop(region, null, null, true);
            for (long i = 0; i < mutations; i++)
            {
                hostile.mutate();
                plain.step(i);
                net.step(i);
            }
            assertThat(plain.counts.keySet()).containsExactlyInAnyOrder(ReadResult.values());
            assertThat(net.counts.keySet()).containsExactlyInAnyOrder(ReadResult.values());
            assertThat(net.link.malformedFrames()).isPositive();
            assertThat(plain.reader.protocolErrors()).isPositive();
            assertThat(plain.reader.overruns()).isPositive();
        }
    }

    /**
     * Writes random and boundary values into the header and data, mixed with valid initializations and writes so
     * the readers also reach the copy and overrun paths.
     */
    static final class HostileWriter
    {
        private final AtomicBuffer region;
        private final SplittableRandom random;
        private final ShmStreamWriter valid;
        private final UnsafeBuffer element = new UnsafeBuffer(new byte[MAX_ELEMENT]);
        private long epoch = 1;

        HostileWriter(final AtomicBuffer region, final SplittableRandom random)
        {
            this.region = region;
            this.random = random;
            this.valid = new ShmStreamWriter(region);
        }

        void mutate()
        {
            final int op = random.nextInt(100);
            if (op < 30)
            {
                region.putLongVolatile(FIELDS[random.nextInt(FIELDS.length)], value());
            }
            else if (op < 35)
            {
                // Epoch flips, also between a valid epoch and others.
                region.putLongVolatile(ShmStreamDescriptor.EPOCH_OFFSET, random.nextBoolean() ? ++epoch : value());
            }
            else if (op < 40)
            {
                // WSC jumps by 2^63, WC below RC.
                final int field = random.nextBoolean() ? ShmStreamDescriptor.WSC_OFFSET : ShmStreamDescriptor.WC_OFFSET;
                region.putLongVolatile(field, region.getLongVolatile(field) + (random.nextBoolean() ? Long.MIN_VALUE :
                    -random.nextInt(1, 10)));
            }
            else if (op < 50)
            {
                // Random data, including muen-net length fields anywhere.
                final int offset = ShmStreamDescriptor.HEADER_LENGTH + random.nextInt(REGION - 64 - 2);
                region.putShort(offset, (short)random.nextInt(65536));
            }
            else if (op < 53)
            {
                valid.initialize(PROTOCOL, random.nextBoolean() ? MAX_ELEMENT : random.nextInt(2, MAX_ELEMENT + 1),
                    ++epoch);
            }
            else
            {
                validLookingWrite();
            }
        }

        /** The writer's steps on whatever header is there now (no private state, like the C writer). */
        private void validLookingWrite()
        {
            final long wc = region.getLongVolatile(ShmStreamDescriptor.WC_OFFSET);
            final long elements = region.getLongVolatile(ShmStreamDescriptor.ELEMENTS_OFFSET);
            final long size = region.getLongVolatile(ShmStreamDescriptor.SIZE_OFFSET);
            region.putLongVolatile(ShmStreamDescriptor.WSC_OFFSET, wc + 1);
            if (ShmStreamDescriptor.isValidGeometry(size, elements, MAX_ELEMENT, REGION))
            {
                final int slot = ShmStreamDescriptor.elementOffset(wc, elements, (int)size);
                final int length = random.nextInt(1, (int)Math.max(2, size - 1));
                if (size >= 2)
                {
                    element.putShort((int)size - 2, (short)length, java.nio.ByteOrder.LITTLE_ENDIAN);
                }
                region.putBytes(slot, element, 0, (int)size);
            }
            region.putLongVolatile(ShmStreamDescriptor.WC_OFFSET, wc + 1);
        }

        private long value()
        {
            return random.nextInt(4) == 0 ? random.nextLong() : INTERESTING[random.nextInt(INTERESTING.length)];
        }
    }

    /**
     * A reader (plain or muen-net) that checks its invariants after every call and counts results.
     */
    static final class ReaderLoop implements Runnable
    {
        final Map<ReadResult, Long> counts = new EnumMap<>(ReadResult.class);
        final ShmStreamReader reader;
        final MuenNetLink link;
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[MAX_ELEMENT]);
        private final AtomicBoolean done;
        private final AtomicReference<Throwable> failure;
        private final boolean muenNet;
        long calls;
        long maxCallNanos;

        ReaderLoop(
            final AtomicBuffer region, final AtomicBoolean done, final AtomicReference<Throwable> failure,
            final boolean muenNet)
        {
            this.done = done;
            this.failure = failure;
            this.muenNet = muenNet;
            if (muenNet)
            {
                final UnsafeBuffer unusedOut = new UnsafeBuffer(new byte[REGION]);
                this.link = new MuenNetLink(unusedOut, null, region);
                this.reader = link.reader();
            }
            else
            {
                this.link = null;
                this.reader = new ShmStreamReader(region, PROTOCOL, MAX_ELEMENT);
            }
        }

        @Override
        public void run()
        {
            try
            {
                long i = 0;
                while (!done.get())
                {
                    final long start = System.nanoTime();
                    step(i++);
                    maxCallNanos = Math.max(maxCallNanos, System.nanoTime() - start);
                }
            }
            catch (final Throwable t)
            {
                failure.compareAndSet(null, t);
            }
        }

        void step(final long i)
        {
            calls++;
            final ReadResult result = muenNet ? link.receive(dst, 0) : reader.read(dst, 0);
            counts.merge(result, 1L, Long::sum);
            if (result == ReadResult.SUCCESS)
            {
                final int size = reader.elementSize();
                final long elements = reader.elements();
                if (size < 1 || size > MAX_ELEMENT || elements < 1 ||
                    Long.compareUnsigned(elements, (REGION - 64) / size) > 0)
                {
                    throw new AssertionError("success with invalid geometry: " + reader);
                }
                if (muenNet &&
                    (link.frameLength() < NetMessageDescriptor.MIN_FRAME_LENGTH || link.frameLength() > size - 2))
                {
                    throw new AssertionError("frame length outside the element: " + link.frameLength());
                }
            }
            reader.hasPendingData();
            if ((i & 0xFFF) == 0x7FF)
            {
                reader.drain();
            }
            else if ((i & 0xFFF) == 0xFFF)
            {
                reader.reset();
            }
        }

        String summary()
        {
            return "calls=" + calls + " maxCallMicros=" + TimeUnit.NANOSECONDS.toMicros(maxCallNanos) + " " + counts +
                (link != null ? " malformed=" + link.malformedFrames() : "");
        }
    }
}
