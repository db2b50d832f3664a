/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.xenstore;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.pvring.xen.store.Xenstored;
import dev.pvring.xen.store.XenstoredConfig;
import dev.pvring.xen.store.XsQuotas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pvring xenstored --socket PATH}: runs the Java xenstored in the foreground until interrupted.
 */
@Command(
    name = "xenstored",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a xenstored (xs_wire over unix sockets) in the foreground until Ctrl-C.",
        "Point Debian's xenstore tools at it with XENSTORED_PATH=<socket>.",
        "Clients of the socket are dom0; after dom0 introduces domain N (xenstore INTRODUCE), clients of",
        "<socket>.dN act as domain N."
    })
public final class XenstoredCommand implements Callable<Integer>
{
    @Option(names = "--socket", required = true, paramLabel = "PATH",
        description = "dom0 socket to listen on, e.g. /tmp/xs/socket")
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

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception
    {
        final PrintStream out = System.out;
        final Xenstored xenstored;
        try
        {
            final XsQuotas quotas = XsQuotas.DEFAULTS.withNodesPerDomain(nodes).withWatchesPerDomain(watches)
                .withTransactionsPerDomain(transactions).withConnectionsPerDomain(connections);
            xenstored = Xenstored.start(new XenstoredConfig(socket, !noDomainSockets, quotas));
        }
        catch (final IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException ex)
        {
            System.err.println("xenstored: " + ex.getMessage());
            return 1;
        }
        final CountDownLatch done = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            stop.countDown();
            try
            {
                done.await(5, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "pvring-xenstored-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            out.println("xenstored listening on " + xenstored.socket() + " (dom0); clients of " +
                xenstored.socket() + ".dN act as domain N once dom0 introduced it");
            out.println("try: XENSTORED_PATH=" + xenstored.socket() + " xenstore-ls");
            out.flush();
            while (!stop.await(1, TimeUnit.SECONDS))
            {
                if (!xenstored.isRunning())
                {
                    System.err.println("xenstored: server thread stopped unexpectedly");
                    return 1;
                }
            }
        }
        finally
        {
            xenstored.close();
            out.println("xenstored stopped: messages=" + xenstored.messages() + " errorReplies=" +
                xenstored.errorReplies() + " protocolErrors=" + xenstored.protocolErrors() + " refusedConnections=" +
                xenstored.refusedConnections());
            out.flush();
            done.countDown();
        }
        return 0;
    }
}
