/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

/**
 * The receiving half of a doorbell, as an event count: take a token, check for work, and sleep only if no
 * notification arrived since the token was taken. This closes the lost-wake-up race without locks:
 * <pre>{@code
 * int token = waiter.prepareWait();
 * if (!ring.hasWork()) {            // check after taking the token
 *     waiter.await(token, timeout); // returns at once if notified since prepareWait
 * }
 * }</pre>
 */
public interface Waiter
{
    /**
     * Snapshot of the notification sequence, taken before the final check for work.
     *
     * @return a token for {@link #await(int, long)}.
     */
    int prepareWait();

    /**
     * Sleeps until a notification newer than {@code token}, the timeout, or a spurious wake-up.
     *
     * @param token        from {@link #prepareWait()}.
     * @param timeoutNanos maximum sleep; negative waits forever.
     * @return true if a notification arrived since the token was taken, false on timeout or spurious wake-up.
     */
    boolean await(int token, long timeoutNanos);

    /**
     * Number of times {@link #await(int, long)} actually went to sleep.
     *
     * @return blocking waits.
     */
    long blockingWaits();

    /**
     * Number of {@link #await(int, long)} calls that returned because of a notification.
     *
     * @return wake-ups taken.
     */
    long wakeUpsTaken();
}
