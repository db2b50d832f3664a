/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.xenstore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.CommandFailure;
import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.Signals;
import dev.pvring.xen.store.Xenstored;
import dev.pvring.xen.store.XenstoredConfig;
import dev.pvring.xen.store.SocketPaths;
import dev.pvring.xen.store.XsQuotas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pvring xenstored --socket PATH}: runs the Java xenstored in the foreground until SIGINT or SIGTERM, then
 * closes every connection and removes the sockets it created.
 * <p>
 * The socket path is checked first ({@link SocketPaths}): only nothing or a stale socket (one nobody answers on)
 * may be there; anything else is refused with one line naming it (exit {@link ExitCodes#REFUSED}). A missing parent
 * directory is an error (exit {@link ExitCodes#FAILURE}): the command creates no directories.
 */
@Command(
    name = "xenstored",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a xenstored (xs_wire over unix sockets) in the foreground until Ctrl-C or SIGTERM, then removes its",
        "sockets. Point Debian's xenstore tools at it with XENSTORED_PATH=<socket>.",
        "Clients of the socket are dom0; after dom0 introduces domain N (xenstore INTRODUCE), clients of",
        "<socket>.dN act as domain N.",
        "Only a stale socket (a socket file nobody answers on) at PATH is replaced; a file, a directory, a link or a",
        "live socket there is refused (exit 6). The parent directory must exist."
    })
public final class XenstoredCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--socket", required = true, paramLabel = "PATH",
        description = "dom0 socket to listen on, in an existing directory, e.g. /tmp/xs-socket")
    private Path socket;

    @Option(names = "--no-domain-sockets", description = "do not open <socket>.dN on INTRODUCE")
    private boolean noDomainSockets;

    @Option(names = "--quota-nodes", paramLabel = "N", description = "nodes per domain (default: ${DEFAULT-VALUE})")
    private int nodes = XsQuotas.DEFAULTS.nodesPerDomain();

    @Option(names = "--quota-watches", paramLabel = "N", description = "watches per domain (default: ${DEFAULT-VALUE})")
    private int watches = XsQuotas.DEFAULTS.watchesPerDomain();

    @Option(names = "--quota-transactions", paramLabel = "N",
        description = "concurrent transactions per domain (default: ${DEFAULT-VALUE})")
    private int transactions = XsQuotas.DEFAULTS.transactionsPerDomain();

    @Option(names = "--quota-connections", paramLabel = "N",
        description = "connections a domain (not dom0) may hold at once (default: ${DEFAULT-VALUE})")
    private int connections = XsQuotas.DEFAULTS.connectionsPerDomain();

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        claimSocketPath(out);
        final XsQuotas quotas = XsQuotas.DEFAULTS.withNodesPerDomain(nodes).withWatchesPerDomain(watches)
            .withTransactionsPerDomain(transactions).withConnectionsPerDomain(connections);
        final Xenstored xenstored;
        try
        {
            xenstored = Xenstored.start(new XenstoredConfig(socket, !noDomainSockets, quotas));
        }
        catch (final IllegalStateException | java.io.UncheckedIOException ex)
        {
            throw CommandFailure.failure(ex.getMessage());
        }
        Signals.deleteOnStop(socket);
        try
        {
            out.println("xenstored listening on " + xenstored.socket() + " (dom0); clients of " +
                xenstored.socket() + ".dN act as domain N once dom0 introduced it");
            out.println("try: XENSTORED_PATH=" + xenstored.socket() + " xenstore-ls");
            out.flush();
            while (!Signals.stopRequested())
            {
                if (!xenstored.isRunning())
                {
                    err.println("pvring xenstored: server thread stopped unexpectedly");
                    err.flush();
                    return ExitCodes.FAILURE;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            out.println("xenstored: " + Signals.stopSignal() + ", stopping");
            return ExitCodes.OK;
        }
        finally
        {
            xenstored.close();
            Signals.keep(socket);
            out.println("xenstored stopped: messages=" + xenstored.messages() + " errorReplies=" +
                xenstored.errorReplies() + " protocolErrors=" + xenstored.protocolErrors() + " refusedConnections=" +
                xenstored.refusedConnections());
            out.flush();
        }
    }

    /** Refuses anything at the socket path but nothing or a stale socket; deletes a stale socket. */
    private void claimSocketPath(final PrintWriter out) throws IOException
    {
        final SocketPaths.Verdict verdict = SocketPaths.check(socket);
        switch (verdict)
        {
            case FREE ->
            {
            }
            case STALE_SOCKET ->
            {
                if (!SocketPaths.deleteStale(socket))
                {
                    throw CommandFailure.refused("refusing to replace " + socket + ": it is now " +
                        SocketPaths.describe(socket));
                }
                out.println("xenstored: replaced the stale socket " + socket + " (nobody answered on it)");
            }
            case LIVE_SOCKET -> throw CommandFailure.refused("refusing to replace " + socket + ": it is " +
                SocketPaths.describe(socket) + " (another xenstored?)");
            case NOT_A_SOCKET -> throw CommandFailure.refused("refusing to replace " + socket + ": it is " +
                SocketPaths.describe(socket) + ", not a stale socket (remove it yourself or choose another path)");
            case NO_PARENT -> throw CommandFailure.failure("no directory for the socket: " +
                socket.toAbsolutePath().getParent() + " does not exist (create it first, e.g. mkdir -p)");
            case PARENT_NOT_A_DIRECTORY -> throw CommandFailure.failure("no directory for the socket: " +
                socket.toAbsolutePath().getParent() + " is " + SocketPaths.describe(socket.toAbsolutePath().getParent()));
            default -> throw new IllegalStateException("unknown verdict=" + verdict);
        }
    }
}
