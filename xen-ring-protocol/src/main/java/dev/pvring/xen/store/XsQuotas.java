/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

/**
 * xenstored limits. The first seven apply to unprivileged domains only and default to C xenstored's values
 * (Xen 4.17+): exceeding nodes, node size, permissions per node, transactions or nodes per transaction fails with
 * {@code ENOSPC}, too many watches with {@code E2BIG}; outstanding requests are back-pressure (xenstored stops
 * reading the connection), not an error. The next two bound every connection, dom0 included. The next one
 * bounds how many socket connections an unprivileged domain may hold at once (so the per-connection bounds add
 * up to a per-domain bound); a connection beyond it is closed as soon as it is accepted. The last two bound each
 * privileged (dom0) connection, which C xenstored leaves unbounded: beyond them {@code WATCH} fails with
 * {@code E2BIG} and {@code TRANSACTION_START} with {@code ENOSPC}, the errors C xenstored gives a domain over its
 * quota (oxenstored says {@code EQUOTA} for both); with the bound on connections per socket
 * ({@link XenstoredConfig#connectionsPerSocket()}) they bound dom0's total.
 *
 * @param nodesPerDomain           nodes a domain may own (C {@code nodes}, 1000).
 * @param watchesPerDomain         watches of a domain (C {@code watches}, 128).
 * @param transactionsPerDomain    concurrent transactions of a domain (C {@code transactions}, 10).
 * @param outstandingRequests      unread replies per connection before reading stops (C {@code outstanding}, 20).
 * @param nodeSize                 node size limit: header, perms, value, children (C {@code node-size}, 2048).
 * @param permissionsPerNode       permission entries per node (C {@code node-permissions}, 5).
 * @param transactionNodes         nodes one transaction may touch (C {@code transaction-nodes}, 1024).
 * @param outstandingPrivileged    unread replies per privileged connection before reading stops (1024).
 * @param pendingWatchEvents       queued watch events per connection before events collapse (1024).
 * @param connectionsPerDomain     connections an unprivileged domain may hold at once (32).
 * @param watchesPrivileged        watches of one privileged connection (65536).
 * @param transactionsPrivileged   concurrent transactions of one privileged connection (1024).
 */
