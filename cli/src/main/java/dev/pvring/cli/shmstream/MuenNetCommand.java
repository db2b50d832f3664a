/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.SharedMemory;
import dev.pvring.core.SharedMemoryException;
import dev.pvring.shmstream.MuenNetLink;
import dev.pvring.shmstream.MuenNetTapBridge;
import dev.pvring.core.tap.TapDevice;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pvring muennet --tap NAME --out FILE --in FILE}: a Linux TAP device bridged to a muen-net channel pair.
 */
@Command(
    name = "muennet",
    mixinStandardHelpOptions = true,
    description =
        "Bridges a TAP device to a muen-net link (two SHMStream v2 channels, 1516-byte elements, protocol " +
        "7ade5c549b08e814, as Solo5 muen-net and Linux muennet use): frames read from the TAP device go " +
        "into --out, frames from --in are written to the TAP device. Run a second instance with --out and " +
        "--in swapped (or a Muen/Solo5 peer) on the other side. Needs root or CAP_NET_ADMIN for the TAP " +
        "device; the TAP MTU must be at most 1500. Runs until interrupted; prints statistics to stderr.")
public final class MuenNetCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--tap", required = true, paramLabel = "NAME", description = "TAP device (created if missing).")
    private String tapName;

    @Option(names = "--out", required = true, paramLabel = "FILE",
        description = "Outgoing channel file (this side writes it; created if missing).")
    private Path outFile;

    @Option(names = "--in", required = true, paramLabel = "FILE",
        description = "Incoming channel file (the peer writes it; waited for).")
    private Path inFile;

    @Option(names = "--region-size", paramLabel = "BYTES",
        description = "Size of a new outgoing channel file, a multiple of 4096 (default 1048576: 691 frames).")
    private Long regionSize;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + MuenNetTapBridge.DEFAULT_BATCH,
        description = "Frames per direction and cycle; one flush per batch (default ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--stats", paramLabel = "SECONDS", defaultValue = "10",
        description = "Seconds between statistics lines, 0 for none (default ${DEFAULT-VALUE}).")
    private int statsSeconds;

    private volatile boolean running = true;

    /**
     * Creates the command (picocli instantiates it).
     */
    public MuenNetCommand()
    {
    }

    @Override
    public Integer call() throws InterruptedException
    {
        final PrintWriter err = spec.commandLine().getErr();
        if (batch < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "batch must be positive: batch=" + batch);
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            running = false;
            try
            {
                stopped.await(5, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
        }, "muennet-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (TapDevice tap = TapDevice.open(tapName);
             SharedMemory out = ChannelFiles.openForWriting(outFile, regionSize);
             SharedMemory in = ChannelFiles.openForReading(inFile, true, System.err))
        {
            final MuenNetLink link = new MuenNetLink(out.buffer(), null, in.buffer());
            final long epoch = link.start();
            final MuenNetTapBridge bridge = new MuenNetTapBridge(tap, link, batch);
            err.printf("muennet: tap=%s out=%s (epoch %016x, %d frames) in=%s%n",
                tap.name(), outFile, epoch, link.writer().elements(), inFile);
            err.flush();
            boolean broken = true;
            try
            {
                broken = !run(bridge, err);
            }
            finally
            {
                stop(link, err);
                bridge.onClose();
                printStats(bridge, err);
            }
            return broken ? 1 : 0;
        }
        catch (final IllegalArgumentException | IllegalStateException | SharedMemoryException ex)
        {
            err.println("muennet: " + ex.getMessage());
            err.flush();
            return 1;
        }
        catch (final InternalError fault)
        {
            // Delivered a little after the faulting access, possibly outside the bridge.
            reportFault(fault, err);
            return 1;
        }
        finally
        {
            stopped.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException shuttingDown)
            {
                // the hook is running: it waits for the countDown above
            }
        }
    }

    /**
     * Runs the bridge until interrupted.
     *
     * @return false if it broke (a channel file truncated under its mapping).
     */
    private boolean run(final MuenNetTapBridge bridge, final PrintWriter err)
    {
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
        final long statsNanos = TimeUnit.SECONDS.toNanos(statsSeconds);
        long nextStats = System.nanoTime() + statsNanos;
        while (running)
        {
            idle.idle(bridge.doWork());
            if (bridge.isBroken())
            {
                reportFault(bridge.fault(), err);
                return false;
            }
            if (statsNanos > 0 && System.nanoTime() - nextStats >= 0)
            {
                nextStats += statsNanos;
                printStats(bridge, err);
            }
        }
        return true;
    }

    private void reportFault(final InternalError fault, final PrintWriter err)
    {
        err.println("muennet: channel broken: memory fault in " + inFile + " or " + outFile +
            " (was a channel file truncated by the peer?): " + fault.getMessage());
        err.flush();
    }

    /** Deactivates the outgoing channel, unless its file is gone from under the mapping. */
    private static void stop(final MuenNetLink link, final PrintWriter err)
    {
        try
        {
            link.stop();
        }
        catch (final InternalError fault)
        {
            err.println("muennet: cannot deactivate the outgoing channel: memory fault: " + fault.getMessage());
            err.flush();
        }
    }

    private static void printStats(final MuenNetTapBridge bridge, final PrintWriter err)
    {
        final MuenNetLink link = bridge.link();
        err.printf("muennet: sent=%d received=%d overruns=%d skipped=%d epochChanges=%d malformed=%d " +
            "incompatible=%d oversized=%d tapDrops=%d%n", link.framesSent(), link.framesReceived(), bridge.overruns(),
            link.reader().elementsSkipped(), bridge.epochChanges(), link.malformedFrames(), bridge.incompatible(),
            bridge.oversizedFrames(), bridge.tapDrops());
        err.flush();
    }
}
