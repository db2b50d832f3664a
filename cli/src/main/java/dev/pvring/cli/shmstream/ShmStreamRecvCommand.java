/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.ExitCodes;
import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;
import dev.pvring.core.SharedMemoryException;
import dev.pvring.core.SpinYieldBlockIdleStrategy;
import dev.pvring.shmstream.OverrunRecovery;
import dev.pvring.shmstream.PipeElementDescriptor;
import dev.pvring.shmstream.PipeResult;
import dev.pvring.shmstream.ReadResult;
import dev.pvring.shmstream.ShmStreamDescriptor;
import dev.pvring.shmstream.ShmStreamPipeReader;
import dev.pvring.shmstream.ShmStreamReader;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pvring shmstream recv FILE --protocol HEX --element-size N}: an SHMStream v2 channel to stdout, with
 * every element lost counted and said.
 */
@Command(
    name = "recv",
    mixinStandardHelpOptions = true,
    description = {
        "Reads an SHMStream v2 channel (read-only mapping) and writes what it carries to stdout.",
        "By default the channel's elements carry pvring pipe framing ('pvring shmstream send' without --raw: a " +
        "u64 LE stream position, a u32 LE word with the payload length and the end/interrupted flags, then the " +
        "payload): the payloads are written exactly as sent, and recv exits at the end of the stream. An element " +
        "without that framing ends recv with exit 3 (read such writers with --raw).",
        "With --raw every element is written whole, zero padding included, until --count or a signal.",
        "SHMStream is lossy: a writer that laps this reader overwrites elements. recv then goes on at a recent " +
        "element, says so (at most once a second) and, at the end, how many elements and bytes were lost; it " +
        "exits 5 if anything was lost (or the writer marked its stream incomplete).",
        "A channel that does not match (another protocol, elements bigger than --element-size, not an SHMStream " +
        "channel) ends recv at once with one line naming the mismatch (exit 3), unless --wait asks to wait for " +
        "a compatible writer. An inactive channel (epoch 0) is waited for. SIGINT/SIGTERM before the end of the " +
        "stream (or of --count) exits 130 after the summary line (an event file recv created is removed)."})
public final class ShmStreamRecvCommand implements Callable<Integer>
{
    /** How often loss is reported while reading goes on. */
    private static final long LOSS_REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often a waiting reader checks whether FILE was replaced by a new file. */
    private static final long REOPEN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Returned by the receive loops when FILE was replaced and must be mapped again. */
    private static final int REOPEN = -1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Channel file.")
    private Path file;

    @Option(names = "--protocol", required = true, paramLabel = "HEX", converter = HexProtocolConverter.class,
        description = "Expected protocol id in hex.")
    private ProtocolId protocolId;

    private long protocol;

    @Option(names = "--element-size", required = true, paramLabel = "N",
        description = "Largest element accepted (at least 13 with pipe framing); a channel with bigger elements " +
            "does not match.")
    private int elementSize;

    @Option(names = "--count", paramLabel = "N", description = "Exit after N elements (0 or more).")
    private long count = Long.MAX_VALUE;

    @Option(names = "--raw", description = "No pipe framing: write every element whole, zero padding included.")
    private boolean raw;

    @Option(names = "--event", paramLabel = "FILE",
        description = "Event file rung by the writer (see send --event): sleep on it instead of polling.")
    private Path eventFile;

    @Option(names = "--wait",
        description = "Wait for FILE to be created and for a compatible writer, instead of failing at once.")
    private boolean waitForWriter;

    @Option(names = {"--replace", "--force"},
        description = "Replace the event file if it is a regular file that is not an event file.")
    private boolean force;

    private PrintWriter err;
    private final List<String> told = new ArrayList<>();
    private long overruns;
    private long lastLossReport;
    private long lastReopenCheck;

    /**
     * Creates the command (picocli instantiates it).
     */
    public ShmStreamRecvCommand()
    {
    }

