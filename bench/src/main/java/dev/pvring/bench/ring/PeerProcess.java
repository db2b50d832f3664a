/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a class's {@code main} in a second JVM with this JVM's java binary, class path, the module flags the
 * benchmarks need, Agrona's bounds-check setting and
 * the options in {@value #PEER_JVM_ARGS} (the bench-side twin of the test kit's {@code ChildJvm}, which
 * bench cannot use). Output goes to a log file, shown when the child fails. The child's standard input stays a
 * pipe from this process: closing it (or this process dying) tells a {@link RingEcho} child to exit.
 */
public final class PeerProcess implements AutoCloseable
{
    private static final String BOUNDS_CHECKS = "agrona.disable.bounds.checks";
    /** System property: JVM options added to every child (split at spaces), e.g. a profiler agent. */
    public static final String PEER_JVM_ARGS = "pvring.bench.peerJvmArgs";

    private final Process process;
    private final Path log;
    private final String name;

    private PeerProcess(final Process process, final Path log, final String name)
    {
        this.process = process;
        this.log = log;
        this.name = name;
    }

    /**
     * Starts {@code mainClass} in a new JVM.
     *
     * @param mainClass class with a {@code main(String[])}.
     * @param args      its arguments.
     * @return the running child.
     * @throws IOException if the process cannot start.
     */
    public static PeerProcess start(final Class<?> mainClass, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        // Extra options for the child, e.g. an async-profiler -agentpath (split at spaces; unset: none).
        final String extra = System.getProperty(PEER_JVM_ARGS, "").trim();
        if (!extra.isEmpty())
        {
            command.addAll(List.of(extra.split(" +")));
        }
        final String boundsChecks = System.getProperty(BOUNDS_CHECKS);
        if (boundsChecks != null)
        {
            command.add("-D" + BOUNDS_CHECKS + "=" + boundsChecks);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        final Path log = Files.createTempFile("pvring-bench-" + mainClass.getSimpleName(), ".log");
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        return new PeerProcess(process, log, mainClass.getSimpleName());
    }

    /**
     * Whether the child still runs (a field read, cheap enough for a wait loop).
     *
     * @return true if alive.
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Waits for the child to exit and returns its exit code; kills it after the timeout.
     *
     * @param timeoutSeconds how long to wait.
     * @return the exit code, or -1 if it had to be killed.
     * @throws InterruptedException if interrupted.
     */
    public int waitFor(final long timeoutSeconds) throws InterruptedException
    {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    /**
     * The child's combined output so far.
     *
     * @return the text.
     */
    public String output()
    {
        try
        {
            return Files.readString(log).trim();
        }
        catch (final IOException ex)
        {
            return "(no output from " + name + ": " + ex + ")";
        }
    }

    @Override
    public void close()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
        catch (final IOException | InterruptedException ignored)
        {
            // best effort
        }
    }
}
