/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.net;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.Signals;
import dev.pvring.xen.device.DeviceRunner;
import dev.pvring.xen.device.FrontendDevice;
import dev.pvring.xen.net.TapPort;
import dev.pvring.xen.net.front.NetfrontDriver;
import dev.pvring.xen.net.front.NetfrontQueue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pvring netfront --sim NAME|--platform linux --domid D --devid N --tap IFNAME [--queues Q]}: the guest side of one vif,
 * bridged to a TAP device.
 */
@Command(name = "netfront", mixinStandardHelpOptions = true,
    description = "Attaches the vif --devid of domain --domid (created with 'pvring sim add-device NAME --type vif'), " +
        "as Linux netfront does, and bridges it to the TAP device --tap in this network namespace (needs root or " +
        "CAP_NET_ADMIN). Prints one line per state change; SIGINT/SIGTERM closes the vif (Closing, Closed, grants " +
        "ended) and stops.")
public final class NetfrontCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private PlatformChoice platformChoice;

    @Option(names = "--domid", required = true, paramLabel = "D", description = "Frontend domain.")
    private int domid;

    @Option(names = "--devid", required = true, paramLabel = "N", description = "Device id (handle).")
    private int devid;

    @Option(names = "--tap", required = true, paramLabel = "IFNAME", description = "TAP device (created if missing).")
    private String tapName;

    @Option(names = "--queues", defaultValue = "1", paramLabel = "Q",
        description = "Queues wanted, at most the backend's multi-queue-max-queues (default ${DEFAULT-VALUE}).")
    private int queues;

    @Option(names = "--stats", defaultValue = "0", paramLabel = "SECONDS",
        description = "Seconds between counter lines, 0 for none (default ${DEFAULT-VALUE}).")
    private int stats;

    /** Creates the command (picocli instantiates it). */
    public NetfrontCommand()
    {
    }

    private void usage(final boolean bad, final String message)
    {
        if (bad)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        usage(queues < 1 || queues > 16, "queues must be 1 to 16: queues=" + queues);
        usage(stats < 0, "stats must not be negative: stats=" + stats);
        usage(domid < 1, "domid must be a guest (at least 1): domid=" + domid);
        usage(devid < 0, "devid must not be negative: devid=" + devid);
        platformChoice.validate(spec);
        Signals.stopOnSignals();
        try (PlatformChoice.Opened opened = platformChoice.open(domid);
             DeviceRunner runner = new DeviceRunner(opened.platform(), "netfront");
             TapPorts port = new TapPorts(TapPort.open(tapName)))
        {
            NetbackCommand.line(out, "netfront: tap=" + port.tap().device().name() + " vif " + domid + "/" + devid);
            final NetfrontDriver driver = new NetfrontDriver(runner, queues, port,
                l -> NetbackCommand.line(out, "netfront: " + l));
            final FrontendDevice<NetfrontDriver.Path> device = FrontendDevice.start(runner, driver, devid);
            String phase = "";
            final long statsNanos = TimeUnit.SECONDS.toNanos(stats);
            long nextStats = System.nanoTime() + statsNanos;
            while (!Signals.stopRequested())
            {
                if (runner.doWork() == 0)
                {
                    runner.awaitWork(TimeUnit.MILLISECONDS.toNanos(100));
                }
                final String now = device.phase().toString();
                if (!now.equals(phase))
                {
                    phase = now;
                    NetbackCommand.line(out, "netfront: state " + now);
                }
                if (statsNanos > 0 && System.nanoTime() - nextStats >= 0 && null != driver.current())
                {
                    nextStats += statsNanos;
                    long tx = 0;
                    long rx = 0;
                    for (final NetfrontQueue q : driver.current().queues())
                    {
                        tx += q.txPackets();
                        rx += q.rxPackets();
                    }
                    NetbackCommand.line(out, "netfront: tx=" + tx + " rx=" + rx);
                }
            }
            NetbackCommand.line(out, "netfront: closing (" + Signals.stopSignal() + ")");
            device.close();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Signals.GRACE_SECONDS);
            while (!device.isClosed() && System.nanoTime() - deadline < 0)
            {
                if (runner.doWork() == 0)
                {
                    runner.awaitWork(TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
            driver.close();
            NetbackCommand.line(out, "netfront: " + (device.isClosed() ? "Closed, grants ended" :
                "not closed after " + Signals.GRACE_SECONDS + "s: " + device.status()));
            return device.isClosed() ? ExitCodes.OK : ExitCodes.TIMEOUT;
        }
    }
}
