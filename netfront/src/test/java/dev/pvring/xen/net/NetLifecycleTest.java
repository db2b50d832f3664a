/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.pvring.xen.device.BackendWatcher;
import dev.pvring.xen.device.DeviceRunner;
import dev.pvring.xen.device.FrontendDevice;
import dev.pvring.xen.net.back.NetbackDriver;
import dev.pvring.xen.net.front.NetfrontDriver;
import dev.pvring.xen.net.front.NetfrontQueue;
import dev.pvring.xen.platform.SimDomainConfig;
import dev.pvring.xen.platform.SimInspector;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimSystem;
import dev.pvring.xen.store.ToolstackDevices;
import dev.pvring.xen.store.XenBus;
import dev.pvring.xen.store.XenStore;
import dev.pvring.xen.store.Xenstored;

/**
 * Netfront and netback through the device framework on the simulated platform with a real xenstored: the keys
 * of xen-pv.md §2.2 (two queues under {@code queue-<i>/}, split event channels), frames both ways through
 * in-memory packet ports, then a clean close that ends every grant.
 */
class NetLifecycleTest
{
    /** An in-memory packet port: frames to read are queued by the test, frames written are recorded. */
    static final class MemoryPort implements NetbackDriver.Port
    {
        final ArrayDeque<byte[]> toRead = new ArrayDeque<>();
        final List<byte[]> written = new ArrayList<>();

        @Override
        public boolean read(final NetPacket packet)
        {
            final byte[] frame = toRead.poll();
            if (null == frame)
            {
                return false;
            }
            packet.reset().length(frame.length);
            packet.buffer().putBytes(NetPacket.DATA_OFFSET, frame);
            return true;
        }

        @Override
        public void write(final NetPacket packet)
        {
            final byte[] frame = new byte[packet.length()];
            packet.buffer().getBytes(NetPacket.DATA_OFFSET, frame);
            written.add(frame);
        }

        @Override
        public void close()
        {
        }
    }

    static String read(final XenStore store, final String path)
    {
        try
        {
            final byte[] v = store.read(path);
            return null == v ? null : new String(v, java.nio.charset.StandardCharsets.UTF_8);
        }
        catch (final RuntimeException ex)
        {
            return null;
        }
    }

    static SimDomainConfig domain(final int domid)
    {
        return SimDomainConfig.defaults(domid);
    }

