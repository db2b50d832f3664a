/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.stress.shmstream;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.nio.ByteBuffer;

import dev.pvring.core.FutexEvent;
import dev.pvring.shmstream.ReadResult;
import dev.pvring.shmstream.ShmStreamDescriptor;
import dev.pvring.shmstream.ShmStreamReader;
import dev.pvring.shmstream.ShmStreamWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Memory-ordering proofs of the SHMStream v2 writer and reader: the seqlock-style copy never yields a torn
 * element as Success, a writer restart is never missed, and queue/flush never loses a reader's wake-up.
 * Result ordinals: 0 Inactive, 1 Incompatible_Interface, 2 Epoch_Changed, 3 No_Data, 4 Overrun_Detected,
 * 5 Success.
 */
public final class ShmStreamStressTests
{
    static final long PROTOCOL = 0x57_7e55L;
    static final int ELEMENT = 64;
    static final int LONGS = ELEMENT / 8;

    private ShmStreamStressTests()
    {
    }

    static UnsafeBuffer region(final int elements)
    {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(ShmStreamDescriptor.HEADER_LENGTH + elements * ELEMENT));
    }

    static UnsafeBuffer element(final long value)
    {
        final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT]);
        for (int i = 0; i < LONGS; i++)
        {
            element.putLong(i * 8, value);
        }
        return element;
    }

    static void readFirstAndLastWord(final ShmStreamReader reader, final UnsafeBuffer copy, final III_Result r)
    {
        final ReadResult result = reader.read(copy, 0);
        r.r1 = result.ordinal();
        r.r2 = result == ReadResult.SUCCESS ? (int)copy.getLong(0) : -1;
        r.r3 = result == ReadResult.SUCCESS ? (int)copy.getLong(ELEMENT - 8) : -1;
    }

    /**
     * A one-slot ring holding element 1 (all words 1); the writer overwrites the slot with element 2 (all words 2)
     * while the reader copies it. The reader may return either element whole, or an overrun; never a mix.
     */
    @JCStressTest
    @Description("A reader never returns Success with a torn element while the writer overwrites its slot.")
    @Outcome(id = "5, 1, 1", expect = ACCEPTABLE, desc = "read the old element before the overwrite began")
    @Outcome(id = "4, -1, -1", expect = ACCEPTABLE_INTERESTING, desc = "overwrite detected (WC or WSC ahead)")
    @Outcome(id = "5, 2, 2", expect = FORBIDDEN, desc = "success at RC 0 with element 2: index confusion")
    @Outcome(expect = FORBIDDEN, desc = "a torn element returned as Success, or an impossible result")
    @State
    public static class TornElement
    {
        final UnsafeBuffer region = region(1);
        final ShmStreamWriter writer = new ShmStreamWriter(region);
        final ShmStreamReader reader = new ShmStreamReader(region, PROTOCOL, ELEMENT);
        final UnsafeBuffer first = element(1);
        final UnsafeBuffer second = element(2);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[ELEMENT]);

        /** Initializes the channel and writes element 1. */
        public TornElement()
        {
            writer.initialize(PROTOCOL, ELEMENT, 1);
            writer.queue(first, 0, ELEMENT);
        }

        /** The writer overwrites the only slot. */
        @Actor
        public void writer()
        {
            writer.queue(second, 0, ELEMENT);
        }

        /**
         * The reader copies the slot.
         *
         * @param r result ordinal, first and last word of the element on Success (else -1).
         */
        @Actor
        public void reader(final III_Result r)
        {
            readFirstAndLastWord(reader, copy, r);
        }
    }

    /**
     * Two slots holding elements 1 and 2; the writer claims slot 0 again and fills it in place with element 3 while
     * the reader, at RC 0, copies slot 0. The reader must never accept slot 0 once element 3 started.
     */
    @JCStressTest
    @Description("Success only with an untorn element while the writer laps the reader in a two-slot ring.")
    @Outcome(id = "5, 1, 1", expect = ACCEPTABLE, desc = "old element 0, read before the overwrite began")
    @Outcome(id = "4, -1, -1", expect = ACCEPTABLE_INTERESTING, desc = "overwrite detected")
    @Outcome(expect = FORBIDDEN, desc = "a torn or wrong element returned as Success")
    @State
    public static class TornElementTwoSlots
    {
        final UnsafeBuffer region = region(2);
        final ShmStreamWriter writer = new ShmStreamWriter(region);
        final ShmStreamReader reader = new ShmStreamReader(region, PROTOCOL, ELEMENT);
        final UnsafeBuffer third = element(3);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[ELEMENT]);

        /** Initializes the channel and writes elements 1 and 2. */
        public TornElementTwoSlots()
        {
            writer.initialize(PROTOCOL, ELEMENT, 1);
            writer.queue(element(1), 0, ELEMENT);
            writer.queue(element(2), 0, ELEMENT);
        }

        /** The writer claims slot 0 again and fills it in place, word by word. */
        @Actor
        public void writer()
        {
            final int slot = writer.claim();
            for (int i = 0; i < LONGS; i++)
            {
                writer.buffer().putLong(slot + i * 8, 3);
            }
            writer.commit();
        }

        /**
         * The reader reads element 0.
         *
         * @param r result ordinal, first and last word on Success (else -1).
         */
        @Actor
        public void reader(final III_Result r)
        {
            readFirstAndLastWord(reader, copy, r);
        }
    }

    /**
     * The reader follows epoch 1 and has read its only element. The writer restarts with epoch 2 and writes one
     * element. The reader's read during the restart and its read afterwards (arbiter) together must report the
     * restart exactly once (Epoch_Changed or Inactive) before any data of epoch 2, and never deliver data of a
     * mixed state.
     */
    @JCStressTest
    @Description("A writer restart (new epoch) is never missed by a reader.")
    @Outcome(id = "3, 2, -1", expect = ACCEPTABLE, desc = "no data yet; the next read reports the new epoch")
    @Outcome(id = "2, 5, 7", expect = ACCEPTABLE, desc = "new epoch reported; next read gets its element")
    @Outcome(id = "0, 5, 7", expect = ACCEPTABLE_INTERESTING, desc = "saw the restart as inactive (epoch 0)")
    @Outcome(expect = FORBIDDEN, desc = "restart missed, or data across epochs")
    @State
    public static class EpochChange
    {
        final UnsafeBuffer region = region(4);
        final ShmStreamWriter writer = new ShmStreamWriter(region);
        final ShmStreamReader reader = new ShmStreamReader(region, PROTOCOL, ELEMENT);
        final UnsafeBuffer next = element(7);
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[ELEMENT]);
        int first;

        /** Epoch 1 with one element, already read. */
        public EpochChange()
        {
            writer.initialize(PROTOCOL, ELEMENT, 1);
            writer.queue(element(5), 0, ELEMENT);
            if (reader.read(copy, 0) != ReadResult.SUCCESS)
            {
                throw new IllegalStateException("setup: " + reader);
            }
        }

        /** The writer restarts with epoch 2 and writes element 7. */
        @Actor
        public void writer()
        {
            writer.initialize(PROTOCOL, ELEMENT, 2);
            writer.queue(next, 0, ELEMENT);
        }

        /** The reader reads during the restart. */
        @Actor
        public void reader()
        {
            first = reader.read(copy, 0).ordinal();
        }

        /**
         * The reader reads again once both are done.
         *
         * @param r first result, second result, second element's first word (or -1).
         */
        @Arbiter
        public void arbiter(final III_Result r)
        {
            final ReadResult second = reader.read(copy, 0);
            r.r1 = first;
            r.r2 = second.ordinal();
            r.r3 = second == ReadResult.SUCCESS ? (int)copy.getLong(0) : -1;
        }
    }

    /**
     * The writer queues an element and flushes (one futex-event notification); the reader takes an event token and
     * then checks for data, as a blocking reader does before it sleeps. If it finds none, the event must have moved
     * past its token, so its sleep returns at once.
     */
    @JCStressTest
    @Description("queue/flush never loses the wake-up of a reader that checks, then sleeps on the event.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "data seen before sleeping")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "data seen; the notification also arrived")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "no data yet, but the sleep returns at once")
    @Outcome(expect = FORBIDDEN, desc = "lost wake-up: no data seen and the event still at the token")
    @State
    public static class QueueFlushWakeUp
    {
        final UnsafeBuffer region = region(4);
        final UnsafeBuffer eventWords = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        final FutexEvent writerEvent = new FutexEvent(eventWords, 0);
        final FutexEvent readerEvent = new FutexEvent(eventWords, 0);
        final ShmStreamWriter writer = new ShmStreamWriter(region, writerEvent);
        final ShmStreamReader reader = new ShmStreamReader(region, PROTOCOL, ELEMENT);
        final UnsafeBuffer data = element(9);
        int token;
        int pending;

        /** An initialized channel the reader has joined. */
        public QueueFlushWakeUp()
        {
            writer.initialize(PROTOCOL, ELEMENT, 1);
            if (reader.read(new UnsafeBuffer(new byte[ELEMENT]), 0) != ReadResult.NO_DATA)
            {
                throw new IllegalStateException("setup: " + reader);
            }
        }

        /** Queue one element, then flush. */
        @Actor
        public void writer()
        {
            writer.queue(data, 0, ELEMENT);
            writer.flush();
        }

        /** Token first, then the check for data. */
        @Actor
        public void reader()
        {
            token = readerEvent.prepareWait();
            pending = reader.hasPendingData() ? 1 : 0;
        }

        /**
         * Whether a sleep on the token would return at once.
         *
         * @param r data seen, event moved past the token.
         */
        @Arbiter
        public void arbiter(final II_Result r)
        {
            r.r1 = pending;
            r.r2 = readerEvent.sequenceAcquire() != token ? 1 : 0;
        }
    }
}
