/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;
import dev.pvring.core.SharedMemoryException;
import dev.pvring.shmstream.ShmStreamWriter;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pvring shmstream send FILE --protocol HEX --element-size N [--region-size BYTES] [--lines]}.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description =
        "Initializes FILE as an SHMStream v2 channel (fresh epoch) and writes stdin into it: one element " +
        "per read of at most N bytes, or one per line with --lines (longer lines are split). Shorter " +
        "elements are zero-padded. The writer never blocks: a reader that falls behind sees overruns. At " +
        "end of input the channel stays active (readers can still read it) unless --deactivate is given.")
public final class ShmStreamSendCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Channel file (e.g. /dev/shm/log); created if missing.")
    private Path file;

    @Option(names = "--protocol", required = true, paramLabel = "HEX", converter = HexProtocolConverter.class,
        description = "Protocol id in hex, e.g. f00789094b6f70cf (Muen debuglog).")
    private long protocol;

    @Option(names = "--element-size", required = true, paramLabel = "N", description = "Bytes per element.")
    private int elementSize;

    @Option(names = "--region-size", paramLabel = "BYTES",
        description = "Channel size for a new file, a multiple of 4096 (default: the file's size, or 1048576).")
    private Long regionSize;

    @Option(names = "--lines", description = "One element per line (the newline included).")
    private boolean lines;

    @Option(names = "--event", paramLabel = "FILE",
        description = "Event file (one page, futex word at 0) rung once per batch of input; readers may wait on it.")
    private Path eventFile;

    @Option(names = "--deactivate", description = "Set the epoch to 0 at end of input.")
    private boolean deactivate;

    /**
     * Creates the command (picocli instantiates it).
     */
    public ShmStreamSendCommand()
    {
    }

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter err = spec.commandLine().getErr();
        if (elementSize < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "element size must be positive: elementSize=" + elementSize);
        }
        SharedMemory event = null;
        try (SharedMemory channel = ChannelFiles.openForWriting(file, regionSize))
        {
            final FutexEvent futex;
            if (eventFile != null)
            {
                event = ChannelFiles.openEvent(eventFile);
                futex = new FutexEvent(event.buffer(), 0);
            }
            else
            {
                futex = null;
            }
            final ShmStreamWriter writer = new ShmStreamWriter(channel.buffer(), futex);
            final long epoch = writer.initialize(protocol, elementSize);
            err.printf("shmstream send: %s epoch=%016x protocol=%016x elements=%d x %d bytes%n",
                file, epoch, protocol, writer.elements(), elementSize);
            err.flush();
            final long elements = lines ? sendLines(writer, System.in) : sendReads(writer, System.in);
            writer.flush();
            if (deactivate)
            {
                writer.deactivate();
            }
            err.printf("shmstream send: %d elements written%s%n", elements, deactivate ? ", channel deactivated" : "");
            err.flush();
            return 0;
        }
        catch (final IllegalArgumentException | IllegalStateException | SharedMemoryException | UncheckedIOException ex)
        {
            err.println("shmstream send: " + ex.getMessage());
            err.flush();
            return 1;
        }
        finally
        {
            if (event != null)
            {
                event.close();
            }
        }
    }

    private long sendReads(final ShmStreamWriter writer, final InputStream in) throws IOException
    {
        final byte[] bytes = new byte[elementSize];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        long elements = 0;
        int n;
        while ((n = in.read(bytes, 0, elementSize)) >= 0)
        {
            if (n > 0)
            {
                writer.queue(buffer, 0, n);
                elements++;
                if (in.available() <= 0)
                {
                    writer.flush();
                }
            }
        }
        return elements;
    }

    private long sendLines(final ShmStreamWriter writer, final InputStream raw) throws IOException
    {
        final InputStream in = new BufferedInputStream(raw);
        final byte[] bytes = new byte[elementSize];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        long elements = 0;
        int length = 0;
        int b;
        while ((b = in.read()) >= 0)
        {
            bytes[length++] = (byte)b;
            if (b == '\n' || length == elementSize)
            {
                writer.queue(buffer, 0, length);
                elements++;
                length = 0;
                if (in.available() <= 0)
                {
                    writer.flush();
                }
            }
        }
        if (length > 0)
        {
            writer.queue(buffer, 0, length);
            elements++;
        }
        return elements;
    }
}
