/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.ring;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.CommandFailure;
import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.RingFiles;
import dev.pvring.cli.Signals;
import dev.pvring.core.SharedMemory;
import dev.pvring.xen.ring.BackRing;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pvring ring echo-back}: the back end of a ring some front end (any language) initialised in FILE,
 * answering every request with a response carrying the request's bytes.
 */
@Command(name = "echo-back", mixinStandardHelpOptions = true,
    description = {
        "Attach as the back end of an io/ring.h ring that a front end initialised at --offset of FILE and answer",
        "every request with a response carrying the request's bytes (cut or zero-padded to the response size).",
        "Polls; honours the event index (final check before idling) and counts the notifications it would send.",
        "FILE must exist and hold a ring (or be all zero there): anything else is refused (exit 6).",
        "Runs until --count, --idle-timeout or SIGINT/SIGTERM (then exits 0; 130 if --count was not reached)."})
public final class EchoBackCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Shared file holding the ring (e.g. /dev/shm/ring).")
    private Path file;

    @Mixin
    private RingOptions ring;

    @Option(names = "--count", paramLabel = "N",
        description = "Exit after answering N requests (default: run until --idle-timeout or interrupted).")
    private long count = -1;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "SECONDS",
        description = "Exit after this long without a request (0 = never; default ${DEFAULT-VALUE}).")
    private double idleTimeoutSeconds;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final int requestSize = ring.requestSize();
        final int responseSize = ring.responseSize();
        try (SharedMemory memory = RingFiles.attach(file, ring.mappedBytes(), ring.offset, ring.ringBytes()))
        {
            final AtomicBuffer buffer = memory.buffer();
            final BackRing back = BackRing.attach(buffer, ring.offset, ring.ringBytes(), ring.entrySize);
            out.printf("attached to %s: size=%d entry=%d start=%s%n", file, back.size(), ring.entrySize,
                Integer.toUnsignedString(back.reqCons()));
            out.flush();
            final UnsafeBuffer request = new UnsafeBuffer(new byte[ring.entrySize]);
            final int copied = Math.min(requestSize, responseSize);
            final long idleLimit = idleTimeoutSeconds <= 0 ? Long.MAX_VALUE : (long)(idleTimeoutSeconds * 1e9);
            long answered = 0;
            long notifications = 0;
            final long start = System.nanoTime();
            long lastWork = start;
            long nextProgress = start + TimeUnit.SECONDS.toNanos(5);
            boolean eventArmed = false;
            while (count < 0 || answered < count)
            {
                if (Signals.stopRequested())
                {
                    err.printf("echo-back: stopped by %s: answered=%d notifications=%d%n", Signals.stopSignal(),
                        answered, notifications);
                    return count < 0 ? ExitCodes.OK : ExitCodes.INTERRUPTED;
                }
                final int available = back.unconsumedRequests();
                if (available == 0)
                {
                    if (back.isBroken())
                    {
                        throw CommandFailure.peer("front end broke the ring: fault=" + back.fault() + " " + back);
                    }
                    // Final check once per idle period (req_event = req_cons + 1), as before sleeping in C; then
                    // poll req_prod only, so idling does not keep writing the header line the front end reads.
                    if (eventArmed || !back.finalCheckForRequests())
                    {
                        eventArmed = true;
                        final long now = System.nanoTime();
                        if (now - lastWork > idleLimit)
                        {
                            break;
                        }
                        if (now > nextProgress)
                        {
                            err.printf("echo-back: answered=%d notifications=%d%n", answered, notifications);
                            err.flush();
                            nextProgress = now + TimeUnit.SECONDS.toNanos(5);
                        }
                        Thread.onSpinWait();
                    }
                    continue;
                }
                final long batch = count < 0 ? available : Math.min(available, count - answered);
                for (long i = 0; i < batch; i++)
                {
                    back.copyRequest(request, 0, requestSize);
                    final int slot = back.claimResponse();
                    buffer.putBytes(slot, request, 0, copied);
                    if (responseSize > copied)
                    {
                        buffer.setMemory(slot + copied, responseSize - copied, (byte)0);
                    }
                }
                answered += batch;
                eventArmed = false;
                if (back.pushResponsesAndCheckNotify())
                {
                    notifications++;
                }
                lastWork = System.nanoTime();
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("ok back pairs=%d seconds=%.3f pairs_per_s=%.0f notifications=%d final_index=%s%n",
                answered, seconds, answered / seconds, notifications, Integer.toUnsignedString(back.rspProdPvt()));
            return ExitCodes.OK;
        }
        catch (final InternalError fault)
        {
            // SIGBUS: the ring file shrank under the mapping; reported like any other broken ring.
            throw CommandFailure.peer("front end broke the ring: memory fault in " + file +
                " (was the file truncated?): " + fault.getMessage());
        }
    }
}
