/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.pvring.xen.device.BackendWatcher;
import dev.pvring.xen.device.DeviceRunner;
import dev.pvring.xen.device.FrontendDevice;
import dev.pvring.xen.platform.SimDomainConfig;
import dev.pvring.xen.platform.SimInspector;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimSystem;
import dev.pvring.xen.store.XenBus;
import dev.pvring.xen.store.XenStore;
import dev.pvring.xen.store.XenbusDevice;
import dev.pvring.xen.store.XenbusState;
import dev.pvring.xen.store.Xenstored;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The echo device with both ends in this JVM (two domains, two runner threads): connect, exchange, close,
 * reconnect, and nothing left behind. The cross-process proofs are in {@link EchoCrossProcessTest}.
 */
class EchoInProcessTest
{
    static SimDomainConfig domain(final int domid)
    {
        return SimDomainConfig.defaults(domid).withPages(256).withGrantEntries(256).withPorts(256)
            .withMaptrackEntries(256);
    }

    /** Runs a runner on this thread until the condition holds, failing after the timeout. */
    static void runUntil(final DeviceRunner runner, final BooleanSupplier done, final long seconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out after " + seconds + "s: " + runner);
            }
            if (0 == runner.doWork())
            {
                runner.awaitWork(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldConnectExchangeCloseAndReconnectThroughTheFramework() throws Exception
    {
        final Path directory = Path.of("/dev/shm/pvring-test", "dev-" + UUID.randomUUID());
        try (SimSystem system = SimSystem.create(directory, 8, domain(0));
             SimPlatform dom0 = system.join(0);
             Xenstored xenstored = Xenstored.start(system.xenstoredSocket()))
        {
            dom0.createDomain(domain(1));
            dom0.createDomain(domain(2));
            final XenStore store = dom0.xenStore();
            store.introduceDomain(1, 1, 1);
            store.introduceDomain(2, 1, 1);
            final XenbusDevice device = XenbusDevice.of(EchoProtocol.TYPE, 0, 1, 2);
            XenBus.createDevice(store, device);

            final AtomicReference<DeviceRunner> backRunner = new AtomicReference<>();
            final AtomicReference<BackendWatcher<EchoBackend.Path>> backWatcher = new AtomicReference<>();
            final EchoBackend backend = new EchoBackend();
            final Thread back = new Thread(() ->
            {
                try (SimPlatform p = system.join(2); DeviceRunner runner = new DeviceRunner(p, "back"))
                {
                    final BackendWatcher<EchoBackend.Path> watcher = BackendWatcher.start(runner, backend);
                    backWatcher.set(watcher);
                    backRunner.set(runner);
                    runner.run(() -> true);
                    watcher.close();
                }
            });
            back.start();

            try (SimPlatform p = system.join(1); DeviceRunner runner = new DeviceRunner(p, "front"))
            {
                for (int round = 0; round < 3; round++)
                {
                    final EchoFrontend driver = new EchoFrontend(8, 512);
                    final FrontendDevice<EchoFrontend.Path> front = FrontendDevice.start(runner, driver, 0);
                    driver.submit(10_000);
                    try
                    {
                        runUntil(runner, () -> driver.completed() >= 10_000, 20);
                    }
                    finally
                    {
                        System.out.println("round " + round + " front: " + front.status() + " completed=" +
                            driver.completed() + " backend: " + backWatcher.get().devices());
                    }
                    assertThat(driver.completed()).isEqualTo(10_000);
                    assertThat(driver.duplicates()).isZero();
                    assertThat(driver.corrupt()).isZero();
                    assertThat(XenBus.readState(store, XenBus.statePath(device.frontendPath())))
                        .as("frontend says Connected once the backend is").isEqualTo(XenbusState.CONNECTED);
                    front.close();
                    runUntil(runner, front::isClosed, 20);
                    assertThat(front.isClosed()).as(front.status().toString()).isTrue();
                }
                final SimInspector inspector = new SimInspector(system);
                assertThat(inspector.grants(1)).as("frontend grants ended").isEmpty();
                assertThat(inspector.ports(1)).as("frontend: only the runner's two wake-up ports").hasSize(2);
            }
            finally
            {
                System.out.println("backend: " + (null == backWatcher.get() ? null : backWatcher.get().devices()));
                backRunner.get().stop();
                back.join(10_000);
            }
            final SimInspector inspector = new SimInspector(system);
            assertThat(inspector.mappings(2)).noneMatch(SimInspector.MappingInfo::mapped);
            assertThat(backend.answered.get()).isEqualTo(30_000);
        }
        finally
        {
            SimSystem.delete(directory);
        }
    }
}
