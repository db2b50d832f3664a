/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.Pvring;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every driver command takes exactly one of {@code --sim NAME} or {@code --platform linux}; without Xen the Linux
 * platform fails with one line naming what is missing, never a stack trace.
 */
class PlatformChoiceTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        return Pvring.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"netback", "netfront"})
    void shouldRequireExactlyOnePlatform(final String command)
    {
        final String[] front = {"--domid", "1", "--devid", "0", "--tap", "pvt-none0"};
        final String[] args = "netback".equals(command) ? new String[] {command} :
            concat(new String[] {command}, front);
        assertThat(run(args)).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("give exactly one of --sim NAME or --platform linux")
            .contains("Try 'pvring " + command + " --help'");

        err.getBuffer().setLength(0);
        assertThat(run(concat(args, new String[] {"--sim", "x", "--platform", "linux"}))).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("give exactly one of");

        err.getBuffer().setLength(0);
        assertThat(run(concat(args, new String[] {"--platform", "bsd"}))).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("unknown platform (only 'linux'): platform=bsd");
    }

    @ParameterizedTest
    @ValueSource(strings = {"netback"})
    void shouldFailInOneLineWithoutXen(final String command)
    {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/xen/evtchn")), "this machine runs Xen");
        assertThat(run(command, "--platform", "linux")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("pvring " + command + ": ").contains("/dev/xen");
    }

    private static String[] concat(final String[] a, final String[] b)
    {
        final String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
