/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.xenstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.Pvring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XenstoredCommandTest
{
    @TempDir
    Path dir;

    @Test
    void shouldListTheCommandAndItsOptions()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true));
        try
        {
            assertThat(Pvring.execute("xenstored", "--help")).isZero();
        }
        finally
        {
            System.setOut(saved);
        }
        assertThat(out.toString()).contains("--socket=PATH", "XENSTORED_PATH", "--quota-nodes");
    }

    @Test
    void shouldFailClearlyOnAnUnusableSocketPath() throws Exception
    {
        final Path file = Files.createFile(dir.resolve("not-a-dir"));
        final StringWriter err = new StringWriter();
        assertThat(Pvring.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "xenstored",
            "--socket", file.resolve("socket").toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).isEqualTo("pvring xenstored: no directory for the socket: " + file +
            " is a regular file of 0 bytes\n");
    }

    @Test
    void shouldRequireTheSocketOption()
    {
        final PrintStream saved = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
        try
        {
            assertThat(Pvring.execute("xenstored")).isEqualTo(2);
        }
        finally
        {
            System.setErr(saved);
        }
    }
}
