/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.ExitCodes;
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
        "device; the TAP MTU must be at most 1500. Runs until SIGINT/SIGTERM (exit 0; the --out channel is " +
        "deactivated and its file kept, so a restarted instance reconnects); prints statistics to stderr. An " +
        "--out file that is not an SHMStream channel is refused (exit 6) unless --replace; a channel file " +
        "truncated under the mapping ends it with exit 3.")
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

    @Option(names = {"--replace", "--force"},
        description = "Replace the --out file if it is a regular file that is not an SHMStream channel file.")
    private boolean force;

    /**
     * Creates the command (picocli instantiates it).
     */
    public MuenNetCommand()
    {
    }

    @Override
    public Integer call() throws InterruptedException
    {
        if (batch < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "batch must be positive: batch=" + batch);
        }
        if (statsSeconds < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "stats interval must be 0 or more: stats=" + statsSeconds);
        }
        final String region = ChannelFiles.checkRegionSize(regionSize);
        if (region != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), region);
        }
        final PrintWriter err = spec.commandLine().getErr();
        ChannelFiles.Opened out = null;
        SharedMemory in = null;
        try (SignalStop stop = SignalStop.install(false))
        {
            try (TapDevice tap = TapDevice.open(tapName))
            {
                out = ChannelFiles.openForWriting(outFile, regionSize, force);
                in = ChannelFiles.awaitForReading(inFile, err, stop::isRequested);
                if (in == null)
                {
                    return stop.finish(ExitCodes.OK);
                }
                final MuenNetLink link = new MuenNetLink(out.memory().buffer(), null, in.buffer());
                final long epoch = link.start();
                final MuenNetTapBridge bridge = new MuenNetTapBridge(tap, link, batch);
                err.printf("muennet: tap=%s out=%s (epoch %016x, %d frames) in=%s%n",
                    tap.name(), outFile, epoch, link.writer().elements(), inFile);
                err.flush();
                boolean broken = true;
                try
                {
                    broken = !run(bridge, err, stop);
                }
                finally
                {
                    stop(link, err);
                    bridge.onClose();
                    printStats(bridge, err);
                }
                // The out file stays (deactivated): the peer's reader keeps its mapping and sees a restarted
                // instance's new epoch in the same file.
                return stop.finish(broken ? ExitCodes.PEER : ExitCodes.OK);
            }
            catch (final RefusedException ex)
            {
                return stop.finish(fail(err, ExitCodes.REFUSED, ex.getMessage()));
            }
            catch (final IllegalArgumentException | IllegalStateException | SharedMemoryException |
                UncheckedIOException ex)
            {
                return stop.finish(fail(err, ExitCodes.FAILURE, ex.getMessage()));
            }
            catch (final InternalError fault)
            {
                // Delivered a little after the faulting access, possibly outside the bridge.
                reportFault(fault, err);
                return stop.finish(ExitCodes.PEER);
            }
            finally
            {
                if (in != null)
                {
                    in.close();
                }
                if (out != null)
                {
                    out.memory().close();
                }
            }
        }
    }

    private static int fail(final PrintWriter err, final int code, final String message)
    {
        err.println("muennet: " + message);
        err.flush();
        return code;
    }

    /**
     * Runs the bridge until interrupted.
     *
     * @return false if it broke (a channel file truncated under its mapping).
     */
    private boolean run(final MuenNetTapBridge bridge, final PrintWriter err, final SignalStop stop)
    {
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
        final long statsNanos = TimeUnit.SECONDS.toNanos(statsSeconds);
        long nextStats = System.nanoTime() + statsNanos;
        while (!stop.isRequested())
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
