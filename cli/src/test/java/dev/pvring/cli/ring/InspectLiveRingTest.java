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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.Pvring;
import dev.pvring.core.SharedMemory;
import dev.pvring.xen.ring.BackRing;
import dev.pvring.xen.ring.FrontRing;
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
            final int status;
            final long before = pairs.get();
            try
            {
                status = Pvring.execute(new PrintWriter(Writer.nullWriter()), new PrintWriter(err, true), "inspect",
                    file.toString(), "--entry-size", "64", "--watch", "--interval", "0", "--iterations", "100000");
            }
            finally
            {
                running.set(false);
                frontThread.join();
                backThread.join();
            }
            assertThat(pairs.get() - before).as("the ring moved while inspected").isGreaterThan(10_000);
            assertThat(status).isEqualTo(ExitCodes.OK);
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
