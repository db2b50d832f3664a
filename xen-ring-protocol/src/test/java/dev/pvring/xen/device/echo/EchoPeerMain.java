/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device.echo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.pvring.xen.device.BackendWatcher;
import dev.pvring.xen.device.DeviceRunner;
import dev.pvring.xen.device.DeviceStatus;
import dev.pvring.xen.device.FrontendContext;
import dev.pvring.xen.device.FrontendDevice;
import dev.pvring.xen.device.FrontendDriver;
import dev.pvring.xen.platform.SimInspector;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimSystem;

/**
 * One domain of the echo device's cross-process tests, in its own JVM; prints one line per state change and
 * stops when its standard input closes. Roles:
 * <ul>
 *   <li>{@code back DIR DOMID}: serves every echo device of the domain on one runner thread.</li>
 *   <li>{@code front DIR DOMID DEVID}: one device, requests kept in flight until stdin closes, then drains,
 *       checks that every request completed exactly once, closes and reports.</li>
 *   <li>{@code cycles DIR DOMID DEVID N}: N connect/close cycles with requests in flight, then the same check
 *       and a leak report of its own domain.</li>
 *   <li>{@code many DIR DOMID N}: N devices (devid 0..N-1) on one runner; each exchanges 100 requests, then
 *       idles until stdin closes.</li>
 * </ul>
 */
