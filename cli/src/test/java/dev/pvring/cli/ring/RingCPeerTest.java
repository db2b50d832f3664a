/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.Pvring;
import dev.pvring.testkit.NativeTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * pvring against a C peer built on the real {@code io/ring.h} macros ({@code src/test/c/ring_peer.c}), over one
 * file in /dev/shm, in both directions: C front with {@code pvring ring echo-back}, and {@code pvring ring
 * load-front} with a C back end. Every response is checked byte for byte; indices start just below 2^32 so the
 * wrap is crossed. {@code -Dpvring.peer.pairs=N} sets the pairs per direction (default 10 M).
 */
class RingCPeerTest
{
    private static final long PAIRS = Long.getLong("pvring.peer.pairs", 10_000_000L);
    private static final String START = "4294967000";
    private Path file;

    @BeforeEach
    void setUp() throws IOException
    {
        file = Files.createTempFile(Path.of("/dev/shm"), "pvring-peer", ".ring");
        Files.write(file, new byte[4096 * 4]);
    }

    @AfterEach
    void tearDown() throws IOException
    {
        Files.deleteIfExists(file);
    }

    private static Path peer(final int requestSize, final int responseSize) throws IOException
    {
        final Path dir = Files.createDirectories(Path.of("target/native"));
        return NativeTools.compile(Path.of("src/test/c/ring_peer.c"), dir.resolve("ring_peer_" + requestSize + "_" +
            responseSize), "-DREQ_SIZE=" + requestSize, "-DRSP_SIZE=" + responseSize);
    }

    @ParameterizedTest(name = "C front, Java back: request {0} B, response {1} B, {2} page(s)")
    @CsvSource({"64, 64, 1", "48, 16, 1", "16, 48, 2"})
    void shouldEchoForACFrontEnd(final int requestSize, final int responseSize, final int pages) throws Exception
    {
        final int entrySize = Math.max(requestSize, responseSize);
        final int ringBytes = 4096 * pages;
        final Process front = new ProcessBuilder(peer(requestSize, responseSize).toString(), "front", file.toString(),
            Integer.toString(ringBytes), Long.toString(PAIRS), START, "8").redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(front.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            assertThat(lines.readLine()).startsWith("ready size=");
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final int status = Pvring.execute(new PrintWriter(out, true), new PrintWriter(err, true), "ring",
                "echo-back", file.toString(), "--entry-size", Integer.toString(entrySize), "--pages",
                Integer.toString(pages), "--request-size", Integer.toString(requestSize), "--response-size",
                Integer.toString(responseSize), "--count", Long.toString(PAIRS), "--idle-timeout", "120");
            assertThat(status).as(out + "\n" + err).isZero();
            assertThat(out.toString()).contains("ok back pairs=" + PAIRS);
            final String result = lines.readLine();
            assertThat(front.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(front.exitValue()).as(result).isZero();
            assertThat(result).startsWith("ok front pairs=" + PAIRS);
            System.out.println("C front -> Java back: " + result + " | " + out.toString().trim());
        }
        finally
        {
            front.destroyForcibly();
        }
    }

    @ParameterizedTest(name = "Java front, C back: request {0} B, response {1} B, {2} page(s)")
    @CsvSource({"64, 64, 1", "48, 16, 1", "16, 48, 4"})
    void shouldLoadACBackEnd(final int requestSize, final int responseSize, final int pages) throws Exception
    {
        final int entrySize = Math.max(requestSize, responseSize);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CompletableFuture<Integer> front = CompletableFuture.supplyAsync(() -> Pvring.execute(
            new PrintWriter(out, true), new PrintWriter(err, true), "ring", "load-front", file.toString(),
            "--entry-size", Integer.toString(entrySize), "--pages", Integer.toString(pages), "--request-size",
            Integer.toString(requestSize), "--response-size", Integer.toString(responseSize), "--count",
            Long.toString(PAIRS), "--batch", "8", "--start-index", START, "--timeout", "120"));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out.toString().contains("initialised"))
        {
            assertThat(System.nanoTime()).as("load-front did not start: %s %s", out, err).isLessThan(deadline);
            Thread.sleep(5);
        }
        final Process back = new ProcessBuilder(peer(requestSize, responseSize).toString(), "back", file.toString(),
            Integer.toString(4096 * pages), Long.toString(PAIRS)).redirectErrorStream(true).start();
        try
        {
            final String backOutput = new String(back.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(back.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(back.exitValue()).as(backOutput).isZero();
            assertThat(backOutput).contains("ok back pairs=" + PAIRS);
            assertThat(front.get(120, TimeUnit.SECONDS)).as(out + "\n" + err).isZero();
            assertThat(out.toString()).contains("ok front pairs=" + PAIRS);
            System.out.println("Java front -> C back: " + out.toString().trim().replace('\n', ' ') + " | " +
                backOutput.trim().replace('\n', ' '));
        }
        finally
        {
            back.destroyForcibly();
        }
    }
}