public record XsQuotas(
    int nodesPerDomain,
    int watchesPerDomain,
    int transactionsPerDomain,
    int outstandingRequests,
    int nodeSize,
    int permissionsPerNode,
    int transactionNodes,
    int outstandingPrivileged,
    int pendingWatchEvents,
    int connectionsPerDomain,
    int watchesPrivileged,
    int transactionsPrivileged)
{
    /** Default of {@link #connectionsPerDomain()}. */
    public static final int DEFAULT_CONNECTIONS_PER_DOMAIN = 32;
    /** Default of {@link #watchesPrivileged()}. */
    public static final int DEFAULT_WATCHES_PRIVILEGED = 65_536;
    /** Default of {@link #transactionsPrivileged()}. */
    public static final int DEFAULT_TRANSACTIONS_PRIVILEGED = 1024;
    /** C xenstored's defaults plus pvring's per-connection, per-domain connection and dom0 bounds. */
    public static final XsQuotas DEFAULTS = new XsQuotas(1000, 128, 10, 20, 2048, 5, 1024, 1024, 1024,
        DEFAULT_CONNECTIONS_PER_DOMAIN, DEFAULT_WATCHES_PRIVILEGED, DEFAULT_TRANSACTIONS_PRIVILEGED);

    /**
     * Checks every limit is positive.
     *
     * @param nodesPerDomain        see the record description.
     * @param watchesPerDomain      see the record description.
     * @param transactionsPerDomain see the record description.
     * @param outstandingRequests   see the record description.
     * @param nodeSize              see the record description.
     * @param permissionsPerNode    see the record description.
     * @param transactionNodes      see the record description.
     * @param outstandingPrivileged see the record description.
     * @param pendingWatchEvents    see the record description.
     * @param connectionsPerDomain  see the record description.
     * @param watchesPrivileged     see the record description.
     * @param transactionsPrivileged see the record description.
     */
    public XsQuotas
    {
        positive("nodesPerDomain", nodesPerDomain);
        positive("watchesPerDomain", watchesPerDomain);
        positive("transactionsPerDomain", transactionsPerDomain);
        positive("outstandingRequests", outstandingRequests);
        positive("nodeSize", nodeSize);
        positive("permissionsPerNode", permissionsPerNode);
        positive("transactionNodes", transactionNodes);
        positive("outstandingPrivileged", outstandingPrivileged);
        positive("pendingWatchEvents", pendingWatchEvents);
        positive("connectionsPerDomain", connectionsPerDomain);
        positive("watchesPrivileged", watchesPrivileged);
        positive("transactionsPrivileged", transactionsPrivileged);
    }

    /**
     * The limits without dom0 bounds: {@link #DEFAULT_WATCHES_PRIVILEGED} and
     * {@link #DEFAULT_TRANSACTIONS_PRIVILEGED}.
     *
     * @param nodesPerDomain        see the record description.
     * @param watchesPerDomain      see the record description.
     * @param transactionsPerDomain see the record description.
     * @param outstandingRequests   see the record description.
     * @param nodeSize              see the record description.
     * @param permissionsPerNode    see the record description.
     * @param transactionNodes      see the record description.
     * @param outstandingPrivileged see the record description.
     * @param pendingWatchEvents    see the record description.
     * @param connectionsPerDomain  see the record description.
     */
    public XsQuotas(
        final int nodesPerDomain, final int watchesPerDomain, final int transactionsPerDomain,
        final int outstandingRequests, final int nodeSize, final int permissionsPerNode, final int transactionNodes,
        final int outstandingPrivileged, final int pendingWatchEvents, final int connectionsPerDomain)
    {
        this(nodesPerDomain, watchesPerDomain, transactionsPerDomain, outstandingRequests, nodeSize,
            permissionsPerNode, transactionNodes, outstandingPrivileged, pendingWatchEvents, connectionsPerDomain,
            DEFAULT_WATCHES_PRIVILEGED, DEFAULT_TRANSACTIONS_PRIVILEGED);
    }

    /**
     * The limits without a connection bound argument: {@link #DEFAULT_CONNECTIONS_PER_DOMAIN} connections per
     * domain.
     *
     * @param nodesPerDomain        see the record description.
     * @param watchesPerDomain      see the record description.
     * @param transactionsPerDomain see the record description.
     * @param outstandingRequests   see the record description.
     * @param nodeSize              see the record description.
     * @param permissionsPerNode    see the record description.
     * @param transactionNodes      see the record description.
     * @param outstandingPrivileged see the record description.
     * @param pendingWatchEvents    see the record description.
     */
    public XsQuotas(
        final int nodesPerDomain, final int watchesPerDomain, final int transactionsPerDomain,
        final int outstandingRequests, final int nodeSize, final int permissionsPerNode, final int transactionNodes,
        final int outstandingPrivileged, final int pendingWatchEvents)
    {
        this(nodesPerDomain, watchesPerDomain, transactionsPerDomain, outstandingRequests, nodeSize,
            permissionsPerNode, transactionNodes, outstandingPrivileged, pendingWatchEvents,
            DEFAULT_CONNECTIONS_PER_DOMAIN);
    }

    private static void positive(final String name, final int value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException("quota must be positive: " + name + "=" + value);
        }
    }

    /**
     * Copy with another node quota.
     *
     * @param value nodes per domain.
     * @return new quotas.
     */
    public XsQuotas withNodesPerDomain(final int value)
    {
        return new XsQuotas(value, watchesPerDomain, transactionsPerDomain, outstandingRequests, nodeSize,
            permissionsPerNode, transactionNodes, outstandingPrivileged, pendingWatchEvents, connectionsPerDomain,
            watchesPrivileged, transactionsPrivileged);
    }

    /**
     * Copy with another watch quota.
     *
     * @param value watches per domain.
     * @return new quotas.
     */
    public XsQuotas withWatchesPerDomain(final int value)
    {
        return new XsQuotas(nodesPerDomain, value, transactionsPerDomain, outstandingRequests, nodeSize,
            permissionsPerNode, transactionNodes, outstandingPrivileged, pendingWatchEvents, connectionsPerDomain,
            watchesPrivileged, transactionsPrivileged);
    }

    /**
     * Copy with another transaction quota.
     *
     * @param value transactions per domain.
     * @return new quotas.
     */
    public XsQuotas withTransactionsPerDomain(final int value)
    {
        return new XsQuotas(nodesPerDomain, watchesPerDomain, value, outstandingRequests, nodeSize,
            permissionsPerNode, transactionNodes, outstandingPrivileged, pendingWatchEvents, connectionsPerDomain,
            watchesPrivileged, transactionsPrivileged);
    }

    /**
     * Copy with another pending watch event bound.
     *
     * @param value pending events per connection.
     * @return new quotas.
     */
    public XsQuotas withPendingWatchEvents(final int value)
    {
        return new XsQuotas(nodesPerDomain, watchesPerDomain, transactionsPerDomain, outstandingRequests, nodeSize,
            permissionsPerNode, transactionNodes, outstandingPrivileged, value, connectionsPerDomain);
    }

    /**
     * Copy with another transaction-nodes quota.
     *
     * @param value nodes per transaction.
     * @return new quotas.
     */
    public XsQuotas withTransactionNodes(final int value)
    {
        return new XsQuotas(nodesPerDomain, watchesPerDomain, transactionsPerDomain, outstandingRequests, nodeSize,
            permissionsPerNode, value, outstandingPrivileged, pendingWatchEvents, connectionsPerDomain,
            watchesPrivileged, transactionsPrivileged);
    }

    /**
     * Copy with another bound of connections per unprivileged domain.
     *
     * @param value connections per domain.
     * @return new quotas.
     */
    public XsQuotas withConnectionsPerDomain(final int value)
    {
        return new XsQuotas(nodesPerDomain, watchesPerDomain, transactionsPerDomain, outstandingRequests, nodeSize,
            permissionsPerNode, transactionNodes, outstandingPrivileged, pendingWatchEvents, value,
            watchesPrivileged, transactionsPrivileged);
    }

    /**
     * Copy with another bound of watches per privileged connection.
     *
     * @param value watches per dom0 connection.
     * @return new quotas.
     */
    public XsQuotas withWatchesPrivileged(final int value)
    {
        return new XsQuotas(nodesPerDomain, watchesPerDomain, transactionsPerDomain, outstandingRequests, nodeSize,
            permissionsPerNode, transactionNodes, outstandingPrivileged, pendingWatchEvents, connectionsPerDomain,
            value, transactionsPrivileged);
    }

    /**
     * Copy with another bound of concurrent transactions per privileged connection.
     *
     * @param value transactions per dom0 connection.
     * @return new quotas.
     */
    public XsQuotas withTransactionsPrivileged(final int value)
    {
        return new XsQuotas(nodesPerDomain, watchesPerDomain, transactionsPerDomain, outstandingRequests, nodeSize,
            permissionsPerNode, transactionNodes, outstandingPrivileged, pendingWatchEvents, connectionsPerDomain,
            watchesPrivileged, value);
    }
}
