/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net.back;

import java.util.function.Consumer;
import java.util.function.Function;

import dev.pvring.xen.device.BackendContext;
import dev.pvring.xen.device.BackendDriver;
import dev.pvring.xen.device.DeviceRunner;
import dev.pvring.xen.device.DutyCycle;
import dev.pvring.xen.device.FeatureWriter;
import dev.pvring.xen.device.Registration;
import dev.pvring.xen.device.RingPages;
import dev.pvring.xen.net.NetPacket;
import dev.pvring.xen.net.PacketHandler;

/**
 * Netback as a {@link BackendDriver} of the device framework: publishes Linux netback's features
 * ({@code feature-sg}, {@code feature-gso-tcpv4/6}, {@code feature-ipv6-csum-offload}, {@code feature-rx-copy},
 * {@code feature-split-event-channels}, {@code multi-queue-max-queues}, {@code feature-ctrl-ring},
 * {@code feature-multicast-control}), and on connect reads the frontend's keys (flat or {@code queue-<i>/}, shared
 * or split event channels, optional control ring), builds a {@link NetbackVif} and attaches it to a packet port
 * (a TAP device, or anything else) that {@code ports} opens for the vif.
 */
public final class NetbackDriver implements BackendDriver<NetbackDriver.Path>
{
    /** Queues offered by default ({@code multi-queue-max-queues}). */
    public static final int DEFAULT_MAX_QUEUES = 4;

    /** Where a vif's packets go and come from (e.g. its TAP device). */
    public interface Port extends AutoCloseable
    {
        /**
         * Reads one packet for the frontend if one is waiting.
         *
         * @param packet receives it.
         * @return true if read.
         */
        boolean read(NetPacket packet);

        /**
         * Takes one packet from the frontend.
         *
         * @param packet the packet (valid during the call).
         */
        void write(NetPacket packet);

        /**
         * A descriptor that becomes readable when {@link #read} has something, or -1 (then only the vif's event
         * channels wake the path).
         *
         * @return the descriptor.
         */
        default int fd()
        {
            return -1;
        }

        @Override
        void close();
    }

    private final DeviceRunner runner;
    private final int maxQueues;
    private final Function<BackendContext, Port> ports;
    private final Consumer<String> log;
    private final java.util.List<Path> paths = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * A netback.
     *
     * @param runner    the runner the port descriptors are watched by ({@code null}: none).
     * @param maxQueues most queues per vif (1 to 16).
     * @param ports     opens the packet port of a connecting vif ({@code null}: fail the device).
     * @param log       receives one line per state change.
     */
    public NetbackDriver(
        final DeviceRunner runner, final int maxQueues, final Function<BackendContext, Port> ports,
        final Consumer<String> log)
    {
        this.runner = runner;
        if (maxQueues < 1 || maxQueues > 16)
        {
            throw new IllegalArgumentException("maxQueues must be 1 to 16: maxQueues=" + maxQueues);
        }
        this.maxQueues = maxQueues;
        this.ports = ports;
        this.log = log;
    }

    @Override
    public String type()
    {
        return "vif";
    }

    @Override
    public void features(final BackendContext device, final FeatureWriter features)
    {
        features.flag("feature-sg", true);
        features.flag("feature-gso-tcpv4", true);
        features.flag("feature-gso-tcpv6", true);
        features.flag("feature-ipv6-csum-offload", true);
        features.flag("feature-rx-copy", true);
        features.flag("feature-rx-flip", false);
        features.flag("feature-multicast-control", true);
        features.flag("feature-dynamic-multicast-control", true);
        features.flag("feature-split-event-channels", true);
        features.number("multi-queue-max-queues", maxQueues);
        features.flag("feature-ctrl-ring", true);
    }