    static void runUntil(final BooleanSupplier done, final Runnable step)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out");
            }
            step.run();
        }
    }

    static byte[] frame(final SplittableRandom r, final int i)
    {
        // IPv4/TCP-looking frames with different ports, so the flow hash spreads them over the queues.
        final byte[] f = new byte[60 + r.nextInt(1400)];
        r.nextBytes(f);
        f[12] = 0x08;
        f[13] = 0x00;
        f[14] = 0x45;
        f[20] = 0;
        f[21] = 0;
        f[23] = 6;
        f[34] = (byte)(i >> 8);
        f[35] = (byte)i;
        f[46] = 0x50;
        return f;
    }

    @Test
    @Timeout(120)
    void shouldConnectTwoQueuesWithSplitChannelsPassFramesBothWaysAndCloseCleanly() throws Exception
    {
        final Path directory = Path.of("/dev/shm/pvring-test", "netlc-" + UUID.randomUUID());
        final List<String> log = new ArrayList<>();
        try (SimSystem system = SimSystem.create(directory, 8, domain(0));
             SimPlatform dom0 = system.join(0);
             Xenstored xenstored = Xenstored.start(system.xenstoredSocket()))
        {
            dom0.createDomain(domain(1));
            final XenStore store = dom0.xenStore();
            store.introduceDomain(1, 1, 1);
            XenBus.createDevice(store, ToolstackDevices.vif(1, 0, 0, Map.of("mac", "00:16:3e:00:00:01")));

            final MemoryPort backPort = new MemoryPort();
            final MemoryPort frontPort = new MemoryPort();
            try (SimPlatform dom1 = system.join(1);
                 DeviceRunner backRunner = new DeviceRunner(dom0, "netback");
                 DeviceRunner frontRunner = new DeviceRunner(dom1, "netfront"))
            {
                final NetbackDriver back = new NetbackDriver(backRunner, 4, d -> backPort, log::add);
                final BackendWatcher<NetbackDriver.Path> watcher = BackendWatcher.start(backRunner, back);
                final NetfrontDriver frontDriver = new NetfrontDriver(frontRunner, 2, frontPort, log::add);
                final FrontendDevice<NetfrontDriver.Path> front = FrontendDevice.start(frontRunner, frontDriver, 0);
                final Runnable step = () ->
                {
                    frontRunner.doWork();
                    backRunner.doWork();
                    if (null != frontDriver.current())
                    {
                        frontDriver.current().doWork();
                    }
                    for (final NetbackDriver.Path p : back.paths())
                    {
                        p.doWork();
                    }
                };
                runUntil(() -> null != frontDriver.current() && !back.paths().isEmpty(), step);

                final String fe = "/local/domain/1/device/vif/0/";
                assertThat(read(store, fe + "multi-queue-num-queues")).isEqualTo("2");
                assertThat(read(store, fe + "queue-1/event-channel-rx")).matches("[0-9]+");
                assertThat(read(store, fe + "queue-0/tx-ring-ref")).matches("[0-9]+");
                assertThat(read(store, fe + "tx-ring-ref")).as("no flat keys with two queues").isNull();
                assertThat(read(store, fe + "request-rx-copy")).isEqualTo("1");
                assertThat(back.paths().get(0).vif().queueCount()).isEqualTo(2);

                final SplittableRandom r = new SplittableRandom(11);
                final List<byte[]> up = new ArrayList<>();
                final List<byte[]> down = new ArrayList<>();
                for (int i = 0; i < 400; i++)
                {
                    up.add(frame(r, i));
                    down.add(frame(r, i + 1000));
                }
                frontPort.toRead.addAll(up);
                backPort.toRead.addAll(down);
                try
                {
                    runUntil(() -> backPort.written.size() == up.size() && frontPort.written.size() == down.size(),
                        step);
                }
                finally
                {
                    for (final NetfrontQueue q : frontDriver.current().queues())
                    {
                        System.out.println("front " + q + " tx=" + q.txPackets() + " txErr=" + q.txErrors() + " rx=" +
                            q.rxPackets() + " rxErr=" + q.rxErrors() + " inflight=" + q.txInFlightSlots() + " " +
                            q.brokenReason());
                    }
                    final var vif = back.paths().get(0).vif();
                    for (int i = 0; i < vif.queueCount(); i++)
                    {
                        final var q = vif.queue(i);
                        System.out.println("back " + q + " tx=" + q.txPackets() + " txDrop=" + q.txDropped() +
                            " rx=" + q.rxPackets() + " rxDrop=" + q.rxDropped() + " backlog=" + q.rxBacklog() +
                            " copyFail=" + q.copyFailures() + " " + q.brokenReason());
                    }
                    System.out.println("ports: up written=" + backPort.written.size() + " left=" +
                        frontPort.toRead.size() + " down written=" + frontPort.written.size() + " left=" +
                        backPort.toRead.size() + " log=" + log);
                }

                assertThat(backPort.written).containsExactlyInAnyOrderElementsOf(up);
                assertThat(frontPort.written).containsExactlyInAnyOrderElementsOf(down);
                final NetfrontQueue[] qs = frontDriver.current().queues();
                assertThat(qs).hasSize(2);
                assertThat(qs[0].isSplit()).isTrue();
                assertThat(qs[0].txPackets()).as("the hash used both queues").isPositive();
                assertThat(qs[1].txPackets()).isPositive();

                front.close();
                runUntil(front::isClosed, step);
                watcher.close();
                frontDriver.close();
            }
            assertThat(new SimInspector(system).grants(1)).as("frontend grants ended").isEmpty();
            assertThat(log).anyMatch(l -> l.startsWith("vif1.0 connected: queues=2 split=true"));
        }
        finally
        {
            SimSystem.delete(directory);
        }
    }
}
