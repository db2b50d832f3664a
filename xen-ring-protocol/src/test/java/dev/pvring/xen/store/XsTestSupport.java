/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Starts servers and clients for the xenstore tests.
 */
final class XsTestSupport
{
    private XsTestSupport()
    {
    }

    static Xenstored start(final Path dir)
    {
        return Xenstored.start(dir.resolve("socket"));
    }

    static Xenstored start(final Path dir, final XsQuotas quotas)
    {
        return Xenstored.start(XenstoredConfig.of(dir.resolve("socket")).withQuotas(quotas));
    }

    static SocketXenStore dom0(final Xenstored server)
    {
        return SocketXenStore.connect(server.socket());
    }

    /** Introduces the domain (through a dom0 client) if needed and connects as it. */
    static SocketXenStore domU(final Xenstored server, final XenStore dom0, final int domid)
    {
        if (!dom0.isDomainIntroduced(domid))
        {
            dom0.introduceDomain(domid, 1000 + domid, 1);
        }
        return SocketXenStore.connect(Xenstored.domainSocketPath(server.socket(), domid), 5, TimeUnit.SECONDS);
    }

    static RawXs rawDomU(final Xenstored server, final XenStore dom0, final int domid) throws Exception
    {
        if (!dom0.isDomainIntroduced(domid))
        {
            dom0.introduceDomain(domid, 1000 + domid, 1);
        }
        return RawXs.connect(Xenstored.domainSocketPath(server.socket(), domid));
    }
}
