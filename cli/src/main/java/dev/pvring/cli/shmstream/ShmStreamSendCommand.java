/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.pvring.cli.ExitCodes;
import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemoryException;
import dev.pvring.shmstream.PipeElementDescriptor;
import dev.pvring.shmstream.ShmStreamDescriptor;
import dev.pvring.shmstream.ShmStreamPipeWriter;
import dev.pvring.shmstream.ShmStreamWriter;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pvring shmstream send FILE --protocol HEX --element-size N}: stdin into an SHMStream v2 channel, as a
 * lossless pipe between pvring ends (pipe framing) or as raw zero-padded elements for foreign readers.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
        "Initializes FILE as an SHMStream v2 channel (fresh epoch) and writes stdin into it.",
        "By default elements carry pvring pipe framing, so 'pvring shmstream recv' reproduces the input byte for " +
        "byte: each element is a u64 LE stream position, a u32 LE word (payload length in bits 0-29, bit 31 end " +
        "of stream, bit 30 writer interrupted), then the payload (N - 12 bytes at most) and zero padding. At end " +
        "of input an end element carries the stream's length, and recv exits.",
        "With --raw, elements are the input bytes themselves, zero-padded to N bytes (for readers that are not " +
        "pvring: Muen, Solo5, Linux muennet); a reader cannot tell padding from data.",
        "The writer never blocks and cannot see its readers (SHMStream has no back channel): a reader more than " +
        "a ring behind loses elements and reports how many; this command reports what it sent.",
        "FILE is created if missing and reused if it is an SHMStream channel; any other file is refused (exit 6) " +
        "unless --replace. On SIGINT/SIGTERM the stream is marked incomplete, files this command created are " +
        "deleted, and it exits 130. The channel stays active at end of input unless --deactivate."})
