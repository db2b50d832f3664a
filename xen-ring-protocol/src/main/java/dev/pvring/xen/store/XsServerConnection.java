/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * Server side of one client connection, whatever carries its bytes: identity (domain), input framing state,
 * watches, transactions, and the queue of replies and watch events not yet written. Owned by the server thread.
 * <p>
 * Memory per connection is bounded: input holds at most one partial message; while
 * {@link #outstandingReplies} reaches the connection's limit no further request is read (the peer sees
 * back-pressure, as C xenstored does for domains); queued watch events are coalesced (an identical pending event
 * is not queued twice) and, beyond {@code pendingWatchEvents}, collapse into one event on the watched path
 * itself, which tells the client to re-read everything below it.
 */
final class XsServerConnection
{
    /** One queued message: encoded bytes, how much was written, and its coalescing key for events. */
    static final class Outgoing
    {
        final byte[] bytes;
        final String eventKey;
        int written;

        Outgoing(final byte[] bytes, final String eventKey)
        {
            this.bytes = bytes;
            this.eventKey = eventKey;
        }
    }

    /** Who carries the bytes: told when output is queued and when the connection must close. */
    interface Io
    {
        /**
         * Output was queued.
         *
         * @param conn the connection.
         */
        void outputQueued(XsServerConnection conn);

        /**
         * The server decided to drop the connection (its domain was released).
         *
         * @param conn the connection.
         */
        void closeRequested(XsServerConnection conn);
    }

    final long id;
    final int domid;
    final boolean privileged;
    final String implicitPath;
    final Io io;
    final XsFrameDecoder decoder = new XsFrameDecoder();
    final ByteBuffer input = ByteBuffer.allocate(XsMessageDescriptor.MESSAGE_MAX * 2);
    /** This connection's watches by {@link XsWatch#key(String, String)}: add, find and remove are O(1). */
    final LinkedHashMap<String, XsWatch> watches = new LinkedHashMap<>();
    final Int2ObjectHashMap<XsTransaction> transactions = new Int2ObjectHashMap<>();
    final ArrayDeque<Outgoing> output = new ArrayDeque<>();
    private final Set<String> pendingEventKeys = new HashSet<>();
    int nextTransactionId = 1;
    int outstandingReplies;
    int pendingEvents;
    long coalescedEvents;
    long collapsedEvents;
    boolean closed;

    XsServerConnection(final long id, final int domid, final boolean privileged, final Io io)
    {
        this.id = id;
        this.domid = domid;
        this.privileged = privileged;
        this.implicitPath = XsPaths.domainPath(domid);
        this.io = io;
    }

    void queueReply(final int type, final int reqId, final int txId, final byte[] payload, final int length)
    {
        final byte[] bytes = new byte[XsMessageDescriptor.HEADER_LENGTH + length];
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(XsMessageDescriptor.BYTE_ORDER);
        buffer.putInt(type).putInt(reqId).putInt(txId).putInt(length).put(payload, 0, length);
        output.add(new Outgoing(bytes, null));
        outstandingReplies++;
        io.outputQueued(this);
    }

    /**
     * Queues a watch event, coalescing duplicates and collapsing beyond the pending limit.
     *
     * @param watch      the matching watch.
     * @param eventPath  path to report (already relative for relative watches).
     * @param maxPending pending event limit of this connection.
     */
    void queueEvent(final XsWatch watch, final String eventPath, final int maxPending)
    {
        String path = eventPath;
        String key = path + '\0' + watch.token;
        if (pendingEventKeys.contains(key))
        {
            coalescedEvents++;
            return;
        }
        if (pendingEvents >= maxPending)
        {
            path = watch.reportPath(watch.path);
            key = path + '\0' + watch.token;
            if (pendingEventKeys.contains(key))
            {
                collapsedEvents++;
                return;
            }
            collapsedEvents++;
        }
        final byte[] p = path.getBytes(StandardCharsets.ISO_8859_1);
        final byte[] t = watch.token.getBytes(StandardCharsets.ISO_8859_1);
        final int length = p.length + 1 + t.length + 1;
        if (length > XsMessageDescriptor.PAYLOAD_MAX)
        {
            return;
        }
        final byte[] bytes = new byte[XsMessageDescriptor.HEADER_LENGTH + length];
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(XsMessageDescriptor.BYTE_ORDER);
        buffer.putInt(XsMessageType.WATCH_EVENT.code()).putInt(0).putInt(0).putInt(length);
        buffer.put(p).put((byte)0).put(t).put((byte)0);
        output.add(new Outgoing(bytes, key));
        pendingEventKeys.add(key);
        pendingEvents++;
        io.outputQueued(this);
    }

    /**
     * Marks the head of the output queue as fully written.
     */
    void headWritten()
    {
        final Outgoing done = output.poll();
        if (null == done)
        {
            return;
        }
        if (null == done.eventKey)
        {
            outstandingReplies--;
        }
        else
        {
            pendingEventKeys.remove(done.eventKey);
            pendingEvents--;
        }
    }

    void discardOutput()
    {
        output.clear();
        pendingEventKeys.clear();
        pendingEvents = 0;
        outstandingReplies = 0;
    }

    int queuedBytes()
    {
        int total = 0;
        for (final Outgoing o : output)
        {
            total += o.bytes.length - o.written;
        }
        return total;
    }
}
