/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Compiles a C program from {@code src/test/c} against the installed Xen headers into {@code target/} and
 * runs it; the program prints {@code name value} lines. Fails (never skips) with what to install when gcc or
 * the headers are missing.
 */
final class CAbiProgram
{
    private static final String INSTALL = "install them with: apt-get install -y gcc libxen-dev";

    private CAbiProgram()
    {
    }

    static Map<String, Long> run(final String source) throws IOException, InterruptedException
    {
        final Path c = Path.of("src/test/c", source);
        if (!Files.isRegularFile(c))
        {
            throw new AssertionError("C source missing: " + c.toAbsolutePath());
        }
        if (!Files.isDirectory(Path.of("/usr/include/xen")))
        {
            throw new AssertionError("Xen headers not found in /usr/include/xen; " + INSTALL);
        }
        final Path binary = Path.of("target", "c", source.replace(".c", ""));
        Files.createDirectories(binary.getParent());
        final String compileOutput;
        try
        {
            compileOutput = exec(List.of("gcc", "-Wall", "-Wextra", "-Werror", "-o", binary.toString(), c.toString()));
        }
        catch (final IOException ex)
        {
            throw new AssertionError("gcc not found; " + INSTALL, ex);
        }
        if (!Files.isExecutable(binary))
        {
            throw new AssertionError("compiling " + c + " failed (" + INSTALL + "):\n" + compileOutput);
        }
        final String output = exec(List.of(binary.toAbsolutePath().toString()));
        final Map<String, Long> values = new LinkedHashMap<>();
        for (final String line : output.split("\n"))
        {
            if (!line.isBlank())
            {
                final String[] parts = line.trim().split(" ");
                values.put(parts[0], Long.decode(parts[1]));
            }
        }
        return values;
    }

    private static String exec(final List<String> command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return output;
    }
}
