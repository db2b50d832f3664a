/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net.front;

import java.lang.foreign.Arena;
import java.util.function.Consumer;

import org.agrona.concurrent.AtomicBuffer;

import dev.pvring.xen.device.DeviceRunner;
import dev.pvring.xen.device.DutyCycle;
import dev.pvring.xen.device.FrontendContext;
import dev.pvring.xen.device.FrontendDriver;
import dev.pvring.xen.device.GrantedPages;
import dev.pvring.xen.device.Registration;
import dev.pvring.xen.device.RingPages;
import dev.pvring.xen.net.NetPacket;
import dev.pvring.xen.net.Netif;
import dev.pvring.xen.net.PacketHandler;
import dev.pvring.xen.net.PacketHeaders;
import dev.pvring.xen.net.Toeplitz;
import dev.pvring.xen.net.back.NetbackDriver;

/**
 * Netfront as a {@link FrontendDriver} of the device framework, as Linux's {@code talk_to_netback}: needs the
 * backend's {@code feature-rx-copy}; uses {@code min(queues, multi-queue-max-queues)} queues (per-queue keys under
 * {@code queue-<i>/} when more than one), split event channels when the backend offers them, and writes
 * {@code request-rx-copy}, {@code feature-rx-notify}, {@code feature-sg}, {@code feature-gso-tcpv4/6},
 * {@code feature-ipv6-csum-offload} (the framework writes every key in one transaction). A packet port (a TAP
 * device) feeds TX; a flow hash picks the queue; while the chosen queues are stopped the port is not read (the
 * kernel holds the packets, as a stopped Linux TX queue does).
 */
public final class NetfrontDriver implements FrontendDriver<NetfrontDriver.Path>
{
    private final DeviceRunner runner;
    private final int queues;
    private final NetbackDriver.Port port;
    private final Consumer<String> log;
    private Registration registration;
    private Path current;
    private final Arena arena = Arena.ofShared();
    private final NetPacket discard = new NetPacket(arena);
    private long droppedWhileDisconnected;

    /**
     * A netfront.
     *
     * @param runner the runner the port's descriptor is watched by ({@code null}: none).
     * @param queues queues wanted (1 to 16; fewer if the backend offers fewer).
     * @param port   the packet port (e.g. a TAP device), kept across connections.
     * @param log    receives one line per state change.
     */
    public NetfrontDriver(
        final DeviceRunner runner, final int queues, final NetbackDriver.Port port, final Consumer<String> log)
    {
        if (queues < 1 || queues > 16)
        {
            throw new IllegalArgumentException("queues must be 1 to 16: queues=" + queues);
        }
        this.runner = runner;
        this.queues = queues;
        this.port = port;
        this.log = log;
        if (null != runner && port.fd() >= 0)
        {
            registration = runner.watchFd(port.fd(), () -> null == current ? drainWhileDisconnected() : current.doWork());
        }
    }

    /** Without a connection the frames the port holds are dropped, as Linux drops them with the carrier off. */
    private int drainWhileDisconnected()
    {
        int dropped = 0;
        while (dropped < 256 && port.read(discard))
        {
            dropped++;
            droppedWhileDisconnected++;
        }
        return dropped;
    }

    /**
     * Frames read from the port while no connection was up (dropped).
     *
     * @return the count.
     */
    public long droppedWhileDisconnected()
    {
        return droppedWhileDisconnected;
    }

    @Override
    public String type()
    {
        return "vif";
    }

    @Override
    public Path connect(final FrontendContext device)
    {
        if (!device.backendFlag("feature-rx-copy"))
        {
            device.fail("backend lacks feature-rx-copy");
            return null;
        }
        final long offered = device.backendNumber("multi-queue-max-queues", 1);
        final int n = (int)Math.max(1, Math.min(queues, offered));
        final boolean split = device.backendFlag("feature-split-event-channels");
        final NetfrontQueue[] qs = new NetfrontQueue[n];
        for (int i = 0; i < n; i++)
        {
            final String prefix = n == 1 ? "" : "queue-" + i + "/";
            final RingPages tx = device.grantRing(prefix + "tx-ring-ref", null, 0);
            final RingPages rx = null == tx ? null : device.grantRing(prefix + "rx-ring-ref", null, 0);
            final GrantedPages txPages = null == rx ? null : device.grantPages(Netif.RING_ENTRIES_ONE_PAGE, true);
            final GrantedPages rxPages = null == txPages ? null : device.grantPages(Netif.RING_ENTRIES_ONE_PAGE, false);
            if (null == rxPages)
            {
                closeAll(qs);
                return null;
            }
            final int txPort = device.allocatePort(prefix + (split ? "event-channel-tx" : "event-channel"));
            final int rxPort = txPort <= 0 || !split ? txPort : device.allocatePort(prefix + "event-channel-rx");
            if (txPort <= 0 || rxPort <= 0)
            {
                closeAll(qs);
                return null;
            }
            qs[i] = NetfrontQueue.over(device.eventChannels(), tx.buffer(), tx.refs()[0], rx.buffer(), rx.refs()[0],
                buffers(txPages), refs(txPages), buffers(rxPages), refs(rxPages), txPort, rxPort);
        }
        if (n > 1)
        {
            device.writeKey("multi-queue-num-queues", Integer.toString(n));
        }
        device.writeKey("request-rx-copy", "1");
        device.writeKey("feature-rx-notify", "1");
        device.writeKey("feature-sg", "1");
        device.writeKey("feature-gso-tcpv4", "1");
        device.writeKey("feature-gso-tcpv6", "1");
        device.writeKey("feature-ipv6-csum-offload", "1");
        log.accept("vif " + device.devid() + " connecting: queues=" + n + " split=" + split);
        return new Path(qs, port, log);
    }