    @Override
    public Path connect(final BackendContext device)
    {
        if (!device.frontendFlag("request-rx-copy"))
        {
            device.fail("frontend does not request rx-copy: request-rx-copy=" + device.frontendKey("request-rx-copy"));
            return null;
        }
        final long n = device.frontendNumber("multi-queue-num-queues", 1);
        if (n < 1 || n > maxQueues)
        {
            device.fail("bad queue count: multi-queue-num-queues=" + device.frontendKey("multi-queue-num-queues") +
                " max=" + maxQueues);
            return null;
        }
        final MulticastFilter filter = new MulticastFilter();
        final NetbackQueue[] queues = new NetbackQueue[(int)n];
        for (int i = 0; i < n; i++)
        {
            final String prefix = n == 1 ? "" : "queue-" + i + "/";
            final RingPages tx = device.mapRing(prefix + "tx-ring-ref", null, 0);
            final RingPages rx = null == tx ? null : device.mapRing(prefix + "rx-ring-ref", null, 0);
            if (null == rx)
            {
                return null;
            }
            final boolean split = null != device.frontendKey(prefix + "event-channel-tx");
            final int txPort = device.bindPort(prefix + (split ? "event-channel-tx" : "event-channel"));
            final int rxPort = txPort <= 0 || !split ? txPort : device.bindPort(prefix + "event-channel-rx");
            if (txPort <= 0 || rxPort <= 0)
            {
                return null;
            }
            queues[i] = NetbackQueue.over(device.grantTable(), device.eventChannels(), device.frontendDomid(),
                tx.buffer(), rx.buffer(), txPort, rxPort, filter);
        }
        final NetbackVif vif = new NetbackVif(device.frontendDomid(), device.devid(), queues, filter);
        if (null != device.frontendKey("ctrl-ring-ref"))
        {
            final RingPages ctrl = device.mapRing("ctrl-ring-ref", null, 0);
            final int port = null == ctrl ? -1 : device.bindPort("event-channel-ctrl");
            if (port <= 0)
            {
                return null;
            }
            vif.ctrl(NetbackCtrl.over(device.grantTable(), device.eventChannels(), device.frontendDomid(), (int)n,
                ctrl.buffer(), port));
        }
        final Port port = ports.apply(device);
        if (null == port)
        {
            device.fail("no packet port for vif" + device.frontendDomid() + "." + device.devid());
            return null;
        }
        log.accept("vif" + device.frontendDomid() + "." + device.devid() + " connected: queues=" + n +
            " split=" + (queues[0].txPort() != queues[0].rxPort()) + " ctrl=" + (null != vif.ctrl()));
        final Path path = new Path(device, vif, port, log);
        if (null != runner && port.fd() >= 0)
        {
            path.registration = runner.watchFd(port.fd(), path);
        }
        paths.add(path);
        return path;
    }

    @Override
    public void disconnect(final Path path)
    {
        paths.remove(path);
        path.stop();
        log.accept("vif" + path.device.frontendDomid() + "." + path.device.devid() + " disconnected: rx=" +
            path.received + " tx=" + path.sent + (path.vif.isBroken() ? " broken: " + path.vif.brokenReason() : ""));
    }

    /**
     * The connected vifs' data paths (for status lines and tests; run them only on the runner thread).
     *
     * @return a snapshot.
     */
    public java.util.List<Path> paths()
    {
        return java.util.List.copyOf(paths);
    }

    /** One connected vif: its queues and its packet port. Also the port's wake-up cycle. */
    public static final class Path implements DutyCycle
    {
        private static final int BUDGET = 256;
        private final BackendContext device;
        private final NetbackVif vif;
        private final Port port;
        private final Consumer<String> log;
        private final java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
        private final NetPacket inbound = new NetPacket(arena);
        private final PacketHandler toPort;
        private boolean stopped;
        private boolean pending;
        private boolean reported;
        private Registration registration;
        long received;
        long sent;

        Path(final BackendContext device, final NetbackVif vif, final Port port, final Consumer<String> log)
        {
            this.device = device;
            this.vif = vif;
            this.port = port;
            this.log = log;
            this.toPort = p ->
            {
                received++;
                port.write(p);
            };
        }

        /** @return the vif. */
        public NetbackVif vif()
        {
            return vif;
        }

        @Override
        public int doWork()
        {
            if (stopped)
            {
                return 0;
            }
            int work = vif.doWork(toPort, BUDGET);
            for (int i = 0; i < BUDGET; i++)
            {
                if (!pending)
                {
                    if (!port.read(inbound))
                    {
                        break;
                    }
                    pending = true;
                    work++;
                }
                final int r = vif.offer(inbound);
                if (r == 0)
                {
                    // Backlog full: leave the rest with the port (the kernel) until the frontend posts buffers.
                    work += vif.doWork(toPort, BUDGET);
                    if (vif.offer(inbound) == 0)
                    {
                        break;
                    }
                }
                pending = false;
                if (r != -1)
                {
                    sent++;
                }
            }
            work += vif.doWork(toPort, BUDGET);
            if (vif.isBroken() && !reported)
            {
                reported = true;
                log.accept("vif" + vif.frontDomid() + "." + vif.devid() + " broken: " + vif.brokenReason());
                device.fail("frontend broke the netif protocol: " + vif.brokenReason());
            }
            return work;
        }

        void stop()
        {
            if (!stopped)
            {
                stopped = true;
                if (null != registration)
                {
                    registration.close();
                }
                vif.close();
                port.close();
                arena.close();
            }
        }
    }
}
