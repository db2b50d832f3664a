/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * An in-process doorbell: an event count on a heap sequence, woken with {@link LockSupport#unpark(Thread)}.
 * One thread may wait at a time (the consumer of an SPSC ring); any thread may notify. A notification costs
 * one atomic increment, plus an unpark only while the waiter is registered.
 */
public final class ParkingEvent implements Notifier, Waiter
{
    private static final VarHandle SEQUENCE;
    private static final VarHandle WAITER;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SEQUENCE = lookup.findVarHandle(ParkingEvent.class, "sequence", int.class);
            WAITER = lookup.findVarHandle(ParkingEvent.class, "waiter", Thread.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // accessed through SEQUENCE
    private int sequence;
    @SuppressWarnings("unused") // accessed through WAITER
    private Thread waiter;
    private long notificationsSent;
    private long wakeUpsIssued;
    private long blockingWaits;
    private long wakeUpsTaken;

    /**
     * Creates an event with sequence 0 and no waiter.
     */
    public ParkingEvent()
    {
    }

    @Override
    public void notifyPeer()
    {
        notificationsSent++;
        // Volatile RMW then volatile load: either the waiter sees the new sequence, or we see the waiter (Dekker).
        SEQUENCE.getAndAdd(this, 1);
        final Thread t = (Thread)WAITER.getVolatile(this);
        if (t != null)
        {
            wakeUpsIssued++;
            LockSupport.unpark(t);
        }
    }

    @Override
    public int prepareWait()
    {
        return (int)SEQUENCE.getAcquire(this);
    }

    @Override
    public boolean await(final int token, final long timeoutNanos)
    {
        final Thread self = Thread.currentThread();
        if (!WAITER.compareAndSet(this, null, self))
        {
            throw new IllegalStateException(
                "ParkingEvent allows one waiting thread: waiter=" + WAITER.getVolatile(this) + " caller=" + self);
        }
        try
        {
            final long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
            boolean blocked = false;
            while ((int)SEQUENCE.getVolatile(this) == token)
            {
                if (timeoutNanos < 0)
                {
                    LockSupport.park(this);
                }
                else
                {
                    final long remaining = deadline - System.nanoTime();
                    if (remaining <= 0)
                    {
                        break;
                    }
                    LockSupport.parkNanos(this, remaining);
                }
                blocked = true;
                if (self.isInterrupted())
                {
                    break;
                }
            }
            if (blocked)
            {
                blockingWaits++;
            }
        }
        finally
        {
            WAITER.setVolatile(this, null);
        }
        final boolean notified = (int)SEQUENCE.getAcquire(this) != token;
        if (notified)
        {
            wakeUpsTaken++;
        }
        return notified;
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
}
