/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare xs_wire peer for tests: sends arbitrary bytes, receives messages exactly as xenstored sent them.
 */
final class RawXs implements AutoCloseable
{
    /** One received message. */
    record Msg(int type, int reqId, int txId, byte[] payload)
    {
        String text()
        {
            int end = payload.length;
            if (end > 0 && payload[end - 1] == 0)
            {
                end--;
            }
            return new String(payload, 0, end, StandardCharsets.ISO_8859_1);
        }

        List<String> strings()
        {
            return XsPayload.strings(payload, payload.length);
        }

        XsMessageType messageType()
        {
            return XsMessageType.fromCode(type);
        }
    }

    private final SocketChannel channel;
    private final Selector selector;
    private final XsFrameDecoder decoder = new XsFrameDecoder();
    private final ByteBuffer input = ByteBuffer.allocate(64 * 1024);
    private final ArrayDeque<Msg> received = new ArrayDeque<>();
    private final List<Msg> events = new ArrayList<>();
    private int nextReqId = 100;
    private boolean eof;

    private RawXs(final SocketChannel channel) throws IOException
    {
        this.channel = channel;
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        input.flip();
    }

    static RawXs connect(final Path socket) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new RawXs(channel);
    }

    static byte[] message(final int type, final int reqId, final int txId, final byte[] payload)
    {
        final ByteBuffer b = ByteBuffer.allocate(16 + payload.length).order(XsMessageDescriptor.BYTE_ORDER);
        b.putInt(type).putInt(reqId).putInt(txId).putInt(payload.length).put(payload);
        return b.array();
    }

    static byte[] strings(final String... strings)
    {
        return XsPayload.encodeStrings(strings);
    }

    void sendRaw(final byte[] bytes) throws IOException
    {
        final ByteBuffer b = ByteBuffer.wrap(bytes);
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (b.hasRemaining())
        {
            if (0 == channel.write(b))
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IOException("peer does not read");
                }
                Thread.onSpinWait();
            }
        }
    }

    void send(final int type, final int reqId, final int txId, final byte[] payload) throws IOException
    {
        sendRaw(message(type, reqId, txId, payload));
    }

    /**
     * Sends a request and returns its reply (ERROR or same type); watch events seen meanwhile are kept.
     */
    Msg request(final XsMessageType type, final int txId, final byte[] payload) throws IOException
    {
        final int reqId = nextReqId++;
        send(type.code(), reqId, txId, payload);
        final long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline)
        {
            final Msg m = receive(deadline - System.currentTimeMillis());
            if (null == m)
            {
                break;
            }
            if (XsMessageType.WATCH_EVENT.code() == m.type())
            {
                events.add(m);
                continue;
            }
            if (m.reqId() != reqId)
            {
                throw new IOException("reply for another request: reqId=" + m.reqId() + " expected=" + reqId);
            }
            return m;
        }
        throw new IOException("no reply: type=" + type);
    }

    Msg request(final XsMessageType type, final int txId, final String... strings) throws IOException
    {
        return request(type, txId, strings(strings));
    }

    /** The reply text, or "ERROR:<name>" for an error reply. */
    String call(final XsMessageType type, final int txId, final String... strings) throws IOException
    {
        final Msg m = request(type, txId, strings);
        return XsMessageType.ERROR.code() == m.type() ? "ERROR:" + m.text() : m.text();
    }

    String call(final XsMessageType type, final String... strings) throws IOException
    {
        return call(type, 0, strings);
    }

    List<Msg> events()
    {
        return events;
    }

    /** Collects watch events arriving within the time given. */
    List<Msg> drainEvents(final long millis) throws IOException
    {
        final long deadline = System.currentTimeMillis() + millis;
        long left;
        while ((left = deadline - System.currentTimeMillis()) > 0)
        {
            final Msg m = receive(left);
            if (null == m)
            {
                break;
            }
            if (XsMessageType.WATCH_EVENT.code() == m.type())
            {
                events.add(m);
            }
        }
        final List<Msg> result = new ArrayList<>(events);
        events.clear();
        return result;
    }

    Msg receive(final long timeoutMillis) throws IOException
    {
        final long deadline = System.currentTimeMillis() + Math.max(0, timeoutMillis);
        while (received.isEmpty())
        {
            final int result = decoder.decode(input);
            if (XsFrameDecoder.MESSAGE == result)
            {
                received.add(new Msg(decoder.type(), decoder.reqId(), decoder.txId(),
                    XsPayload.copy(decoder.payloadArray(), 0, decoder.length())));
                continue;
            }
            if (XsFrameDecoder.PAYLOAD_TOO_LONG == result)
            {
                throw new IOException("server sent too long payload");
            }
            final long left = deadline - System.currentTimeMillis();
            if (left <= 0 || eof)
            {
                return null;
            }
            input.compact();
            selector.select(left);
            selector.selectedKeys().clear();
            final int n = channel.read(input);
            input.flip();
            if (n < 0)
            {
                eof = true;
            }
        }
        return received.poll();
    }

    /** Waits for the server to close the connection. */
    boolean awaitClosedByPeer(final long timeoutMillis) throws IOException
    {
        final long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!eof && System.currentTimeMillis() < deadline)
        {
            try
            {
                receive(deadline - System.currentTimeMillis());
            }
            catch (final IOException ex)
            {
                return true;
            }
        }
        return eof;
    }

    @Override
    public void close() throws IOException
    {
        selector.close();
        channel.close();
    }
}
