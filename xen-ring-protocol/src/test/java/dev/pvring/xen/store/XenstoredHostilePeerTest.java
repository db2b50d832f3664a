/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xenstored and its client against processes that squat socket paths, never accept, or fail inside a transport:
 * each is contained to itself, nothing blocks the daemon.
 */
class XenstoredHostilePeerTest
{
    @TempDir
    Path dir;

    @Test
    void shouldOpenADomainSocketWhoseGuestSquatsThePathWithAListenerThatNeverAccepts() throws Exception
    {
        final Path socket = dir.resolve("socket");
        try (Xenstored server = Xenstored.start(socket);
             SocketXenStore dom0 = SocketXenStore.connect(socket, 5_000, 16);
             Squatter squatter = new Squatter(Xenstored.domainSocketPath(socket, 7)))
        {
            final long start = System.nanoTime();
            dom0.introduceDomain(7, 1007, 1);
            assertThat(System.nanoTime() - start).as("no wait on the squatter").isLessThan(
                TimeUnit.SECONDS.toNanos(3));

            try (SocketXenStore dom7 = SocketXenStore.connect(Xenstored.domainSocketPath(socket, 7), 5_000, 16))
            {
                assertThat(dom7.getDomainPath(7)).isEqualTo("/local/domain/7");
            }
            assertThat(server.isRunning()).isTrue();
            assertThat(squatter.queued()).as("the squatter's backlog was full").isPositive();
        }
    }

