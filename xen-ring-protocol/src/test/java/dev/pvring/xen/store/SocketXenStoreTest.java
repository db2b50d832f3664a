/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketXenStoreTest
{
    @TempDir
    Path dir;

    @Test
    void shouldServeConcurrentCallersWhileAnotherThreadWaitsForEvents() throws Exception
    {
        try (Xenstored server = XsTestSupport.start(dir);
             SocketXenStore client = XsTestSupport.dom0(server))
        {
            client.watch("/conc", "all");
            final List<Throwable> failures = new CopyOnWriteArrayList<>();
            final AtomicBoolean done = new AtomicBoolean();
            final List<XsWatchEvent> events = new CopyOnWriteArrayList<>();
            final Thread poller = new Thread(() ->
            {
                while (!done.get())
                {
                    final XsWatchEvent e = client.awaitWatchEvent("all", 20, TimeUnit.MILLISECONDS);
                    if (null != e)
                    {
                        events.add(e);
                    }
                }
            });
            poller.start();
            final List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++)
            {
                final int id = t;
                final Thread w = new Thread(() ->
                {
                    try
                    {
                        for (int i = 0; i < 300; i++)
                        {
                            final String key = "/conc/t" + id + "/k" + i;
                            client.write(key, id + ":" + i);
                            assertThat(client.readString(key)).isEqualTo(id + ":" + i);
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failures.add(ex);
                    }
                });
                workers.add(w);
                w.start();
            }
            for (final Thread w : workers)
            {
                w.join(60_000);
            }
            // the last writes' events may still be on their way to the poller (a loaded machine may not run it for a
            // while): wait for them instead of assuming a fixed sleep is long enough
            final List<XsWatchEvent> expected = List.of(new XsWatchEvent("/conc", "all"),
                new XsWatchEvent("/conc/t3/k299", "all"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!events.containsAll(expected) && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(10);
            }
            done.set(true);
            poller.join(5000);
            assertThat(failures).isEmpty();
            assertThat(events).containsAll(expected);
            assertThat(client.directory("/conc")).containsExactlyInAnyOrder("t0", "t1", "t2", "t3");
        }
    }

    @Test
    void shouldCollapseClientQueueOverflowIntoTheWatchedPath() throws Exception
    {
        try (Xenstored server = XsTestSupport.start(dir);
             SocketXenStore client = SocketXenStore.connect(server.socket(), 5000, 4))
        {
            client.watch("/o", "t");
            for (int i = 0; i < 20; i++)
            {
                client.write("/o/k" + i, "v");
            }
            final List<String> paths = new ArrayList<>();
            XsWatchEvent e;
            while (null != (e = client.pollWatchEvent()))
            {
                paths.add(e.path());
            }
            assertThat(paths).hasSizeLessThanOrEqualTo(5).contains("/o");
            assertThat(client.droppedEvents()).isZero();
        }
    }

    @Test
    void shouldRejectLocalMisuseWithoutBreakingTheConnection() throws Exception
    {
        try (Xenstored server = XsTestSupport.start(dir);
             SocketXenStore client = XsTestSupport.dom0(server))
        {
            assertThatThrownBy(() -> client.read("/a\0b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("xenstore strings must not contain NUL: value=/a?b");
            assertThatThrownBy(() -> client.write(0, "/big", new byte[5000]))
                .isInstanceOf(XenStoreException.class)
                .hasMessage("E2BIG: write /big: request payload too long: length=5005");
            assertThatThrownBy(() -> client.transaction(0, tx -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be positive: maxAttempts=0");
            assertThat(client.isBroken()).isFalse();
            assertThat(client.directory("/")).containsExactly("tool");
        }
    }

    @Test
    void shouldAbortTransactionWhenBodyThrows() throws Exception
    {
        try (Xenstored server = XsTestSupport.start(dir);
             SocketXenStore client = XsTestSupport.dom0(server))
        {
            assertThatThrownBy(() -> client.transaction(tx ->
            {
                client.write(tx, "/never", "x");
                throw new IllegalStateException("body failed: step=1");
            })).isInstanceOf(IllegalStateException.class).hasMessage("body failed: step=1");
            assertThat(client.readStringOrNull(0, "/never")).isNull();
            assertThat(server.inspect(XenstoredCore::transactionCount)).isZero();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // A hostile or broken server

    /** Replies to each request with whatever the script returns for its header (type, reqId). */
    private Path fakeServer(final Function<int[], byte[]> script, final List<Thread> threads) throws IOException
    {
        final Path socket = dir.resolve("fake-" + System.nanoTime());
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        final Thread t = new Thread(() ->
        {
            try (server; SocketChannel ch = server.accept())
            {
                final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                while (true)
                {
                    header.clear();
                    while (header.hasRemaining())
                    {
                        if (ch.read(header) < 0)
                        {
                            return;
                        }
                    }
                    final ByteBuffer payload = ByteBuffer.allocate(header.getInt(12));
                    while (payload.hasRemaining())
                    {
                        ch.read(payload);
                    }
                    final byte[] reply = script.apply(new int[] {header.getInt(0), header.getInt(4)});
                    if (null == reply)
                    {
                        return;
                    }
                    ch.write(ByteBuffer.wrap(reply));
                }
            }
            catch (final IOException ignore)
            {
                // test peer gone
            }
        });
        t.setDaemon(true);
        t.start();
        threads.add(t);
        return socket;
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void shouldReportRepliesForAnotherRequestAsBrokenConnection() throws Exception
    {
        final List<Thread> threads = new ArrayList<>();
        final Path socket = fakeServer(h -> RawXs.message(h[0], h[1] + 1, 0, "x".getBytes()), threads);
        try (SocketXenStore client = SocketXenStore.connect(socket))
        {
            assertThatThrownBy(() -> client.read("/a"))
                .isInstanceOf(XenStoreException.class)
                .hasMessageStartingWith("EIO: xenstored sent an unexpected message: type=2")
                .satisfies(ex -> assertThat(((XenStoreException)ex).isConnectionBroken()).isTrue());
            assertThatThrownBy(() -> client.read("/b")).isInstanceOf(XenStoreException.class);
            assertThat(client.isBroken()).isTrue();
        }
    }

    @Test
    void shouldReportOverlongPayloadAndEndOfStream() throws Exception
    {
        final List<Thread> threads = new ArrayList<>();
        final ByteBuffer tooLong = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        tooLong.putInt(2).putInt(1).putInt(0).putInt(5000);
        final Path socket = fakeServer(h -> tooLong.array(), threads);
        try (SocketXenStore client = SocketXenStore.connect(socket))
        {
            assertThatThrownBy(() -> client.read("/a"))
                .isInstanceOf(XenStoreException.class)
                .hasMessage("EIO: xenstored sent a payload above 4096 bytes: length=5000");
        }
        final Path closing = fakeServer(h -> null, threads);
        try (SocketXenStore client = SocketXenStore.connect(closing))
        {
            assertThatThrownBy(() -> client.read("/a"))
                .isInstanceOf(XenStoreException.class)
                .hasMessage("EIO: xenstored closed the connection");
        }
    }

    @Test
    void shouldTimeOutWhenNoReplyComes() throws Exception
    {
        final List<Thread> threads = new ArrayList<>();
        final Path socket = fakeServer(h -> new byte[0], threads);
        try (SocketXenStore client = SocketXenStore.connect(socket, 200, 16))
        {
            final long start = System.nanoTime();
            assertThatThrownBy(() -> client.read("/a"))
                .isInstanceOf(XenStoreException.class)
                .hasMessage("EIO: read /a: no reply in time");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(150L, 5000L);
        }
    }

    @Test
    void shouldDropMalformedEventsAndReportMalformedPayloadsWithoutBreaking() throws Exception
    {
        final List<Thread> threads = new ArrayList<>();
        final Path socket = fakeServer(h ->
        {
            final byte[] badEvent = RawXs.message(XsMessageType.WATCH_EVENT.code(), 0, 0, "no-nul".getBytes());
            final byte[] goodEvent = RawXs.message(XsMessageType.WATCH_EVENT.code(), 0, 0,
                RawXs.strings("/p", "tok"));
            if (XsMessageType.GET_PERMS.code() == h[0])
            {
                return concat(badEvent, RawXs.message(h[0], h[1], 0, RawXs.strings("q9", "r1")));
            }
            if (XsMessageType.TRANSACTION_START.code() == h[0])
            {
                return RawXs.message(h[0], h[1], 0, RawXs.strings("not-a-number"));
            }
            return concat(goodEvent, RawXs.message(h[0], h[1], 0, "value".getBytes()));
        }, threads);
        try (SocketXenStore client = SocketXenStore.connect(socket))
        {
            assertThatThrownBy(() -> client.getPermissions(0, "/p"))
                .isInstanceOf(XenStoreException.class)
                .hasMessage("EIO: malformed GET_PERMS reply: path=/p")
                .satisfies(ex -> assertThat(((XenStoreException)ex).isConnectionBroken()).isFalse());
            assertThat(client.malformedEvents()).isEqualTo(1);
            assertThatThrownBy(client::transactionStart)
                .isInstanceOf(XenStoreException.class)
                .hasMessage("EIO: malformed TRANSACTION_START reply: length=13");
            assertThat(client.readString("/p")).isEqualTo("value");
            assertThat(client.pollWatchEvent()).isEqualTo(new XsWatchEvent("/p", "tok"));
            assertThat(client.isBroken()).isFalse();
        }
    }

    @Test
    void shouldJoinDirectoryPartsSplitAnywhere() throws Exception
    {
        final List<Thread> threads = new ArrayList<>();
        // Parts hold whole names (as xenstored sends them); the last ends with an extra NUL, possibly alone.
        final String[][] scripts = {{"g\0a\0b\0", "g\0\0"}, {"g\0a\0b\0", "g\0c\0\0"}, {"g\0\0"}};
        final List<List<String>> expected = List.of(List.of("a", "b"), List.of("a", "b", "c"), List.of());
        for (int i = 0; i < scripts.length; i++)
        {
            final String[] parts = scripts[i];
            final AtomicInteger next = new AtomicInteger();
            final Path socket = fakeServer(h -> XsMessageType.DIRECTORY.code() == h[0] ? e2big(h) :
                RawXs.message(h[0], h[1], 0, parts[next.getAndIncrement()].getBytes(StandardCharsets.ISO_8859_1)),
                threads);
            try (SocketXenStore client = SocketXenStore.connect(socket))
            {
                assertThat(client.directory("/d")).isEqualTo(expected.get(i));
                assertThat(client.isBroken()).isFalse();
            }
        }
    }

    @Test
    void shouldBreakTheConnectionWhenADirectoryListingNeverEnds() throws Exception
    {
        // A hostile xenstored: E2BIG for DIRECTORY, then DIRECTORY_PART replies that never carry the final NUL,
        // are empty, keep changing the generation, or trickle two bytes at a time.
        final String endless = "7\0" + "a".repeat(4000);
        assertListingBreaks(part -> endless,
            "EIO: directory /local: DIRECTORY_PART listing above " + SocketXenStore.MAX_DIRECTORY_BYTES + " bytes");
        assertListingBreaks(part -> "7\0", "EIO: directory /local: empty DIRECTORY_PART reply: offset=0");
        assertListingBreaks(part -> part + "\0name\0", "EIO: directory /local: the child list changed during " +
            SocketXenStore.MAX_DIRECTORY_RESTARTS + " listings in a row");
        assertListingBreaks(part -> "7\0ab", "EIO: directory /local: DIRECTORY_PART listing did not end after " +
            SocketXenStore.MAX_DIRECTORY_PARTS + " replies: bytes=" + 2 * SocketXenStore.MAX_DIRECTORY_PARTS);
    }

    private void assertListingBreaks(final IntFunction<String> partReply, final String message) throws Exception
    {
        final List<Thread> threads = new ArrayList<>();
        final AtomicInteger parts = new AtomicInteger();
        final Path socket = fakeServer(h -> XsMessageType.DIRECTORY.code() == h[0] ? e2big(h) : RawXs.message(h[0],
            h[1], 0, partReply.apply(parts.incrementAndGet()).getBytes(StandardCharsets.ISO_8859_1)), threads);
        try (SocketXenStore client = SocketXenStore.connect(socket))
        {
            final CompletableFuture<List<String>> listing =
                CompletableFuture.supplyAsync(() -> client.directory("/local"));
            assertThatThrownBy(() -> listing.get(30, TimeUnit.SECONDS))
                .as("a bounded failure, not an endless loop")
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(XenStoreException.class)
                .hasMessage(message)
                .satisfies(ex -> assertThat(((XenStoreException)ex).isConnectionBroken()).isTrue());
            assertThat(client.isBroken()).isTrue();
        }
    }

    private static byte[] e2big(final int[] header)
    {
        return RawXs.message(XsMessageType.ERROR.code(), header[1], 0, "E2BIG\0".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldFailToConnectToAMissingSocketWithBrokenException()
    {
        assertThatThrownBy(() -> SocketXenStore.connect(dir.resolve("missing")))
            .isInstanceOf(XenStoreException.class)
            .hasMessage("EIO: cannot connect to xenstored: socket=" + dir.resolve("missing"));
        final long start = System.nanoTime();
        assertThatThrownBy(() -> SocketXenStore.connect(dir.resolve("missing"), 100, TimeUnit.MILLISECONDS))
            .isInstanceOf(XenStoreException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(90);
    }
}
