/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.Pvring;
import dev.pvring.core.SharedMemory;
import dev.pvring.xen.ring.BackRing;
import dev.pvring.xen.ring.FrontRing;
import dev.pvring.xen.ring.SharedRingDescriptor;
import dev.pvring.xen.ring.XenstoreRingDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code pvring inspect} on a ring two threads drive flat out never calls it corrupt, still calls a corrupt one
 * corrupt, and prints u32 fields unsigned.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class InspectLiveRingTest
{
    private static final int START = 0xFFFF_FF00;
    private final Path file = Path.of("/dev/shm", "pvring-i9-inspect-" + UUID.randomUUID() + ".ring");

    @AfterEach
    void tearDown() throws Exception
    {
        Files.deleteIfExists(file);
    }

    @Test
    void shouldNeverCallAHealthyLiveRingCorrupt() throws Exception
    {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong pairs = new AtomicLong();
        try (SharedMemory memory = SharedMemory.create(file, 4096))
        {
            final AtomicBuffer buffer = memory.buffer();
            final FrontRing front = FrontRing.init(buffer, 0, 4096, 64, START);
            final BackRing back = BackRing.attach(buffer, 0, 4096, 64);
            final Thread frontThread = new Thread(() -> driveFront(front, buffer, running, pairs), "front");
            final Thread backThread = new Thread(() -> driveBack(back, buffer, running), "back");
            frontThread.start();
            backThread.start();
            final StringWriter err = new StringWriter();
            long movedWhileInspected = 0;
            int runs = 0;
            try
            {
                // the drivers first warm up, so the inspections race a ring that moves at full speed
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (pairs.get() < 10_000 && System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                // on a loaded 2-vCPU machine one inspection may see little progress: inspect again until the
                // ring has moved enough while being inspected (a scheduler-dependent figure, not a timing claim)
                while (movedWhileInspected <= 10_000 && System.nanoTime() < deadline)
                {
                    final long before = pairs.get();
                    final int status = Pvring.execute(new PrintWriter(Writer.nullWriter()),
                        new PrintWriter(err, true), "inspect", file.toString(), "--entry-size", "64", "--watch",
                        "--interval", "0", "--iterations", "100000");
                    movedWhileInspected += pairs.get() - before;
                    runs++;
                    assertThat(status).as("inspection %d: %s", runs, err).isEqualTo(ExitCodes.OK);
                }
            }
            finally
            {
                running.set(false);
                frontThread.join();
                backThread.join();
            }
            assertThat(movedWhileInspected).as("the ring moved while inspected (%d inspections)", runs)
                .isGreaterThan(10_000);
            assertThat(err.toString()).as("false alarms on a healthy ring").isEmpty();
        }
    }

    @Test
    void shouldStillCallACorruptRingCorruptAndPrintIndicesUnsigned() throws Exception
    {
        try (SharedMemory memory = SharedMemory.create(file, 4096))
        {
            FrontRing.init(memory.buffer(), 0, 4096, 64, START);
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            assertThat(Pvring.execute(new PrintWriter(out, true), new PrintWriter(err, true), "inspect",
                file.toString(), "--entry-size", "64")).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).contains("req_prod=4294967040 req_event=4294967041  rsp_prod=4294967040 " +
                "rsp_event=4294967041");

            // responses the front end never asked for
            memory.buffer().putIntRelease(8, START + 5);
            err.getBuffer().setLength(0);
            assertThat(Pvring.execute(new PrintWriter(Writer.nullWriter()), new PrintWriter(err, true), "inspect",
                file.toString(), "--entry-size", "64")).isEqualTo(ExitCodes.PEER);
            assertThat(err.toString()).isEqualTo("not a ring (or a corrupt one): rsp_prod=4294967045 is ahead of " +
                "req_prod=4294967040 (more responses than requests)\n");

            // more requests than the ring holds
            memory.buffer().putIntRelease(0, START + 40);
            memory.buffer().putIntRelease(8, START);
            err.getBuffer().setLength(0);
            assertThat(Pvring.execute(new PrintWriter(Writer.nullWriter()), new PrintWriter(err, true), "inspect",
                file.toString(), "--entry-size", "64")).isEqualTo(ExitCodes.PEER);
            assertThat(err.toString()).isEqualTo("not a ring (or a corrupt one): req_prod=4294967080 is 40 ahead of " +
                "rsp_prod=4294967040, more than the ring holds (size=32)\n");
        }
    }

    @Test
    void shouldPrintXenstoreWordsUnsigned() throws Exception
    {
        try (SharedMemory memory = SharedMemory.create(file, 4096))
        {
            final AtomicBuffer buffer = memory.buffer();
            buffer.putInt(XenstoreRingDescriptor.REQ_PROD_OFFSET, 0xFFFF_FFF0);
            buffer.putInt(XenstoreRingDescriptor.REQ_CONS_OFFSET, 0xFFFF_FFE0);
            buffer.putInt(XenstoreRingDescriptor.RSP_PROD_OFFSET, 0x8000_0000);
            buffer.putInt(XenstoreRingDescriptor.RSP_CONS_OFFSET, 0x8000_0000);
            buffer.putInt(XenstoreRingDescriptor.CONNECTION_OFFSET, 0xFFFF_FFFF);
            buffer.putInt(XenstoreRingDescriptor.ERROR_OFFSET, 0x8000_0001);
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            assertThat(Pvring.execute(new PrintWriter(out, true), new PrintWriter(err, true), "inspect",
                file.toString(), "--layout", "xenstore")).as(err.toString()).isEqualTo(ExitCodes.OK);
            assertThat(out.toString())
                .contains("req (guest->xenstored): prod=4294967280 cons=4294967264 pending=16 of 1024")
                .contains("rsp (xenstored->guest): prod=2147483648 cons=2147483648 pending=0 of 1024")
                .contains("connection=4294967295 error=2147483649")
                .doesNotContain("=-");
        }
    }

    @Test
    void shouldReadIndicesInAnOrderNoInterleavingCanFool()
    {
        // the peers make arbitrary legal progress between any two index reads: the worst case of a live ring
        final RacingRing sring = new RacingRing(32, new int[] {SharedRingDescriptor.REQ_PROD_OFFSET},
            new int[] {SharedRingDescriptor.RSP_PROD_OFFSET}, 42);
        final RacingRing xenstore = new RacingRing(XenstoreRingDescriptor.RING_SIZE,
            new int[] {XenstoreRingDescriptor.REQ_PROD_OFFSET, XenstoreRingDescriptor.RSP_PROD_OFFSET},
            new int[] {XenstoreRingDescriptor.REQ_CONS_OFFSET, XenstoreRingDescriptor.RSP_CONS_OFFSET}, 43);
        for (int i = 0; i < 100_000; i++)
        {
            assertThat(InspectCommand.Snapshot.take(sring, 0, RingLayout.SRING).problem(RingLayout.SRING, 32))
                .as("snapshot %d", i).isNull();
            assertThat(InspectCommand.Snapshot.take(xenstore, 0, RingLayout.XENSTORE)
                .problem(RingLayout.XENSTORE, 0)).as("snapshot %d", i).isNull();
        }
        assertThat(Integer.toUnsignedLong(sring.getInt(SharedRingDescriptor.RSP_PROD_OFFSET) - START))
            .as("the ring moved").isGreaterThan(100_000);
    }

    /**
     * A ring (a page of index words) whose producers and consumers each make random legal progress just before
     * every acquire read of an index: producers add at most the free space, consumers take at most what is
     * pending, in a random order.
     */
    private static final class RacingRing extends UnsafeBuffer
    {
        private final int size;
        private final int[] prods;
        private final int[] conss;
        private final Random random;

        RacingRing(final int size, final int[] prods, final int[] conss, final long seed)
        {
            super(new byte[4096]);
            this.size = size;
            this.prods = prods;
            this.conss = conss;
            this.random = new Random(seed);
            for (int i = 0; i < prods.length; i++)
            {
                putInt(prods[i], START);
                putInt(conss[i], START);
            }
            if (prods.length == 1)
            {
                putInt(SharedRingDescriptor.REQ_EVENT_OFFSET, START + 1);
                putInt(SharedRingDescriptor.RSP_EVENT_OFFSET, START + 1);
            }
        }

        @Override
        public int getIntAcquire(final int index)
        {
            for (int i = 0; i < prods.length; i++)
            {
                if (random.nextBoolean())
                {
                    produce(i);
                    consume(i);
                }
                else
                {
                    consume(i);
                    produce(i);
                }
            }
            return super.getIntAcquire(index);
        }

        private void produce(final int i)
        {
            final int prod = getInt(prods[i]);
            putInt(prods[i], prod + random.nextInt(size - (prod - getInt(conss[i])) + 1));
        }

        private void consume(final int i)
        {
            final int cons = getInt(conss[i]);
            putInt(conss[i], cons + random.nextInt(getInt(prods[i]) - cons + 1));
        }
    }

    private static void driveFront(
        final FrontRing front, final AtomicBuffer buffer, final AtomicBoolean running, final AtomicLong pairs)
    {
        final UnsafeBuffer response = new UnsafeBuffer(new byte[64]);
        long sent = 0;
        while (running.get())
        {
            int slot;
            while ((slot = front.claimRequest()) >= 0)
            {
                buffer.putLong(slot, sent++, ByteOrder.LITTLE_ENDIAN);
            }
            front.pushRequestsAndCheckNotify();
            final int available = front.unconsumedResponses();
            for (int i = 0; i < available; i++)
            {
                front.copyResponse(response, 0, 64);
            }
            pairs.addAndGet(available);
        }
    }

    private static void driveBack(final BackRing back, final AtomicBuffer buffer, final AtomicBoolean running)
    {
        final UnsafeBuffer request = new UnsafeBuffer(new byte[64]);
        while (running.get())
        {
            final int available = back.unconsumedRequests();
            for (int i = 0; i < available; i++)
            {
                back.copyRequest(request, 0, 64);
                buffer.putBytes(back.claimResponse(), request, 0, 64);
                if ((i & 3) == 3)
                {
                    back.pushResponsesAndCheckNotify();
                }
            }
            back.pushResponsesAndCheckNotify();
        }
    }
}
