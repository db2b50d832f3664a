/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.pvring.xen.device.BackendContext;
import dev.pvring.xen.device.BackendDriver;
import dev.pvring.xen.device.BackendWatcher;
import dev.pvring.xen.device.DeviceRunner;
import dev.pvring.xen.device.FeatureWriter;
import dev.pvring.xen.platform.LocalPage;
import dev.pvring.xen.platform.SimInspector;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimSystem;
import dev.pvring.xen.store.XenBus;
import dev.pvring.xen.store.XenStore;
import dev.pvring.xen.store.XenbusDevice;
import dev.pvring.xen.store.Xenstored;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * T20: a frontend that writes any state in any order (skipped, regressed, garbage, missing), bad and good ring
 * refs and ports, and removes its own directory. The backend never throws, every connect is matched by exactly
 * one disconnect, and nothing stays mapped or bound.
 */
class HostileFrontendTest
{
    private static final String[] STATES = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "x", "", " 4 ", "-1"};

    @Test
    @Timeout(120)
    void shouldTolerateAnyStateSequenceAndReleaseEveryConnectionExactlyOnce() throws Exception
    {
        final Path directory = Path.of("/dev/shm/pvring-test", "hostile-" + UUID.randomUUID());
        try (SimSystem system = SimSystem.create(directory, 8, EchoInProcessTest.domain(0));
             SimPlatform dom0 = system.join(0);
             Xenstored xenstored = Xenstored.start(system.xenstoredSocket()))
        {
            dom0.createDomain(EchoInProcessTest.domain(1));
            dom0.createDomain(EchoInProcessTest.domain(2));
            final XenStore store = dom0.xenStore();
            store.introduceDomain(1, 1, 1);
            store.introduceDomain(2, 1, 1);
            final XenbusDevice device = XenbusDevice.of(EchoProtocol.TYPE, 0, 1, 2);
            XenBus.createDevice(store, device);

            final AtomicInteger connects = new AtomicInteger();
            final AtomicInteger disconnects = new AtomicInteger();
            final List<Throwable> errors = new CopyOnWriteArrayList<>();
            final EchoBackend echo = new EchoBackend();
            final BackendDriver<EchoBackend.Path> counting = new BackendDriver<>()
            {
                @Override
                public String type()
                {
                    return echo.type();
                }

                @Override
                public void features(final BackendContext d, final FeatureWriter features)
                {
                    echo.features(d, features);
                }

                @Override
                public EchoBackend.Path connect(final BackendContext d)
                {
                    final EchoBackend.Path path = echo.connect(d);
                    if (null != path)
                    {
                        connects.incrementAndGet();
                    }
                    return path;
                }

                @Override
                public void disconnect(final EchoBackend.Path path)
                {
                    disconnects.incrementAndGet();
                    echo.disconnect(path);
                }
            };
            final AtomicReference<DeviceRunner> backRunner = new AtomicReference<>();
            final AtomicReference<BackendWatcher<EchoBackend.Path>> watcher = new AtomicReference<>();
            final Thread back = new Thread(() ->
            {
                try (SimPlatform p = system.join(2); DeviceRunner runner = new DeviceRunner(p, "back"))
                {
                    runner.errorHandler(errors::add);
                    watcher.set(BackendWatcher.start(runner, counting));
                    backRunner.set(runner);
                    runner.run(() -> true);
                    watcher.get().close();
                }
                catch (final Throwable t)
                {
                    errors.add(t);
                }
            });
            back.start();

            try (SimPlatform fe = system.join(1))
            {
                final XenStore feStore = fe.xenStore();
                final String me = device.frontendPath();
                final LocalPage page = fe.localPages().allocate();
                final int ref = fe.grantTable().grantAccess(2, page.frame(), false);
                final List<Integer> ports = new ArrayList<>();
                final Random random = new Random(20);
                for (int step = 0; step < 1500; step++)
                {
                    // Ports are closed behind the backend's back too (it sees its peer gone); keep a few open.
                    while (ports.size() > 8)
                    {
                        fe.eventChannels().close(ports.remove(0));
                    }
                    switch (random.nextInt(10))
                    {
                        case 8, 9 ->
                        {
                            // A well-formed connect (order 0, fresh port), which the random steps then break.
                            final int port = fe.eventChannels().allocateUnbound(2);
                            assertThat(port).isPositive();
                            ports.add(port);
                            feStore.rm(XenStore.NO_TRANSACTION, me + "/ring-page-order");
                            feStore.write(me + "/ring-ref", Integer.toString(ref));
                            feStore.write(me + "/event-channel", Integer.toString(port));
                            feStore.write(me + "/state", random.nextBoolean() ? "1" : "3");
                            feStore.write(me + "/state", "3");
                            Thread.sleep(2);
                        }
                        case 0 -> feStore.write(me + "/ring-ref", random.nextBoolean() ? Integer.toString(ref) :
                            List.of("abc", "-1", "999999", "3", "").get(random.nextInt(5)));
                        case 1 ->
                        {
                            final int port = fe.eventChannels().allocateUnbound(2);
                            assertThat(port).isPositive();
                            ports.add(port);
                            feStore.write(me + "/event-channel", random.nextBoolean() ? Integer.toString(port) :
                                List.of("0", "x", "65536").get(random.nextInt(3)));
                        }
                        case 2 -> feStore.rm(XenStore.NO_TRANSACTION, me + "/state");
                        case 3 -> feStore.write(me + "/ring-page-order", List.of("0", "1", "9", "z").get(random.nextInt(4)));
                        case 4 -> feStore.rm(XenStore.NO_TRANSACTION, me + "/ring-page-order");
                        default -> feStore.write(me + "/state", STATES[random.nextInt(STATES.length)]);
                    }
                    if (0 == step % 8)
                    {
                        Thread.sleep(1);
                    }
                }
                feStore.write(me + "/state", "6");
                XenBus.destroyDevice(store, device);
                final long deadline = System.nanoTime() + 20_000_000_000L;
                while ((null == watcher.get() || !watcher.get().devices().isEmpty()) && System.nanoTime() < deadline)
                {
                    Thread.sleep(10);
                }
                errors.forEach(Throwable::printStackTrace);
                assertThat(errors).as("nothing thrown").isEmpty();
                assertThat(watcher.get().devices()).as("device forgotten after removal").isEmpty();
                final SimInspector inspector = new SimInspector(system);
                assertThat(inspector.mappings(2)).as("backend mappings").noneMatch(SimInspector.MappingInfo::mapped);
                assertThat(inspector.ports(2)).as("backend ports: the runner's pair").hasSize(2);
                assertThat(fe.grantTable().tryEndAccess(ref)).as("ring page no longer mapped").isTrue();
                fe.localPages().free(page);
                ports.forEach(fe.eventChannels()::close);
            }
            finally
            {
                if (null != backRunner.get())
                {
                    backRunner.get().stop();
                }
                back.join(10_000);
            }
            System.out.println("hostile frontend: connects=" + connects.get() + " disconnects=" + disconnects.get());
            assertThat(errors).as("nothing thrown").isEmpty();
            assertThat(connects.get()).as("many sequences connected").isGreaterThan(5);
            assertThat(disconnects.get()).as("each connection released exactly once").isEqualTo(connects.get());
        }
        finally
        {
            SimSystem.delete(directory);
        }
    }
}
