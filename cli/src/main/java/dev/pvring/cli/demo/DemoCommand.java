/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.demo;

import java.io.PrintWriter;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.CommandFailure;
import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.RingFiles;
import dev.pvring.cli.Signals;
import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;
import dev.pvring.core.SpinYieldBlockIdleStrategy;
import dev.pvring.xen.ring.BackRing;
import dev.pvring.xen.ring.FrontRing;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pvring demo}: two processes exchange request/response pairs through a Xen io/ring.h ring in a
 * /dev/shm file, woken by futex doorbells only when the event index says so; prints throughput and
 * notifications per message.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Two processes exchange request/response pairs through a Xen io/ring.h ring in a /dev/shm file.",
        "The front end (this process) batches requests and the back end (a second JVM) echoes them; each side",
        "spins briefly, then sleeps on a futex doorbell, and rings the other's only when the event index asks.",
        "Prints throughput and notifications per message. SIGINT/SIGTERM stop both processes and delete the ring",
        "file if the demo created it (exit 130)."})
public final class DemoCommand implements Callable<Integer>
{
    private static final int RING_BYTES = 4096;
    /** Doorbell the front end rings for the back end. */
    private static final int TO_BACK_EVENT = 4096;
    /** Doorbell the back end rings for the front end. */
    private static final int TO_FRONT_EVENT = 4096 + 64;
    private static final int FILE_SIZE = 8192;

    @Spec
    private CommandSpec spec;

    @Option(names = "--count", defaultValue = "10000000", paramLabel = "N",
        description = "Request/response pairs to exchange (default ${DEFAULT-VALUE}).")
    private long count;

