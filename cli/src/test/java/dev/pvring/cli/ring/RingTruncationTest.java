/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.Pvring;
import dev.pvring.core.SharedMemory;
import dev.pvring.xen.ring.FrontRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that truncates the ring file under {@code echo-back} or {@code load-front}: the access faults (SIGBUS),
 * and the tool reports a broken ring (exit 3) instead of dying with an error.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RingTruncationTest
{
    private Path file;

    @BeforeEach
    void setUp() throws IOException
    {
        file = Files.createTempFile(Path.of("/dev/shm"), "pvring-truncated", ".ring");
        Files.write(file, new byte[4096]);
    }

    @AfterEach
    void tearDown() throws IOException
    {
        Files.deleteIfExists(file);
    }

    @Test
    void shouldReportARingFileTruncatedUnderTheBackEndAsBroken() throws Exception
    {
        try (SharedMemory memory = SharedMemory.open(file, SharedMemory.Access.READ_WRITE))
        {
            FrontRing.init(memory.buffer(), 0, 4096, 64, 0);
        }
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CompletableFuture<Integer> back = CompletableFuture.supplyAsync(() -> Pvring.execute(
            new PrintWriter(out, true), new PrintWriter(err, true), "ring", "echo-back", file.toString(),
            "--entry-size", "64", "--idle-timeout", "60"));
        awaitOutput(out, "attached", err);

        truncate();

        assertThat(back.get(60, TimeUnit.SECONDS)).as("%s %s", out, err).isEqualTo(3);
        assertThat(err.toString()).startsWith("pvring ring echo-back: front end broke the ring: memory fault in " + file +
            " (was the file truncated?): ");
    }

    @Test
    void shouldReportARingFileTruncatedUnderTheFrontEndAsBroken() throws Exception
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CompletableFuture<Integer> front = CompletableFuture.supplyAsync(() -> Pvring.execute(
            new PrintWriter(out, true), new PrintWriter(err, true), "ring", "load-front", file.toString(),
            "--entry-size", "64", "--count", "1000000", "--timeout", "60"));
        awaitOutput(out, "initialised", err);

        truncate();

        assertThat(front.get(60, TimeUnit.SECONDS)).as("%s %s", out, err).isEqualTo(3);
        assertThat(err.toString()).startsWith("pvring ring load-front: back end broke the ring: memory fault in " + file +
            " (was the file truncated?): ");
    }

    private void truncate() throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(0);
        }
    }

    private static void awaitOutput(final StringWriter out, final String text, final StringWriter err)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out.toString().contains(text))
        {
            assertThat(System.nanoTime()).as("no '%s' yet: %s %s", text, out, err).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
