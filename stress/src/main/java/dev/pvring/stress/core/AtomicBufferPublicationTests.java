/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.stress.core;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Release/acquire publication through an Agrona {@link AtomicBuffer} over {@link dev.pvring.core.SharedMemory},
 * the way every pvring ring publishes: data with plain stores, then the index with {@code putIntRelease}; the
 * reader loads the index with {@code getIntAcquire}, then the data with plain loads. The index and the data sit
 * on different cache lines, as in a ring.
 * <p>
 * JMM rule: release/acquire access modes (JDK 9 memory order modes, {@link java.lang.invoke.VarHandle}
 * {@code setRelease}/{@code getAcquire}, which Agrona's {@code putIntRelease}/{@code getIntAcquire} use): every
 * access before a release store is ordered before it, every access after an acquire load is ordered after it,
 * and an acquire load that reads the value of a release store sees everything written before that store. The
 * plain data load after the acquire must therefore see the data once the index is seen.
 * <p>
 * Result: {@code r1} index seen, {@code r2} data read.
 */
public final class AtomicBufferPublicationTests
{
    private static final int INDEX_OFFSET = 0;
    private static final int DATA_OFFSET = SlotPool.SECOND_LINE_OFFSET;
    private static final int DATA = 0x2A;

    private AtomicBufferPublicationTests()
    {
    }

    /**
     * Writer and reader use the same mapping (threads of one process).
     */
    @JCStressTest
    @Description("AtomicBuffer over SharedMemory: putIntRelease index publishes plain data to getIntAcquire")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Nothing published yet.")
    @Outcome(id = "0, 42", expect = ACCEPTABLE, desc = "Data visible early, index not yet: allowed.")
    @Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "Index and data visible.")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "Index seen but stale data.")
    @Outcome(expect = FORBIDDEN, desc = "Impossible value.")
    @State
    public static class ReleaseAcquire
    {
        private static final SlotPool POOL = SlotPool.anonymous();

        private final AtomicBuffer buffer = POOL.writerView();
        private final int slot = POOL.claim();

        /**
         * Data (plain), then index (release).
         */
        @Actor
        public void writer()
        {
            buffer.putInt(slot + DATA_OFFSET, DATA);
            buffer.putIntRelease(slot + INDEX_OFFSET, 1);
        }

        /**
         * Index (acquire), then data (plain).
         *
         * @param r index and data.
         */
        @Actor
        public void reader(final II_Result r)
        {
            r.r1 = buffer.getIntAcquire(slot + INDEX_OFFSET);
            r.r2 = buffer.getInt(slot + DATA_OFFSET);
        }
    }

    /**
     * Writer and reader use two mappings of one {@code /dev/shm} file at different virtual addresses, as two
     * processes do; neither the JIT nor the CPU may treat the two views as unrelated memory.
     */
    @JCStressTest
    @Description("AtomicBuffer over two mappings of one file: release/acquire publication across the aliases")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Nothing published yet.")
    @Outcome(id = "0, 42", expect = ACCEPTABLE, desc = "Data visible early, index not yet: allowed.")
    @Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "Index and data visible.")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "Index seen but stale data.")
    @Outcome(expect = FORBIDDEN, desc = "Impossible value.")
    @State
    public static class ReleaseAcquireAcrossMappings
    {
        private static final SlotPool POOL = SlotPool.aliased();

        private final AtomicBuffer writerView = POOL.writerView();
        private final AtomicBuffer readerView = POOL.readerView();
        private final int slot = POOL.claim();

        /**
         * Data (plain), then index (release), through the writer's mapping.
         */
        @Actor
        public void writer()
        {
            writerView.putInt(slot + DATA_OFFSET, DATA);
            writerView.putIntRelease(slot + INDEX_OFFSET, 1);
        }

        /**
         * Index (acquire), then data (plain), through the reader's mapping.
         *
         * @param r index and data.
         */
        @Actor
        public void reader(final II_Result r)
        {
            r.r1 = readerView.getIntAcquire(slot + INDEX_OFFSET);
            r.r2 = readerView.getInt(slot + DATA_OFFSET);
        }
    }
}
