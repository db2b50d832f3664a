/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands that put a ring into a file never overwrite a file that is not already a ring: one line naming what is
 * there, exit {@link ExitCodes#REFUSED}, the file untouched; {@code --replace} replaces a regular file.
 */
class RingFileSafetyTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Pvring.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static byte[] text(final int length)
    {
        final byte[] bytes = new byte[length];
        final byte[] line = "Dear diary, today the ring tool ate my notes.\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < length; i++)
        {
            bytes[i] = line[i % line.length];
        }
        return bytes;
    }

    @Test
    void loadFrontShouldRefuseATextFileAndLeaveItAlone() throws Exception
    {
        for (final int length : new int[] {11, 4096, 16384})
        {
            final Path notes = Files.write(dir.resolve("notes-" + length + ".txt"), text(length));

            assertThat(run("ring", "load-front", notes.toString(), "--entry-size", "64", "--count", "0"))
                .as(err.toString()).isEqualTo(ExitCodes.REFUSED);

            assertThat(err.toString()).matches("pvring ring load-front: refusing to overwrite " +
                java.util.regex.Pattern.quote(notes.toString()) + ": it is a regular file of " + length +
                " bytes[^\n]*\\(pass --replace to replace it\\)\n");
            assertThat(Files.readAllBytes(notes)).isEqualTo(text(length));
        }
    }

    @Test
    void loadFrontShouldRefuseADirectoryEvenWithReplace() throws Exception
    {
        final Path empty = Files.createDirectory(dir.resolve("empty"));
        for (final String[] args : new String[][] {
            {"ring", "load-front", empty.toString(), "--entry-size", "64", "--count", "0"},
            {"ring", "load-front", empty.toString(), "--entry-size", "64", "--count", "0", "--replace"}})
        {
            assertThat(run(args)).isEqualTo(ExitCodes.REFUSED);
            assertThat(err.toString()).isEqualTo("pvring ring load-front: refusing to overwrite " + empty +
                ": it is an empty directory, not a ring file (--replace replaces regular files only)\n");
            assertThat(empty).isEmptyDirectory();
        }
    }

    @Test
    void loadFrontShouldReuseItsOwnRingAndReplaceOnlyWhenTold() throws Exception
    {
        final Path file = dir.resolve("ring");
        assertThat(run("ring", "load-front", file.toString(), "--entry-size", "64", "--count", "0"))
            .as(err.toString()).isZero();
        assertThat(file).hasSize(4096);
        // its own ring (and one of another entry size and start index) is reused without asking
        assertThat(run("ring", "load-front", file.toString(), "--entry-size", "32", "--count", "0",
            "--start-index", "4294967290")).as(err.toString()).isZero();
        assertThat(run("ring", "load-front", file.toString(), "--entry-size", "64", "--count", "0"))
            .as(err.toString()).isZero();

        final Path notes = Files.write(dir.resolve("notes.txt"), text(5000));
        assertThat(run("ring", "load-front", notes.toString(), "--entry-size", "64", "--count", "0", "--replace"))
            .as(err.toString()).isZero();
        assertThat(notes).hasSize(4096);
        assertThat(run("ring", "load-front", notes.toString(), "--entry-size", "64", "--count", "0"))
            .as("now a ring: " + err).isZero();
    }

    @Test
    void demoShouldRefuseLikeLoadFront() throws Exception
    {
        final Path notes = Files.write(dir.resolve("notes.txt"), text(8192));
        assertThat(run("demo", "--file", notes.toString(), "--count", "10")).isEqualTo(ExitCodes.REFUSED);
        assertThat(err.toString()).matches("pvring demo: refusing to overwrite " +
            java.util.regex.Pattern.quote(notes.toString()) + ": it is a regular file of 8192 bytes[^\n]*" +
            "\\(pass --replace to replace it\\)\n");
        assertThat(Files.readAllBytes(notes)).isEqualTo(text(8192));

        final Path folder = Files.createDirectory(dir.resolve("folder"));
        assertThat(run("demo", "--file", folder.toString(), "--count", "10", "--replace"))
            .isEqualTo(ExitCodes.REFUSED);
        assertThat(err.toString()).isEqualTo("pvring demo: refusing to overwrite " + folder +
            ": it is an empty directory, not a ring file (--replace replaces regular files only)\n");
    }

    @Test
    void demoShouldReuseItsOwnFileAndKeepIt() throws Exception
    {
        final Path file = dir.resolve("demo.ring");
        assertThat(run("demo", "--file", file.toString(), "--count", "1000")).as(out + "\n" + err).isZero();
        assertThat(file).hasSize(8192);
        assertThat(run("demo", "--file", file.toString(), "--count", "1000")).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("echoes verified: all");
    }

    @Test
    void echoBackShouldRefuseToWriteIntoAFileThatIsNoRing() throws Exception
    {
        final Path notes = Files.write(dir.resolve("notes.txt"), text(4096));
        assertThat(run("ring", "echo-back", notes.toString(), "--entry-size", "64", "--count", "1"))
            .isEqualTo(ExitCodes.REFUSED);
        assertThat(err.toString()).startsWith("pvring ring echo-back: refusing to write to " + notes +
            ": it is a regular file of 4096 bytes that does not hold an io/ring.h ring at offset 0 (").endsWith(")\n");
        assertThat(Files.readAllBytes(notes)).isEqualTo(text(4096));
    }

    @Test
    void everyFileCreatingCommandShouldOfferTheSameReplaceOption()
    {
        for (final String[] command : new String[][] {{"ring", "load-front", "--help"}, {"demo", "--help"}})
        {
            assertThat(run(command)).isZero();
            assertThat(out.toString()).contains("--replace", RingFiles.REPLACE_DESCRIPTION.substring(0, 30));
        }
    }
}