    @Test
    void shouldRefuseAMainSocketPathWhoseListenerNeverAcceptsWithoutWaiting() throws Exception
    {
        final Path socket = dir.resolve("socket");
        try (Squatter squatter = new Squatter(socket))
        {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> Xenstored.start(socket))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("another xenstored answers on the socket: socket=" + socket));
            assertThat(squatter.queued()).as("the squatter's backlog was full").isPositive();
        }
    }

    @Test
    void shouldGiveUpConnectingToAListenerThatNeverAcceptsAtTheTimeout() throws Exception
    {
        final Path socket = dir.resolve("squatted");
        try (Squatter squatter = new Squatter(socket))
        {
            assertThat(squatter.queued()).as("the squatter's backlog is full").isPositive();
            final long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> SocketXenStore.connect(socket, 300, 16))
                    .isInstanceOf(XenStoreException.class)
                    .hasMessage("EIO: cannot connect to xenstored: socket=" + socket)
                    .satisfies(ex -> assertThat(((XenStoreException)ex).isConnectionBroken()).isTrue()));
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        }
    }

    @Test
    void shouldConnectOnceABusyListenerAcceptsAgain() throws Exception
    {
        final Path socket = dir.resolve("busy");
        try (Squatter busy = new Squatter(socket))
        {
            final Thread acceptor = new Thread(() ->
            {
                try
                {
                    Thread.sleep(300);
                    busy.acceptOne();
                }
                catch (final IOException | InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            acceptor.start();
            try (SocketXenStore client = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> SocketXenStore.connect(socket, 5_000, 16)))
            {
                assertThat(client.isBroken()).isFalse();
            }
            acceptor.join();
        }
    }

    @Test
    void shouldDropOnlyTheTransportThatFailsAndServeEveryoneElse() throws Exception
    {
        try (Xenstored server = Xenstored.start(dir.resolve("socket"));
             SocketXenStore dom0 = XsTestSupport.dom0(server))
        {
            final List<FailingTransport> transports = List.of(
                new FailingTransport(true, new IllegalStateException("notifier failed")),
                new FailingTransport(true, new InternalError("a fault occurred in an unsafe memory access operation")),
                new FailingTransport(false, new IllegalStateException("ring page unmapped")),
                new FailingTransport(false, new InternalError("a fault occurred in an unsafe memory access")));
            int value = 0;
            for (final FailingTransport transport : transports)
            {
                final XsTransportHandle handle = server.attach(transport, 5);
                handle.signal();

                assertThat(transport.closed.await(10, TimeUnit.SECONDS)).as("%s dropped", transport).isTrue();
                assertThat(handle.isOpen()).isFalse();
                assertThat(server.isRunning()).as("after %s", transport).isTrue();
                dom0.write("/alive", Integer.toString(++value));
                assertThat(dom0.readString("/alive")).isEqualTo(Integer.toString(value));
            }
            assertThat(server.connections()).as("only dom0's socket is left").isOne();
        }
    }

    @Test
    void shouldCapTheConnectionsOfADomainButNotOfDom0() throws Exception
    {
        final Path socket = dir.resolve("socket");
        try (Xenstored server = Xenstored.start(
            XenstoredConfig.of(socket).withQuotas(XsQuotas.DEFAULTS.withConnectionsPerDomain(3)));
             SocketXenStore dom0 = XsTestSupport.dom0(server))
        {
            final List<SocketXenStore> dom4 = new ArrayList<>();
            try
            {
                for (int i = 0; i < 3; i++)
                {
                    dom4.add(XsTestSupport.domU(server, dom0, 4));
                    assertThat(dom4.get(i).getDomainPath(4)).isEqualTo("/local/domain/4");
                }
                try (SocketXenStore fourth = SocketXenStore.connect(Xenstored.domainSocketPath(socket, 4), 5_000, 16))
                {
                    final long refusedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (server.refusedConnections() == 0)
                    {
                        assertThat(System.nanoTime()).as("fourth connection refused").isLessThan(refusedBy);
                        Thread.sleep(5);
                    }
                    assertThatThrownBy(() -> fourth.getDomainPath(4))
                        .isInstanceOf(XenStoreException.class)
                        .hasMessage("EIO: get domain path 4: write failed")
                        .satisfies(ex -> assertThat(((XenStoreException)ex).isConnectionBroken()).isTrue());
                }
                assertThat(server.refusedConnections()).isOne();
                final List<SocketXenStore> moreDom0 = new ArrayList<>();
                for (int i = 0; i < 5; i++)
                {
                    moreDom0.add(XsTestSupport.dom0(server));
                    assertThat(moreDom0.get(i).getDomainPath(0)).isEqualTo("/local/domain/0");
                }
                moreDom0.forEach(SocketXenStore::close);

                dom4.remove(0).close();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (server.connections() > 1 + dom4.size())
                {
                    assertThat(System.nanoTime()).as("closed connections noticed").isLessThan(deadline);
                    Thread.sleep(5);
                }
                dom4.add(XsTestSupport.domU(server, dom0, 4));
                assertThat(dom4.get(2).getDomainPath(4)).as("room again").isEqualTo("/local/domain/4");
                assertThat(server.refusedConnections()).isOne();
            }
            finally
            {
                dom4.forEach(SocketXenStore::close);
            }
        }
    }

    /**
     * A transport that throws from read, or sends one request and throws from the write of the reply.
     */
    static final class FailingTransport implements XsStreamTransport
    {
        final CountDownLatch closed = new CountDownLatch(1);
        private final boolean failRead;
        private final Throwable failure;
        private final ByteBuffer request;

        FailingTransport(final boolean failRead, final Throwable failure)
        {
            this.failRead = failRead;
            this.failure = failure;
            this.request = ByteBuffer.wrap(RawXs.message(XsMessageType.READ.code(), 1, 0, RawXs.strings("/")));
        }

        @Override
        public int read(final ByteBuffer dst)
        {
            if (failRead)
            {
                throw sneaky();
            }
            final int n = Math.min(dst.remaining(), request.remaining());
            dst.put(request.array(), request.position(), n);
            request.position(request.position() + n);
            return n;
        }

        @Override
        public int write(final ByteBuffer src)
        {
            throw sneaky();
        }

        @Override
        public void closed()
        {
            closed.countDown();
        }

        private RuntimeException sneaky()
        {
            if (failure instanceof Error error)
            {
                throw error;
            }
            return (RuntimeException)failure;
        }

        @Override
        public String toString()
        {
            return (failRead ? "read: " : "write: ") + failure;
        }
    }

    /**
     * A listener with a backlog of one that never accepts, filled with connections until the kernel refuses more:
     * a blocking connect to it would wait forever.
     */
    static final class Squatter implements AutoCloseable
    {
        private final ServerSocketChannel listener;
        private final List<SocketChannel> fillers = new ArrayList<>();

        Squatter(final Path path) throws IOException
        {
            listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            listener.bind(UnixDomainSocketAddress.of(path), 1);
            for (int i = 0; i < 64; i++)
            {
                final SocketChannel filler = SocketChannel.open(StandardProtocolFamily.UNIX);
                filler.configureBlocking(false);
                try
                {
                    filler.connect(UnixDomainSocketAddress.of(path));
                    fillers.add(filler);
                }
                catch (final IOException full)
                {
                    filler.close();
                    return;
                }
            }
            throw new AssertionError("the backlog never filled: connections=" + fillers.size());
        }

        int queued()
        {
            return fillers.size();
        }

        void acceptOne() throws IOException
        {
            fillers.add(listener.accept());
        }

        @Override
        public void close() throws IOException
        {
            for (final SocketChannel filler : fillers)
            {
                filler.close();
            }
            listener.close();
        }
    }
}