public final class EchoPeerMain
{
    private EchoPeerMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args role and its arguments.
     */
    public static void main(final String[] args) throws Exception
    {
        final String role = args[0];
        try (SimSystem system = SimSystem.open(Path.of(args[1]));
             SimPlatform platform = system.join(Integer.parseInt(args[2]));
             DeviceRunner runner = new DeviceRunner(platform, role))
        {
            final AtomicBoolean stdinClosed = new AtomicBoolean();
            final Thread stdin = new Thread(() ->
            {
                drain(System.in);
                stdinClosed.set(true);
                runner.wakeUp();
            }, "stdin");
            stdin.setDaemon(true);
            stdin.start();
            switch (role)
            {
                case "back" -> back(runner, stdinClosed);
                case "front" -> front(runner, Integer.parseInt(args[3]), stdinClosed);
                case "cycles" -> cycles(system, runner, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
                case "many" -> many(runner, Integer.parseInt(args[3]), stdinClosed);
                default -> throw new IllegalArgumentException("unknown role: role=" + role);
            }
        }
        System.out.println("exit ok");
        System.out.flush();
    }

    private static void drain(final InputStream in)
    {
        try
        {
            while (in.read() >= 0)
            {
                // wait for EOF
            }
        }
        catch (final IOException ex)
        {
            // treated as EOF
        }
    }

    private static void back(final DeviceRunner runner, final AtomicBoolean stop)
    {
        final EchoBackend driver = new EchoBackend();
        final BackendWatcher<EchoBackend.Path> watcher = BackendWatcher.start(runner, driver);
        final String[] last = {""};
        System.out.println("back ready pid=" + ProcessHandle.current().pid());
        runner.run(() ->
        {
            final List<DeviceStatus> devices = watcher.devices();
            final String line = "back devices=" + devices.size() + " connected=" + watcher.connectedCount() +
                " watches=" + runner.watchCount();
            if (!line.equals(last[0]))
            {
                last[0] = line;
                System.out.println(line);
            }
            return !stop.get();
        });
        watcher.close();
        System.out.println("back closed answered=" + driver.answered.get() + " watches=" + runner.watchCount());
    }

    /** Wraps the echo frontend to report state changes with a monotonic timestamp (comparable across JVMs). */
    private static FrontendDriver<EchoFrontend.Path> reporting(final EchoFrontend echo)
    {
        return new FrontendDriver<>()
        {
            @Override
            public String type()
            {
                return echo.type();
            }

            @Override
            public EchoFrontend.Path connect(final FrontendContext device)
            {
                return echo.connect(device);
            }

            @Override
            public void connected(final EchoFrontend.Path path)
            {
                echo.connected(path);
                System.out.println("front connected completed=" + echo.completed());
            }

            @Override
            public void disconnect(final EchoFrontend.Path path, final boolean backendLost)
            {
                echo.disconnect(path, backendLost);
                System.out.println("front disconnected lost=" + backendLost + " nanos=" + System.nanoTime() +
                    " completed=" + echo.completed());
            }
        };
    }

    private static void front(final DeviceRunner runner, final int devid, final AtomicBoolean stop)
    {
        final EchoFrontend echo = new EchoFrontend(8, 256);
        final FrontendDevice<EchoFrontend.Path> device = FrontendDevice.start(runner, reporting(echo), devid);
        System.out.println("front ready pid=" + ProcessHandle.current().pid());
        // Keep 64 requests queued while running; say once that responses came back (tests wait for it).
        final AtomicBoolean flowing = new AtomicBoolean();
        runner.run(() ->
        {
            if (!flowing.get() && echo.completed() > 0)
            {
                flowing.set(true);
                System.out.println("front flowing completed=" + echo.completed());
            }
            if (echo.submitted() - echo.completed() < 64)
            {
                echo.submit(64);
                device.wakeDataPath();
            }
            return !stop.get();
        });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        device.wakeDataPath();
        runUntil(runner, () -> echo.completed() == echo.submitted(), deadline);
        device.close();
        runUntil(runner, device::isClosed, deadline);
        report(echo, device.isClosed());
    }

    private static void cycles(final SimSystem system, final DeviceRunner runner, final int devid, final int cycles)
    {
        final EchoFrontend echo = new EchoFrontend(8, 128);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        for (int i = 0; i < cycles; i++)
        {
            final FrontendDevice<EchoFrontend.Path> device = FrontendDevice.start(runner, echo, devid);
            echo.submit(16);
            device.wakeDataPath();
            final long before = echo.completed();
            // Close as soon as the first responses arrive: the rest are in flight.
            runUntil(runner, () -> echo.completed() > before, deadline);
            device.close();
            runUntil(runner, device::isClosed, deadline);
        }
        final FrontendDevice<EchoFrontend.Path> device = FrontendDevice.start(runner, echo, devid);
        runUntil(runner, () -> echo.completed() == echo.submitted(), deadline);
        device.close();
        runUntil(runner, device::isClosed, deadline);
        report(echo, device.isClosed());
        final SimInspector inspector = new SimInspector(system);
        final int domid = runner.platform().domid();
        System.out.println("cycles=" + cycles + " reissued=" + echo.reissued() + " leftGrants=" +
            inspector.grants(domid).size() + " leftPorts=" + (inspector.ports(domid).size() - 2) +
            " leftMappings=" + inspector.mappings(domid).stream().filter(SimInspector.MappingInfo::mapped).count() +
            " watches=" + runner.watchCount());
    }

    private static void many(final DeviceRunner runner, final int count, final AtomicBoolean stop)
    {
        final List<EchoFrontend> drivers = new ArrayList<>();
        final List<FrontendDevice<EchoFrontend.Path>> devices = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final EchoFrontend echo = new EchoFrontend(4, 64);
            echo.submit(100);
            drivers.add(echo);
            devices.add(FrontendDevice.start(runner, echo, i));
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        runUntil(runner, () -> drivers.stream().allMatch(d -> d.completed() == 100), deadline);
        System.out.println("many done devices=" + count + " completed=" +
            drivers.stream().mapToLong(EchoFrontend::completed).sum());
        runner.run(() -> !stop.get());
        devices.forEach(FrontendDevice::close);
        runUntil(runner, () -> devices.stream().allMatch(FrontendDevice::isClosed), System.nanoTime() +
            TimeUnit.SECONDS.toNanos(30));
        System.out.println("many closed");
    }

    private static void report(final EchoFrontend echo, final boolean closed)
    {
        System.out.println("front result completed=" + echo.completed() + " submitted=" + echo.submitted() +
            " duplicates=" + echo.duplicates() + " corrupt=" + echo.corrupt() + " reissued=" + echo.reissued() +
            " closed=" + closed);
    }

    private static void runUntil(final DeviceRunner runner, final java.util.function.BooleanSupplier done,
        final long deadline)
    {
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("timed out: " + runner);
            }
            if (0 == runner.doWork())
            {
                runner.awaitWork(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }
}