public final class ShmStreamSendCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Channel file (e.g. /dev/shm/log); created if missing.")
    private Path file;

    @Option(names = "--protocol", required = true, paramLabel = "HEX", converter = HexProtocolConverter.class,
        description = "Protocol id in hex, e.g. f00789094b6f70cf (Muen debuglog).")
    private ProtocolId protocolId;

    private long protocol;

    @Option(names = "--element-size", required = true, paramLabel = "N",
        description = "Bytes per element (at least 13 with pipe framing, 1 with --raw).")
    private int elementSize;

    @Option(names = "--region-size", paramLabel = "BYTES",
        description = "Channel size for a new file, a multiple of 4096 (default: the file's size, or 1048576).")
    private Long regionSize;

    @Option(names = "--lines", description = "One element per line (the newline included; longer lines are split).")
    private boolean lines;

    @Option(names = "--raw", description = "No pipe framing: the input zero-padded to whole elements.")
    private boolean raw;

    @Option(names = "--event", paramLabel = "FILE",
        description = "Event file (one page, futex word at 0) rung once per batch of input; readers may wait on it.")
    private Path eventFile;

    @Option(names = "--deactivate",
        description = "Set the epoch to 0 at end of input (readers that have not read everything lose the rest).")
    private boolean deactivate;

    @Option(names = {"--replace", "--force"},
        description = "Replace FILE (or the event file) if it is a regular file that is not a channel (event) file.")
    private boolean force;

    private long elementsSent;
    private long bytesSent;

    /**
     * Creates the command (picocli instantiates it).
     */
    public ShmStreamSendCommand()
    {
    }

    @Override
    public Integer call() throws IOException
    {
        checkUsage();
        protocol = protocolId.value();
        final PrintWriter err = spec.commandLine().getErr();
        ChannelFiles.Opened channel = null;
        ChannelFiles.Opened event = null;
        try (SignalStop stop = SignalStop.install(true))
        {
            try
            {
                channel = ChannelFiles.openForWriting(file, regionSize, force);
                if (channel.created())
                {
                    stop.deleteIfHalted(file);
                }
                final FutexEvent futex;
                if (eventFile != null)
                {
                    event = ChannelFiles.openEvent(eventFile, force);
                    if (event.created())
                    {
                        stop.deleteIfHalted(eventFile);
                    }
                    futex = new FutexEvent(event.memory().buffer(), 0);
                }
                else
                {
                    futex = null;
                }
                final ShmStreamWriter writer = new ShmStreamWriter(channel.memory().buffer(), futex);
                final long epoch = writer.initialize(protocol, elementSize);
                err.printf("shmstream send: %s epoch=%016x protocol=%016x elements=%d x %d bytes, %s%n",
                    file, epoch, protocol, writer.elements(), elementSize, raw ?
                    "raw: input zero-padded to whole elements (readers cannot tell padding from data)" :
                    "pipe framing: " + (elementSize - PipeElementDescriptor.HEADER_LENGTH) + " payload bytes each");
                err.flush();
                final ShmStreamPipeWriter pipe = raw ? null : new ShmStreamPipeWriter(writer);
                final boolean complete = send(writer, pipe, stop);
                if (!complete)
                {
                    return stop.finish(interrupted(writer, pipe, channel, event, err));
                }
                if (pipe != null)
                {
                    pipe.end();
                }
                writer.flush();
                if (deactivate)
                {
                    writer.deactivate();
                }
                err.printf("shmstream send: sent %d elements (%d bytes)%s%s; the writer cannot see readers (SHMStream " +
                    "has no back channel): a reader more than %d elements behind loses data and reports it%n",
                    elementsSent, bytesSent, pipe != null ? " and the end of stream" : "",
                    deactivate ? ", channel deactivated" : "", writer.elements());
                err.flush();
                return stop.finish(ExitCodes.OK);
            }
            catch (final RefusedException ex)
            {
                deleteCreated(channel, event);
                return stop.finish(fail(err, ExitCodes.REFUSED, ex.getMessage()));
            }
            catch (final IllegalArgumentException | IllegalStateException | SharedMemoryException |
                UncheckedIOException ex)
            {
                deleteCreated(channel, event);
                return stop.finish(fail(err, ExitCodes.FAILURE, ex.getMessage()));
            }
            catch (final IOException ex)
            {
                deleteCreated(channel, event);
                return stop.finish(fail(err, ExitCodes.FAILURE, "cannot read stdin: " + ex.getMessage()));
            }
            catch (final InternalError fault)
            {
                return stop.finish(fail(err, ExitCodes.PEER, "channel broken: memory fault writing " + file +
                    " (was the file truncated by another process?): " + fault.getMessage()));
            }
            finally
            {
                close(event);
                close(channel);
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
        final String region = ChannelFiles.checkRegionSize(regionSize);
        if (region != null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), region);
        }
        if (regionSize != null && regionSize - ShmStreamDescriptor.HEADER_LENGTH < elementSize)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "region too small for one element: " +
                "regionSize=" + regionSize + " elementSize=" + elementSize + " headerLength=" +
                ShmStreamDescriptor.HEADER_LENGTH);
        }
    }

    private int fail(final PrintWriter err, final int code, final String message)
    {
        err.println("shmstream send: " + message);
        err.flush();
        return code;
    }

    /** Marks the stream incomplete, deletes what this command created, and says so. */
    private int interrupted(
        final ShmStreamWriter writer, final ShmStreamPipeWriter pipe, final ChannelFiles.Opened channel,
        final ChannelFiles.Opened event, final PrintWriter err)
    {
        if (pipe != null)
        {
            pipe.endInterrupted();
        }
        writer.flush();
        channel.deleteIfCreated();
        if (event != null)
        {
            event.deleteIfCreated();
        }
        err.printf("shmstream send: interrupted after %d elements (%d bytes)%s%s%n", elementsSent, bytesSent,
            pipe != null ? "; stream marked incomplete" : "",
            channel.created() ? "; removed " + file + (event != null && event.created() ? " and " + eventFile : "") :
            "");
        err.flush();
        return ExitCodes.INTERRUPTED;
    }

    /** A command that fails leaves no file behind that it created. */
    private static void deleteCreated(final ChannelFiles.Opened channel, final ChannelFiles.Opened event)
    {
        if (channel != null)
        {
            channel.deleteIfCreated();
        }
        if (event != null)
        {
            event.deleteIfCreated();
        }
    }

    private static void close(final ChannelFiles.Opened opened)
    {
        if (opened != null)
        {
            opened.memory().close();
        }
    }

    /**
     * Copies stdin into the channel.
     *
     * @return true at end of input, false if stopped by a signal.
     */
    private boolean send(final ShmStreamWriter writer, final ShmStreamPipeWriter pipe, final SignalStop stop)
        throws IOException
    {
        // An interruptible channel: the signal hook interrupts this thread and a blocked read returns.
        final FileChannel in = new FileInputStream(FileDescriptor.in).getChannel();
        final ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        final UnsafeBuffer bytes = new UnsafeBuffer(chunk.array());
        final int perElement = pipe != null ? pipe.payloadCapacity() : elementSize;
        final UnsafeBuffer line = new UnsafeBuffer(new byte[perElement]);
        int lineLength = 0;
        try
        {
            while (!stop.isRequested())
            {
                chunk.clear();
                final int n = in.read(chunk);
                if (n < 0)
                {
                    break;
                }
                if (!lines)
                {
                    put(writer, pipe, bytes, 0, n);
                }
                else
                {
                    for (int i = 0; i < n; i++)
                    {
                        final byte b = bytes.getByte(i);
                        line.putByte(lineLength++, b);
                        if (b == '\n' || lineLength == perElement)
                        {
                            put(writer, pipe, line, 0, lineLength);
                            lineLength = 0;
                        }
                    }
                }
                writer.flush();
            }
        }
        catch (final ClosedByInterruptException ex)
        {
            Thread.interrupted();
            return false;
        }
        if (stop.isRequested())
        {
            return false;
        }
        if (lineLength > 0)
        {
            put(writer, pipe, line, 0, lineLength);
        }
        return true;
    }

    private void put(
        final ShmStreamWriter writer, final ShmStreamPipeWriter pipe, final UnsafeBuffer src, final int offset,
        final int length)
    {
        if (pipe != null)
        {
            elementsSent += pipe.queue(src, offset, length);
        }
        else
        {
            for (int done = 0; done < length; done += elementSize)
            {
                writer.queue(src, offset + done, Math.min(elementSize, length - done));
                elementsSent++;
            }
        }
        bytesSent += length;
    }
}