    @Override
    public Integer call() throws InterruptedException
    {
        checkUsage();
        protocol = protocolId.value();
        err = spec.commandLine().getErr();
        ChannelFiles.Opened event = null;
        final OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        try (SignalStop stop = SignalStop.install(false))
        {
            try
            {
                final IdleStrategy idle;
                if (eventFile != null)
                {
                    event = ChannelFiles.openEvent(eventFile, force);
                    if (event.created())
                    {
                        stop.deleteIfHalted(eventFile);
                    }
                    idle = new SpinYieldBlockIdleStrategy(new FutexEvent(event.memory().buffer(), 0));
                }
                else
                {
                    idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
                }
                final Session session = new Session();
                int code = REOPEN;
                while (code == REOPEN)
                {
                    final SharedMemory channel = open(stop);
                    if (channel == null)
                    {
                        if (event != null)
                        {
                            event.deleteIfCreated();
                        }
                        return stop.finish(session.summary(true));
                    }
                    try (channel)
                    {
                        final Object key = ChannelFiles.fileKey(file);
                        code = raw ? session.receiveRaw(channel.buffer(), out, idle, stop, key) :
                            session.receiveFramed(channel.buffer(), out, idle, stop, key);
                    }
                }
                out.flush();
                if (stop.isRequested() && event != null)
                {
                    event.deleteIfCreated();
                }
                return stop.finish(code);
            }
            catch (final RefusedException ex)
            {
                return stop.finish(fail(ExitCodes.REFUSED, ex.getMessage()));
            }
            catch (final PeerMismatch ex)
            {
                return stop.finish(fail(ExitCodes.PEER, ex.getMessage()));
            }
            catch (final IllegalArgumentException | IllegalStateException | SharedMemoryException ex)
            {
                return stop.finish(fail(ExitCodes.FAILURE, ex.getMessage()));
            }
            catch (final IOException ex)
            {
                return stop.finish(fail(ExitCodes.FAILURE, "cannot write stdout: " + ex.getMessage()));
            }
            catch (final InternalError fault)
            {
                // SIGBUS: the channel file shrank under the mapping (see ShmStreamReader); nothing more can be read.
                return stop.finish(fail(ExitCodes.PEER, "channel broken: memory fault reading " + file +
                    " (was the file truncated by the writer?): " + fault.getMessage()));
            }
            finally
            {
                flushQuietly(out);
                if (event != null)
                {
                    event.memory().close();
                }
            }
        }
    }

