/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.platform;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.Printable;
import dev.pvring.xen.platform.GrantEntryV1Descriptor;
import dev.pvring.xen.platform.PlatformException;
import dev.pvring.xen.platform.SimDomainConfig;
import dev.pvring.xen.platform.SimEventChannelDescriptor;
import dev.pvring.xen.platform.SimHypervisor;
import dev.pvring.xen.platform.SimInspector;
import dev.pvring.xen.platform.SimPlatform;
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
 * {@code pvring sim}: create, inspect and repair simulated Xen systems (grant tables and event channels in
 * shared memory, see {@link SimSystem}).
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = "Simulated Xen systems: domains with a memory file, a v1 grant table and event channels in "
        + "shared memory, joined by processes as a domid. NAME is a name under /dev/shm/pvring-sim/ or a path "
        + "containing '/'.",
    subcommands = {
        SimCommand.Create.class, SimCommand.AddDomain.class, SimCommand.DestroyDomain.class, SimCommand.Ls.class,
        SimCommand.Reclaim.class, SimCommand.Remove.class, SimUpCommand.class, SimDeviceCommands.AddDevice.class,
        SimDeviceCommands.RemoveDevice.class})
public final class SimCommand
{
    private SimCommand()
    {
    }

    /**
     * Common error handling: platform errors print one line and exit 1 ({@link ExitCodes#FAILURE}); a bad NAME,
     * DOMID or option value (IllegalArgumentException) is a usage error for {@code pvring}'s handler (exit 2).
     */
    abstract static class SimSubcommand implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "System name (under /dev/shm/pvring-sim/) or path.")
        String name;

        @Override
        public final Integer call()
        {
            try
            {
                return run(spec.commandLine().getOut(), SimSystem.directoryOf(name));
            }
            catch (final PlatformException | IllegalStateException ex)
            {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + ex.getMessage());
                return ExitCodes.FAILURE;
            }
        }

        abstract int run(PrintWriter out, Path directory);
    }

    /** Domain size options shared by create and add-domain. */
    static final class SizeOptions
    {
        @Option(names = "--pages", paramLabel = "N", description = "Frames of memory (default 4096 = 16 MiB, sparse).")
        Integer pages;

        @Option(names = "--grants", paramLabel = "N", description = "Grant entries (default 4096).")
        Integer grants;

        @Option(names = "--ports", paramLabel = "N", description = "Event channel ports (default 1024).")
        Integer ports;

        @Option(names = "--maptrack", paramLabel = "N", description = "Foreign mappings at once (default 4096).")
        Integer maptrack;

        SimDomainConfig apply(final SimDomainConfig base)
        {
            SimDomainConfig config = base;
            if (pages != null)
            {
                config = config.withPages(pages);
            }
            if (grants != null)
            {
                config = config.withGrantEntries(grants);
            }
            if (ports != null)
            {
                config = config.withPorts(ports);
            }
            if (maptrack != null)
            {
                config = config.withMaptrackEntries(maptrack);
            }
            return config;
        }
    }

    /** {@code pvring sim create NAME}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a system with dom0.")
    static final class Create extends SimSubcommand
    {
        @Option(names = "--max-domains", defaultValue = "64", paramLabel = "N",
            description = "Domain slots, domids 0..N-1 (default ${DEFAULT-VALUE}).")
        int maxDomains;

        @picocli.CommandLine.Mixin
        SizeOptions sizes = new SizeOptions();

        @Override
        int run(final PrintWriter out, final Path directory)
        {
            try (SimSystem system = SimSystem.create(directory, maxDomains, sizes.apply(SimDomainConfig.defaults(0))))
            {
                out.printf("created simulated system %s with %d domain slots and dom0%n", system.directory(),
                    system.maxDomains());
            }
            return 0;
        }
    }

    /** {@code pvring sim add-domain NAME DOMID}. */
    @Command(name = "add-domain", mixinStandardHelpOptions = true,
        description = "Create a domain, acting as dom0 (the toolstack, like xl create): its memory, grant table and "
            + "ports and, if the host's xenstored runs ('pvring sim up NAME'), its xenstore tree "
            + "(/local/domain/<id> with name and domid, as libxl writes it) and INTRODUCE, after which its processes "
            + "reach xenstore at <socket>.d<id>. Without a xenstored, 'pvring sim up NAME' introduces it later.")
    static final class AddDomain extends SimSubcommand
    {
        @Parameters(index = "1", paramLabel = "DOMID", description = "The new domain's id.")
        int domid;

        @Option(names = "--name", paramLabel = "TEXT", description = "Domain name (default dom<DOMID>).")
        String domainName;

        @picocli.CommandLine.Mixin
        SizeOptions sizes = new SizeOptions();

        @Override
        int run(final PrintWriter out, final Path directory)
        {
            SimDomainConfig config = sizes.apply(SimDomainConfig.defaults(domid));
            if (domainName != null)
            {
                config = config.withName(domainName);
            }
            try (SimSystem system = SimSystem.open(directory); SimPlatform dom0 = system.join(0))
            {
                dom0.createDomain(config);
                out.printf("created domain %d (%s): %d pages, %d grant entries, %d ports%n", domid, config.name(),
                    config.pages(), config.grantEntries(), config.ports());
                out.flush();
                try (SocketXenStore store = SimXenstore.connectOrNull(system))
                {
                    if (null == store)
                    {
                        out.printf("xenstore: no xenstored at %s yet; 'pvring sim up %s' introduces the domain when "
                            + "it starts%n", system.xenstoredSocket(), name);
                        return ExitCodes.OK;
                    }
                    try
                    {
                        Toolstack.createDomain(store, SimXenstore.domain(domid, config.name(), config.pages()));
                    }
                    catch (final RuntimeException ex)
                    {
                        // As xl: a domain whose xenstore part failed is destroyed again.
                        dom0.destroyDomain(domid);
                        out.printf("destroyed domain %d again: its xenstore tree could not be built%n", domid);
                        throw ex instanceof XenStoreException xs ? SimXenstore.failure(xs) : ex;
                    }
                    out.printf("xenstore: introduced domain %d as /local/domain/%d; its processes reach xenstore at "
                        + "%s%n", domid, domid, Xenstored.domainSocketPath(system.xenstoredSocket(), domid));
                }
            }
            return ExitCodes.OK;
        }
    }

    /** {@code pvring sim destroy-domain NAME DOMID}. */
    @Command(name = "destroy-domain", mixinStandardHelpOptions = true,
        description = "Destroy a domain, acting as dom0 (like xl destroy): if the host's xenstored runs, its devices "
            + "are removed (backends asked to close, waited for up to --timeout, then removed anyway) and its "
            + "xenstore tree too; then the domain dies (its peers see their channels closed) and xenstored releases "
            + "it (@releaseDomain fires).")
    static final class DestroyDomain extends SimSubcommand
    {
        @Parameters(index = "1", paramLabel = "DOMID", description = "The domain to destroy.")
        int domid;

        @Option(names = "--timeout", defaultValue = "10", paramLabel = "S",
            description = "Seconds its devices' backends get to reach Closed (default ${DEFAULT-VALUE}, as libxl).")
        double timeoutSeconds;

        @Override
        int run(final PrintWriter out, final Path directory)
        {
            try (SimSystem system = SimSystem.open(directory); SimPlatform dom0 = system.join(0);
                 SocketXenStore store = domid > 0 && system.isAlive(domid) ? SimXenstore.connectOrNull(system) : null)
            {
                if (null != store)
                {
                    final Toolstack.DestroyReport report = Toolstack.destroyDomain(store, domid,
                        (long)(timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
                    final String forced = report.forced() == 0 ? "" : " (" + report.forced() + " forced: the " +
                        "backend did not close within " + SimDeviceCommands.seconds(timeoutSeconds) + " s)";
                    out.printf("xenstore: removed %d devices%s and /local/domain/%d%n", report.devices(), forced,
                        domid);
                    out.flush();
                }
                dom0.destroyDomain(domid);
                out.printf("destroyed domain %d%n", domid);
                if (null != store && Toolstack.releaseDomain(store, domid))
                {
                    out.printf("xenstore: released domain %d (@releaseDomain fired)%n", domid);
                }
            }
            catch (final XenStoreException ex)
            {
                throw SimXenstore.failure(ex);
            }
            return ExitCodes.OK;
        }
    }

    /** {@code pvring sim ls NAME}. */
    @Command(name = "ls", mixinStandardHelpOptions = true,
        description = "Show domains, then per domain its grants, ports and foreign mappings, with the pid holding "
            + "each and whether it is alive.")
    static final class Ls extends SimSubcommand
    {
        @Option(names = "--domain", paramLabel = "DOMID", description = "Only this domain's details.")
        Integer only;

        @Override
        int run(final PrintWriter out, final Path directory)
        {
            try (SimSystem system = SimSystem.open(directory))
            {
                final SimInspector inspector = new SimInspector(system);
                final List<SimInspector.DomainInfo> domains = inspector.domains();
                out.printf("system %s: %d domain slots, %d domains%n%n", system.directory(), system.maxDomains(),
                    domains.size());
                out.printf("%-6s %-16s %-8s %4s %13s %7s %7s %9s  %s%n", "DOMID", "NAME", "STATE", "GEN", "PAGES USED",
                    "GRANTS", "PORTS", "MAPPINGS", "CREATOR");
                for (final SimInspector.DomainInfo d : domains)
                {
                    out.printf("%-6d %-16s %-8s %4s %13s %7d %7d %9d  pid %d%n", d.domid(), Printable.escape(d.name()),
                        Printable.escape(d.state()), Integer.toUnsignedString(d.generation()), d.usedPages() + "/" + d.pages(), d.activeGrants(), d.openPorts(), d.mappings(),
                        d.creatorPid());
                }
                for (final SimInspector.DomainInfo d : domains)
                {
                    if (only == null || only == d.domid())
                    {
                        details(out, inspector, d.domid());
                    }
                }
                if (only != null && domains.stream().noneMatch(d -> d.domid() == only))
                {
                    throw new IllegalArgumentException("no such domain: domid=" + only);
                }
            }
            return 0;
        }

        private static void details(final PrintWriter out, final SimInspector inspector, final int domid)
        {
            final List<SimInspector.GrantInfo> grants = inspector.grants(domid);
            final List<SimInspector.PortInfo> ports = inspector.ports(domid);
            final List<SimInspector.MappingInfo> mappings = inspector.mappings(domid);
            if (grants.isEmpty() && ports.isEmpty() && mappings.isEmpty())
            {
                return;
            }
            out.printf("%ndomain %d%n", domid);
            if (!grants.isEmpty())
            {
                out.printf("  grants:%n  %-6s %-6s %-24s %-7s %-12s %s%n", "REF", "DOMID", "FLAGS", "FRAME",
                    "MAPS RO/RW", "OWNER");
                for (final SimInspector.GrantInfo g : grants)
                {
                    out.printf("  %-6d %-6d %-24s %-7d %-12s %s%s%n", g.ref(), g.grantee(),
                        GrantEntryV1Descriptor.describeFlags(g.flags()), g.frame(),
                        g.readOnlyPins() + "/" + g.writablePins(), owner(g.owner(), g.ownerAlive()),
                        g.lockHolder() == 0 ? "" : "  locked by pid " + g.lockHolder());
                }
            }
            if (!ports.isEmpty())
            {
                out.printf("  ports:%n  %-6s %-12s %-10s %-8s %-7s %-8s %-8s %s%n", "PORT", "STATE", "REMOTE",
                    "PENDING", "MASKED", "EVENTS", "WAITERS", "OWNER");
                for (final SimInspector.PortInfo p : ports)
                {
                    final boolean reserved = p.state() == SimEventChannelDescriptor.STATE_RESERVED;
                    out.printf("  %-6d %-12s %-10s %-8s %-7s %-8d %-8d %s%n", p.port(),
                        SimEventChannelDescriptor.describeState(p.state()),
                        remote(p), yesNo(p.pending()), yesNo(p.masked()), Integer.toUnsignedLong(p.deliveries()),
                        p.waiters(), reserved ? "pid " + p.remotePort() : owner(p.owner(), p.ownerAlive()));
                }
            }
            if (!mappings.isEmpty())
            {
                out.printf("  foreign mappings:%n  %-6s %-8s %-6s %-7s %-8s %s%n", "SLOT", "GRANTER", "REF", "ACCESS",
                    "STATE", "OWNER");
                for (final SimInspector.MappingInfo m : mappings)
                {
                    out.printf("  %-6d %-8d %-6d %-7s %-8s %s%n", m.slot(), m.granter(), m.ref(),
                        m.readOnly() ? "ro" : "rw", m.mapped() ? "mapped" : "partial",
                        owner(m.owner(), m.ownerAlive()));
                }
            }
        }

        private static String remote(final SimInspector.PortInfo p)
        {
            return switch (p.state())
            {
                case SimEventChannelDescriptor.STATE_UNBOUND -> "for " + p.remoteDomid();
                case SimEventChannelDescriptor.STATE_RESERVED -> "-";
                default -> p.remoteDomid() + ":" + p.remotePort();
            };
        }

        private static String yesNo(final boolean value)
        {
            return value ? "yes" : "no";
        }

        private static String owner(final int pid, final boolean alive)
        {
            if (pid == 0)
            {
                return "-";
            }
            return "pid " + pid + (alive ? "" : " (dead: 'pvring sim reclaim' releases it)");
        }
    }

    /** {@code pvring sim reclaim NAME}. */
    @Command(name = "reclaim", mixinStandardHelpOptions = true,
        description = "Release the ports, mappings, grants, pages and locks held by processes that died.")
    static final class Reclaim extends SimSubcommand
    {
        @Override
        int run(final PrintWriter out, final Path directory)
        {
            try (SimSystem system = SimSystem.open(directory))
            {
                final SimHypervisor.ReclaimReport report = system.reclaim();
                out.printf("reclaimed: %d ports, %d mappings, %d grants, %d pages, %d locks%n", report.ports(),
                    report.mappings(), report.grants(), report.pages(), report.locks());
                if (report.stillMapped() > 0)
                {
                    out.printf("left: %d grants of dead processes are still mapped by a peer (reclaim again after "
                        + "it unmaps)%n", report.stillMapped());
                }
            }
            return 0;
        }
    }

    /** {@code pvring sim rm NAME}. */
    @Command(name = "rm", mixinStandardHelpOptions = true,
        description = "Delete a system's files (processes still using it keep their mappings).")
    static final class Remove extends SimSubcommand
    {
        @Override
        int run(final PrintWriter out, final Path directory)
        {
            SimSystem.delete(directory);
            out.printf("deleted simulated system %s%n", directory);
            return 0;
        }
    }
}
