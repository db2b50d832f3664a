/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.nio.charset.StandardCharsets;

/**
 * The sizes of a simulated domain, fixed when dom0 creates it.
 *
 * @param domid           the domain id (below the system's max domains).
 * @param name            a short ASCII name for tools (at most 31 bytes), e.g. {@code "Domain-0"}.
 * @param pages           frames of memory (the memory file is sparse: untouched pages cost nothing).
 * @param grantEntries    grant refs, including the 8 reserved ones.
 * @param ports           event channel ports, including the unused port 0.
 * @param maptrackEntries foreign grants this domain may have mapped at once.
 */
public record SimDomainConfig(int domid, String name, int pages, int grantEntries, int ports, int maptrackEntries)
{
    /** Default frames: 16 MiB. */
    public static final int DEFAULT_PAGES = 4096;
    /** Default grant refs. */
    public static final int DEFAULT_GRANT_ENTRIES = 4096;
    /** Default ports. */
    public static final int DEFAULT_PORTS = 1024;
    /** Default maptrack entries. */
    public static final int DEFAULT_MAPTRACK_ENTRIES = 4096;

    /**
     * Validates the sizes.
     *
     * @param domid           the domain id.
     * @param name            a short ASCII name.
     * @param pages           frames.
     * @param grantEntries    grant refs.
     * @param ports           ports.
     * @param maptrackEntries maptrack entries.
     */
    public SimDomainConfig
    {
        if (domid < 0 || domid >= SimSystemDescriptor.MAX_DOMAINS_LIMIT)
        {
            throw new IllegalArgumentException(
                "domid out of range: domid=" + domid + " max=" + (SimSystemDescriptor.MAX_DOMAINS_LIMIT - 1));
        }
        if (name == null || name.isEmpty() ||
            name.getBytes(StandardCharsets.US_ASCII).length >= SimSystemDescriptor.SLOT_NAME_LENGTH ||
            !StandardCharsets.US_ASCII.newEncoder().canEncode(name))
        {
            throw new IllegalArgumentException(
                "domain name must be 1-" + (SimSystemDescriptor.SLOT_NAME_LENGTH - 1) + " ASCII characters: name=" +
                name);
        }
        SimGrantTableDescriptor.checkSizes(pages, grantEntries, maptrackEntries);
        SimEventChannelDescriptor.checkPorts(ports);
    }

    /**
     * A domain with default sizes, named {@code Domain-0} for dom0 and {@code dom<d>} otherwise.
     *
     * @param domid the domain id.
     * @return the configuration.
     */
    public static SimDomainConfig defaults(final int domid)
    {
        return new SimDomainConfig(
            domid, domid == 0 ? "Domain-0" : "dom" + domid, DEFAULT_PAGES, DEFAULT_GRANT_ENTRIES, DEFAULT_PORTS,
            DEFAULT_MAPTRACK_ENTRIES);
    }

    /**
     * A copy with another name.
     *
     * @param name the name.
     * @return the configuration.
     */
    public SimDomainConfig withName(final String name)
    {
        return new SimDomainConfig(domid, name, pages, grantEntries, ports, maptrackEntries);
    }

    /**
     * A copy with another page count.
     *
     * @param pages frames.
     * @return the configuration.
     */
    public SimDomainConfig withPages(final int pages)
    {
        return new SimDomainConfig(domid, name, pages, grantEntries, ports, maptrackEntries);
    }

    /**
     * A copy with another grant entry count.
     *
     * @param grantEntries grant refs.
     * @return the configuration.
     */
    public SimDomainConfig withGrantEntries(final int grantEntries)
    {
        return new SimDomainConfig(domid, name, pages, grantEntries, ports, maptrackEntries);
    }

    /**
     * A copy with another port count.
     *
     * @param ports ports.
     * @return the configuration.
     */
    public SimDomainConfig withPorts(final int ports)
    {
        return new SimDomainConfig(domid, name, pages, grantEntries, ports, maptrackEntries);
    }

    /**
     * A copy with another maptrack size.
     *
     * @param maptrackEntries maptrack entries.
     * @return the configuration.
     */
    public SimDomainConfig withMaptrackEntries(final int maptrackEntries)
    {
        return new SimDomainConfig(domid, name, pages, grantEntries, ports, maptrackEntries);
    }
}
