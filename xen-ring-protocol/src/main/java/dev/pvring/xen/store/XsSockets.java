/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Connecting to a unix socket without ever blocking for good: a blocking {@code connect} to a listener whose
 * backlog is full and which never accepts (a squatter, or a hung server) waits forever.
 */
final class XsSockets
{
    private static final long RETRY_MILLIS = 5;

    private XsSockets()
    {
    }

    /**
     * A non-blocking connect, retried while the listener's backlog is full ({@code EAGAIN}) until the deadline.
     * Nobody listening ({@code ECONNREFUSED}, a {@link java.net.ConnectException}), a missing path or no
     * permission fail at once.
     *
     * @param socket        the socket path.
     * @param deadlineNanos {@link System#nanoTime()} after which to give up.
     * @return the connected channel (non-blocking).
     * @throws IOException the last failure, or {@link SocketTimeoutException} at the deadline.
     */
    static SocketChannel connect(final Path socket, final long deadlineNanos) throws IOException
    {
        final UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        while (true)
        {
            final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try
            {
                channel.configureBlocking(false);
                if (channel.connect(address) || finishConnect(channel, deadlineNanos))
                {
                    return channel;
                }
                throw new SocketTimeoutException("connect timed out: socket=" + socket);
            }
            catch (final IOException ex)
            {
                channel.close();
                final boolean busy = ex.getClass() == SocketException.class && Files.exists(socket);
                if (!busy || System.nanoTime() - deadlineNanos >= 0)
                {
                    throw ex;
                }
            }
            try
            {
                Thread.sleep(RETRY_MILLIS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while connecting: socket=" + socket);
            }
        }
    }

    /** Waits for a connect in progress (Linux completes or refuses unix connects at once; the API allows this). */
    private static boolean finishConnect(final SocketChannel channel, final long deadlineNanos) throws IOException
    {
        try (Selector connecting = Selector.open())
        {
            channel.register(connecting, SelectionKey.OP_CONNECT);
            while (!channel.finishConnect())
            {
                final long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0)
                {
                    return false;
                }
                connecting.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
            }
            return true;
        }
    }
}
