/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.ring;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.pvring.cli.CommandFailure;
import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.RingFiles;
import dev.pvring.cli.Signals;
import dev.pvring.core.SharedMemory;
import dev.pvring.xen.ring.FrontRing;
import dev.pvring.xen.ring.RingStatus;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pvring ring load-front}: initialise a ring in FILE as its front end, send requests, check the echoes.
 */
@Command(name = "load-front", mixinStandardHelpOptions = true,
    description = {
        "Initialise an io/ring.h ring at --offset of FILE, send --count requests in batches, check that every",
        "response echoes its request (see 'echo-back'), and print throughput and notifications.",
        "FILE is created if missing (and deleted again if the command is stopped by SIGINT/SIGTERM). An existing",
        "FILE is reused only if its ring bytes are all zero or already an io/ring.h ring; anything else is refused",
        "(exit 6) unless --replace is given."})
public final class LoadFrontCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Shared file for the ring (e.g. /dev/shm/ring).")
    private Path file;

    @Mixin
    private RingOptions ring;

    @Option(names = "--count", defaultValue = "1000000", paramLabel = "N",
        description = "Requests to send (default ${DEFAULT-VALUE}).")
    private long count;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "B",
        description = "Requests per push (default ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--start-index", defaultValue = "0", paramLabel = "I",
        description = "First ring index, unsigned (e.g. 4294967000 to cross the 2^32 wrap early).")
    private long startIndex;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
        description = "Give up if no response arrives for this long (default ${DEFAULT-VALUE}).")
    private double timeoutSeconds;

    @Option(names = RingFiles.REPLACE_OPTION, description = RingFiles.REPLACE_DESCRIPTION)
    private boolean replace;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (batch < 1 || count < 0 || startIndex < 0 || startIndex > 0xFFFF_FFFFL || !(timeoutSeconds > 0))
        {
            throw new IllegalArgumentException(
                "need batch >= 1, count >= 0, timeout > 0 and 0 <= start-index < 2^32: batch=" + batch + " count=" +
                count + " timeout=" + timeoutSeconds + " start-index=" + startIndex);
        }
        final int requestSize = ring.requestSize();
        final int responseSize = ring.responseSize();
        final RingFiles.Opened opened = RingFiles.createOrReuse(file, ring.mappedBytes(), false, ring.offset,
            ring.ringBytes(), replace);
        try (SharedMemory memory = opened.memory())
        {
            final AtomicBuffer buffer = memory.buffer();
            final FrontRing front = FrontRing.init(buffer, ring.offset, ring.ringBytes(), ring.entrySize, (int)startIndex);
            out.printf("initialised %s: size=%d entry=%d start=%d%n", file, front.size(), ring.entrySize, startIndex);
            out.flush();
            final UnsafeBuffer response = new UnsafeBuffer(new byte[ring.entrySize]);
            final long timeout = (long)(timeoutSeconds * 1e9);
            long sent = 0;
            long received = 0;
            long notifications = 0;
            final long start = System.nanoTime();
            long lastProgress = start;
            while (received < count)
            {
                if (Signals.stopRequested())
                {
                    err.printf("load-front: stopped by %s: sent=%d received=%d%n", Signals.stopSignal(), sent, received);
                    return ExitCodes.INTERRUPTED;
                }
                int queued = 0;
                while (sent < count && queued < batch)
                {
                    final int slot = front.claimRequest();
                    if (slot < 0)
                    {
                        if (slot == RingStatus.BROKEN)
                        {
                            throw CommandFailure.peer("back end broke the ring: fault=" + front.fault() + " " + front);
                        }
                        break;
                    }
                    EchoPattern.fillRequest(buffer, slot, requestSize, sent);
                    sent++;
                    queued++;
                }
                if (queued > 0 && front.pushRequestsAndCheckNotify())
                {
                    notifications++;
                }
                final int available = front.unconsumedResponses();
                if (available == 0)
                {
                    if (front.isBroken())
                    {
                        throw CommandFailure.peer("back end broke the ring: fault=" + front.fault() + " " + front);
                    }
                    if (System.nanoTime() - lastProgress > timeout)
                    {
                        throw new CommandFailure(ExitCodes.TIMEOUT, String.format(
                            "no response for %s s: sent=%d received=%d", timeoutSeconds, sent, received));
                    }
                    Thread.onSpinWait();
                    continue;
                }
                for (int i = 0; i < available; i++)
                {
                    front.copyResponse(response, 0, responseSize);
                    final int bad = EchoPattern.checkResponse(response, 0, responseSize, requestSize, received);
                    if (bad >= 0)
                    {
                        throw CommandFailure.peer(String.format(
                            "response %d differs from its request at byte %d (ring index %s)", received, bad,
                            Integer.toUnsignedString(front.rspCons() - 1)));
                    }
                    received++;
                }
                lastProgress = System.nanoTime();
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("ok front pairs=%d seconds=%.3f pairs_per_s=%.0f notifications=%d notifications_per_pair=%.6f " +
                "final_index=%s%n", received, seconds, received / seconds, notifications,
                received == 0 ? 0.0 : (double)notifications / received, Integer.toUnsignedString(front.rspCons()));
            return ExitCodes.OK;
        }
        catch (final InternalError fault)
        {
            // SIGBUS: the ring file shrank under the mapping; reported like any other broken ring.
            throw CommandFailure.peer("back end broke the ring: memory fault in " + file +
                " (was the file truncated?): " + fault.getMessage());
        }
        finally
        {
            if (!Signals.stopRequested())
            {
                Signals.keep(file);
            }
        }
    }
}
