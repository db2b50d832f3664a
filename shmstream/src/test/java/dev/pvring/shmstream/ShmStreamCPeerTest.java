/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte compatibility with an independent C peer ({@code src/test/c/shmstream_peer.c}, a writer and a reader
 * written from the protocol description with the C struct layout of the Muen C implementations): offsets, a C
 * writer read by pvring, pvring read by a C reader, and a C reader racing a pvring writer with exact overrun
 * accounting. Needs gcc; without it the test fails and says what to install.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ShmStreamCPeerTest
{
    static final long PROTOCOL = 0xc0ffee_0001L;
    static final int SIZE = 64;
    static final int REGION = 64 * 1024;

    static Path peer;

    @TempDir
    Path dir;

    @BeforeAll
    static void compilePeer() throws Exception
    {
        final Path source = Path.of("src/test/c/shmstream_peer.c").toAbsolutePath();
        peer = Path.of("target/c/shmstream_peer").toAbsolutePath();
        Files.createDirectories(peer.getParent());
        final Result gcc = run(List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", peer.toString(),
            source.toString()), 120);
        if (gcc.exitCode != 0)
        {
            fail("cannot compile the C peer (install gcc: apt-get install -y gcc): " + gcc.output);
        }
    }

    @Test
    void shouldMatchTheCStructLayout() throws Exception
    {
        final Result offsets = run(List.of(peer.toString(), "offsets"), 30);
        assertThat(offsets.output.trim()).isEqualTo(
            "transport=" + ShmStreamDescriptor.TRANSPORT_OFFSET + " epoch=" + ShmStreamDescriptor.EPOCH_OFFSET +
            " protocol=" + ShmStreamDescriptor.PROTOCOL_OFFSET + " size=" + ShmStreamDescriptor.SIZE_OFFSET +
            " elements=" + ShmStreamDescriptor.ELEMENTS_OFFSET + " reserved=" + ShmStreamDescriptor.RESERVED_OFFSET +
            " wsc=" + ShmStreamDescriptor.WSC_OFFSET + " wc=" + ShmStreamDescriptor.WC_OFFSET +
            " sizeof=" + ShmStreamDescriptor.HEADER_LENGTH);
    }

    @Test
    void shouldReadWhatACWriterWrote() throws Exception
    {
        final Path file = dir.resolve("c-to-java");
        try (SharedMemory created = SharedMemory.create(file, REGION))
        {
            final Result write = run(List.of(peer.toString(), "write", file.toString(), Long.toHexString(PROTOCOL),
                Integer.toString(SIZE), "1000", "5eed"), 60);
            assertThat(write.exitCode).as(write.output).isZero();
            assertThat(write.output).contains("elements=" + (REGION - 64) / SIZE);

            final ShmStreamReader reader = new ShmStreamReader(created.buffer(), PROTOCOL, SIZE);
            final UnsafeBuffer element = new UnsafeBuffer(new byte[SIZE]);
            for (long n = 0; n < 1000; n++)
            {
                assertThat(reader.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
                assertPattern(element, n);
            }
            assertThat(reader.read(element, 0)).isEqualTo(ReadResult.NO_DATA);
            assertThat(reader.epoch()).isEqualTo(0x5eed);
        }
    }

    @Test
    void shouldBeReadByACReader() throws Exception
    {
        final Path file = dir.resolve("java-to-c");
        try (SharedMemory memory = SharedMemory.create(file, REGION))
        {
            final ShmStreamWriter writer = new ShmStreamWriter(memory.buffer());
            writer.initialize(PROTOCOL, SIZE);
            final UnsafeBuffer element = new UnsafeBuffer(new byte[SIZE]);
            for (long n = 0; n < 1000; n++)
            {
                fillPattern(element, n);
                writer.write(element, 0, SIZE);
            }
            final Result read = run(List.of(peer.toString(), "read", file.toString(), Long.toHexString(PROTOCOL),
                Integer.toString(SIZE), "1000"), 90);
            assertThat(read.exitCode).as(read.output).isZero();
            assertThat(read.output.trim()).isEqualTo("read=1000 skipped=0 overruns=0 bad=0");
        }
    }

    @Test
    void shouldFeedAConcurrentCReaderWithExactOverrunAccounting() throws Exception
    {
        final Path file = dir.resolve("java-to-c-live");
        final long count = 2_000_000;
        try (SharedMemory memory = SharedMemory.create(file, REGION))
        {
            final Process reader = new ProcessBuilder(peer.toString(), "read", file.toString(),
                Long.toHexString(PROTOCOL), Integer.toString(SIZE), Long.toString(count)).redirectErrorStream(true)
                .start();
            final ShmStreamWriter writer = new ShmStreamWriter(memory.buffer());
            writer.initialize(PROTOCOL, SIZE);
            final UnsafeBuffer element = new UnsafeBuffer(new byte[SIZE]);
            for (long n = 0; n < count; n++)
            {
                fillPattern(element, n);
                writer.queue(element, 0, SIZE);
                if ((n & 1023) == 0)
                {
                    Thread.yield();
                }
            }
            assertThat(reader.waitFor(90, TimeUnit.SECONDS)).isTrue();
            final String output = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            System.out.println("C reader vs pvring writer: " + output);
            assertThat(reader.exitValue()).as(output).isZero();
            assertThat(output).matches("read=\\d+ skipped=\\d+ overruns=\\d+ bad=0");
            final long read = Long.parseLong(output.replaceAll(".*read=(\\d+).*", "$1"));
            final long skipped = Long.parseLong(output.replaceAll(".*skipped=(\\d+).*", "$1"));
            assertThat(read + skipped).isEqualTo(count);
            assertThat(read).isPositive();
        }
    }

    static void fillPattern(final UnsafeBuffer element, final long n)
    {
        element.putLong(0, n);
        for (int j = 8; j < SIZE; j++)
        {
            element.putByte(j, (byte)(n * 31 + j));
        }
    }

    static void assertPattern(final UnsafeBuffer element, final long n)
    {
        assertThat(element.getLong(0)).isEqualTo(n);
        for (int j = 8; j < SIZE; j++)
        {
            assertThat(element.getByte(j)).as("element %d byte %d", n, j).isEqualTo((byte)(n * 31 + j));
        }
    }

    private static Result run(final List<String> command, final long seconds) throws InterruptedException
    {
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            final byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(seconds, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + command);
            }
            return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            return new Result(-1, ex.toString());
        }
    }

    private record Result(int exitCode, String output)
    {
    }
}
