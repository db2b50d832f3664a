/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

/**
 * The sending half of a doorbell: tells a peer that there is work. Rings never call this themselves; they
 * return "peer needs a notification" from their publish operations and the caller decides (per message,
 * per batch, or never while the peer polls).
 * <p>
 * A call publishes everything the caller wrote before it (it is at least a release operation).
 */
public interface Notifier
{
    /**
     * Wakes the peer if it sleeps, or makes its next wait return at once.
     */
    void notifyPeer();

    /**
     * Number of {@link #notifyPeer()} calls on this instance.
     *
     * @return notifications sent.
     */
    long notificationsSent();

    /**
     * Number of notifications that found a sleeping peer and cost a wake-up (a system call or unpark).
     *
     * @return wake-ups issued.
     */
    long wakeUpsIssued();
}