    private void checkUsage()
    {
        final int minimum = raw ? 1 : PipeElementDescriptor.MIN_ELEMENT_SIZE;
        if (elementSize < minimum)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "element size must be at least " + minimum +
                (raw ? "" : " (12 bytes of pipe framing + 1; --raw has none)") + ": elementSize=" + elementSize);
        }
        if (count < 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "count must be 0 or more: count=" + count);
        }
    }

    /**
     * Maps FILE read-only once it exists and can hold a channel; waits (saying so once) with {@code --wait}.
     *
     * @return the mapping, or null if stopped by a signal while waiting.
     */
    private SharedMemory open(final SignalStop stop) throws InterruptedException
    {
        while (!stop.isRequested())
        {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && waitForWriter)
            {
                tell("waiting for " + file + " to be created by its writer");
                TimeUnit.MILLISECONDS.sleep(50);
                continue;
            }
            if (Files.exists(file))
            {
                final String mismatch = ChannelFiles.regionMismatch(file);
                if (mismatch != null)
                {
                    if (!waitForWriter)
                    {
                        throw new PeerMismatch("incompatible channel " + file + ": " + mismatch);
                    }
                    tell("waiting for a compatible writer: " + file + ": " + mismatch);
                    TimeUnit.MILLISECONDS.sleep(100);
                    continue;
                }
            }
            try
            {
                return SharedMemory.open(file, SharedMemory.Access.READ_ONLY);
            }
            catch (final SharedMemoryException ex)
            {
                if (!waitForWriter)
                {
                    throw ex;
                }
                TimeUnit.MILLISECONDS.sleep(50);    // replaced or removed between the checks and the open
            }
        }
        return null;
    }

    /** Says something once per state: the same line is not repeated until another state was reported. */
    private void tell(final String line)
    {
        if (!told.contains(line))
        {
            told.clear();
            told.add(line);
            err.println("shmstream recv: " + line);
            err.flush();
        }
    }

    private int fail(final int code, final String message)
    {
        err.println("shmstream recv: " + message);
        err.flush();
        return code;
    }

    private static void flushQuietly(final OutputStream out)
    {
        try
        {
            out.flush();
        }
        catch (final IOException ignore)
        {
            // reported where it first failed
        }
    }

    /** A channel that does not match and no --wait: exit {@link ExitCodes#PEER} with the line. */
    private static final class PeerMismatch extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;

        PeerMismatch(final String message)
        {
            super(message);
        }
    }

    /**
     * Counts that survive a reopen of FILE, and the two receive loops.
     */
    private final class Session
    {
        private long delivered;
        private long bytesDelivered;
        private long lost;
        private long bytesLost;
        private boolean bytesLostExact = true;
        private long cutShort;

        int receiveFramed(
            final AtomicBuffer region, final OutputStream out, final IdleStrategy idle, final SignalStop stop,
            final Object key) throws IOException
        {
            final ShmStreamReader reader = new ShmStreamReader(region, protocol, elementSize, OverrunRecovery.RECENT);
            final ShmStreamPipeReader pipe = new ShmStreamPipeReader(reader);
            final long deliveredBefore = delivered;
            final long bytesBefore = bytesDelivered;
            final long lostBefore = lost;
            final long bytesLostBefore = bytesLost;
            final long cutShortBefore = cutShort;
            while (true)
            {
                delivered = deliveredBefore + pipe.elementsDelivered();
                bytesDelivered = bytesBefore + pipe.bytesDelivered();
                lost = lostBefore + pipe.elementsLost();
                bytesLost = bytesLostBefore + pipe.bytesLost();
                bytesLostExact = pipe.isLossExact();
                cutShort = cutShortBefore + pipe.streamsCutShort();
                if (stop.isRequested() || delivered >= count)
                {
                    out.flush();
                    return summary(stop.isRequested());
                }
                final PipeResult result = pipe.read();
                switch (result)
                {
                    case DATA ->
                    {
                        out.write(pipe.payload().byteArray(), pipe.payloadOffset(), pipe.payloadLength());
                        idle.reset();
                    }
                    case END ->
                    {
                        out.flush();
                        delivered = deliveredBefore + pipe.elementsDelivered();
                        bytesDelivered = bytesBefore + pipe.bytesDelivered();
                        lost = lostBefore + pipe.elementsLost();
                        bytesLost = bytesLostBefore + pipe.bytesLost();
                        bytesLostExact = pipe.isLossExact();
                        return endSummary(pipe);
                    }
                    case NO_DATA ->
                    {
                        out.flush();
                        idle.idle();
                    }
                    case LOST ->
                    {
                        overruns++;
                        reportLoss(lostBefore + pipe.elementsLost(), reader.readCount(), false);
                        idle.reset();
                    }
                    case EPOCH_CHANGED -> report("epoch changed (writer restarted)");
                    case MALFORMED ->
                    {
                        out.flush();
                        return fail(ExitCodes.PEER, "element " + (reader.readCount() - 1) + " is not pvring " +
                            "pipe framing (" + pipe.malformedReason() + "); read a writer without framing with --raw");
                    }
                    case INACTIVE ->
                    {
                        tell("channel inactive (epoch 0), waiting for a writer");
                        out.flush();
                        idle.idle();
                        if (replaced(key))
                        {
                            return REOPEN;
                        }
                    }
                    default ->
                    {
                        final Integer code = incompatible(reader, region, out, idle, key);
                        if (code != null)
                        {
                            return code;
                        }
                    }
                }
            }
        }

        int receiveRaw(
            final AtomicBuffer region, final OutputStream out, final IdleStrategy idle, final SignalStop stop,
            final Object key) throws IOException
        {
            final ShmStreamReader reader = new ShmStreamReader(region, protocol, elementSize, OverrunRecovery.RECENT);
            final byte[] bytes = new byte[elementSize];
            final UnsafeBuffer element = new UnsafeBuffer(bytes);
            final long lostBefore = lost;
            while (true)
            {
                lost = lostBefore + reader.elementsSkipped();
                if (stop.isRequested() || delivered >= count)
                {
                    out.flush();
                    // Without --count a signal is how a raw reader ends: not an interruption.
                    return summary(stop.isRequested() && count != Long.MAX_VALUE);
                }
                final ReadResult result = reader.read(element, 0);
                switch (result)
                {
                    case SUCCESS ->
                    {
                        out.write(bytes, 0, reader.elementSize());
                        delivered++;
                        bytesDelivered += reader.elementSize();
                        idle.reset();
                    }
                    case NO_DATA ->
                    {
                        out.flush();
                        idle.idle();
                    }
                    case OVERRUN_DETECTED ->
                    {
                        overruns++;
                        bytesLost += reader.lastSkipped() * reader.elementSize();
                        reportLoss(lostBefore + reader.elementsSkipped(), reader.readCount(), false);
                        idle.reset();
                    }
                    case EPOCH_CHANGED -> report("epoch changed (writer restarted)");
                    case INACTIVE ->
                    {
                        tell("channel inactive (epoch 0), waiting for a writer");
                        out.flush();
                        idle.idle();
                        if (replaced(key))
                        {
                            return REOPEN;
                        }
                    }
                    default ->
                    {
                        final Integer code = incompatible(reader, region, out, idle, key);
                        if (code != null)
                        {
                            return code;
                        }
                    }
                }
            }
        }

        private void report(final String line)
        {
            told.clear();
            err.println("shmstream recv: " + line);
            err.flush();
        }

        /** Incompatible_Interface: the exit code, or null to go on waiting (--wait). */
        private Integer incompatible(
            final ShmStreamReader reader, final AtomicBuffer region, final OutputStream out, final IdleStrategy idle,
            final Object key) throws IOException
        {
            out.flush();
            final String mismatch = describe(reader, region);
            if (!waitForWriter)
            {
                return fail(ExitCodes.PEER, mismatch);
            }
            tell("waiting for a compatible writer: " + mismatch);
            idle.idle();
            return replaced(key) ? REOPEN : null;
        }

        /** At most once a second while reading goes on; the summary has the final count. */
        private void reportLoss(final long lostSoFar, final long readCount, final boolean force)
        {
            final long now = System.nanoTime();
            if (force || lastLossReport == 0 || now - lastLossReport >= LOSS_REPORT_NANOS)
            {
                lastLossReport = now == 0 ? 1 : now;
                told.clear();
                err.printf("shmstream recv: overrun: the writer lapped this reader; %d elements lost so far in %d " +
                    "overruns, reading on at element %d%n", lostSoFar, overruns, readCount);
                err.flush();
            }
        }

        private int endSummary(final ShmStreamPipeReader pipe)
        {
            final boolean lossy = lost != 0 || bytesLost != 0 || cutShort != 0;
            err.printf("shmstream recv: end of stream: %d elements (%d bytes) delivered of %d (%d bytes) sent; " +
                "lost %d elements (%d bytes) in %d overruns%s%s%n", delivered, bytesDelivered,
                pipe.streamElements(), pipe.streamBytes(), lost, bytesLost, overruns,
                cutShort != 0 ? "; " + cutShort + " earlier stream(s) cut short by a writer restart" : "",
                pipe.isInterrupted() ? "; the writer was interrupted: the stream is incomplete" : "");
            err.flush();
            return lossy || pipe.isInterrupted() ? ExitCodes.DATA_LOST : ExitCodes.OK;
        }

        int summary(final boolean interrupted)
        {
            final boolean lossy = lost != 0 || bytesLost != 0 || cutShort != 0;
            err.printf("shmstream recv: %s%d elements (%d bytes) delivered; lost %d elements (%s%d bytes) in %d " +
                "overruns%s%n", interrupted ? "interrupted before the end: " : "", delivered, bytesDelivered, lost,
                bytesLostExact ? "" : "at least ", bytesLost, overruns,
                cutShort != 0 ? "; " + cutShort + " stream(s) cut short by a writer restart" : "");
            err.flush();
            return interrupted ? ExitCodes.INTERRUPTED : lossy ? ExitCodes.DATA_LOST : ExitCodes.OK;
        }
    }

    /** While waiting: whether FILE now names another file (a writer replaced it), checked every 100 ms. */
    private boolean replaced(final Object key)
    {
        final long now = System.nanoTime();
        if (now - lastReopenCheck < REOPEN_CHECK_NANOS)
        {
            return false;
        }
        lastReopenCheck = now;
        final Object current = ChannelFiles.fileKey(file);
        return current != null && !Objects.equals(current, key);
    }

    /** One line naming what does not match. */
    private String describe(final ShmStreamReader reader, final AtomicBuffer region)
    {
        if (reader.hasProtocolError())
        {
            return "protocol error in " + file + ": the writer's WC went below this reader's RC";
        }
        final long transport = ShmStreamDescriptor.transportOpaque(region);
        if (transport != ShmStreamDescriptor.TRANSPORT_MARKER)
        {
            return String.format("incompatible channel %s: not an SHMStream v2 channel (transport=%016x, expected " +
                "%016x)", file, transport, ShmStreamDescriptor.TRANSPORT_MARKER);
        }
        final List<String> mismatches = new ArrayList<>();
        final long channelProtocol = ShmStreamDescriptor.protocolOpaque(region);
        if (channelProtocol != protocol)
        {
            mismatches.add(String.format("protocol %016x, expected %016x", channelProtocol, protocol));
        }
        final long size = ShmStreamDescriptor.sizeOpaque(region);
        final long elements = ShmStreamDescriptor.elementsOpaque(region);
        if (Long.compareUnsigned(size, elementSize) > 0)
        {
            mismatches.add("element size " + Long.toUnsignedString(size) + ", larger than --element-size " +
                elementSize);
        }
        else if (!ShmStreamDescriptor.isValidGeometry(size, elements, elementSize, region.capacity()))
        {
            mismatches.add("size " + Long.toUnsignedString(size) + " x elements " + Long.toUnsignedString(elements) +
                " do not fit in the " + region.capacity() + "-byte region");
        }
        if (mismatches.isEmpty())
        {
            mismatches.add("the header changed while it was read");
        }
        return "incompatible channel " + file + ": " + String.join("; ", mismatches);
    }
}
