/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link XenStore} over a xenstored unix socket ({@code SocketChannel} + {@code UnixDomainSocketAddress}): the
 * dom0 socket of C xenstored or of {@link Xenstored}, or a {@link Xenstored#domainSocketPath(Path, int) domain
 * socket} to act as a guest.
 * <p>
 * <b>No hidden thread.</b> The client owns no thread. Whoever needs input reads the socket itself: a caller
 * waiting for its reply, or a caller polling for watch events; only one thread reads at a time (leader/follower),
 * and whatever it reads is sorted into the pending reply or the watch event queue, so a watch event arriving
 * between a request and its reply is queued, never taken for the reply. Requests are serialised (one in flight,
 * as libxenstore does) and matched by {@code req_id} and type. Thread-safe: any number of threads may call any
 * method concurrently.
 * <p>
 * <b>Errors.</b> {@code XS_ERROR} replies throw {@link XenStoreException} with the errno name. A reply that cannot
 * be matched, a payload above 4096 bytes, end of stream, a reply timeout or a {@code DIRECTORY_PART} listing
 * that does not end within its bounds mark the connection broken: that call and every later one throw with
 * {@link XenStoreException#isConnectionBroken()} true; the client never crashes, loops or grows without bound on
 * server bytes. A malformed event (fewer than two strings) is counted in {@link #malformedEvents()} and dropped.
 * <p>
 * <b>Event queue.</b> Pending events are coalesced per (path, token): an event equal to one still pending is not
 * queued again (counted in {@link #coalescedEvents()}), and pending events are taken in arrival order. Its
 * meaning is "this node changed since you last looked": re-read the node when you take the event. So a peer
 * rewriting a watched node a million times while this client does not poll costs one pending event, and the
 * reader sees the last state (security catalogue T13; xenstored coalesces its own queue the same way).
 * Bounded ({@code maxQueuedEvents} distinct events): beyond it an event collapses into one on its watch's path
 * (re-read everything below it), so at most {@code maxQueuedEvents} plus one per watch are pending; an event that
 * matches no watch of this client is then dropped and counted in {@link #droppedEvents()}.
 */
public final class SocketXenStore implements XenStore
{
    /** Default reply timeout. */
    public static final long DEFAULT_REPLY_TIMEOUT_MILLIS = 60_000;
    /** Default bound of the watch event queue. */
    public static final int DEFAULT_MAX_QUEUED_EVENTS = 4096;
    /** Most bytes of child names a {@code DIRECTORY_PART} listing may add up to (4 MiB). */
    public static final int MAX_DIRECTORY_BYTES = 4 << 20;
    /** Most {@code DIRECTORY_PART} replies per listing (a full listing at 4 MiB takes about 1000). */
    public static final int MAX_DIRECTORY_PARTS = 4096;
    /** Most restarts of a listing because the child list changed meanwhile. */
    public static final int MAX_DIRECTORY_RESTARTS = 64;

    private static final int READ_BUFFER = 16 * 1024;

    private final SocketChannel channel;
    private final Selector readSelector;
    private final Selector writeSelector;
    private final long replyTimeoutNanos;
    private final int maxQueuedEvents;
    private final ReentrantLock requestLock = new ReentrantLock();
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition changed = stateLock.newCondition();
    /** Pending events, one per (path, token), in arrival order. */
    private final LinkedHashSet<XsWatchEvent> events = new LinkedHashSet<>();
    /** This client's watches as (watched path, token). */
    private final Set<XsWatchEvent> watches = new HashSet<>();
    private final XsFrameDecoder decoder = new XsFrameDecoder();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER);
    private boolean readerActive;
    private boolean awaitingReply;
    private int expectedReqId;
    private int expectedType;
    private int replyType;
    private byte[] replyPayload;
    private XenStoreException broken;
    private int nextReqId = 1;
    private long droppedEvents;
    private long malformedEvents;
    private long coalescedEvents;

    private SocketXenStore(final SocketChannel channel, final long replyTimeoutMillis, final int maxQueuedEvents)
        throws IOException
    {
        this.channel = channel;
        this.replyTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(replyTimeoutMillis);
        this.maxQueuedEvents = maxQueuedEvents;
        channel.configureBlocking(false);
        this.readSelector = Selector.open();
        this.writeSelector = Selector.open();
        channel.register(readSelector, SelectionKey.OP_READ);
        channel.register(writeSelector, SelectionKey.OP_WRITE);
    }

    /**
     * Connects with the default reply timeout and event queue bound.
     *
     * @param socket xenstored socket.
     * @return the client.
     * @throws XenStoreException ({@code EIO}, broken) if the socket does not accept the connection.
     */
    public static SocketXenStore connect(final Path socket)
    {
        return connect(socket, DEFAULT_REPLY_TIMEOUT_MILLIS, DEFAULT_MAX_QUEUED_EVENTS);
    }

    /**
     * Connects. The connect itself is non-blocking: a listener whose backlog is full (one that never accepts, or
     * one that is busy) is retried until {@code replyTimeoutMillis}, never waited for without limit.
     *
     * @param socket             xenstored socket.
     * @param replyTimeoutMillis how long to wait for a reply (and for the connection to be accepted) before
     *                           declaring the connection broken.
     * @param maxQueuedEvents    bound of the watch event queue.
     * @return the client.
     * @throws XenStoreException ({@code EIO}, broken) if the socket does not accept the connection in time.
     */
    public static SocketXenStore connect(final Path socket, final long replyTimeoutMillis, final int maxQueuedEvents)
    {
        if (replyTimeoutMillis <= 0 || maxQueuedEvents <= 0)
        {
            throw new IllegalArgumentException("timeout and queue bound must be positive: replyTimeoutMillis=" +
                replyTimeoutMillis + " maxQueuedEvents=" + maxQueuedEvents);
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(replyTimeoutMillis);
        SocketChannel channel = null;
        try
        {
            channel = XsSockets.connect(socket, deadline);
            return new SocketXenStore(channel, replyTimeoutMillis, maxQueuedEvents);
        }
        catch (final IOException ex)
        {
            if (null != channel)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException suppressed)
                {
                    ex.addSuppressed(suppressed);
                }
            }
            throw new XenStoreException("EIO", "cannot connect to xenstored: socket=" + socket, true, ex);
        }
    }

    /**
     * Connects, retrying until the socket exists and accepts (e.g. a domain socket appearing on introduce).
     *
     * @param socket  xenstored socket.
     * @param timeout maximum wait.
     * @param unit    unit of {@code timeout}.
     * @return the client.
     * @throws XenStoreException ({@code EIO}, broken) if it did not connect in time.
     */
    public static SocketXenStore connect(final Path socket, final long timeout, final TimeUnit unit)
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true)
        {
            try
            {
                return connect(socket);
            }
            catch (final XenStoreException ex)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    throw ex;
                }
                try
                {
                    Thread.sleep(10);
                }
                catch (final InterruptedException ie)
                {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }

    /**
     * Watch events dropped because the queue was full and their token unknown.
     *
     * @return count.
     */
    public long droppedEvents()
    {
        stateLock.lock();
        try
        {
            return droppedEvents;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /**
     * Watch events not queued because an equal one (same path and token) was still pending.
     *
     * @return count.
     */
    public long coalescedEvents()
    {
        stateLock.lock();
        try
        {
            return coalescedEvents;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /**
     * Watch events received and not yet taken (distinct by path and token).
     *
     * @return count, at most {@code maxQueuedEvents} plus the number of watches.
     */
    public int pendingWatchEvents()
    {
        stateLock.lock();
        try
        {
            return events.size();
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /**
     * Malformed watch events received (dropped).
     *
     * @return count.
     */
    public long malformedEvents()
    {
        stateLock.lock();
        try
        {
            return malformedEvents;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /**
     * Whether the connection is broken or closed.
     *
     * @return true if every call will fail.
     */
    public boolean isBroken()
    {
        stateLock.lock();
        try
        {
            return null != broken;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // XenStore

    @Override
    public byte[] read(final int tx, final String path)
    {
        return call(XsMessageType.READ, tx, "read " + path, text(path));
    }

    @Override
    public void write(final int tx, final String path, final byte[] value)
    {
        call(XsMessageType.WRITE, tx, "write " + path, text(path), value);
    }

    @Override
    public void mkdir(final int tx, final String path)
    {
        call(XsMessageType.MKDIR, tx, "mkdir " + path, text(path));
    }

    @Override
    public void rm(final int tx, final String path)
    {
        call(XsMessageType.RM, tx, "rm " + path, text(path));
    }

    @Override
    public List<String> directory(final int tx, final String path)
    {
        try
        {
            final byte[] reply = call(XsMessageType.DIRECTORY, tx, "directory " + path, text(path));
            return names(reply, 0, reply.length);
        }
        catch (final XenStoreException ex)
        {
            if (!ex.is(XsError.E2BIG))
            {
                throw ex;
            }
        }
        return directoryPart(tx, path);
    }

    /**
     * Reads a long child list in parts ({@code XS_DIRECTORY_PART}, as libxenstore does after {@code E2BIG}): each
     * reply is the node's generation, then names from the requested offset; the last part ends with an extra NUL,
     * and a changed generation restarts the listing. A server that never ends the listing (no terminating NUL,
     * empty parts, a generation that keeps changing) is bounded by {@link #MAX_DIRECTORY_BYTES},
     * {@link #MAX_DIRECTORY_PARTS} and {@link #MAX_DIRECTORY_RESTARTS}, and then marks the connection broken.
     */
    private List<String> directoryPart(final int tx, final String path)
    {
        final String what = "directory " + path;
        String generation = null;
        final java.io.ByteArrayOutputStream names = new java.io.ByteArrayOutputStream();
        int offset = 0;
        int restarts = 0;
        byte previousLast = 0;
        for (int parts = 1; ; parts++)
        {
            if (parts > MAX_DIRECTORY_PARTS)
            {
                throw fail(new XenStoreException("EIO", what + ": DIRECTORY_PART listing did not end after " +
                    MAX_DIRECTORY_PARTS + " replies: bytes=" + offset, true, null));
            }
            final byte[] reply = call(XsMessageType.DIRECTORY_PART, tx, what, text(path),
                text(Integer.toString(offset)));
            final int nul = XsPayload.indexOfNul(reply, 0, reply.length);
            if (nul < 0)
            {
                throw malformed("DIRECTORY_PART reply without generation: path=" + path);
            }
            final String gen = new String(reply, 0, nul, StandardCharsets.ISO_8859_1);
            if (null != generation && !generation.equals(gen))
            {
                if (++restarts > MAX_DIRECTORY_RESTARTS)
                {
                    throw fail(new XenStoreException("EIO", what + ": the child list changed during " +
                        MAX_DIRECTORY_RESTARTS + " listings in a row", true, null));
                }
                generation = null;
                names.reset();
                offset = 0;
                previousLast = 0;
                continue;
            }
            generation = gen;
            final int partLength = reply.length - nul - 1;
            if (0 == partLength)
            {
                throw fail(new XenStoreException("EIO", what + ": empty DIRECTORY_PART reply: offset=" + offset, true,
                    null));
            }
            if ((long)offset + partLength > MAX_DIRECTORY_BYTES)
            {
                throw fail(new XenStoreException("EIO", what + ": DIRECTORY_PART listing above " +
                    MAX_DIRECTORY_BYTES + " bytes", true, null));
            }
            names.write(reply, nul + 1, partLength);
            offset += partLength;
            // The listing ends with "name\0\0" (or is "\0" alone): the byte before the last one is a NUL.
            final byte secondLast = partLength >= 2 ? reply[reply.length - 2] : previousLast;
            if (offset <= 1 || 0 == secondLast)
            {
                return names(names.toByteArray(), 0, offset > 1 ? offset - 1 : 0);
            }
            previousLast = reply[reply.length - 1];
        }
    }

    @Override
    public List<XsPermission> getPermissions(final int tx, final String path)
    {
        final byte[] reply = call(XsMessageType.GET_PERMS, tx, "get permissions " + path, text(path));
        final List<XsPermission> permissions = XsPermission.parseAll(XsPayload.strings(reply, reply.length));
        if (null == permissions)
        {
            throw malformed("malformed GET_PERMS reply: path=" + path);
        }
        return permissions;
    }

    @Override
    public void setPermissions(final int tx, final String path, final List<XsPermission> permissions)
    {
        if (permissions.isEmpty())
        {
            throw new IllegalArgumentException("permissions must name an owner: permissions=[]");
        }
        final byte[][] parts = new byte[permissions.size() + 1][];
        parts[0] = text(path);
        for (int i = 0; i < permissions.size(); i++)
        {
            parts[i + 1] = text(permissions.get(i).toString());
        }
        call(XsMessageType.SET_PERMS, tx, "set permissions " + path, parts);
    }

    @Override
    public void watch(final String path, final String token)
    {
        call(XsMessageType.WATCH, NO_TRANSACTION, "watch " + path, text(path), text(token));
        stateLock.lock();
        try
        {
            watches.add(new XsWatchEvent(path, token));
        }
        finally
        {
            stateLock.unlock();
        }
    }

    @Override
    public void unwatch(final String path, final String token)
    {
        call(XsMessageType.UNWATCH, NO_TRANSACTION, "unwatch " + path, text(path), text(token));
        stateLock.lock();
        try
        {
            watches.remove(new XsWatchEvent(path, token));
        }
        finally
        {
            stateLock.unlock();
        }
    }

    @Override
    public XsWatchEvent pollWatchEvent()
    {
        stateLock.lock();
        try
        {
            XsWatchEvent event = takeEvent(null);
            if (null == event && !readerActive && null == broken)
            {
                readAsLeader(0);
                event = takeEvent(null);
            }
            return event;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    @Override
    public XsWatchEvent awaitWatchEvent(final String token, final long timeout, final TimeUnit unit)
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        stateLock.lock();
        try
        {
            return awaitLocked(() -> takeEvent(token), deadline);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    @Override
    public int transactionStart()
    {
        final byte[] reply = call(XsMessageType.TRANSACTION_START, NO_TRANSACTION, "transaction start", new byte[1]);
        final String id = XsPayload.oneArg(reply, reply.length);
        try
        {
            final int tx = null == id ? 0 : Integer.parseUnsignedInt(id);
            if (NO_TRANSACTION != tx)
            {
                return tx;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below
        }
        throw malformed("malformed TRANSACTION_START reply: length=" + reply.length);
    }

    @Override
    public boolean transactionEnd(final int tx, final boolean commit)
    {
        try
        {
            call(XsMessageType.TRANSACTION_END, tx, "transaction end " + tx, text(commit ? "T" : "F"));
            return true;
        }
        catch (final XenStoreException ex)
        {
            if (commit && ex.is(XsError.EAGAIN))
            {
                return false;
            }
            throw ex;
        }
    }

    @Override
    public String getDomainPath(final int domid)
    {
        final byte[] reply = call(XsMessageType.GET_DOMAIN_PATH, NO_TRANSACTION, "get domain path " + domid,
            text(Integer.toUnsignedString(domid)));
        return textOf(reply);
    }

    @Override
    public void introduceDomain(final int domid, final long mfn, final int port)
    {
        call(XsMessageType.INTRODUCE, NO_TRANSACTION, "introduce " + domid, text(Integer.toString(domid)),
            text(Long.toUnsignedString(mfn)), text(Integer.toString(port)));
    }

    @Override
    public void releaseDomain(final int domid)
    {
        call(XsMessageType.RELEASE, NO_TRANSACTION, "release " + domid, text(Integer.toString(domid)));
    }

    @Override
    public boolean isDomainIntroduced(final int domid)
    {
        final byte[] reply = call(XsMessageType.IS_DOMAIN_INTRODUCED, NO_TRANSACTION,
            "is domain introduced " + domid, text(Integer.toString(domid)));
        return !"F".equals(textOf(reply));
    }

    @Override
    public void resetWatches()
    {
        call(XsMessageType.RESET_WATCHES, NO_TRANSACTION, "reset watches", new byte[1]);
        stateLock.lock();
        try
        {
            watches.clear();
        }
        finally
        {
            stateLock.unlock();
        }
    }

    @Override
    public String control(final String... command)
    {
        if (0 == command.length)
        {
            throw new IllegalArgumentException("control needs a command: command=[]");
        }
        final byte[][] parts = new byte[command.length][];
        for (int i = 0; i < command.length; i++)
        {
            parts[i] = text(command[i]);
        }
        return textOf(call(XsMessageType.CONTROL, NO_TRANSACTION, "control " + command[0], parts));
    }

    @Override
    public void close()
    {
        stateLock.lock();
        try
        {
            if (null == broken)
            {
                broken = new XenStoreException("EIO", "client closed", true, null);
            }
            changed.signalAll();
        }
        finally
        {
            stateLock.unlock();
        }
        closeQuietly(channel);
        closeQuietly(readSelector);
        closeQuietly(writeSelector);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Request / reply

    private byte[] call(final XsMessageType type, final int tx, final String what, final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        if (length > XsMessageDescriptor.PAYLOAD_MAX)
        {
            throw new XenStoreException(XsError.E2BIG.name(), what + ": request payload too long: length=" + length,
                false, null);
        }
        final ByteBuffer message = ByteBuffer.allocate(XsMessageDescriptor.HEADER_LENGTH + length)
            .order(XsMessageDescriptor.BYTE_ORDER);
        requestLock.lock();
        try
        {
            final int reqId = nextReqId++;
            message.putInt(type.code()).putInt(reqId).putInt(tx).putInt(length);
            for (final byte[] part : parts)
            {
                message.put(part);
            }
            message.flip();
            final long deadline = System.nanoTime() + replyTimeoutNanos;
            stateLock.lock();
            try
            {
                if (null != broken)
                {
                    throw broken;
                }
                awaitingReply = true;
                expectedReqId = reqId;
                expectedType = type.code();
                replyPayload = null;
            }
            finally
            {
                stateLock.unlock();
            }
            try
            {
                writeFully(message, deadline, what);
                return awaitReply(deadline, what);
            }
            finally
            {
                stateLock.lock();
                try
                {
                    awaitingReply = false;
                    replyPayload = null;
                }
                finally
                {
                    stateLock.unlock();
                }
            }
        }
        finally
        {
            requestLock.unlock();
        }
    }

    private void writeFully(final ByteBuffer message, final long deadline, final String what)
    {
        try
        {
            while (message.hasRemaining())
            {
                if (0 == channel.write(message))
                {
                    final long remaining = deadline - System.nanoTime();
                    if (remaining <= 0)
                    {
                        throw fail(new XenStoreException("EIO", what + ": xenstored does not read", true, null));
                    }
                    writeSelector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
                    writeSelector.selectedKeys().clear();
                }
            }
        }
        catch (final IOException ex)
        {
            throw fail(new XenStoreException("EIO", what + ": write failed", true, ex));
        }
    }

    private byte[] awaitReply(final long deadline, final String what)
    {
        stateLock.lock();
        try
        {
            final byte[] payload = awaitLocked(this::takeReply, deadline);
            if (null == payload)
            {
                throw fail(new XenStoreException("EIO", what + ": no reply in time", true, null));
            }
            if (XsMessageType.ERROR.code() == replyType)
            {
                final String name = textOf(payload);
                throw new XenStoreException(name.isEmpty() ? "EINVAL" : name, what, false, null);
            }
            return payload;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw fail(new XenStoreException("EIO", what + ": interrupted while waiting for the reply", true, ex));
        }
        finally
        {
            stateLock.unlock();
        }
    }

    private byte[] takeReply()
    {
        final byte[] payload = replyPayload;
        replyPayload = null;
        return payload;
    }

    /**
     * Waits until {@code take} yields something, reading the socket as leader when no other thread does.
     * Called with the state lock held.
     *
     * @return what {@code take} yielded, or {@code null} at the deadline.
     */
    private <T> T awaitLocked(final java.util.function.Supplier<T> take, final long deadline)
        throws InterruptedException
    {
        while (true)
        {
            final T value = take.get();
            if (null != value)
            {
                return value;
            }
            if (null != broken)
            {
                throw broken;
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                return null;
            }
            if (!readerActive)
            {
                readAsLeader(remaining);
            }
            else
            {
                changed.awaitNanos(remaining);
            }
        }
    }

    /**
     * Becomes the reader: releases the state lock, reads and dispatches what arrives within the timeout, takes
     * the lock back and wakes the other waiters. Called with the state lock held and no other reader.
     */
    private void readAsLeader(final long timeoutNanos)
    {
        readerActive = true;
        stateLock.unlock();
        try
        {
            readSome(timeoutNanos);
        }
        finally
        {
            stateLock.lock();
            readerActive = false;
            changed.signalAll();
        }
    }

    private void readSome(final long timeoutNanos)
    {
        try
        {
            int n = channel.read(readBuffer);
            if (0 == n && timeoutNanos > 0)
            {
                readSelector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
                readSelector.selectedKeys().clear();
                n = channel.read(readBuffer);
            }
            if (n < 0)
            {
                fail(new XenStoreException("EIO", "xenstored closed the connection", true, null));
                return;
            }
            readBuffer.flip();
            try
            {
                while (readBuffer.hasRemaining())
                {
                    final int result = decoder.decode(readBuffer);
                    if (XsFrameDecoder.MESSAGE == result)
                    {
                        incoming(decoder.type(), decoder.reqId(), decoder.payloadArray(), decoder.length());
                    }
                    else if (XsFrameDecoder.PAYLOAD_TOO_LONG == result)
                    {
                        fail(new XenStoreException("EIO", "xenstored sent a payload above 4096 bytes: length=" +
                            decoder.rejectedLength(), true, null));
                        return;
                    }
                }
            }
            finally
            {
                readBuffer.compact();
            }
        }
        catch (final IOException ex)
        {
            fail(new XenStoreException("EIO", "read failed", true, ex));
        }
    }

    private void incoming(final int type, final int reqId, final byte[] payload, final int length)
    {
        stateLock.lock();
        try
        {
            if (XsMessageType.WATCH_EVENT.code() == type)
            {
                final List<String> strings = XsPayload.strings(payload, length);
                if (strings.size() < 2)
                {
                    malformedEvents++;
                    return;
                }
                queueEvent(new XsWatchEvent(utf8(strings.get(0)), utf8(strings.get(1))));
                return;
            }
            if (awaitingReply && null == replyPayload && reqId == expectedReqId &&
                (type == expectedType || XsMessageType.ERROR.code() == type))
            {
                replyType = type;
                replyPayload = XsPayload.copy(payload, 0, length);
                return;
            }
            fail(new XenStoreException("EIO", "xenstored sent an unexpected message: type=" + type +
                " reqId=" + reqId + " expectedReqId=" + (awaitingReply ? expectedReqId : -1), true, null));
        }
        finally
        {
            stateLock.unlock();
        }
    }

    private void queueEvent(final XsWatchEvent event)
    {
        XsWatchEvent toQueue = event;
        if (!events.contains(event) && events.size() >= maxQueuedEvents)
        {
            toQueue = watchOf(event);
            if (null == toQueue)
            {
                droppedEvents++;
                return;
            }
        }
        if (!events.add(toQueue))
        {
            coalescedEvents++;
            return;
        }
        changed.signalAll();
    }

    /**
     * The watch (watched path, token) an event belongs to: same token, and the watched path is the event's path
     * or an ancestor of it; {@code null} if none (a watch removed meanwhile, or a server sending garbage).
     */
    private XsWatchEvent watchOf(final XsWatchEvent event)
    {
        final String path = event.path();
        for (final XsWatchEvent watch : watches)
        {
            final String watched = watch.path();
            if (watch.token().equals(event.token()) && path.startsWith(watched) &&
                (path.length() == watched.length() || path.charAt(watched.length()) == '/' || watched.endsWith("/")))
            {
                return watch;
            }
        }
        return null;
    }

    private XsWatchEvent takeEvent(final String token)
    {
        for (final Iterator<XsWatchEvent> it = events.iterator(); it.hasNext(); )
        {
            final XsWatchEvent event = it.next();
            if (null == token || token.equals(event.token()))
            {
                it.remove();
                return event;
            }
        }
        return null;
    }

    private XenStoreException fail(final XenStoreException ex)
    {
        stateLock.lock();
        try
        {
            if (null == broken)
            {
                broken = ex;
            }
            changed.signalAll();
            return broken;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    private static XenStoreException malformed(final String message)
    {
        return new XenStoreException("EIO", message, false, null);
    }

    private static byte[] text(final String s)
    {
        final byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        for (final byte b : utf8)
        {
            if (0 == b)
            {
                throw new IllegalArgumentException(
                    "xenstore strings must not contain NUL: value=" + s.replace('\0', '?'));
            }
        }
        final byte[] bytes = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, bytes, 0, utf8.length);
        return bytes;
    }

    private static String textOf(final byte[] reply)
    {
        final int nul = XsPayload.indexOfNul(reply, 0, reply.length);
        return new String(reply, 0, nul < 0 ? reply.length : nul, StandardCharsets.UTF_8);
    }

    private static String utf8(final String latin1)
    {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static List<String> names(final byte[] bytes, final int from, final int to)
    {
        final List<String> result = new ArrayList<>();
        int start = from;
        for (int i = from; i < to; i++)
        {
            if (0 == bytes[i])
            {
                result.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < to)
        {
            result.add(new String(bytes, start, to - start, StandardCharsets.UTF_8));
        }
        return result;
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ignore)
        {
            // closing anyway
        }
    }
}
