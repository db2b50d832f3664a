/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.file.Path;

/**
 * How to run a {@link Xenstored}.
 *
 * @param socket        unix socket for dom0 (privileged) clients, e.g. {@code /var/run/xenstored/socket}.
 * @param domainSockets whether {@code INTRODUCE} of domain N opens {@link Xenstored#domainSocketPath(Path, int)}
 *                      for clients acting as domain N.
 * @param quotas        limits.
 * @param connectionsPerSocket connections each listening socket (dom0's and every domain's) may have open at once;
 *                      one more is closed as soon as it is accepted, so a client that opens connections in a loop
 *                      cannot make xenstored run out of file descriptors.
 */
public record XenstoredConfig(Path socket, boolean domainSockets, XsQuotas quotas, int connectionsPerSocket)
{
    /** Default of {@link #connectionsPerSocket()}. */
    public static final int DEFAULT_CONNECTIONS_PER_SOCKET = 512;

    /**
     * Checks the fields.
     *
     * @param socket               dom0 socket path.
     * @param domainSockets        per-domain sockets on introduce.
     * @param quotas               limits.
     * @param connectionsPerSocket open connections per listening socket (positive).
     */
    public XenstoredConfig
    {
        if (connectionsPerSocket <= 0)
        {
            throw new IllegalArgumentException("connectionsPerSocket must be positive: connectionsPerSocket=" +
                connectionsPerSocket);
        }
        if (null == socket)
        {
            throw new IllegalArgumentException("socket must not be null: socket=null");
        }
        if (null == quotas)
        {
            throw new IllegalArgumentException("quotas must not be null: quotas=null");
        }
    }

    /**
     * A configuration with {@link #DEFAULT_CONNECTIONS_PER_SOCKET} connections per socket.
     *
     * @param socket        dom0 socket path.
     * @param domainSockets per-domain sockets on introduce.
     * @param quotas        limits.
     */
    public XenstoredConfig(final Path socket, final boolean domainSockets, final XsQuotas quotas)
    {
        this(socket, domainSockets, quotas, DEFAULT_CONNECTIONS_PER_SOCKET);
    }

    /**
     * Defaults: domain sockets on, C xenstored's quotas.
     *
     * @param socket dom0 socket path.
     * @return the configuration.
     */
    public static XenstoredConfig of(final Path socket)
    {
        return new XenstoredConfig(socket, true, XsQuotas.DEFAULTS);
    }

    /**
     * Copy with other quotas.
     *
     * @param value quotas.
     * @return new configuration.
     */
    public XenstoredConfig withQuotas(final XsQuotas value)
    {
        return new XenstoredConfig(socket, domainSockets, value, connectionsPerSocket);
    }

    /**
     * Copy with another bound of open connections per listening socket.
     *
     * @param value connections per socket.
     * @return new configuration.
     */
    public XenstoredConfig withConnectionsPerSocket(final int value)
    {
        return new XenstoredConfig(socket, domainSockets, quotas, value);
    }
}
