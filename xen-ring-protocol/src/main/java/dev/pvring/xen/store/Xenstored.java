/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * A xenstored in Java: the xs_wire protocol over unix sockets (and pluggable byte streams such as a xenstore
 * ring), with C xenstored's semantics (see {@link XenstoredCore}), so Debian's {@code xenstore-*} tools and
 * libxenstore talk to it with {@code XENSTORED_PATH} pointing at {@link #socket()}.
 * <p>
 * <b>Domain identity.</b> Clients of the main socket are dom0 (privileged), as clients of C xenstored's socket
 * are. A simulated guest gets its identity the way a real one does, through dom0: when dom0 sends
 * {@code INTRODUCE <domid>|<mfn>|<port>|}, xenstored opens a second unix socket,
 * {@link #domainSocketPath(Path, int)} ({@code <socket>.d<domid>}), whose clients act as that domain
 * (unprivileged: permissions, quotas, relative paths below {@code /local/domain/<domid>}); {@code RELEASE} closes
 * it and drops its clients. File permissions on that socket are the isolation boundary between processes. Whatever
 * already sits at a domain socket path (a stale socket, or one a guest created to squat it) is replaced without
 * connecting to it; the main socket is probed with a non-blocking connect, so nothing at either path can make
 * xenstored wait.
 * <p>
 * <b>Threads.</b> xenstored is a daemon: it owns one thread ({@code pvring-xenstored}) running a selector loop;
 * all protocol state is confined to it, so one slow or hostile client cannot block another (every channel is
 * non-blocking, every per-connection buffer bounded). {@link #start} binds synchronously, so a bad socket path
 * fails there. A connection whose transport, notifier or memory fails (a runtime exception, the
 * {@link InternalError} a fault in a peer-truncated mapping raises, or any other error while serving it) is
 * dropped alone; the daemon serves on.
 * <p>
 * <b>Hostile load.</b> Each listening socket holds at most {@link XenstoredConfig#connectionsPerSocket()} open
 * connections (an unprivileged domain also at most {@link XsQuotas#connectionsPerDomain()}); one more is closed as
 * soon as it is accepted. When {@code accept} fails (no file descriptor left: {@code EMFILE}/{@code ENFILE}),
 * xenstored closes a spare descriptor it keeps for this, accepts and closes the waiting connections (so their
 * clients see the refusal instead of hanging), and stops accepting on that socket for a back-off that doubles
 * from 10 ms to 1 s while failures go on; it never spins. Log lines are rate-limited per kind (5 per second, the
 * rest summed up in one line), and neither a failing logger nor any other failure of one loop iteration ends the
 * server thread: the iteration is abandoned, counted, and the loop goes on after a short pause.
 */
public final class Xenstored implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(Xenstored.class.getName());
    private static final long TRANSPORT_POLL_MILLIS = 20;
    private static final int GATHER = 16;
    private static final long PROBE_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long MAX_SELECT_MILLIS = 1000;
    private static final int ACCEPT_BATCH = 16;
    private static final int SHED_BATCH = 64;
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Path SPARE_FILE = Path.of("/dev/null");
    /**
     * The classes serving clients needs, loaded and initialized when a server starts. A class first loaded when
     * the process has no file descriptor left (loading from a class directory opens a file) fails to load, and
     * the JVM then fails that reference for good (JVMS 5.4.3): a descriptor flood must not be the first to need
     * one, or accepting (or logging, or transactions) would stay broken after the flood.
     */
    private static final List<Class<?>> SERVER_CLASSES = List.of(
        XenstoredCore.class, XenstoredCore.DomainListener.class,
        XsAccess.class, XsAcl.class, XsDomainState.class, XsError.class, XsFailure.class, XsFrameDecoder.class,
        XsLog.class, XsMessageDescriptor.class, XsMessageType.class, XsNode.class, XsNodeStore.class, XsPaths.class,
        XsPayload.class, XsPermission.class, XsServerConnection.class, XsServerConnection.Outgoing.class,
        XsServerConnection.Io.class, XsTransaction.class, XsTransaction.Entry.class, XsView.class, XsWatch.class,
        Listener.class, Endpoint.class, SocketEndpoint.class, TransportEndpoint.class, DomainSockets.class);

    private final XenstoredConfig config;
    private final Selector selector;
    private final Listener mainServer;
    private final Int2ObjectHashMap<Listener> domainServers = new Int2ObjectHashMap<>();
    private final XsLog log = new XsLog(LOG);
    private final XenstoredCore core;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<TransportEndpoint> transports = new ArrayList<>();
    private final Set<Endpoint> dirty = new LinkedHashSet<>();
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ByteBuffer[] gather = new ByteBuffer[GATHER];
    private volatile boolean running = true;
    private volatile int connections;
    private volatile long protocolErrors;
    private volatile long refusedConnections;
    private volatile long acceptFailures;
    private volatile long loopFailures;
    private FileChannel spare;
    private long loopBackoffNanos;

    private Xenstored(final XenstoredConfig config) throws IOException
    {
        for (final Class<?> c : SERVER_CLASSES)
        {
            try
            {
                MethodHandles.lookup().ensureInitialized(c);
            }
            catch (final IllegalAccessException ex)
            {
                throw new IllegalStateException("cannot initialize a server class: class=" + c.getName(), ex);
            }
        }
        // A log line carries a time in the default zone, whose rules load from a file (lib/tzdb.dat) on first use;
        // loaded first with no descriptor left, they fail for the life of the JVM, and so does every log line.
        java.time.ZoneId.systemDefault().getRules();
        this.config = config;
        this.core = new XenstoredCore(config.quotas(), new DomainSockets(), log);
        this.selector = Selector.open();
        ServerSocketChannel channel = null;
        try
        {
            channel = bind(config.socket(), true);
            this.mainServer = new Listener(channel, 0);
            mainServer.register();
        }
        catch (final IOException | RuntimeException ex)
        {
            if (null != channel)
            {
                closeQuietly(channel);
            }
            selector.close();
            throw ex;
        }
        this.spare = openSpare();
        this.thread = new Thread(this::run, "pvring-xenstored");
        thread.setDaemon(true);
    }

    /**
     * Starts a xenstored with C xenstored's quotas and per-domain sockets.
     *
     * @param socket dom0 socket path (parent directories are created; a stale socket file is replaced).
     * @return the running server; close it to stop.
     */
    public static Xenstored start(final Path socket)
    {
        return start(XenstoredConfig.of(socket));
    }

    /**
     * Starts a xenstored.
     *
     * @param config socket, domain sockets, quotas.
     * @return the running server; close it to stop.
     * @throws IllegalStateException if another server answers on the socket.
     * @throws UncheckedIOException  if the socket cannot be bound.
     */
    public static Xenstored start(final XenstoredConfig config)
    {
        final Xenstored server;
        try
        {
            server = new Xenstored(config);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot bind xenstored socket: socket=" + config.socket(), ex);
        }
        server.thread.start();
        return server;
    }

    /**
     * The socket whose clients act as a given domain (open while the domain is introduced).
     *
     * @param socket dom0 socket path.
     * @param domid  domain id.
     * @return {@code <socket>.d<domid>}.
     */
    public static Path domainSocketPath(final Path socket, final int domid)
    {
        return socket.resolveSibling(socket.getFileName() + ".d" + domid);
    }

    /**
     * The dom0 socket.
     *
     * @return its path.
     */
    public Path socket()
    {
        return config.socket();
    }

    /**
     * Attaches a non-socket byte stream (e.g. a domain's xenstore ring) whose client acts as {@code domid}.
     *
     * @param transport the stream.
     * @param domid     domain of its client (0 = privileged).
     * @return a handle to signal and detach it.
     */
    public XsTransportHandle attach(final XsStreamTransport transport, final int domid)
    {
        if (null == transport)
        {
            throw new IllegalArgumentException("transport must not be null: transport=null");
        }
        if (domid < 0 || domid >= XenstoredCore.DOMID_SELF)
        {
            throw new IllegalArgumentException("domid must be 0..32751: domid=" + domid);
        }
        final TransportEndpoint endpoint = new TransportEndpoint(transport, domid);
        submit(() ->
        {
            endpoint.conn = core.open(domid, endpoint);
            transports.add(endpoint);
            connections = core.connectionCount();
            service(endpoint);
        });
        return endpoint;
    }

    /**
     * Requests handled so far.
     *
     * @return message count.
     */
    public long messages()
    {
        return core.messages;
    }

    /**
     * {@code XS_ERROR} replies sent so far.
     *
     * @return error reply count.
     */
    public long errorReplies()
    {
        return core.errorReplies;
    }

    /**
     * Connections dropped for framing violations (payload above 4096 bytes).
     *
     * @return count.
     */
    public long protocolErrors()
    {
        return protocolErrors;
    }

    /**
     * Connections closed as soon as they were accepted: their socket already had
     * {@link XenstoredConfig#connectionsPerSocket()} open connections, their (unprivileged) domain already held
     * {@link XsQuotas#connectionsPerDomain()}, or they waited while xenstored had no file descriptor left.
     *
     * @return count.
     */
    public long refusedConnections()
    {
        return refusedConnections;
    }

    /**
     * Failed {@code accept} calls (e.g. {@code EMFILE}: no file descriptor left); each one pauses accepting on
     * that socket for a back-off (10 ms doubling to 1 s).
     *
     * @return count.
     */
    public long acceptFailures()
    {
        return acceptFailures;
    }

    /**
     * Iterations of the server loop that failed outside any one connection (expected to stay 0; the loop
     * survives them).
     *
     * @return count.
     */
    public long loopFailures()
    {
        return loopFailures;
    }

    /**
     * Log lines written, and dropped by the rate limit.
     *
     * @return {@code {written, suppressed, failed}}: lines written (summaries included), lines dropped by the
     *         rate limit, lines the logger failed to write.
     */
    public long[] logLines()
    {
        return new long[] {log.lines(), log.suppressed(), log.failures()};
    }

    /**
     * Requests that hit a server bug (answered {@code EIO}); expected to stay 0.
     *
     * @return count.
     */
    public long internalErrors()
    {
        return core.internalErrors;
    }

    /**
     * Open client connections.
     *
     * @return count.
     */
    public int connections()
    {
        return connections;
    }

    /**
     * Runs a query on the server thread (tests: server-side bounds).
     *
     * @param query what to compute from the core.
     * @param <T>   result type.
     * @return the result.
     */
    <T> T inspect(final java.util.function.Function<XenstoredCore, T> query)
    {
        final java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        submit(() -> result.complete(query.apply(core)));
        try
        {
            return result.get(10, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("xenstored did not answer the inspection", ex);
        }
    }

    /**
     * Whether the server thread is running.
     *
     * @return true until {@link #close()} finished (or the thread died).
     */
    public boolean isRunning()
    {
        return running && thread.isAlive();
    }

    /**
     * Stops the server: closes every connection and socket and removes the socket files.
     */
    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        if (Thread.currentThread() != thread)
        {
            try
            {
                if (!stopped.await(10, TimeUnit.SECONDS))
                {
                    try
                    {
                        LOG.log(System.Logger.Level.WARNING, "xenstored thread did not stop in time");
                    }
                    catch (final Throwable ignore)
                    {
                        // nothing else to tell
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private void submit(final Runnable task)
    {
        tasks.add(task);
        selector.wakeup();
    }

    /**
     * Binds a listening socket at {@code path}. An existing file there is replaced if nothing answers on it; with
     * {@code probe} false it is replaced without asking (domain sockets: the {@code <socket>.d*} names belong to
     * this server, whose main socket was checked at start, so whatever sits there is stale or a squatter).
     */
    private static ServerSocketChannel bind(final Path path, final boolean probe) throws IOException
    {
        final Path parent = path.toAbsolutePath().getParent();
        if (null != parent)
        {
            Files.createDirectories(parent);
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            if (probe && answers(path))
            {
                throw new IllegalStateException("another xenstored answers on the socket: socket=" + path);
            }
            Files.deleteIfExists(path);
        }
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
        }
        catch (final IOException ex)
        {
            server.close();
            throw ex;
        }
        return server;
    }

    /**
     * Whether something listens on {@code path}, asked without blocking (see {@link XsSockets}): a listener that
     * accepts, or one whose backlog stays full, counts as alive; a refused connect means a stale file.
     */
    private static boolean answers(final Path path)
    {
        try (SocketChannel probe = XsSockets.connect(path, System.nanoTime() + PROBE_TIMEOUT_NANOS))
        {
            return probe.isConnected();
        }
        catch (final ConnectException refused)
        {
            // Nobody listens (or it is not a socket): a stale file.
            return false;
        }
        catch (final IOException busy)
        {
            // A listener whose backlog stayed full (it exists, it just does not accept); or the file (or the
            // target of a link) is gone.
            return Files.exists(path);
        }
    }

    private void run()
    {
        try
        {
            while (running)
            {
                try
                {
                    iterate();
                    loopBackoffNanos = 0;
                }
                catch (final ClosedSelectorException ex)
                {
                    return;
                }
                catch (final Throwable ex)
                {
                    // Whatever failed (an Error from a library, a full heap), the server stays up: count it, log it
                    // (rate-limited), and pause a little so a failure that repeats cannot spin the loop.
                    loopFailures++;
                    log.log("loop failed", System.Logger.Level.ERROR, "xenstored loop iteration failed", ex);
                    loopBackoffNanos = Math.min(MAX_BACKOFF_NANOS,
                        Math.max(TimeUnit.MILLISECONDS.toNanos(1), loopBackoffNanos * 2));
                    pause(loopBackoffNanos);
                }
            }
        }
        finally
        {
            try
            {
                shutdown();
            }
            catch (final Throwable ex)
            {
                log.log("shutdown failed", System.Logger.Level.ERROR, "xenstored shutdown failed", ex);
            }
            stopped.countDown();
        }
    }

    private void iterate() throws IOException
    {
        selector.select(selectTimeoutMillis());
        log.tick();
        resumeListeners();
        Runnable task;
        while (null != (task = tasks.poll()))
        {
            runTask(task);
        }
        final Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext())
        {
            final SelectionKey key = it.next();
            it.remove();
            onKey(key);
        }
        for (final TransportEndpoint endpoint : new ArrayList<>(transports))
        {
            service(endpoint);
        }
        flushDirty();
    }

    /** Poll transports every 20 ms, wake when a paused socket may accept again, and at least once a second. */
    private long selectTimeoutMillis()
    {
        long timeout = transports.isEmpty() ? MAX_SELECT_MILLIS : TRANSPORT_POLL_MILLIS;
        final long now = System.nanoTime();
        timeout = Math.min(timeout, mainServer.millisUntilResume(now));
        for (final Listener listener : domainServers.values())
        {
            timeout = Math.min(timeout, listener.millisUntilResume(now));
        }
        return Math.max(1, timeout);
    }

    private void resumeListeners()
    {
        final long now = System.nanoTime();
        mainServer.resumeIfDue(now);
        for (final Listener listener : domainServers.values())
        {
            listener.resumeIfDue(now);
        }
    }

    private static void pause(final long nanos)
    {
        try
        {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
        catch (final InterruptedException ex)
        {
            // The loop re-checks running.
        }
    }

    private void onKey(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return;
        }
        if (key.attachment() instanceof Listener listener)
        {
            if (key.isAcceptable())
            {
                accept(listener);
            }
            return;
        }
        final SocketEndpoint endpoint = (SocketEndpoint)key.attachment();
        try
        {
            if (key.isWritable())
            {
                endpoint.flush();
            }
            if (key.isValid() && key.isReadable())
            {
                endpoint.readInput();
            }
            endpoint.updateInterest();
        }
        catch (final Throwable ex)
        {
            failed(endpoint, ex);
        }
    }

    private void runTask(final Runnable task)
    {
        try
        {
            task.run();
        }
        catch (final Throwable ex)
        {
            log.log("task failed", System.Logger.Level.WARNING, "xenstored task failed", ex);
        }
    }

    /**
     * One connection failed outside the protocol (its transport, notifier or memory threw; an
     * {@link InternalError} is how the JVM reports a fault in a mapping its peer truncated): only that connection
     * is dropped, every other one is served on.
     */
    private void failed(final Endpoint endpoint, final Throwable ex)
    {
        log.log("connection failed", System.Logger.Level.WARNING, "dropping a client whose connection failed: domid=" +
            (null == endpoint.conn ? -1 : endpoint.conn.domid), ex);
        try
        {
            endpoint.drop();
        }
        catch (final Throwable again)
        {
            log.log("drop failed", System.Logger.Level.WARNING, "dropping the failed client failed too", again);
        }
    }

    /**
     * Accepts what waits on a socket (a bounded batch per wake-up): within the bounds a connection is served,
     * beyond them it is closed at once. A failed {@code accept} pauses the socket (see {@link #acceptFailed}).
     */
    private void accept(final Listener listener)
    {
        for (int i = 0; i < ACCEPT_BATCH; i++)
        {
            final SocketChannel channel;
            try
            {
                channel = listener.channel.accept();
            }
            catch (final Throwable ex)
            {
                // IOException: EMFILE/ENFILE/ENOBUFS...; an Error too (loading a class needs a descriptor as well).
                acceptFailed(listener, ex);
                return;
            }
            listener.backoffNanos = 0;
            if (null == channel)
            {
                return;
            }
            admit(listener, channel);
        }
    }

    private void admit(final Listener listener, final SocketChannel channel)
    {
        final int domid = listener.domid;
        if (listener.open >= config.connectionsPerSocket() || !core.mayOpen(domid))
        {
            // Per-connection bounds only bound a client if its connections are bounded too.
            closeQuietly(channel);
            refusedConnections++;
            log.log("connection refused", System.Logger.Level.WARNING,
                "refusing a connection beyond the bounds: domid=" + domid + " open=" + listener.open +
                " connectionsPerSocket=" + config.connectionsPerSocket() + " connectionsPerDomain=" +
                config.quotas().connectionsPerDomain(), null);
            return;
        }
        SocketEndpoint endpoint = null;
        try
        {
            channel.configureBlocking(false);
            endpoint = new SocketEndpoint(channel, listener);
            endpoint.conn = core.open(domid, endpoint);
            listener.open++;
            endpoint.counted = true;
            endpoint.key = channel.register(selector, SelectionKey.OP_READ, endpoint);
            connections = core.connectionCount();
        }
        catch (final Throwable ex)
        {
            log.log("accept failed", System.Logger.Level.WARNING,
                "cannot serve an accepted connection: domid=" + domid + " error=" + ex, null);
            if (null != endpoint && null != endpoint.conn)
            {
                endpoint.drop();
            }
            else
            {
                closeQuietly(channel);
            }
        }
    }

    /**
     * {@code accept} failed (most likely no file descriptor left). Spinning on the ready socket would burn a CPU
     * and log without end, so: close the spare descriptor and use it to accept and close what waits (those clients
     * see the refusal instead of hanging), then stop accepting on this socket for a back-off that doubles from
     * 10 ms to 1 s while failures go on.
     */
    private void acceptFailed(final Listener listener, final Throwable ex)
    {
        acceptFailures++;
        final long backoff = 0 == listener.backoffNanos ? MIN_BACKOFF_NANOS :
            Math.min(MAX_BACKOFF_NANOS, listener.backoffNanos * 2);
        listener.backoffNanos = backoff;
        log.log("accept failed", System.Logger.Level.WARNING, "accept failed; pausing the socket for " +
            TimeUnit.NANOSECONDS.toMillis(backoff) + " ms: domid=" + listener.domid + " error=" + ex, null);
        shed(listener);
        listener.pause(System.nanoTime() + backoff);
    }

    /** Accepts and closes waiting connections through the spare descriptor, then takes the spare back. */
    private void shed(final Listener listener)
    {
        if (null == spare)
        {
            spare = openSpare();
            return;
        }
        closeQuietly(spare);
        spare = null;
        int shed = 0;
        try
        {
            SocketChannel waiting;
            while (shed < SHED_BATCH && null != (waiting = listener.channel.accept()))
            {
                closeQuietly(waiting);
                shed++;
            }
        }
        catch (final Throwable ignore)
        {
            // Still no descriptor (another thread took it): the back-off covers it.
        }
        finally
        {
            spare = openSpare();
        }
        if (shed > 0)
        {
            refusedConnections += shed;
            log.log("connection refused", System.Logger.Level.WARNING, "no file descriptor left: closed " + shed +
                " waiting connections: domid=" + listener.domid, null);
        }
    }

    /** A descriptor held in reserve for {@link #shed}; null if none can be opened now (retried on next use). */
    private static FileChannel openSpare()
    {
        try
        {
            return FileChannel.open(SPARE_FILE, StandardOpenOption.READ);
        }
        catch (final Throwable ex)
        {
            return null;
        }
    }

    /** Feeds buffered input to the core while flow control allows; false if the connection was dropped. */
    private boolean pump(final Endpoint endpoint)
    {
        final XsServerConnection conn = endpoint.conn;
        final ByteBuffer input = conn.input;
        input.flip();
        try
        {
            while (input.hasRemaining() && !conn.closed && !core.inputBlocked(conn))
            {
                final int result = conn.decoder.decode(input);
                if (XsFrameDecoder.MESSAGE == result)
                {
                    core.handle(conn, conn.decoder.type(), conn.decoder.reqId(), conn.decoder.txId(),
                        conn.decoder.payloadArray(), conn.decoder.length());
                }
                else if (XsFrameDecoder.PAYLOAD_TOO_LONG == result)
                {
                    protocolErrors++;
                    log.log("payload too long", System.Logger.Level.WARNING, "dropping client: payload too long: " +
                        "length=" + conn.decoder.rejectedLength() + " domid=" + conn.domid, null);
                    endpoint.drop();
                    return false;
                }
            }
        }
        finally
        {
            input.compact();
        }
        return !conn.closed;
    }

    private void flushDirty()
    {
        while (!dirty.isEmpty())
        {
            final Iterator<Endpoint> it = dirty.iterator();
            final Endpoint endpoint = it.next();
            it.remove();
            if (!endpoint.conn.closed)
            {
                try
                {
                    endpoint.flush();
                    endpoint.updateInterest();
                }
                catch (final Throwable ex)
                {
                    failed(endpoint, ex);
                }
            }
        }
    }

    private void service(final TransportEndpoint endpoint)
    {
        if (null == endpoint.conn || endpoint.conn.closed)
        {
            return;
        }
        endpoint.signalled = false;
        try
        {
            endpoint.flush();
            endpoint.readInput();
        }
        catch (final Throwable ex)
        {
            failed(endpoint, ex);
        }
    }

    private void shutdown()
    {
        for (final SelectionKey key : new ArrayList<>(selector.keys()))
        {
            if (key.attachment() instanceof SocketEndpoint endpoint)
            {
                endpoint.drop();
            }
        }
        for (final TransportEndpoint endpoint : new ArrayList<>(transports))
        {
            endpoint.drop();
        }
        for (final Listener listener : new ArrayList<>(domainServers.values()))
        {
            closeQuietly(listener.channel);
        }
        for (final int domid : new ArrayList<>(domainServers.keySet()))
        {
            deleteQuietly(domainSocketPath(config.socket(), domid));
        }
        domainServers.clear();
        closeQuietly(mainServer.channel);
        deleteQuietly(config.socket());
        if (null != spare)
        {
            closeQuietly(spare);
            spare = null;
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
        running = false;
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

    private static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // best effort
        }
    }

    /** Opens and closes the per-domain sockets on INTRODUCE and RELEASE. */
    private final class DomainSockets implements XenstoredCore.DomainListener
    {
        @Override
        public void introduced(final int domid)
        {
            if (!config.domainSockets() || domainServers.containsKey(domid))
            {
                return;
            }
            ServerSocketChannel server = null;
            try
            {
                server = bind(domainSocketPath(config.socket(), domid), false);
                final Listener listener = new Listener(server, domid);
                listener.register();
                domainServers.put(domid, listener);
            }
            catch (final IOException | RuntimeException ex)
            {
                if (null != server)
                {
                    closeQuietly(server);
                }
                log.log("domain socket failed", System.Logger.Level.WARNING, "cannot open domain socket: domid=" +
                    domid, ex);
                throw XsFailure.of(XsError.EIO);
            }
        }

        @Override
        public void released(final int domid)
        {
            final Listener listener = domainServers.remove(domid);
            if (null != listener)
            {
                closeQuietly(listener.channel);
                deleteQuietly(domainSocketPath(config.socket(), domid));
            }
        }
    }

    /**
     * A listening socket: the domain its clients act as, how many of its connections are open, and its accept
     * back-off (while paused, OP_ACCEPT is off).
     */
    private final class Listener
    {
        final ServerSocketChannel channel;
        final int domid;
        SelectionKey key;
        int open;
        long backoffNanos;
        boolean paused;
        long resumeAtNanos;

        Listener(final ServerSocketChannel channel, final int domid)
        {
            this.channel = channel;
            this.domid = domid;
        }

        void register() throws IOException
        {
            key = channel.register(selector, SelectionKey.OP_ACCEPT, this);
        }

        void pause(final long untilNanos)
        {
            paused = true;
            resumeAtNanos = untilNanos;
            setInterest(0);
        }

        void resumeIfDue(final long now)
        {
            if (paused && now - resumeAtNanos >= 0)
            {
                paused = false;
                setInterest(SelectionKey.OP_ACCEPT);
            }
        }

        long millisUntilResume(final long now)
        {
            if (!paused)
            {
                return Long.MAX_VALUE;
            }
            return Math.max(0, TimeUnit.NANOSECONDS.toMillis(resumeAtNanos - now) + 1);
        }

        private void setInterest(final int ops)
        {
            try
            {
                if (null != key && key.isValid())
                {
                    key.interestOps(ops);
                }
            }
            catch (final RuntimeException ex)
            {
                // The socket was closed (domain released): nothing to accept on.
            }
        }
    }

    /** Common part of socket and transport connections. */
    private abstract class Endpoint implements XsServerConnection.Io
    {
        XsServerConnection conn;

        abstract int readBytes(ByteBuffer dst) throws IOException;

        abstract long writeBytes(ByteBuffer[] srcs, int count) throws IOException;

        abstract void updateInterest();

        abstract void closeChannel();

        void readInput()
        {
            try
            {
                while (!conn.closed && !core.inputBlocked(conn))
                {
                    if (!conn.input.hasRemaining())
                    {
                        if (!pump(this))
                        {
                            return;
                        }
                        if (!conn.input.hasRemaining())
                        {
                            return;
                        }
                    }
                    final int n = readBytes(conn.input);
                    if (n < 0)
                    {
                        drop();
                        return;
                    }
                    if (0 == n || !pump(this))
                    {
                        return;
                    }
                }
            }
            catch (final IOException ex)
            {
                drop();
            }
        }

        void flush()
        {
            final boolean wasBlocked = core.inputBlocked(conn);
            try
            {
                while (!conn.output.isEmpty())
                {
                    int count = 0;
                    for (final XsServerConnection.Outgoing o : conn.output)
                    {
                        gather[count++] = ByteBuffer.wrap(o.bytes, o.written, o.bytes.length - o.written);
                        if (GATHER == count)
                        {
                            break;
                        }
                    }
                    final long n = writeBytes(gather, count);
                    long left = n;
                    while (left > 0 && !conn.output.isEmpty())
                    {
                        final XsServerConnection.Outgoing o = conn.output.peek();
                        final int step = (int)Math.min(left, o.bytes.length - o.written);
                        o.written += step;
                        left -= step;
                        if (o.written == o.bytes.length)
                        {
                            conn.headWritten();
                        }
                    }
                    if (0 == n)
                    {
                        break;
                    }
                }
            }
            catch (final IOException ex)
            {
                drop();
                return;
            }
            finally
            {
                for (int i = 0; i < GATHER; i++)
                {
                    gather[i] = null;
                }
            }
            if (wasBlocked && !core.inputBlocked(conn) && conn.input.position() > 0)
            {
                // Requests held back by flow control: process them now, and flush what they produce.
                if (pump(this))
                {
                    dirty.add(this);
                }
            }
        }

        void drop()
        {
            if (null != conn)
            {
                core.close(conn);
            }
            closeChannel();
            dirty.remove(this);
            connections = core.connectionCount();
        }

        @Override
        public void outputQueued(final XsServerConnection c)
        {
            dirty.add(this);
        }

        @Override
        public void closeRequested(final XsServerConnection c)
        {
            drop();
        }
    }

    private final class SocketEndpoint extends Endpoint
    {
        private final SocketChannel channel;
        private final Listener listener;
        SelectionKey key;
        boolean counted;

        SocketEndpoint(final SocketChannel channel, final Listener listener)
        {
            this.channel = channel;
            this.listener = listener;
        }

        @Override
        int readBytes(final ByteBuffer dst) throws IOException
        {
            return channel.read(dst);
        }

        @Override
        long writeBytes(final ByteBuffer[] srcs, final int count) throws IOException
        {
            return channel.write(srcs, 0, count);
        }

        @Override
        void updateInterest()
        {
            if (null == key || !key.isValid())
            {
                return;
            }
            int ops = 0;
            if (!core.inputBlocked(conn))
            {
                ops |= SelectionKey.OP_READ;
            }
            if (!conn.output.isEmpty())
            {
                ops |= SelectionKey.OP_WRITE;
            }
            try
            {
                key.interestOps(ops);
            }
            catch (final RuntimeException ex)
            {
                drop();
            }
        }

        @Override
        void closeChannel()
        {
            if (counted)
            {
                counted = false;
                listener.open--;
            }
            if (null != key)
            {
                key.cancel();
            }
            closeQuietly(channel);
        }
    }

    private final class TransportEndpoint extends Endpoint implements XsTransportHandle
    {
        private final XsStreamTransport transport;
        private final int domid;
        private volatile boolean open = true;
        volatile boolean signalled;

        TransportEndpoint(final XsStreamTransport transport, final int domid)
        {
            this.transport = transport;
            this.domid = domid;
        }

        @Override
        int readBytes(final ByteBuffer dst) throws IOException
        {
            return transport.read(dst);
        }

        @Override
        long writeBytes(final ByteBuffer[] srcs, final int count) throws IOException
        {
            long total = 0;
            for (int i = 0; i < count; i++)
            {
                final int want = srcs[i].remaining();
                final int n = transport.write(srcs[i]);
                if (n < 0)
                {
                    throw new ClosedChannelException();
                }
                total += n;
                if (n < want)
                {
                    break;
                }
            }
            return total;
        }

        @Override
        void updateInterest()
        {
            // Transports are serviced on signal and by polling.
        }

        @Override
        void closeChannel()
        {
            if (transports.remove(this))
            {
                open = false;
                try
                {
                    transport.closed();
                }
                catch (final RuntimeException ex)
                {
                    log.log("transport close failed", System.Logger.Level.WARNING, "transport close failed: domid=" +
                        domid, ex);
                }
            }
            open = false;
        }

        @Override
        public void signal()
        {
            if (!signalled)
            {
                signalled = true;
                selector.wakeup();
            }
        }

        @Override
        public boolean isOpen()
        {
            return open && running;
        }

        @Override
        public void close()
        {
            if (open)
            {
                submit(this::drop);
            }
        }
    }
}
