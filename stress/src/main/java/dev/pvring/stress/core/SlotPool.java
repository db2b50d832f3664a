/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.stress.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Zeroed 128-byte slots of shared memory for jcstress states. jcstress allocates thousands of states per epoch
 * (stride size x stride count, 10240 by default) and re-creates them between epochs; mapping a page per state
 * would be far too slow, so each test class maps one region once and hands its slots out round robin. A slot
 * is reused only after {@link #SLOTS} newer states were created, long after the epoch that used it ended
 * (jcstress keeps at most two epochs of states alive), and the constructor of the new state zeroes it.
 * <p>
 * A pool is either one anonymous mapping, or one {@code /dev/shm} file mapped twice ({@link #aliased()}): the
 * writer's and the reader's views then have different virtual addresses for the same physical memory, as two
 * processes would. The views are checked for 8-byte alignment ({@link AtomicBuffer#verifyAlignment()}, strict
 * with {@code -Dagrona.strict.alignment.checks=true}).
 * <p>
 * Use one pool per test class, in a {@code static final} field of the {@code @State} class, and claim a slot in
 * a field initializer: {@code private final int slot = POOL.claim();}.
 */
public final class SlotPool
{
    /** Bytes per slot: two cache lines, so a test can put its index and its data on different lines. */
    public static final int SLOT_LENGTH = 128;
    /** Offset of the second cache line in a slot. */
    public static final int SECOND_LINE_OFFSET = 64;
    /** Slots per pool (16 MiB in all). */
    public static final int SLOTS = 1 << 17;
    private static final int POOL_LENGTH = SLOT_LENGTH * SLOTS;

    private final AtomicBuffer writerView;
    private final AtomicBuffer readerView;
    private final AtomicInteger next = new AtomicInteger();

    private SlotPool(final AtomicBuffer writerView, final AtomicBuffer readerView)
    {
        writerView.verifyAlignment();
        readerView.verifyAlignment();
        this.writerView = writerView;
        this.readerView = readerView;
    }

    /**
     * One anonymous shared mapping; both views are the same buffer.
     *
     * @return the pool (its mapping lives until the JVM exits).
     */
    public static SlotPool anonymous()
    {
        final AtomicBuffer buffer = SharedMemory.anonymous(POOL_LENGTH).buffer();
        return new SlotPool(buffer, buffer);
    }

    /**
     * One {@code /dev/shm} file mapped twice (the file is deleted at once; the mappings stay).
     *
     * @return the pool (its mappings live until the JVM exits).
     */
    public static SlotPool aliased()
    {
        try
        {
            final Path file = Files.createTempFile(Path.of("/dev/shm"), "pvring-stress-", ".shm");
            Files.delete(file);
            final SharedMemory writer = SharedMemory.create(file, POOL_LENGTH);
            final SharedMemory reader = SharedMemory.open(file, SharedMemory.Access.READ_WRITE);
            Files.delete(file);
            if (writer.address() == reader.address())
            {
                throw new IllegalStateException("aliased mappings share an address: address=" + writer.address());
            }
            return new SlotPool(writer.buffer(), reader.buffer());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create the aliased stress region in /dev/shm", ex);
        }
    }

    /**
     * Claims the next slot and zeroes it.
     *
     * @return the slot's offset in both views.
     */
    public int claim()
    {
        final int offset = (next.getAndIncrement() & (SLOTS - 1)) * SLOT_LENGTH;
        writerView.setMemory(offset, SLOT_LENGTH, (byte)0);
        return offset;
    }

    /**
     * The view the writing actor uses.
     *
     * @return the buffer.
     */
    public AtomicBuffer writerView()
    {
        return writerView;
    }

    /**
     * The view the reading actor uses (the same buffer for an anonymous pool).
     *
     * @return the buffer.
     */
    public AtomicBuffer readerView()
    {
        return readerView;
    }
}
