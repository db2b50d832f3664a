/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.SharedMemory;

/**
 * The echo of the cross-process round trip, as a second JVM: {@code EchoProcess <shm-file> <wait-mode>} maps
 * the {@link PingPongDescriptor} file and runs {@link Echo} until the pinger requests a stop. A watchdog exits
 * if the parent JVM dies, so a killed benchmark leaves no orphan behind.
 */
public final class EchoProcess
{
    private static final long WATCHDOG_PERIOD_MILLIS = 500;

    private EchoProcess()
    {
    }

    /**
     * Entry point of the child JVM.
     *
     * @param args the shared file and a {@link WaitMode} name.
     */
    public static void main(final String[] args)
    {
        if (args.length != 2)
        {
            System.err.println("usage: EchoProcess <shm-file> <BLOCK|SPIN_THEN_BLOCK>");
            System.exit(64);
        }
        startParentWatchdog();
        try (SharedMemory memory = SharedMemory.open(Path.of(args[0]), SharedMemory.Access.READ_WRITE))
        {
            new Echo(memory.buffer(), WaitMode.valueOf(args[1])).run();
        }
    }

    /**
     * Starts {@code EchoProcess} in a new JVM with the class path of this one (a JMH fork runs from
     * {@code benchmarks.jar}), the JVM options the shared memory code needs, and a small heap.
     *
     * @param file shared file, already created with {@link PingPongDescriptor#REGION_LENGTH} bytes.
     * @param mode how the echo waits.
     * @param log  file for the child's stdout and stderr.
     * @return the child.
     * @throws IOException if the process cannot be started.
     */
    static Process start(final Path file, final WaitMode mode, final Path log) throws IOException
    {
        final String java = ProcessHandle.current().info().command().orElse(
            Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xms64m");
        command.add("-Xmx64m");
        command.add("-XX:+UseSerialGC");
        forwardProperty(command, "agrona.disable.bounds.checks");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EchoProcess.class.getName());
        command.add(file.toString());
        command.add(mode.name());
        Files.deleteIfExists(log);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void forwardProperty(final List<String> command, final String name)
    {
        final String value = System.getProperty(name);
        if (value != null)
        {
            command.add("-D" + name + "=" + value);
        }
    }

    private static void startParentWatchdog()
    {
        final Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty())
        {
            return;
        }
        final ProcessHandle handle = parent.get();
        final Thread watchdog = new Thread(() ->
        {
            while (handle.isAlive())
            {
                try
                {
                    TimeUnit.MILLISECONDS.sleep(WATCHDOG_PERIOD_MILLIS);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
            System.err.println("EchoProcess: parent pid=" + handle.pid() + " exited, stopping");
            Runtime.getRuntime().halt(3);
        }, "pvring-echo-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
