/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.Pvring;

/**
 * Runs {@code pvring ARGS...} in a separate JVM with the test class path, as a user would from a shell: real
 * stdin, stdout and stderr (captured to files).
 */
final class PvringProcess implements AutoCloseable
{
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private PvringProcess(final Process process, final Path stdout, final Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static PvringProcess start(final List<String> prefix, final String... args) throws IOException
    {
        return start(prefix, false, args);
    }

    /** Starts with stdout as a pipe the test reads ({@link #stdoutStream()}), e.g. to be a slow consumer. */
    static PvringProcess startWithPipedStdout(final String... args) throws IOException
    {
        return start(List.of(), true, args);
    }

    private static PvringProcess start(final List<String> prefix, final boolean pipedStdout, final String... args)
        throws IOException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Pvring.class.getName());
        command.addAll(List.of(args));
        final Path out = Files.createTempFile("pvring-cli-out", ".txt");
        final Path err = Files.createTempFile("pvring-cli-err", ".txt");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        if (!pipedStdout)
        {
            builder.redirectOutput(out.toFile());
        }
        final Process process = builder.start();
        return new PvringProcess(process, out, err);
    }

    static PvringProcess start(final String... args) throws IOException
    {
        return start(List.of(), args);
    }

    PvringProcess input(final byte[] bytes) throws IOException
    {
        try (OutputStream in = process.getOutputStream())
        {
            in.write(bytes);
        }
        return this;
    }

    /** Writes to stdin and keeps it open. */
    PvringProcess write(final byte[] bytes) throws IOException
    {
        process.getOutputStream().write(bytes);
        process.getOutputStream().flush();
        return this;
    }

    /** Ends stdin. */
    PvringProcess closeInput() throws IOException
    {
        process.getOutputStream().close();
        return this;
    }

    /** The stdout pipe of a process started with {@link #startWithPipedStdout}. */
    InputStream stdoutStream()
    {
        return process.getInputStream();
    }

    /** Sends a signal by name (INT, TERM). */
    void signal(final String name) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0)
        {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    PvringProcess input(final String text) throws IOException
    {
        return input(text.getBytes(StandardCharsets.UTF_8));
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

    boolean waitForStderr(final String text, final long seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline)
        {
            if (stderr().contains(text))
            {
                return true;
            }
            if (!process.isAlive())
            {
                return stderr().contains(text);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return false;
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    byte[] stdoutBytes()
    {
        try
        {
            return Files.readAllBytes(stdout);
        }
        catch (final IOException ex)
        {
            return new byte[0];
        }
    }

    String stdout()
    {
        return new String(stdoutBytes(), StandardCharsets.UTF_8);
    }

    String stderr()
    {
        try
        {
            return Files.readString(stderr);
        }
        catch (final IOException ex)
        {
            return "(no stderr: " + ex + ")";
        }
    }

    /** Asks the process to stop (SIGTERM) and waits for it. */
    int terminate(final long seconds) throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            process.waitFor(seconds, TimeUnit.SECONDS);
        }
        return process.exitValue();
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
