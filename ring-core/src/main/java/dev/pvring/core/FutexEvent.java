/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import dev.pvring.core.linux.Futex;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A cross-process doorbell on two words of shared memory (see {@link FutexEventDescriptor}), woken with a
 * non-private {@code futex(2)} so any process mapping the same file can notify or wait.
 * <p>
 * A notification costs one atomic increment and, only when somebody sleeps, one {@code FUTEX_WAKE}
 * system call. The waiter side is an event count ({@link Waiter}): it sleeps only while the sequence still
 * equals its token, and the kernel checks that atomically.
 * <p>
 * The notifier side and the waiter side each keep their counters in plain fields: use one instance per
 * thread and role (one notifying thread, one waiting thread), the usual arrangement for an SPSC ring; several
 * processes may map the same words.
 */
public final class FutexEvent implements Notifier, Waiter
{
    private final AtomicBuffer buffer;
    private final int sequenceOffset;
    private final int waitersOffset;
    private final long sequenceAddress;
    private final Futex futex = new Futex();
    private long notificationsSent;
    private long wakeUpsIssued;
    private long blockingWaits;
    private long wakeUpsTaken;

    /**
     * Binds to an event at {@code offset} in a direct buffer (normally a {@link SharedMemory} mapping).
     *
     * @param buffer direct buffer over shared memory.
     * @param offset 4-byte aligned offset of the {@link FutexEventDescriptor} words.
     */
    public FutexEvent(final AtomicBuffer buffer, final int offset)
    {
        if (buffer.byteArray() != null)
        {
            throw new IllegalArgumentException("futex event needs off-heap memory: buffer=" + buffer);
        }
        FutexEventDescriptor.checkOffset(offset, buffer.capacity());
        this.buffer = buffer;
        this.sequenceOffset = offset + FutexEventDescriptor.SEQUENCE_OFFSET;
        this.waitersOffset = offset + FutexEventDescriptor.WAITERS_OFFSET;
        this.sequenceAddress = buffer.addressOffset() + sequenceOffset;
    }

    @Override
    public void notifyPeer()
    {
        notificationsSent++;
        // Full fence (lock xadd): everything the caller published before is visible before the new sequence,
        // and the sequence store is ordered before the waiters load below (Dekker with await()).
        buffer.getAndAddInt(sequenceOffset, 1);
        if (buffer.getIntVolatile(waitersOffset) != 0)
        {
            wakeUpsIssued++;
            futex.wake(sequenceAddress, Integer.MAX_VALUE);
        }
    }

    @Override
    public int prepareWait()
    {
        // Acquire: work published before a notification that produced this value is visible to the check that follows.
        return buffer.getIntAcquire(sequenceOffset);
    }

    @Override
    public boolean await(final int token, final long timeoutNanos)
    {
        // Full fence: the waiter count must be visible before the kernel re-reads the sequence, so a notifier
        // that incremented the sequence after our token either sees waiters != 0 or we see its sequence.
        buffer.getAndAddInt(waitersOffset, 1);
        try
        {
            if (buffer.getIntVolatile(sequenceOffset) != token)
            {
                wakeUpsTaken++;
                return true;
            }
            blockingWaits++;
            futex.await(sequenceAddress, token, timeoutNanos);
        }
        finally
        {
            buffer.getAndAddInt(waitersOffset, -1);
        }
        final boolean notified = buffer.getIntAcquire(sequenceOffset) != token;
        if (notified)
        {
            wakeUpsTaken++;
        }
        return notified;
    }

    /**
     * Current value of the shared sequence word.
     *
     * @return the sequence.
     */
    public int sequenceAcquire()
    {
        return buffer.getIntAcquire(sequenceOffset);
    }

    /**
     * Current number of registered waiters (in any process).
     *
     * @return waiters.
     */
    public int waitersVolatile()
    {
        return buffer.getIntVolatile(waitersOffset);
    }

    @Override
    public long notificationsSent()
    {
        return notificationsSent;
    }

    @Override
    public long wakeUpsIssued()
    {
        return wakeUpsIssued;
    }

    @Override
    public long blockingWaits()
    {
        return blockingWaits;
    }

    @Override
    public long wakeUpsTaken()
    {
        return wakeUpsTaken;
    }

    @Override
    public String toString()
    {
        return "FutexEvent{sequence=" + buffer.getIntVolatile(sequenceOffset) + ", waiters=" +
            buffer.getIntVolatile(waitersOffset) + ", sent=" + notificationsSent + ", wakeUpsIssued=" + wakeUpsIssued +
            ", blockingWaits=" + blockingWaits + ", wakeUpsTaken=" + wakeUpsTaken + "}";
    }
}
