/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes xenstored's framing and dispatcher with random, mostly well-formed-looking messages from privileged and
 * unprivileged connections: no exception may escape, every request gets exactly one reply of at most 4096 bytes,
 * and the store stays consistent (C {@code check_store}). CI runs {@value #DEFAULT_MESSAGES} messages; set
 * {@code -Dpvring.xenstore.fuzz.messages=1000000} (and optionally {@code -Dpvring.xenstore.fuzz.seed=N}) for the
 * full run.
 */
class XenstoredFuzzTest
{
    private static final int DEFAULT_MESSAGES = 100_000;
    private static final String[] NAMES = {"a", "b", "c", "vif", "0", "state", "x-y", "@r", "_"};
    private static final String[] SPECIAL = {"@releaseDomain", "@introduceDomain", "@other"};

    @TempDir
    Path dir;

    /** A connection with a counting, draining output. */
    private static final class FuzzConn implements XsServerConnection.Io
    {
        final XenstoredCore core;
        XsServerConnection conn;
        long replies;
        long events;

        FuzzConn(final XenstoredCore core)
        {
            this.core = core;
        }

        @Override
        public void outputQueued(final XsServerConnection c)
        {
        }

        @Override
        public void closeRequested(final XsServerConnection c)
        {
            core.close(c);
        }

        void drain()
        {
            while (!conn.output.isEmpty())
            {
                final XsServerConnection.Outgoing o = conn.output.peek();
                final ByteBuffer b = ByteBuffer.wrap(o.bytes).order(ByteOrder.LITTLE_ENDIAN);
                final int type = b.getInt(0);
                final int length = b.getInt(12);
                assertThat(length).isBetween(0, XsMessageDescriptor.PAYLOAD_MAX);
                assertThat(o.bytes.length).isEqualTo(16 + length);
                if (XsMessageType.WATCH_EVENT.code() == type)
                {
                    events++;
                }
                else
                {
                    replies++;
                }
                conn.headWritten();
            }
        }
    }

    @Test
    void shouldSurviveRandomMessagesKeepingTheStoreConsistent()
    {
        final int messages = Integer.getInteger("pvring.xenstore.fuzz.messages", DEFAULT_MESSAGES);
        final long seed = Long.getLong("pvring.xenstore.fuzz.seed", 20261122L);
        final SplittableRandom random = new SplittableRandom(seed);
        final XenstoredCore core = new XenstoredCore(XsQuotas.DEFAULTS.withNodesPerDomain(200), new NoSockets());
        final List<FuzzConn> conns = new ArrayList<>();
        for (final int domid : new int[] {0, 0, 3, 3, 4})
        {
            conns.add(open(core, domid));
        }
        final byte[] frame = new byte[XsMessageDescriptor.MESSAGE_MAX + 64];
        long sent = 0;
        long framingErrors = 0;
        final long start = System.nanoTime();
        for (int i = 0; i < messages; i++)
        {
            final int index = random.nextInt(conns.size());
            FuzzConn fc = conns.get(index);
            if (fc.conn.closed)
            {
                fc = open(core, fc.conn.domid);
                conns.set(index, fc);
                if (fc.conn.domid != 0 && !core.isIntroduced(fc.conn.domid))
                {
                    introduce(core, conns.get(0), fc.conn.domid);
                }
            }
            final int length = randomMessage(random, fc.conn, frame);
            // Feed the frame through the decoder in random pieces, like a socket would.
            final ByteBuffer src = ByteBuffer.wrap(frame, 0, length);
            while (src.hasRemaining())
            {
                final int piece = 1 + random.nextInt(Math.max(1, src.remaining()));
                final ByteBuffer slice = src.slice(src.position(), Math.min(piece, src.remaining()));
                while (slice.hasRemaining())
                {
                    final int r = fc.conn.decoder.decode(slice);
                    if (XsFrameDecoder.MESSAGE == r)
                    {
                        final long before = fc.replies + fc.conn.outstandingReplies;
                        core.handle(fc.conn, fc.conn.decoder.type(), fc.conn.decoder.reqId(),
                            fc.conn.decoder.txId(), fc.conn.decoder.payloadArray(), fc.conn.decoder.length());
                        sent++;
                        if (!fc.conn.closed)
                        {
                            assertThat(fc.replies + fc.conn.outstandingReplies).as("one reply per request")
                                .isEqualTo(before + 1);
                        }
                    }
                    else if (XsFrameDecoder.PAYLOAD_TOO_LONG == r)
                    {
                        framingErrors++;
                        core.close(fc.conn);
                        slice.position(slice.limit());
                        src.position(src.limit());
                    }
                }
                src.position(src.position() + Math.min(piece, src.remaining()));
            }
            for (final FuzzConn c : conns)
            {
                if (random.nextInt(4) != 0)
                {
                    c.drain();
                }
            }
            if (0 == i % 10_000)
            {
                assertThat(core.check()).as("consistency after %d messages", i).isEmpty();
            }
        }
        for (final FuzzConn c : conns)
        {
            c.drain();
        }
        final long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(core.internalErrors).as("requests that hit a server bug").isZero();
        assertThat(core.check()).isEmpty();
        assertThat(sent).isGreaterThan(messages / 2);
        System.out.println("xenstored fuzz: seed=" + seed + " frames=" + messages + " requests=" + sent +
            " framingErrors=" + framingErrors + " errorReplies=" + core.errorReplies + " nodes=" +
            core.store.size() + " millis=" + millis);
    }

    @Test
    void shouldServeOthersWhileFuzzedOverSockets() throws Exception
    {
        final int frames = Integer.getInteger("pvring.xenstore.fuzz.socketFrames", 5_000);
        final SplittableRandom random = new SplittableRandom(7);
        try (Xenstored server = XsTestSupport.start(dir);
             SocketXenStore dom0 = XsTestSupport.dom0(server))
        {
            dom0.introduceDomain(3, 1, 1);
            final byte[] frame = new byte[XsMessageDescriptor.MESSAGE_MAX + 64];
            RawXs fuzzer = null;
            int reconnects = 0;
            final XsServerConnection shape = new XsServerConnection(0, 3, false, null);
            for (int i = 0; i < frames; i++)
            {
                if (null == fuzzer)
                {
                    fuzzer = random.nextBoolean() ? RawXs.connect(server.socket()) : connectAsDomain(server, dom0);
                    reconnects++;
                }
                final int length = randomMessage(random, shape, frame);
                try
                {
                    fuzzer.sendRaw(java.util.Arrays.copyOf(frame, length));
                    while (null != fuzzer.receive(0))
                    {
                        // discard
                    }
                }
                catch (final IOException closed)
                {
                    fuzzer.close();
                    fuzzer = null;
                }
                if (null != fuzzer && random.nextInt(200) == 0)
                {
                    fuzzer.close();
                    fuzzer = null;
                }
                if (0 == i % 500)
                {
                    dom0.write("/alive", Integer.toString(i));
                    assertThat(dom0.readString("/alive")).isEqualTo(Integer.toString(i));
                }
            }
            if (null != fuzzer)
            {
                fuzzer.close();
            }
            assertThat(server.isRunning()).isTrue();
            assertThat(server.internalErrors()).isZero();
            assertThat(server.inspect(XenstoredCore::check)).isEmpty();
            assertThat(reconnects).isPositive();
        }
    }

    /** Connects as domain 3, re-introducing it if the fuzzer (acting as dom0) released it meanwhile. */
    private static RawXs connectAsDomain(final Xenstored server, final XenStore dom0) throws IOException
    {
        for (int attempt = 0; ; attempt++)
        {
            if (!dom0.isDomainIntroduced(3))
            {
                dom0.introduceDomain(3, 1, 1);
            }
            try
            {
                return RawXs.connect(Xenstored.domainSocketPath(server.socket(), 3));
            }
            catch (final IOException released)
            {
                if (attempt > 50)
                {
                    throw released;
                }
            }
        }
    }

    private static FuzzConn open(final XenstoredCore core, final int domid)
    {
        final FuzzConn fc = new FuzzConn(core);
        fc.conn = core.open(domid, fc);
        return fc;
    }

    private static void introduce(final XenstoredCore core, final FuzzConn dom0, final int domid)
    {
        final byte[] p = XsPayload.encodeStrings(Integer.toString(domid), "1", "1");
        core.handle(dom0.conn, XsMessageType.INTRODUCE.code(), 1, 0, p, p.length);
        dom0.drain();
    }

    /** Writes a random frame (header + payload) into {@code frame}; returns its length. */
    private static int randomMessage(final SplittableRandom random, final XsServerConnection conn, final byte[] frame)
    {
        final int typeChoice = random.nextInt(100);
        final int type;
        if (typeChoice < 90)
        {
            type = random.nextInt(XsMessageType.TYPE_COUNT);
        }
        else if (typeChoice < 95)
        {
            type = random.nextInt();
        }
        else
        {
            type = 0xffff;
        }
        int txId = 0;
        if (random.nextInt(4) == 0)
        {
            final int[] ids = conn.transactions.keySet().stream().mapToInt(Integer::intValue).toArray();
            txId = ids.length > 0 && random.nextBoolean() ? ids[random.nextInt(ids.length)] : random.nextInt(20);
        }
        final byte[] payload = randomPayload(random, XsMessageType.fromCode(type));
        final ByteBuffer b = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        int announced = payload.length;
        if (random.nextInt(2000) == 0)
        {
            announced = XsMessageDescriptor.PAYLOAD_MAX + 1 + random.nextInt(100_000);
        }
        b.putInt(type).putInt(random.nextInt()).putInt(txId).putInt(announced);
        final int copy = Math.min(payload.length, frame.length - 16);
        b.put(payload, 0, copy);
        return 16 + copy;
    }

    private static byte[] randomPayload(final SplittableRandom random, final XsMessageType type)
    {
        final int shape = random.nextInt(20);
        if (0 == shape)
        {
            final byte[] garbage = new byte[random.nextInt(64)];
            for (int i = 0; i < garbage.length; i++)
            {
                garbage[i] = (byte)random.nextInt(256);
            }
            return garbage;
        }
        final List<String> parts = new ArrayList<>();
        if (null == type)
        {
            parts.add(randomPath(random));
        }
        else
        {
            switch (type)
            {
                case WRITE ->
                {
                    final String value = random.nextInt(50) == 0 ? "v".repeat(random.nextInt(5000)) : "value";
                    final String path = randomPath(random);
                    final byte[] p = (path + "\0" + value).getBytes(StandardCharsets.ISO_8859_1);
                    return trim(p, random);
                }
                case WATCH, UNWATCH ->
                {
                    parts.add(random.nextInt(10) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : randomPath(random));
                    parts.add("tok" + random.nextInt(3));
                }
                case SET_PERMS ->
                {
                    parts.add(randomPath(random));
                    final int n = random.nextInt(8);
                    for (int i = 0; i < n; i++)
                    {
                        parts.add("nrwbx".charAt(random.nextInt(5)) + Integer.toString(random.nextInt(6)));
                    }
                }
                case TRANSACTION_END -> parts.add(random.nextInt(5) == 0 ? "X" : random.nextBoolean() ? "T" : "F");
                case TRANSACTION_START, RESET_WATCHES -> parts.add("");
                case INTRODUCE ->
                {
                    parts.add(Integer.toString(random.nextInt(8)));
                    parts.add("5");
                    parts.add(Integer.toString(random.nextInt(3)));
                }
                case RELEASE, IS_DOMAIN_INTRODUCED, GET_DOMAIN_PATH, RESUME ->
                    parts.add(Integer.toString(random.nextInt(8) - 1));
                case SET_TARGET ->
                {
                    parts.add(Integer.toString(random.nextInt(6)));
                    parts.add(Integer.toString(random.nextInt(6)));
                }
                case DIRECTORY_PART ->
                {
                    parts.add(randomPath(random));
                    parts.add(Integer.toString(random.nextInt(40) - 5));
                }
                case CONTROL -> parts.add(random.nextBoolean() ? "check" : "help");
                default -> parts.add(randomPath(random));
            }
        }
        return trim(XsPayload.encodeStrings(parts.toArray(new String[0])), random);
    }

    private static byte[] trim(final byte[] payload, final SplittableRandom random)
    {
        if (payload.length > 0 && random.nextInt(15) == 0)
        {
            return java.util.Arrays.copyOf(payload, random.nextInt(payload.length));
        }
        return payload;
    }

    private static String randomPath(final SplittableRandom random)
    {
        final int shape = random.nextInt(40);
        if (0 == shape)
        {
            return "/" + "p".repeat(random.nextInt(4000));
        }
        if (1 == shape)
        {
            return "/bad path\u00ff//";
        }
        final StringBuilder sb = new StringBuilder();
        final boolean relative = random.nextInt(5) == 0;
        final int depth = random.nextInt(5);
        if (!relative)
        {
            sb.append(random.nextInt(3) == 0 ? "/local/domain/" + random.nextInt(5) : "");
        }
        for (int i = 0; i < depth; i++)
        {
            if (i > 0 || !relative)
            {
                sb.append('/');
            }
            sb.append(NAMES[random.nextInt(NAMES.length)]);
        }
        if (sb.isEmpty())
        {
            return relative ? NAMES[random.nextInt(NAMES.length)] : "/";
        }
        return sb.toString();
    }

    /** The fuzzed core opens no sockets. */
    private static final class NoSockets implements XenstoredCore.DomainListener
    {
        @Override
        public void introduced(final int domid)
        {
        }

        @Override
        public void released(final int domid)
        {
        }
    }
}
