/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a second JVM running a test class's {@code main}, with the same class path and JVM options as
 * the test, for tests where the peer must be another process. Output goes to a log file, quoted on failure.
 */
public final class ChildJvm implements AutoCloseable
{
    private final Process process;
    private final Path log;
    private final String name;

    private ChildJvm(final Process process, final Path log, final String name)
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
    public static ChildJvm start(final Class<?> mainClass, final String... args) throws IOException
    {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xss1m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        final Path log = Files.createTempFile("pvring-child-" + mainClass.getSimpleName(), ".log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildJvm(process, log, mainClass.getSimpleName());
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeoutSeconds how long to wait.
     * @return the exit code.
     * @throws AssertionError if the child is still running after the timeout (it is then killed).
     * @throws InterruptedException if interrupted.
     */
    public int waitFor(final long timeoutSeconds) throws InterruptedException
    {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("child " + name + " still running after " + timeoutSeconds + "s; output:\n" + output());
        }
        return process.exitValue();
    }

    /**
     * The child's combined stdout and stderr so far.
     *
     * @return the text.
     */
    public String output()
    {
        try
        {
            return Files.readString(log);
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex + ")";
        }
    }

    /**
     * Whether the child still runs.
     *
     * @return true if alive.
     */
    public boolean isAlive()
    {
        return process.isAlive();
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
        catch (final IOException | InterruptedException ignore)
        {
            // best effort
        }
    }
}
