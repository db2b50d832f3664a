/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code pvring ARGS...} through {@link Pvring#main} in a separate JVM with the test class path, as from a
 * shell (signal handlers installed, real exit code), with stdout and stderr captured to files; can send it signals.
 */
public final class CliProcess implements AutoCloseable
{
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private CliProcess(final Process process, final Path stdout, final Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code pvring args...}.
     *
     * @param args command line.
     * @return the running process.
     * @throws IOException if it cannot start.
     */
    public static CliProcess start(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Pvring.class.getName());
        command.addAll(List.of(args));
        final Path out = Files.createTempFile("pvring-cli-out", ".txt");
        final Path err = Files.createTempFile("pvring-cli-err", ".txt");
        final Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new CliProcess(process, out, err);
    }

    /**
     * The process.
     *
     * @return it.
     */
    public Process process()
    {
        return process;
    }

    /**
     * Waits until stdout matches a regular expression.
     *
     * @param regex   pattern to find.
     * @param seconds how long to wait.
     * @return the match (group 1 if the pattern has a group, else the whole match).
     * @throws InterruptedException if interrupted.
     */
    public String awaitStdout(final String regex, final long seconds) throws InterruptedException
    {
        final Pattern pattern = Pattern.compile(regex);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline)
        {
            final Matcher m = pattern.matcher(stdout());
            if (m.find())
            {
                return m.groupCount() > 0 ? m.group(1) : m.group();
            }
            if (!process.isAlive())
            {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("no '" + regex + "' on stdout (alive=" + process.isAlive() + ")\nstdout:\n" +
            stdout() + "\nstderr:\n" + stderr());
    }

    /**
     * Sends a signal with {@code kill -SIG pid}.
     *
     * @param signal e.g. {@code "INT"} or {@code "TERM"}.
     * @throws Exception if kill fails.
     */
    public void signal(final String signal) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0)
        {
            throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /**
     * Waits for the process to exit.
     *
     * @param seconds how long.
     * @return the exit code.
     * @throws InterruptedException if interrupted.
     */
    public int waitFor(final long seconds) throws InterruptedException
    {
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("pvring still running after " + seconds + " s\nstdout:\n" + stdout() +
                "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /**
     * Captured stdout so far.
     *
     * @return text.
     */
    public String stdout()
    {
        return read(stdout);
    }

    /**
     * Captured stderr so far.
     *
     * @return text.
     */
    public String stderr()
    {
        return read(stderr);
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex + ")";
        }
    }

    @Override
    public void close()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
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
