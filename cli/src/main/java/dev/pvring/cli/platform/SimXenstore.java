/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.CommandFailure;
import dev.pvring.xen.platform.SimSystem;
import dev.pvring.xen.store.SocketXenStore;
import dev.pvring.xen.store.Toolstack;
import dev.pvring.xen.store.XenStoreException;

/**
 * How the {@code sim} commands reach a simulated host's xenstored: it listens on
 * {@link SimSystem#xenstoredSocket()} ({@code <sim directory>/xenstored.socket}), started by
 * {@code pvring sim up NAME} (or {@code pvring xenstored --socket <that path>}); the commands connect as dom0,
 * the toolstack.
 */
final class SimXenstore
{
    /** How long connecting to a socket that exists may take. */
    private static final long CONNECT_SECONDS = 5;

    private SimXenstore()
    {
    }

    /**
     * Connects as dom0 if a xenstored answers on the system's socket.
     *
     * @param system the simulated system.
     * @return the connection, or {@code null} if no xenstored runs there.
     */
    static SocketXenStore connectOrNull(final SimSystem system)
    {
        final Path socket = system.xenstoredSocket();
        if (!Files.exists(socket))
        {
            return null;
        }
        try
        {
            return SocketXenStore.connect(socket, CONNECT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final XenStoreException ex)
        {
            return null;
        }
    }

    /**
     * Connects as dom0, or fails saying what to run first.
     *
     * @param system the simulated system.
     * @param name   the NAME the user gave.
     * @return the connection.
     * @throws CommandFailure if no xenstored runs there.
     */
    static SocketXenStore connect(final SimSystem system, final String name)
    {
        final SocketXenStore store = connectOrNull(system);
        if (null == store)
        {
            throw CommandFailure.failure("no xenstored at " + system.xenstoredSocket() + " (start the host with " +
                "'pvring sim up " + name + "')");
        }
        return store;
    }

    /**
     * A simulated domain as the toolstack builds it: one vcpu, its pages as memory, no xenstore ring (its
     * processes reach xenstored through {@code <socket>.d<domid>} once introduced).
     *
     * @param domid domain.
     * @param name  name.
     * @param pages memory pages.
     * @return the domain.
     */
    static Toolstack.Domain domain(final int domid, final String name, final int pages)
    {
        return new Toolstack.Domain(domid, name, pages * 4L, 1, 0, 0);
    }

    /**
     * A xenstore failure as a command failure (the connection broke or xenstored refused).
     *
     * @param ex the failure.
     * @return the failure to throw.
     */
    static CommandFailure failure(final XenStoreException ex)
    {
        return CommandFailure.failure("xenstore: " + ex.getMessage());
    }
}
