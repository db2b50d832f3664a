/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.Pvring;

/**
 * {@code pvring ARGS...} in its own JVM (through {@link Pvring#main}, so with its signal handling), output captured
 * to files: the toolstack commands as a user runs them next to a running host.
 */
final class CliJvm implements AutoCloseable
{
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private CliJvm(final Process process, final Path stdout, final Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static CliJvm start(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Pvring.class.getName());
        command.addAll(List.of(args));
        final Path out = Files.createTempFile("pvring-toolstack-out", ".txt");
        final Path err = Files.createTempFile("pvring-toolstack-err", ".txt");
        final Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
            .start();
        return new CliJvm(process, out, err);
    }

    /** Runs a command to its end. */
    static Result run(final String... args) throws Exception
    {
        try (CliJvm jvm = start(args))
        {
            final int exit = jvm.waitFor(120);
            return new Result(exit, jvm.stdout(), jvm.stderr());
        }
    }

    /** A finished command. */
    record Result(int exit, String out, String err)
    {
    }

    int waitFor(final long seconds) throws InterruptedException
    {
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("pvring still running after " + seconds + "s; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    boolean awaitStdout(final String text, final long seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline)
        {
            if (stdout().contains(text))
            {
                return true;
            }
            if (!process.isAlive())
            {
                return stdout().contains(text);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return false;
    }

    String stdout()
    {
        return read(stdout);
    }

    String stderr()
    {
        return read(stderr);
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex + ")";
        }
    }

    /** SIGTERM, then the exit code. */
    int terminate(final long seconds) throws InterruptedException
    {
        process.destroy();
        return waitFor(seconds);
    }

    @Override
    public void close()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
        catch (final IOException | InterruptedException ignore)
        {
            // best effort
        }
    }
}
