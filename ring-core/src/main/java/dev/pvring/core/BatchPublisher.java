/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

/**
 * Queue-then-flush batching for any ring: the caller writes messages in place and calls {@link #queued()}
 * for each; {@link #flush()} publishes them with one producer-index store, asks the ring whether the peer
 * must be notified (Xen event index, shmstream "anything queued") and rings the doorbell at most once.
 * With {@code maxBatch > 1} a full batch flushes by itself, so latency stays bounded under load.
 * <p>
 * The ring never notifies; this helper is where the caller's policy lives. It counts messages, flushes and
 * notifications so benchmarks can report notifications per message. Not thread safe: one per producer.
 */
public final class BatchPublisher
{
    /**
     * A ring's publish step.
     */
    @FunctionalInterface
    public interface Publication
    {
        /**
         * Makes every queued message visible to the peer (a release store of the producer index) and reports
         * whether the peer asked to be woken for them.
         *
         * @return true if the peer must be notified.
         */
        boolean publishAndCheckNotify();
    }

    private final Publication publication;
    private final Notifier notifier;
    private final int maxBatch;
    private int pending;
    private long messages;
    private long flushes;
    private long notifications;

    /**
     * @param publication the ring's push operation.
     * @param notifier    the doorbell.
     * @param maxBatch    messages after which {@link #queued()} flushes by itself (1 = every message).
     */
    public BatchPublisher(final Publication publication, final Notifier notifier, final int maxBatch)
    {
        if (maxBatch < 1)
        {
            throw new IllegalArgumentException("maxBatch must be at least 1: maxBatch=" + maxBatch);
        }
        this.publication = publication;
        this.notifier = notifier;
        this.maxBatch = maxBatch;
    }

    /**
     * Records one message written in place; flushes when the batch is full.
     *
     * @return true if this call flushed and notified the peer.
     */
    public boolean queued()
    {
        messages++;
        if (++pending >= maxBatch)
        {
            return flush();
        }
        return false;
    }

    /**
     * Publishes everything queued and notifies the peer if it asked to be woken. A flush with nothing queued
     * does nothing.
     *
     * @return true if the peer was notified.
     */
    public boolean flush()
    {
        if (pending == 0)
        {
            return false;
        }
        pending = 0;
        flushes++;
        if (publication.publishAndCheckNotify())
        {
            notifications++;
            notifier.notifyPeer();
            return true;
        }
        return false;
    }

    /**
     * Messages queued since the last flush.
     *
     * @return pending count.
     */
    public int pending()
    {
        return pending;
    }

    /**
     * @return messages queued in total.
     */
    public long messages()
    {
        return messages;
    }

    /**
     * @return flushes that published at least one message.
     */
    public long flushes()
    {
        return flushes;
    }

    /**
     * @return notifications sent.
     */
    public long notifications()
    {
        return notifications;
    }

    /**
     * Notifications per message so far (0 when nothing was sent).
     *
     * @return the ratio.
     */
    public double notificationsPerMessage()
    {
        return messages == 0 ? 0.0 : (double)notifications / messages;
    }
}
