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
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.pvring.core.FutexEvent;
import dev.pvring.core.SharedMemory;
import dev.pvring.core.SharedMemoryException;
import dev.pvring.core.SpinYieldBlockIdleStrategy;
import dev.pvring.shmstream.ReadResult;
import dev.pvring.shmstream.ShmStreamDescriptor;
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
 * {@code pvring shmstream recv FILE --protocol HEX --element-size N}.
 */
@Command(
    name = "recv",
    mixinStandardHelpOptions = true,
    description =
        "Reads an SHMStream v2 channel (read-only mapping) and writes its elements to stdout; every " +
        "result other than Success and No_Data is reported on stderr (overruns with the number of " +
        "elements skipped). Runs until interrupted, or until --count elements were read. Elements are " +
        "written without their trailing zero padding unless --raw is given.")
public final class ShmStreamRecvCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Channel file.")
    private Path file;

    @Option(names = "--protocol", required = true, paramLabel = "HEX", converter = HexProtocolConverter.class,
        description = "Expected protocol id in hex.")
    private long protocol;

    @Option(names = "--element-size", required = true, paramLabel = "N",
        description = "Largest element accepted; a channel with bigger elements is Incompatible_Interface.")
    private int elementSize;

    @Option(names = "--count", paramLabel = "N", description = "Exit after N elements.")
    private long count = Long.MAX_VALUE;

    @Option(names = "--raw", description = "Write every element whole, zero padding included.")
    private boolean raw;

    @Option(names = "--event", paramLabel = "FILE",
        description = "Event file rung by the writer (see send --event): sleep on it instead of polling.")
    private Path eventFile;

    @Option(names = "--wait", description = "Wait for FILE to be created instead of failing.")
    private boolean waitForFile;

    /**
     * Creates the command (picocli instantiates it).
     */
    public ShmStreamRecvCommand()
    {
    }

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final PrintWriter err = spec.commandLine().getErr();
        if (elementSize < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "element size must be positive: elementSize=" + elementSize);
        }
        SharedMemory event = null;
        final OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        try (SharedMemory channel = ChannelFiles.openForReading(file, waitForFile, System.err))
        {
            final IdleStrategy idle;
            if (eventFile != null)
            {
                event = ChannelFiles.openEvent(eventFile);
                idle = new SpinYieldBlockIdleStrategy(new FutexEvent(event.buffer(), 0));
            }
            else
            {
                idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
            }
            final ShmStreamReader reader = new ShmStreamReader(channel.buffer(), protocol, elementSize);
            final long received = receive(reader, channel.buffer(), out, err, idle);
            out.flush();
            err.printf("shmstream recv: %d elements read, %d skipped in %d overruns%n",
                received, reader.elementsSkipped(), reader.overruns());
            err.flush();
            return 0;
        }
        catch (final IllegalArgumentException | IllegalStateException | SharedMemoryException ex)
        {
            err.println("shmstream recv: " + ex.getMessage());
            err.flush();
            return 1;
        }
        catch (final InternalError fault)
        {
            // SIGBUS: the channel file shrank under the mapping (see ShmStreamReader); nothing more can be read.
            err.println("shmstream recv: channel broken: memory fault reading " + file +
                " (was the file truncated by the writer?): " + fault.getMessage());
            err.flush();
            return 1;
        }
        finally
        {
            out.flush();
            if (event != null)
            {
                event.close();
            }
        }
    }

    private long receive(
        final ShmStreamReader reader, final AtomicBuffer region, final OutputStream out, final PrintWriter err,
        final IdleStrategy idle) throws IOException
    {
        final byte[] bytes = new byte[elementSize];
        final UnsafeBuffer element = new UnsafeBuffer(bytes);
        ReadResult lastReported = null;
        long received = 0;
        while (received < count)
        {
            final ReadResult result = reader.read(element, 0);
            switch (result)
            {
                case SUCCESS ->
                {
                    final int length = raw ? reader.elementSize() : trimmedLength(bytes, reader.elementSize());
                    out.write(bytes, 0, length);
                    received++;
                    lastReported = null;
                    idle.reset();
                }
                case NO_DATA ->
                {
                    out.flush();
                    idle.idle();
                }
                case OVERRUN_DETECTED ->
                {
                    err.printf("shmstream recv: overrun, %d elements skipped (now at %d)%n",
                        reader.lastSkipped(), reader.readCount());
                    err.flush();
                }
                case EPOCH_CHANGED ->
                {
                    err.printf("shmstream recv: epoch changed (writer restarted)%n");
                    err.flush();
                    lastReported = null;
                }
                default ->
                {
                    if (result != lastReported)
                    {
                        err.println("shmstream recv: " + describe(result, reader, region));
                        err.flush();
                        lastReported = result;
                    }
                    out.flush();
                    idle.idle();
                }
            }
        }
        return received;
    }

    private String describe(final ReadResult result, final ShmStreamReader reader, final AtomicBuffer region)
    {
        if (result == ReadResult.INACTIVE)
        {
            return "channel inactive (epoch 0), waiting for a writer";
        }
        if (reader.hasProtocolError())
        {
            return "protocol error: the writer's WC went below our RC; waiting for a new epoch";
        }
        if (result == ReadResult.INCOMPATIBLE_INTERFACE)
        {
            return String.format(
                "incompatible interface: transport=%016x protocol=%016x (expected %016x) size=%d (max %d) " +
                "elements=%d region=%d", ShmStreamDescriptor.transportOpaque(region),
                ShmStreamDescriptor.protocolOpaque(region), protocol, ShmStreamDescriptor.sizeOpaque(region),
                elementSize, ShmStreamDescriptor.elementsOpaque(region), region.capacity());
        }
        return result.name();
    }

    private static int trimmedLength(final byte[] bytes, final int length)
    {
        int end = length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }
        return end;
    }
}
