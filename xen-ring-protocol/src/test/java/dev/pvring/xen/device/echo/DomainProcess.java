/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A domain's JVM for the cross-process tests ({@link EchoPeerMain}): same class path and options as the test,
 * output in a log file, standard input as the stop signal, and the pid for {@code kill -9} and CPU accounting.
 */
final class DomainProcess implements AutoCloseable
{
    private final Process process;
    private final Path log;

    private DomainProcess(final Process process, final Path log)
    {
        this.process = process;
        this.log = log;
    }

    static DomainProcess start(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xss1m");
        // Small heap and code cache: a JVM killed with SIGKILL is reaped sooner when it maps less memory.
        command.add("-XX:+UseSerialGC");
        command.add("-Xms8m");
        command.add("-Xmx64m");
        command.add("-XX:ReservedCodeCacheSize=32m");
        command.add("-XX:-UsePerfData");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EchoPeerMain.class.getName());
        command.addAll(List.of(args));
        final Path log = Files.createTempFile("pvring-echo-" + args[0], ".log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
            .start();
        return new DomainProcess(process, log);
    }

    long pid()
    {
        return process.pid();
    }

    String output()
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

    /** Waits for a line matching {@code regex} (searched from the start of the output). */
    Matcher await(final String regex, final long seconds) throws InterruptedException
    {
        final Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true)
        {
            final String out = output();
            final Matcher m = pattern.matcher(out);
            if (m.find())
            {
                return m;
            }
            if (!process.isAlive() || System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("no line /" + regex + "/ (alive=" + process.isAlive() + "); output:\n" + out +
                    (process.isAlive() ? "\nthreads:\n" + threadDump() : ""));
            }
            Thread.sleep(5);
        }
    }

    private String threadDump()
    {
        try
        {
            final Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
            final Process p = new ProcessBuilder(jstack.toString(), Long.toString(process.pid()))
                .redirectErrorStream(true).start();
            final String dump = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            return dump;
        }
        catch (final IOException | InterruptedException ex)
        {
            return "(no thread dump: " + ex + ")";
        }
    }

    /** Closes standard input: the peer stops cleanly. */
    void stop() throws IOException
    {
        process.getOutputStream().close();
    }

    int waitFor(final long seconds) throws InterruptedException
    {
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("still running after " + seconds + "s; output:\n" + output());
        }
        return process.exitValue();
    }

    /** {@code kill -9}. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** utime + stime of the process in clock ticks ({@code /proc/<pid>/stat} fields 14 and 15). */
    long cpuTicks() throws IOException
    {
        final String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
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
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException ex)
        {
            // the log stays behind in /tmp
        }
    }
}
