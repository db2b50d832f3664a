/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Test-only coordination between a test and its child JVM: numbered long slots in a small shared file (what
 * xenstore would carry between real peers).
 */
final class Mailbox implements AutoCloseable
{
    static final int REF = 0;
    static final int REF_READ_ONLY = 1;
    static final int PORT = 2;
    static final int PEER_PORT = 3;
    static final int STEP = 4;
    static final int CHILD_STEP = 5;
    static final int RESULT = 6;
    static final int RESULT2 = 7;
    static final int CPU_NANOS = 8;
    static final int COUNT = 9;
    static final int BACK_REF = 10;

    private final SharedMemory memory;
    private final AtomicBuffer buffer;

    Mailbox(final Path directory)
    {
        memory = SharedMemory.createOrOpen(directory.resolve("mailbox"), 4096);
        buffer = memory.buffer();
    }

    void put(final int slot, final long value)
    {
        buffer.putLongVolatile(slot * 8, value);
    }

    long get(final int slot)
    {
        return buffer.getLongVolatile(slot * 8);
    }

    /**
     * Waits until a slot holds at least {@code value}.
     */
    long awaitAtLeast(final int slot, final long value)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long current;
        while ((current = get(slot)) < value)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("mailbox slot " + slot + " stayed at " + current + ", expected >= " + value);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return current;
    }

    @Override
    public void close()
    {
        memory.close();
    }
}
