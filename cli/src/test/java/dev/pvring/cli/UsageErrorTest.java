/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Usage errors: the error and one line pointing at {@code --help} (exit 2), never the whole help; negative and
 * non-finite numbers are usage errors on every command; the exit-code table is in {@code pvring --help} and the
 * README.
 */
class UsageErrorTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        return Pvring.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void shouldPrintTheErrorAndOnePointerLine()
    {
        final Path file = dir.resolve("ring");
        assertThat(run("ring", "load-front", file.toString(), "--entry-size", "64", "--bogus"))
            .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("pvring ring load-front: Unknown option: '--bogus'\n" +
            "Try 'pvring ring load-front --help' for more information.\n");
        assertThat(out.toString()).isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void shouldPointAtTheCommandThatFailed()
    {
        assertThat(run("xenstored")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("pvring xenstored: Missing required option: '--socket=PATH'\n" +
            "Try 'pvring xenstored --help' for more information.\n");
    }

    @Test
    void shouldTreatABadValueTheCommandRejectsAsAUsageError()
    {
        assertThat(run("demo", "--message-size", "8")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("pvring demo: need count >= 1, 16 <= message-size <= 1024, batch >= 1: " +
            "count=10000000 message-size=8 batch=16\nTry 'pvring demo --help' for more information.\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ring load-front FILE --entry-size 64 --timeout -1 | pvring ring load-front | --timeout must be a finite " +
            "number >= 0: --timeout=-1.0",
        "ring load-front FILE --entry-size 64 --timeout NaN | pvring ring load-front | --timeout must be a finite " +
            "number >= 0: --timeout=NaN",
        "ring load-front FILE --entry-size 64 --count -5 | pvring ring load-front | --count must not be negative: " +
            "--count=-5",
        "ring load-front FILE --entry-size 64 --offset -4096 | pvring ring load-front | --offset must not be " +
            "negative: --offset=-4096",
        "ring echo-back FILE --entry-size 64 --count -1 | pvring ring echo-back | --count must not be negative: " +
            "--count=-1",
        "ring echo-back FILE --entry-size 64 --idle-timeout -2 | pvring ring echo-back | --idle-timeout must be a " +
            "finite number >= 0: --idle-timeout=-2.0",
        "demo --count -1 | pvring demo | --count must not be negative: --count=-1",
        "inspect FILE --watch --interval -1 | pvring inspect | --interval must be a finite number >= 0: " +
            "--interval=-1.0",
        "xenstored --socket FILE --quota-nodes -1 | pvring xenstored | --quota-nodes must not be negative: " +
            "--quota-nodes=-1",
        "sim add-domain FILE -3 | pvring sim add-domain | DOMID must not be negative: DOMID=-3",
    })
    void shouldRejectNegativeNumbersEverywhere(final String commandLine, final String command, final String message)
        throws Exception
    {
        final Path file = dir.resolve("target");
        final String[] args = commandLine.replace("FILE", file.toString()).split(" ");

        assertThat(run(args)).as(err.toString()).isEqualTo(ExitCodes.USAGE);

        assertThat(err.toString()).isEqualTo(command + ": " + message + "\nTry '" + command +
            " --help' for more information.\n");
        assertThat(file).as("nothing was created").doesNotExist();
    }

    @Test
    void shouldListTheExitCodesInTheHelpAndTheReadme() throws Exception
    {
        assertThat(run("--help")).isZero();
        final String table = String.format(ExitCodes.TABLE);
        assertThat(out.toString().stripTrailing()).endsWith(table.stripTrailing());
        final String readme = Files.readString(Path.of("..", "README.md"));
        for (final String line : table.split("\n"))
        {
            if (line.startsWith("  "))
            {
                assertThat(readme).as("README lists: " + line).contains(line.trim().replaceAll(" +", " ")
                    .replaceFirst("^(\\d+) ", "| $1 | "));
            }
        }
    }
}
