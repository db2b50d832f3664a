/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-socket byte stream (what a xenstore ring page will be) plugged into xenstored.
 */
class XsStreamTransportTest
{
    @TempDir
    Path dir;

    /** An in-memory pipe pair with small capacity, like the 1 KiB halves of a xenstore ring. */
    static final class PipeTransport implements XsStreamTransport
    {
        final ByteBuffer toServer = ByteBuffer.allocate(1024);
        final ByteBuffer toClient = ByteBuffer.allocate(1024);
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean peerGone;

        @Override
        public synchronized int read(final ByteBuffer dst)
        {
            if (peerGone && toServer.position() == 0)
            {
                return -1;
            }
            toServer.flip();
            final int n = Math.min(dst.remaining(), toServer.remaining());
            dst.put(toServer.slice(toServer.position(), n));
            toServer.position(toServer.position() + n);
            toServer.compact();
            return n;
        }

        @Override
        public synchronized int write(final ByteBuffer src)
        {
            final int n = Math.min(src.remaining(), toClient.remaining());
            toClient.put(src.slice(src.position(), n));
            src.position(src.position() + n);
            return n;
        }

        @Override
        public void closed()
        {
            closed.countDown();
        }

        synchronized int offer(final ByteBuffer src)
        {
            final int n = Math.min(src.remaining(), toServer.remaining());
            toServer.put(src.slice(src.position(), n));
            src.position(src.position() + n);
            return n;
        }

        synchronized int take(final ByteBuffer dst)
        {
            toClient.flip();
            final int n = Math.min(dst.remaining(), toClient.remaining());
            dst.put(toClient.slice(toClient.position(), n));
            toClient.position(toClient.position() + n);
            toClient.compact();
            return n;
        }
    }

    private static RawXs.Msg exchange(final PipeTransport pipe, final XsTransportHandle handle, final byte[] request)
        throws InterruptedException
    {
        final ByteBuffer src = ByteBuffer.wrap(request);
        final ByteBuffer in = ByteBuffer.allocate(8192);
        final XsFrameDecoder decoder = new XsFrameDecoder();
        final long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline)
        {
            if (src.hasRemaining() && pipe.offer(src) > 0)
            {
                handle.signal();
            }
            if (pipe.take(in) > 0)
            {
                handle.signal();
            }
            in.flip();
            final int r = decoder.decode(in);
            in.compact();
            if (XsFrameDecoder.MESSAGE == r && XsMessageType.WATCH_EVENT.code() != decoder.type())
            {
                return new RawXs.Msg(decoder.type(), decoder.reqId(), decoder.txId(),
                    XsPayload.copy(decoder.payloadArray(), 0, decoder.length()));
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no reply over the transport");
    }

    @Test
    void shouldServeAClientOverAPluggedByteStream() throws Exception
    {
        try (Xenstored server = XsTestSupport.start(dir);
             SocketXenStore dom0 = XsTestSupport.dom0(server))
        {
            dom0.write("/over/ring", "r".repeat(3000));
            final PipeTransport pipe = new PipeTransport();
            final XsTransportHandle handle = server.attach(pipe, 0);
            final RawXs.Msg reply = exchange(pipe, handle,
                RawXs.message(XsMessageType.READ.code(), 42, 0, RawXs.strings("/over/ring")));
            assertThat(reply.reqId()).isEqualTo(42);
            assertThat(reply.text()).isEqualTo("r".repeat(3000));
            final PipeTransport guest = new PipeTransport();
            final XsTransportHandle guestHandle = server.attach(guest, 5);
            assertThat(exchange(guest, guestHandle,
                RawXs.message(XsMessageType.READ.code(), 1, 0, RawXs.strings("/over/ring"))).text())
                .isEqualTo("EACCES");
            assertThat(server.connections()).isEqualTo(3);
            handle.close();
            assertThat(pipe.closed.await(5, TimeUnit.SECONDS)).isTrue();
            guest.peerGone = true;
            guestHandle.signal();
            assertThat(guest.closed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(guestHandle.isOpen()).isFalse();
            assertThat(dom0.readString("/over/ring")).hasSize(3000);
        }
    }

    @Test
    void shouldRejectBadAttachArguments() throws Exception
    {
        try (Xenstored server = XsTestSupport.start(dir))
        {
            assertThatThrownBy(() -> server.attach(null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transport must not be null: transport=null");
            assertThatThrownBy(() -> server.attach(new PipeTransport(), 0x7FF0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("domid must be 0..32751: domid=32752");
        }
    }
}
