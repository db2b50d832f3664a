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
import dev.pvring.xen.device.BackendWatcher;
import dev.pvring.xen.device.DeviceRunner;
import dev.pvring.xen.net.TapPort;
import dev.pvring.xen.net.back.NetbackDriver;
import dev.pvring.xen.net.back.NetbackQueue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pvring netback --sim NAME|--platform linux [--domid 0] [--tap-prefix vif]}: serves every vif whose backend is this domain,
 * one TAP device {@code <prefix><frontend-domid>.<devid>} per connected vif.
 */
@Command(name = "netback", mixinStandardHelpOptions = true,
    description = "Serves every vif device whose backend is --domid (as Linux netback does), bridging each " +
        "connected vif to a TAP device <prefix><frontend-domid>.<devid> created in this network namespace " +
        "(needs root or CAP_NET_ADMIN; bring it up and address it with ip(8)). Keeps serving as devices come and " +
        "go; prints one line per state change; SIGINT/SIGTERM closes every vif and stops.")
public final class NetbackCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private PlatformChoice platformChoice;

    @Option(names = "--domid", defaultValue = "0", paramLabel = "D", description = "Backend domain (default ${DEFAULT-VALUE}).")
    private int domid;

    @Option(names = "--tap-prefix", defaultValue = "vif", paramLabel = "PREFIX",
        description = "TAP name prefix (default ${DEFAULT-VALUE}).")
    private String tapPrefix;

    @Option(names = "--max-queues", defaultValue = "" + NetbackDriver.DEFAULT_MAX_QUEUES, paramLabel = "Q",
        description = "multi-queue-max-queues offered (default ${DEFAULT-VALUE}).")
    private int maxQueues;

    @Option(names = "--stats", defaultValue = "0", paramLabel = "SECONDS",
        description = "Seconds between counter lines, 0 for none (default ${DEFAULT-VALUE}).")
    private int stats;

    /** Creates the command (picocli instantiates it). */
    public NetbackCommand()
    {
    }

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        for (final String bad : new String[] {
            maxQueues < 1 || maxQueues > 16 ? "max-queues must be 1 to 16: max-queues=" + maxQueues : null,
            stats < 0 ? "stats must not be negative: stats=" + stats : null,
            domid < 0 ? "domid must not be negative: domid=" + domid : null})
        {
            if (null != bad)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), bad);
            }
        }
        platformChoice.validate(spec);
        Signals.stopOnSignals();
        try (PlatformChoice.Opened opened = platformChoice.open(domid);
             DeviceRunner runner = new DeviceRunner(opened.platform(), "netback"))
        {
            final NetbackDriver driver = new NetbackDriver(runner, maxQueues, device ->
            {
                final String name = tapPrefix + device.frontendDomid() + "." + device.devid();
                try
                {
                    final TapPorts port = new TapPorts(TapPort.open(name));
                    line(out, "netback: vif" + device.frontendDomid() + "." + device.devid() + " tap=" + name);
                    return port;
                }
                catch (final IllegalStateException | IllegalArgumentException ex)
                {
                    line(out, "netback: cannot open tap " + name + ": " + ex.getMessage());
                    return null;
                }
            }, l -> line(out, "netback: " + l));
            final BackendWatcher<NetbackDriver.Path> watcher = BackendWatcher.start(runner, driver);
            line(out, "netback: serving vif devices of domain " + domid + " (" + platformChoice.describe() + ")");
            final long statsNanos = TimeUnit.SECONDS.toNanos(stats);
            long nextStats = System.nanoTime() + statsNanos;
            while (!Signals.stopRequested())
            {
                if (runner.doWork() == 0)
                {
                    runner.awaitWork(TimeUnit.MILLISECONDS.toNanos(100));
                }
                if (statsNanos > 0 && System.nanoTime() - nextStats >= 0)
                {
                    nextStats += statsNanos;
                    for (final NetbackDriver.Path p : driver.paths())
                    {
                        long tx = 0;
                        long rx = 0;
                        long drops = 0;
                        for (int i = 0; i < p.vif().queueCount(); i++)
                        {
                            final NetbackQueue q = p.vif().queue(i);
                            tx += q.txPackets();
                            rx += q.rxPackets();
                            drops += q.txDropped() + q.rxDropped();
                        }
                        line(out, "netback: vif" + p.vif().frontDomid() + "." + p.vif().devid() + " fromFront=" + tx +
                            " toFront=" + rx + " dropped=" + drops);
                    }
                }
            }
            line(out, "netback: stopping (" + Signals.stopSignal() + ")");
            watcher.close();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Signals.GRACE_SECONDS);
            while (!driver.paths().isEmpty() && System.nanoTime() - deadline < 0)
            {
                if (runner.doWork() == 0)
                {
                    runner.awaitWork(TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
            line(out, "netback: closed");
            return ExitCodes.OK;
        }
    }

    static void line(final PrintWriter out, final String text)
    {
        out.println(text);
        out.flush();
    }
}
