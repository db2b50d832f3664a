/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.platform;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.CommandFailure;
import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.Signals;
import dev.pvring.xen.platform.SimDomainConfig;
import dev.pvring.xen.platform.SimInspector;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimReaper;
import dev.pvring.xen.platform.SimSystem;
import dev.pvring.xen.store.SocketXenStore;
import dev.pvring.xen.store.Toolstack;
import dev.pvring.xen.store.XenStoreException;
import dev.pvring.xen.store.Xenstored;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pvring sim up NAME}: a simulated host in one command. Creates the system if it does not exist (and
 * domains 1..N with {@code --domains N}), starts its xenstored on {@link SimSystem#xenstoredSocket()}, writes
 * dom0's {@code name}/{@code domid} and builds and introduces every domain already in the system (as a
 * toolstack restarting would), then serves in the foreground until SIGINT/SIGTERM, reaping dead domain
 * processes every 20 ms ({@link SimReaper}). Stopping stops xenstored and
 * removes what the command created: the whole system if it created it (unless {@code --keep}), else the domains
 * it added. {@code sim add-domain}/{@code destroy-domain}/{@code add-device}/{@code remove-device} talk to this
 * xenstored while it runs.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {
        "Bring up a simulated host in the foreground: create the system if missing (with --domains N: domains "
            + "1..N too), start its xenstored at <system>/xenstored.socket, write dom0's tree and build and introduce "
            + "every existing domain (domains added before xenstored ran are introduced now). Ctrl-C (SIGINT/SIGTERM) "
            + "stops xenstored and removes what this command created.",
        "While it runs: 'pvring sim add-domain|destroy-domain|add-device|remove-device NAME ...' act as the "
            + "toolstack, domain N's processes reach xenstore at <socket>.dN, and "
            + "'XENSTORED_PATH=<socket> xenstore-ls -p' shows the tree."})
final class SimUpCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "System name (under /dev/shm/pvring-sim/) or path.")
    String name;

    @Option(names = "--domains", defaultValue = "0", paramLabel = "N",
        description = "Make sure domains 1..N exist (default ${DEFAULT-VALUE}).")
    int domains;

    @Option(names = "--max-domains", defaultValue = "64", paramLabel = "N",
        description = "Domain slots if the system is created (default ${DEFAULT-VALUE}).")
    int maxDomains;

    @Option(names = "--keep", description = "Keep the system (and domains) this command created when it stops.")
    boolean keep;

    @Override
    public Integer call() throws Exception
    {
        Signals.stopOnSignals();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Path directory = SimSystem.directoryOf(name);
        if (domains >= maxDomains && !SimSystem.exists(directory))
        {
            throw new IllegalArgumentException("--domains must be below --max-domains: domains=" + domains +
                " maxDomains=" + maxDomains);
        }
        final boolean createdSystem = !SimSystem.exists(directory);
        final SimSystem system = createdSystem ?
            SimSystem.create(directory, maxDomains, SimDomainConfig.defaults(0)) : SimSystem.open(directory);
        final List<Integer> createdDomains = new ArrayList<>();
        Xenstored xenstored = null;
        try (SimPlatform dom0 = system.join(0))
        {
            line(out, (createdSystem ? "created" : "opened") + " simulated system " + directory);
            for (int d = 1; d <= domains; d++)
            {
                if (!system.isAlive(d))
                {
                    final SimDomainConfig config = SimDomainConfig.defaults(d);
                    dom0.createDomain(config);
                    createdDomains.add(d);
                    line(out, "created domain " + d + " (" + config.name() + ")");
                }
            }
            final Path socket = system.xenstoredSocket();
            try
            {
                xenstored = Xenstored.start(socket);
            }
            catch (final IllegalStateException | java.io.UncheckedIOException ex)
            {
                throw CommandFailure.failure(ex.getMessage());
            }
            Signals.deleteOnStop(socket);
            line(out, "xenstored listening on " + socket);
            try (SocketXenStore store = SocketXenStore.connect(socket, 5, TimeUnit.SECONDS))
            {
                Toolstack.initDom0(store);
                for (final SimInspector.DomainInfo d : new SimInspector(system).domains())
                {
                    if (d.domid() == 0)
                    {
                        continue;
                    }
                    try
                    {
                        Toolstack.createDomain(store, SimXenstore.domain(d.domid(), d.name(), d.pages()));
                        line(out, "introduced domain " + d.domid() + " (" + d.name() + "): its processes reach " +
                            "xenstore at " + Xenstored.domainSocketPath(socket, d.domid()));
                    }
                    catch (final IllegalStateException | IllegalArgumentException ex)
                    {
                        err.println("pvring sim up: cannot build domain " + d.domid() + " in xenstore: " +
                            ex.getMessage());
                        err.flush();
                    }
                }
            }
            catch (final XenStoreException ex)
            {
                throw SimXenstore.failure(ex);
            }
            line(out, "host " + name + " up; try: XENSTORED_PATH=" + socket + " xenstore-ls -p  (Ctrl-C stops)");
            // The host's reaper: like a hypervisor noticing a dead domain, release what dead processes held
            // (as 'sim reclaim') every 20 ms, so their peers see their ports close within tens of milliseconds.
            final SimReaper reaper = new SimReaper(system);
            while (!Signals.stopRequested())
            {
                if (!xenstored.isRunning())
                {
                    throw CommandFailure.failure("xenstored stopped unexpectedly");
                }
                final int released = reaper.reapOnce();
                if (released > 0)
                {
                    line(out, "host " + name + ": reaped " + released + " items of dead processes");
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            line(out, "host " + name + ": " + Signals.stopSignal() + ", stopping");
            return ExitCodes.OK;
        }
        finally
        {
            if (null != xenstored)
            {
                xenstored.close();
                Signals.keep(system.xenstoredSocket());
                line(out, "xenstored stopped");
            }
            cleanUp(out, system, directory, createdSystem, createdDomains);
        }
    }

    private void cleanUp(final PrintWriter out, final SimSystem system, final Path directory,
        final boolean createdSystem, final List<Integer> createdDomains)
    {
        if (keep)
        {
            system.close();
            line(out, "kept simulated system " + directory);
            return;
        }
        if (createdSystem)
        {
            system.close();
            SimSystem.delete(directory);
            line(out, "deleted simulated system " + directory);
            return;
        }
        try (SimPlatform dom0 = system.join(0))
        {
            for (final int d : createdDomains)
            {
                if (system.isAlive(d))
                {
                    dom0.destroyDomain(d);
                    line(out, "destroyed domain " + d);
                }
            }
        }
        finally
        {
            system.close();
        }
    }

    private static void line(final PrintWriter out, final String text)
    {
        out.println(text);
        out.flush();
    }
}
