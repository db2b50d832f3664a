/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The xenstored process of {@link XenstoredHostileLoadTest}'s descriptor-exhaustion test, started under a low
 * {@code ulimit -n}: serves {@code SOCKET} with a per-socket connection bound above that limit (so accept runs out
 * of descriptors), prints {@code READY}, and when its standard input closes prints one {@code STATS} line and
 * exits 0. Usage: {@code XenstoredLoadMain SOCKET CONNECTIONS_PER_SOCKET}.
 */
public final class XenstoredLoadMain
{
    private XenstoredLoadMain()
    {
    }

    /**
     * Runs the server until stdin closes.
     *
     * @param args socket path, connections per socket.
     * @throws IOException if stdin fails.
     */
    public static void main(final String[] args) throws IOException
    {
        final XenstoredConfig config = XenstoredConfig.of(Path.of(args[0]))
            .withConnectionsPerSocket(Integer.parseInt(args[1]));
        try (Xenstored server = Xenstored.start(config))
        {
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0)
            {
                // wait for EOF
            }
            final long[] lines = server.logLines();
            System.out.println("STATS running=" + server.isRunning() + " acceptFailures=" + server.acceptFailures() +
                " refused=" + server.refusedConnections() + " loopFailures=" + server.loopFailures() +
                " connections=" + server.connections() + " logLines=" + lines[0] + " suppressed=" + lines[1] +
                " logFailures=" + lines[2]);
            System.out.flush();
        }
        System.exit(0);
    }
}
