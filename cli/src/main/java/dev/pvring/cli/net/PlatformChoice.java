/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.net;

import dev.pvring.xen.platform.LinuxPlatform;
import dev.pvring.xen.platform.Platform;
import dev.pvring.xen.platform.SimSystem;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The platform options every driver command takes: {@code --sim NAME} (the simulated host) or
 * {@code --platform linux} (real Xen through {@code /dev/xen}); exactly one, nothing else changes.
 */
public final class PlatformChoice
{
    @Option(names = "--sim", paramLabel = "NAME", description = "Simulated system name or path (or --platform).")
    private String sim;

    @Option(names = "--platform", paramLabel = "linux",
        description = "Run on real Xen through /dev/xen (gntdev, gntalloc, evtchn) instead of --sim.")
    private String platform;

    /** Creates the option holder (picocli fills it). */
    public PlatformChoice()
    {
    }

    /**
     * Checks that exactly one platform was chosen.
     *
     * @param spec the command, for the usage error.
     */
    public void validate(final CommandLine.Model.CommandSpec spec)
    {
        if ((null == sim) == (null == platform))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "give exactly one of --sim NAME or --platform linux: sim=" + sim + " platform=" + platform);
        }
        if (null != platform && !"linux".equals(platform))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "unknown platform (only 'linux'): platform=" + platform);
        }
    }

    /** @return a one-word description for status lines. */
    public String describe()
    {
        return null != sim ? "sim " + sim : "platform linux";
    }

    /**
     * Joins the chosen platform as {@code domid}.
     *
     * @param domid this domain.
     * @return the opened platform; closing it closes the simulated system too.
     */
    public Opened open(final int domid)
    {
        if (null != platform)
        {
            return new Opened(null, LinuxPlatform.open(domid));
        }
        final SimSystem system = SimSystem.open(SimSystem.directoryOf(sim));
        try
        {
            return new Opened(system, system.join(domid));
        }
        catch (final RuntimeException ex)
        {
            system.close();
            throw ex;
        }
    }

    /**
     * An opened platform and, on the simulated host, the system it belongs to.
     *
     * @param system   the simulated system, or null on Linux.
     * @param platform the platform drivers see.
     */
    public record Opened(SimSystem system, Platform platform) implements AutoCloseable
    {
        @Override
        public void close()
        {
            try
            {
                platform.close();
            }
            finally
            {
                if (null != system)
                {
                    system.close();
                }
            }
        }
    }
}
