/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles the C peers and layout probes of the tests with {@code gcc} against Debian's {@code libxen-dev}
 * headers. Missing tools fail the test with what to install: these checks are never skipped.
 */
public final class NativeTools
{
    /** What to install when gcc or the Xen headers are missing. */
    public static final String INSTALL_HINT = "install them with: apt-get install -y gcc libxen-dev";
    private static final Pattern CONSTANT = Pattern.compile(
        "^([A-Za-z_][A-Za-z0-9_]*):\\s*\\n\\s*\\.(?:long\\s+(-?\\d+)|zero\\s+4)",
        Pattern.MULTILINE);

    private NativeTools()
    {
    }

    /**
     * Fails unless gcc and {@code /usr/include/xen/io/ring.h} are present.
     */
    public static void requireGccAndXenHeaders()
    {
        if (!Files.isRegularFile(Path.of("/usr/include/xen/io/ring.h")))
        {
            throw new AssertionError("Xen headers not found at /usr/include/xen/io/ring.h; " + INSTALL_HINT);
        }
        try
        {
            final Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
            {
                throw new AssertionError("gcc --version failed; " + INSTALL_HINT);
            }
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new AssertionError("gcc not found; " + INSTALL_HINT, ex);
        }
    }

    /**
     * Builds an executable with {@code gcc -O2 -Wall -Werror}.
     *
     * @param source C file.
     * @param output executable to write.
     * @param flags  extra flags (e.g. {@code -DREQ_SIZE=64}).
     * @return {@code output}.
     */
    public static Path compile(final Path source, final Path output, final String... flags)
    {
        requireGccAndXenHeaders();
        final List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Werror", "-std=gnu11"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-o", output.toString(), source.toString()));
        run(cmd);
        return output;
    }

    /**
     * Compiles {@code source} to assembly only (no libc needed, so {@code -m32} works without multilib) and
     * returns every {@code const unsigned int NAME = value;} it defines, in order.
     *
     * @param source C file defining unsigned int constants.
     * @param flags  e.g. {@code -m32}.
     * @return name to value.
     */
    public static Map<String, Long> constants(final Path source, final String... flags)
    {
        requireGccAndXenHeaders();
        final List<String> cmd = new ArrayList<>(List.of("gcc", "-ffreestanding", "-O0", "-S", "-o", "-"));
        cmd.addAll(List.of(flags));
        cmd.add(source.toString());
        final String asm = run(cmd);
        final Map<String, Long> values = new LinkedHashMap<>();
        final Matcher m = CONSTANT.matcher(asm);
        while (m.find())
        {
            values.put(m.group(1), m.group(2) == null ? 0L : Long.parseLong(m.group(2)));
        }
        if (values.isEmpty())
        {
            throw new AssertionError("no constants found in the assembly of " + source + ":\n" + asm);
        }
        return values;
    }

    /**
     * Runs a command to completion and returns its standard output; fails with its output otherwise.
     *
     * @param cmd command and arguments.
     * @return standard output.
     */
    public static String run(final List<String> cmd)
    {
        try
        {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0)
            {
                throw new AssertionError("command failed: " + String.join(" ", cmd) + "\n" + out);
            }
            return out;
        }
        catch (final IOException ex)
        {
            throw new AssertionError("cannot run " + cmd.get(0) + "; " + INSTALL_HINT, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + cmd, ex);
        }
    }
}
