/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import dev.pvring.xen.store.XenStore;

/**
 * Everything a paravirtual driver needs from the machine it runs on, as one object: the local domain's
 * identity, its grant table, its event channels, its shareable pages and its xenstore connection. Drivers are written against this
 * interface only; the simulated multi-process system ({@link SimSystem}), Linux {@code /dev/xen}, or a
 * unikernel runtime provide it.
 * <p>
 * {@link #close()} releases what this process holds: it closes its event channel ports, unmaps its foreign
 * mappings and ends the grants it can end (grants still mapped by a peer stay until unmapped).
 */
public interface Platform extends AutoCloseable
{
    /**
     * The local domain.
     *
     * @return its domid.
     */
    int domid();

    /**
     * The local domain's grant table.
     *
     * @return the grant table.
     */
    GrantTable grantTable();

    /**
     * The local domain's event channels.
     *
     * @return the event channels.
     */
    EventChannels eventChannels();

    /**
     * The local domain's shareable pages.
     *
     * @return the page allocator.
     */
    LocalPages localPages();

    /**
     * The local domain's xenstore connection (opened on first use, closed with the platform). Relative paths
     * resolve under {@code /local/domain/<domid>}.
     *
     * @return the connection.
     * @throws PlatformException if no xenstore is reachable (the message says where it looked).
     */
    XenStore xenStore();

    /**
     * Releases everything this process holds on the platform. Idempotent.
     */
    @Override
    void close();
}