    @Option(names = "--message-size", defaultValue = "64", paramLabel = "BYTES",
        description = "Bytes per request and response, 16..1024 (default ${DEFAULT-VALUE}).")
    private int messageSize;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "B",
        description = "Requests queued before one push (default ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--file", paramLabel = "FILE",
        description = {"Shared file (default: a fresh file in /dev/shm, deleted afterwards). An existing FILE is",
            "reused only if it is a demo ring file; anything else is refused (exit 6) unless --replace is given."})
    private Path file;

    @Option(names = RingFiles.REPLACE_OPTION, description = RingFiles.REPLACE_DESCRIPTION)
    private boolean replace;

    @Option(names = "--peer", hidden = true, description = "Run as the back-end process on FILE (internal).")
    private boolean peer;

    @Override
    public Integer call() throws Exception
    {
        if (count < 1 || messageSize < 16 || messageSize > 1024 || batch < 1)
        {
            throw new IllegalArgumentException("need count >= 1, 16 <= message-size <= 1024, batch >= 1: count=" + count +
                " message-size=" + messageSize + " batch=" + batch);
        }
        return peer ? runBack() : runFront();
    }

    private int runFront() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final boolean temporary = file == null;
        final Path path = temporary ? Files.createTempFile(Path.of("/dev/shm"), "pvring-demo-", ".ring") : file;
        final SharedMemory mapping;
        if (temporary)
        {
            Files.delete(path);
            mapping = SharedMemory.create(path, FILE_SIZE);
            Signals.deleteOnStop(path);
        }
        else
        {
            mapping = RingFiles.createOrReuse(path, FILE_SIZE, true, 0, RING_BYTES, replace).memory();
        }
        Process back = null;
        try (SharedMemory memory = mapping)
        {
            final AtomicBuffer buffer = memory.buffer();
            final FrontRing front = FrontRing.init(buffer, 0, RING_BYTES, messageSize);
            final FutexEvent toBack = new FutexEvent(buffer, TO_BACK_EVENT);
            final FutexEvent toFront = new FutexEvent(buffer, TO_FRONT_EVENT);
            out.printf("pvring demo: %,d request/response pairs of %d B between two processes%n", count, messageSize);
            out.printf("  ring: Xen io/ring.h, %d slots, in %s; doorbells: futex words in the same file%n",
                front.size(), path);
            out.flush();
            back = startBackProcess(path);
            Signals.destroyOnStop(back);
            final SpinYieldBlockIdleStrategy idle = new SpinYieldBlockIdleStrategy(toFront);
            final UnsafeBuffer response = new UnsafeBuffer(new byte[messageSize]);
            long sent = 0;
            long received = 0;
            long checksum = 0;
            final long start = System.nanoTime();
            long nextProgress = start + TimeUnit.SECONDS.toNanos(1);
            while (received < count)
            {
                if (Signals.stopRequested())
                {
                    out.printf("  stopped by %s after %,d pairs%n", Signals.stopSignal(), received);
                    out.flush();
                    return ExitCodes.INTERRUPTED;
                }
                int queued = 0;
                while (sent < count && queued < batch)
                {
                    final int slot = front.claimRequest();
                    if (slot < 0)
                    {
                        break;
                    }
                    buffer.putLong(slot, sent, ByteOrder.LITTLE_ENDIAN);
                    buffer.putLong(slot + 8, sent * 0x9E3779B97F4A7C15L, ByteOrder.LITTLE_ENDIAN);
                    sent++;
                    queued++;
                }
                if (queued > 0 && front.pushRequestsAndCheckNotify())
                {
                    toBack.notifyPeer();
                }
                final int available = front.unconsumedResponses();
                for (int i = 0; i < available; i++)
                {
                    front.copyResponse(response, 0, 16);
                    final long sequence = response.getLong(0, ByteOrder.LITTLE_ENDIAN);
                    if (sequence != received || response.getLong(8, ByteOrder.LITTLE_ENDIAN) != ~(sequence *
                        0x9E3779B97F4A7C15L))
                    {
                        throw CommandFailure.peer("bad echo: expected=" + received + " got=" + sequence);
                    }
                    checksum += sequence;
                    received++;
                }
                if (front.isBroken())
                {
                    throw CommandFailure.peer("back end broke the ring: " + front.fault());
                }
                if (available > 0 || queued > 0)
                {
                    idle.reset();
                }
                else if (!idle.willBlock() || !front.finalCheckForResponses())
                {
                    if (!back.isAlive())
                    {
                        throw new IllegalStateException("back-end process exited early with status " + back.exitValue());
                    }
                    idle.idle();
                }
                final long now = System.nanoTime();
                if (now > nextProgress)
                {
                    out.printf("  ... %,d pairs (%d%%)%n", received, received * 100 / count);
                    out.flush();
                    nextProgress = now + TimeUnit.SECONDS.toNanos(1);
                }
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            if (!back.waitFor(30, TimeUnit.SECONDS) || back.exitValue() != 0)
            {
                throw new IllegalStateException("back-end process failed: " + new String(back.getInputStream().readAllBytes()));
            }
            final String backReport = new String(back.getInputStream().readAllBytes()).trim();
            final long expected = count * (count - 1) / 2;
            out.printf("  throughput: %,.0f pairs/s (%.1f MB/s each way), %.3f s%n", count / seconds,
                count * (double)messageSize / seconds / 1e6, seconds);
            out.printf("  front -> back notifications: %,d (%.6f per message), front sleeps: %,d%n",
                toBack.notificationsSent(), toBack.notificationsSent() / (double)count, toFront.blockingWaits());
            out.printf("  %s%n", backReport);
            out.printf("  echoes verified: %s (sum of sequence numbers %d)%n", checksum == expected ? "all" : "MISMATCH",
                checksum);
            return checksum == expected ? ExitCodes.OK : ExitCodes.PEER;
        }
        finally
        {
            if (back != null)
            {
                stop(back);
                Signals.forget(back);
            }
            if (temporary)
            {
                Files.deleteIfExists(path);
                Signals.keep(path);
            }
            else if (!Signals.stopRequested())
            {
                Signals.keep(path);
            }
        }
    }

    /** Asks the back-end process to stop (SIGTERM: it stops cleanly), then kills it if it does not. */
    private static void stop(final Process back) throws InterruptedException
    {
        if (back.isAlive())
        {
            back.destroy();
            if (!back.waitFor(2, TimeUnit.SECONDS))
            {
                back.destroyForcibly();
                back.waitFor(2, TimeUnit.SECONDS);
            }
        }
    }

    private Process startBackProcess(final Path path) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.pvring.cli.Pvring");
        command.addAll(List.of("demo", "--peer", "--file", path.toString(), "--count", Long.toString(count),
            "--message-size", Integer.toString(messageSize)));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private int runBack()
    {
        final PrintWriter out = spec.commandLine().getOut();
        try (SharedMemory memory = SharedMemory.open(file, 0, FILE_SIZE, SharedMemory.Access.READ_WRITE))
        {
            final AtomicBuffer buffer = memory.buffer();
            final BackRing back = BackRing.attach(buffer, 0, RING_BYTES, messageSize);
            final FutexEvent toBack = new FutexEvent(buffer, TO_BACK_EVENT);
            final FutexEvent toFront = new FutexEvent(buffer, TO_FRONT_EVENT);
            final SpinYieldBlockIdleStrategy idle = new SpinYieldBlockIdleStrategy(toBack);
            final UnsafeBuffer request = new UnsafeBuffer(new byte[messageSize]);
            final ProcessHandle front = ProcessHandle.current().parent().orElse(null);
            long nextParentCheck = System.nanoTime();
            long answered = 0;
            while (answered < count)
            {
                final int available = back.unconsumedRequests();
                if (available == 0)
                {
                    if (back.isBroken())
                    {
                        throw CommandFailure.peer("front end broke the ring: " + back.fault());
                    }
                    if (Signals.stopRequested())
                    {
                        return ExitCodes.INTERRUPTED;
                    }
                    if (System.nanoTime() - nextParentCheck > 0)
                    {
                        // the front end may have been killed (SIGKILL leaves no time to stop us): do not idle forever
                        if (front != null && !front.isAlive())
                        {
                            throw CommandFailure.failure("front-end process " + front.pid() + " died");
                        }
                        nextParentCheck = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    }
                    // arm req_event only before sleeping, so the front end need not notify while we spin
                    if (!idle.willBlock() || !back.finalCheckForRequests())
                    {
                        idle.idle();
                    }
                    continue;
                }
                for (int i = 0; i < available; i++)
                {
                    back.copyRequest(request, 0, messageSize);
                    final int slot = back.claimResponse();
                    final long sequence = request.getLong(0, ByteOrder.LITTLE_ENDIAN);
                    buffer.putLong(slot, sequence, ByteOrder.LITTLE_ENDIAN);
                    buffer.putLong(slot + 8, ~request.getLong(8, ByteOrder.LITTLE_ENDIAN), ByteOrder.LITTLE_ENDIAN);
                    buffer.putBytes(slot + 16, request, 16, messageSize - 16);
                }
                answered += available;
                if (back.pushResponsesAndCheckNotify())
                {
                    toFront.notifyPeer();
                }
                idle.reset();
            }
            out.printf("back -> front notifications: %,d (%.6f per message), back sleeps: %,d%n",
                toFront.notificationsSent(), toFront.notificationsSent() / (double)count, toBack.blockingWaits());
            return ExitCodes.OK;
        }
    }
}