    private static void closeAll(final NetfrontQueue[] qs)
    {
        for (final NetfrontQueue q : qs)
        {
            if (null != q)
            {
                q.close();
            }
        }
    }

    private static AtomicBuffer[] buffers(final GrantedPages pages)
    {
        final AtomicBuffer[] b = new AtomicBuffer[pages.count()];
        for (int i = 0; i < b.length; i++)
        {
            b[i] = pages.buffer(i);
        }
        return b;
    }

    private static int[] refs(final GrantedPages pages)
    {
        final int[] r = new int[pages.count()];
        for (int i = 0; i < r.length; i++)
        {
            r[i] = pages.ref(i);
        }
        return r;
    }

    @Override
    public void connected(final NetfrontDriver.Path path)
    {
        path.connected = true;
        for (final NetfrontQueue q : path.queues)
        {
            q.refillRx();
        }
        current = path;
        if (null != registration)
        {
            registration.wake();
        }
        log.accept("vif connected: queues=" + path.queues.length);
    }

    @Override
    public void disconnect(final NetfrontDriver.Path path, final boolean backendLost)
    {
        current = null;
        path.connected = false;
        closeAll(path.queues);
        path.arena.close();
        log.accept("vif disconnected: backendLost=" + backendLost + " tx=" + path.sent + " rx=" + path.received +
            (path.brokenReason() == null ? "" : " broken: " + path.brokenReason()));
    }

    /** Closes the port registration (the port itself belongs to the caller). Idempotent. */
    public void close()
    {
        if (null != registration)
        {
            registration.close();
            registration = null;
        }
        if (!closed)
        {
            closed = true;
            arena.close();
        }
    }

    private boolean closed;

    /** The current connection's data path, or {@code null}. */
    public Path current()
    {
        return current;
    }

    /** One connection: the queues, and the port-to-TX / RX-to-port loops. */
    public static final class Path implements DutyCycle
    {
        private static final int BUDGET = 256;
        private static final byte[] KEY = new byte[40];
        static
        {
            new java.util.SplittableRandom(0x5eed).nextBytes(KEY);
        }

        private final NetfrontQueue[] queues;
        private final NetbackDriver.Port port;
        private final Consumer<String> log;
        private final Arena arena = Arena.ofShared();
        private final NetPacket outbound = new NetPacket(arena);
        private final PacketHeaders headers = new PacketHeaders();
        private final byte[] flow = new byte[40];
        private final PacketHandler toPort;
        private boolean pending;
        private boolean connected;
        private boolean reported;
        long sent;
        long received;

        Path(final NetfrontQueue[] queues, final NetbackDriver.Port port, final Consumer<String> log)
        {
            this.queues = queues;
            this.port = port;
            this.log = log;
            this.toPort = p ->
            {
                received++;
                port.write(p);
            };
        }

        /**
         * The queues.
         *
         * @return the queues (do not close).
         */
        public NetfrontQueue[] queues()
        {
            return queues.clone();
        }

        private int select(final NetPacket p)
        {
            if (queues.length == 1 || !headers.parse(p.buffer(), NetPacket.DATA_OFFSET, p.length()))
            {
                return 0;
            }
            return Integer.remainderUnsigned(Toeplitz.hash(KEY, KEY.length, flow, headers.flowInput(flow, true)),
                queues.length);
        }

        @Override
        public int doWork()
        {
            if (!connected)
            {
                return 0;
            }
            int work = 0;
            for (final NetfrontQueue q : queues)
            {
                work += q.doWork(toPort, BUDGET);
            }
            for (int i = 0; i < BUDGET; i++)
            {
                if (!pending)
                {
                    if (!port.read(outbound))
                    {
                        break;
                    }
                    pending = true;
                    work++;
                }
                final int r = queues[select(outbound)].send(outbound);
                if (r == NetfrontQueue.BUSY)
                {
                    break; // the queue is stopped: leave the rest in the kernel until responses wake it
                }
                pending = false;
                if (r == NetfrontQueue.SENT)
                {
                    sent++;
                }
            }
            for (final NetfrontQueue q : queues)
            {
                q.flush();
                if (q.isBroken() && !reported)
                {
                    reported = true;
                    log.accept("vif broken: " + q.brokenReason());
                }
            }
            return work;
        }

        String brokenReason()
        {
            for (final NetfrontQueue q : queues)
            {
                if (q.isBroken())
                {
                    return q.brokenReason();
                }
            }
            return null;
        }
    }
}
