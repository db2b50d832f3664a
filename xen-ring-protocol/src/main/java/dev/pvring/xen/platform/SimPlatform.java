/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.pvring.xen.store.SocketXenStore;
import dev.pvring.xen.store.XenStore;
import dev.pvring.xen.store.Xenstored;

/**
 * A process's membership of a {@link SimSystem} as one domain: the {@link Platform} drivers use, plus the
 * toolstack operations dom0 may perform.
 */
public final class SimPlatform implements Platform
{
    private final SimSystem system;
    private final int domid;
    private final SimGrantTable grantTable;
    private final SimEventChannels eventChannels;
    private final SimLocalPages localPages;
    private XenStore xenStore;
    private volatile boolean closed;

    SimPlatform(final SimSystem system, final SimDomainView own)
    {
        this.system = system;
        this.domid = own.domid;
        this.grantTable = new SimGrantTable(system, own);
        this.eventChannels = new SimEventChannels(system, own);
        this.localPages = new SimLocalPages(system, own);
    }

    @Override
    public int domid()
    {
        return domid;
    }

    @Override
    public GrantTable grantTable()
    {
        return grantTable;
    }

    @Override
    public EventChannels eventChannels()
    {
        return eventChannels;
    }

    @Override
    public LocalPages localPages()
    {
        return localPages;
    }

    /**
     * The system this platform belongs to.
     *
     * @return the system.
     */
    public SimSystem system()
    {
        return system;
    }

    /**
     * Creates a domain (toolstack operation: dom0 only).
     *
     * @param config the new domain's id and sizes.
     * @throws IllegalStateException if this platform is not dom0 or the domid is in use.
     */
    public void createDomain(final SimDomainConfig config)
    {
        checkDom0("create domains");
        system.createDomain(config);
    }

    /**
     * Destroys a domain (toolstack operation: dom0 only): its ports are closed (peers see
     * {@link EventChannels#PEER_CLOSED}), its mappings of other domains' grants are released, and its files are
     * deleted. Peers that map its pages keep those mappings until they unmap them.
     *
     * @param domid a domain other than dom0.
     * @throws IllegalStateException if this platform is not dom0 or the domain does not exist.
     */
    public void destroyDomain(final int domid)
    {
        checkDom0("destroy domains");
        system.destroyDomain(domid);
    }

    private void checkDom0(final String what)
    {
        if (closed)
        {
            throw new IllegalStateException("platform is closed: domid=" + domid);
        }
        if (domid != 0)
        {
            throw new IllegalStateException("only dom0 may " + what + ": domid=" + domid);
        }
    }

    /**
     * Connects to the system's xenstored ({@link SimSystem#xenstoredSocket()}): dom0 through the main socket,
     * a domU through the socket xenstored opens when dom0 introduces it.
     */
    @Override
    public synchronized XenStore xenStore()
    {
        if (closed)
        {
            throw new IllegalStateException("platform is closed: domid=" + domid);
        }
        if (xenStore == null)
        {
            final Path socket = domid == 0 ? system.xenstoredSocket() :
                Xenstored.domainSocketPath(system.xenstoredSocket(), domid);
            if (!Files.exists(socket))
            {
                throw new PlatformException("no xenstored for domain " + domid + " at " + socket + (domid == 0 ?
                    "; start the host with: pvring sim up " + system.directory() :
                    "; the host's xenstored must run and have introduced the domain: pvring sim up " +
                    system.directory() + " does both (or pvring sim add-domain while it runs)"));
            }
            xenStore = SocketXenStore.connect(socket);
        }
        return xenStore;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        synchronized (this)
        {
            if (xenStore != null)
            {
                xenStore.close();
            }
        }
        eventChannels.close();
        grantTable.close();
        localPages.close();
    }

    @Override
    public String toString()
    {
        return "SimPlatform{domid=" + domid + ", system=" + system.directory() + "}";
    }
}
