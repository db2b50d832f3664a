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
 */
public record XenstoredConfig(Path socket, boolean domainSockets, XsQuotas quotas)
{
    /**
     * Checks the fields.
     *
     * @param socket        dom0 socket path.
     * @param domainSockets per-domain sockets on introduce.
     * @param quotas        limits.
     */
    public XenstoredConfig
    {
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
        return new XenstoredConfig(socket, domainSockets, value);
    }
}
