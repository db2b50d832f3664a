/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pvring.cli.ExitCodes;
import dev.pvring.core.SharedMemory;
import dev.pvring.shmstream.ReadResult;
import dev.pvring.shmstream.ShmStreamReader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ShmStreamCliTest
{
    static final String DEBUGLOG = "f00789094b6f70cf";

    @TempDir
    Path dir;

    @Test
    void shouldPipeLinesThroughAChannelFileAndEndWithTheStream() throws Exception
    {
        final String channel = dir.resolve("log").toString();
        final String text = "first line\nsecond line\na line longer than twenty bytes, split in three\nlast";
        try (PvringProcess send = PvringProcess.start("shmstream", "send", channel, "--protocol", DEBUGLOG,
            "--element-size", "32", "--lines", "--region-size", "8192"))
        {
            send.input(text);
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
            assertThat(send.stderr()).contains("elements=254 x 32 bytes, pipe framing: 20 payload bytes each")
                .contains("sent 6 elements (" + text.length() + " bytes) and the end of stream");
        }
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel, "--protocol", "0x" + DEBUGLOG,
            "--element-size", "32"))
        {
            assertThat(recv.waitFor(60)).as(recv.stderr()).isZero();
            assertThat(recv.stdout()).isEqualTo(text);
            assertThat(recv.stderr()).isEqualTo("shmstream recv: end of stream: 6 elements (" + text.length() +
                " bytes) delivered of 6 (" + text.length() + " bytes) sent; lost 0 elements (0 bytes) in 0 overruns\n");
        }
    }

    /** The case: trailing zero bytes of elements were dropped (a 20 MB random file came out 22 bytes short). */
    @Test
    void shouldRoundTripAnyByteSequenceExactlyBetweenTwoProcesses() throws Exception
    {
        final Random random = new Random(42);
        final byte[] randomBytes = new byte[1_000_000];
        random.nextBytes(randomBytes);
        final byte[] zeroRuns = new byte[300_000];
        random.nextBytes(zeroRuns);
        for (int i = 0; i < zeroRuns.length; i += 5_000)
        {
            Arrays.fill(zeroRuns, i, Math.min(zeroRuns.length, i + 1 + random.nextInt(3_000)), (byte)0);
        }
        final byte[] endsInZeros = new byte[100_000];
        random.nextBytes(endsInZeros);
        Arrays.fill(endsInZeros, 99_000, 100_000, (byte)0);
        final byte[] notAMultiple = new byte[4084 * 7 + 1];           // payload 4084 per element
        random.nextBytes(notAMultiple);
        final byte[][] inputs = {randomBytes, zeroRuns, endsInZeros, new byte[0], notAMultiple, new byte[8191]};
        int n = 0;
        for (final byte[] input : inputs)
        {
            final Path channel = dir.resolve("exact-" + n++);
            try (PvringProcess send = PvringProcess.start("shmstream", "send", channel.toString(), "--protocol",
                DEBUGLOG, "--element-size", "4096", "--region-size", "2097152"))
            {
                send.input(input);
                assertThat(send.waitFor(60)).as(send.stderr()).isZero();
                assertThat(send.stderr()).contains("(" + input.length + " bytes) and the end of stream");
            }
            try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel.toString(), "--protocol",
                DEBUGLOG, "--element-size", "4096"))
            {
                assertThat(recv.waitFor(60)).as(recv.stderr()).isZero();
                assertThat(sha256(recv.stdoutBytes())).as("input of %d bytes", input.length)
                    .isEqualTo(sha256(input));
                assertThat(recv.stderr()).contains("lost 0 elements (0 bytes)");
            }
        }
    }

    @Test
    void shouldRoundTripWhileBothEndsRunWithTheReaderStartedFirst() throws Exception
    {
        final Path channel = dir.resolve("live");
        final byte[] input = new byte[8 << 20];
        new Random(9).nextBytes(input);
        for (int i = 0; i < input.length; i += 100_003)
        {
            Arrays.fill(input, i, Math.min(input.length, i + 20_000), (byte)0);
        }
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel.toString(), "--protocol",
            DEBUGLOG, "--element-size", "4096", "--wait"))
        {
            assertThat(recv.waitForStderr("waiting for " + channel + " to be created by its writer", 60))
                .as(recv.stderr()).isTrue();
            final PvringProcess send = PvringProcess.start("shmstream", "send", channel.toString(), "--protocol",
                DEBUGLOG, "--element-size", "4096", "--region-size", "4194304");
            // Paced well below what the reader drains: the 4 MB ring lets it stall for 150 ms without being lapped.
            for (int i = 0; i < input.length; i += 128 << 10)
            {
                send.write(Arrays.copyOfRange(input, i, Math.min(input.length, i + (128 << 10))));
                TimeUnit.MILLISECONDS.sleep(5);
            }
            send.closeInput();
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
            send.close();
            assertThat(recv.waitFor(60)).as(recv.stderr()).isZero();
            assertThat(sha256(recv.stdoutBytes())).isEqualTo(sha256(input));
        }
    }

    /**
     * The case: a reader started before a writer that sends far more than the region holds delivered
     * nothing, only "overrun" lines. The reader here is kept slow by its consumer (the test reads its stdout
     * slowly), so the writer laps it continuously.
     */
    @Test
    void shouldKeepDeliveringUnderAWriterThatLapsItAndCountWhatWasLost() throws Exception
    {
        final Path channel = dir.resolve("lapped");
        final int lines = 200_000;
        final StringBuilder text = new StringBuilder(lines * 40);
        for (int i = 0; i < lines; i++)
        {
            text.append(line(i));
        }
        final byte[] input = text.toString().getBytes(StandardCharsets.US_ASCII);
        try (PvringProcess recv = PvringProcess.startWithPipedStdout("shmstream", "recv", channel.toString(),
            "--protocol", DEBUGLOG, "--element-size", "64", "--wait"))
        {
            assertThat(recv.waitForStderr("waiting for", 60)).as(recv.stderr()).isTrue();
            final PvringProcess send = PvringProcess.start("shmstream", "send", channel.toString(), "--protocol",
                DEBUGLOG, "--element-size", "64", "--lines", "--region-size", "4096");
            final Thread feeder = Thread.ofVirtual().start(() ->
            {
                try
                {
                    send.input(input);
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            final ByteArrayOutputStream received = new ByteArrayOutputStream();
            final InputStream stdout = recv.stdoutStream();
            final byte[] chunk = new byte[4096];
            int n;
            while ((n = stdout.read(chunk)) >= 0)
            {
                received.write(chunk, 0, n);
                TimeUnit.MILLISECONDS.sleep(1);          // a slow consumer: the reader blocks on its stdout
            }
            feeder.join();
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
            assertThat(send.stderr()).contains("sent " + lines + " elements (" + input.length + " bytes)")
                .contains("the writer cannot see readers");
            System.out.println(send.stderr());
            send.close();
            assertThat(recv.waitFor(60)).as(recv.stderr()).isEqualTo(ExitCodes.DATA_LOST);
            System.out.println(recv.stderr());

            final Matcher summary = Pattern.compile("end of stream: (\\d+) elements \\((\\d+) bytes\\) delivered " +
                "of (\\d+) \\((\\d+) bytes\\) sent; lost (\\d+) elements \\((\\d+) bytes\\) in (\\d+) overruns")
                .matcher(recv.stderr());
            assertThat(summary.find()).as(recv.stderr()).isTrue();
            final long delivered = Long.parseLong(summary.group(1));
            final long bytesDelivered = Long.parseLong(summary.group(2));
            final long lost = Long.parseLong(summary.group(5));
            assertThat(Long.parseLong(summary.group(3))).isEqualTo(lines);
            assertThat(Long.parseLong(summary.group(4))).isEqualTo(input.length);
            assertThat(delivered).as("progress under a lapping writer").isPositive();
            assertThat(lost).as("the reader was lapped").isPositive();
            assertThat(delivered + lost).isEqualTo(lines);
            assertThat(bytesDelivered + Long.parseLong(summary.group(6))).isEqualTo(input.length);
            assertThat(recv.stderr()).contains("overrun: the writer lapped this reader;");

            // Every delivered element is one whole line of the input, in order.
            final String[] got = received.toString(StandardCharsets.US_ASCII).split("\n", -1);
            assertThat(got[got.length - 1]).isEmpty();
            assertThat(got.length - 1L).isEqualTo(delivered);
            assertThat(received.size()).isEqualTo(bytesDelivered);
            int last = -1;
            for (int i = 0; i < got.length - 1; i++)
            {
                final int index = Integer.parseInt(got[i].substring(0, 9));
                assertThat(index).isGreaterThan(last);
                assertThat(got[i] + "\n").isEqualTo(line(index));
                last = index;
            }
            assertThat(last).as("the last lines are read after the writer stopped").isEqualTo(lines - 1);
        }
    }

    /** Line {@code i} of the lapped test: its index, then text that depends on it; at most 27 bytes. */
    private static String line(final int i)
    {
        return String.format("%09d %s\n", i, Long.toHexString(i * 0x9E3779B97F4A7C15L));
    }

    @Test
    void shouldWriteRawZeroPaddedElementsForForeignPeers() throws Exception
    {
        final Path channel = dir.resolve("binary");
        final byte[] data = new byte[100];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = (byte)(i + 1);
        }
        try (PvringProcess send = PvringProcess.start("shmstream", "send", channel.toString(), "--protocol", "abc",
            "--element-size", "64", "--raw"))
        {
            send.input(data);
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
            assertThat(send.stderr()).contains("raw: input zero-padded to whole elements")
                .contains("sent 2 elements (100 bytes);");
        }
        try (SharedMemory memory = SharedMemory.open(channel, SharedMemory.Access.READ_ONLY))
        {
            assertThat(memory.size()).as("default region").isEqualTo(1 << 20);
            final ShmStreamReader reader = new ShmStreamReader(memory.buffer(), 0xabc, 64);
            final UnsafeBuffer element = new UnsafeBuffer(new byte[64]);
            final byte[] received = new byte[128];
            assertThat(reader.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
            element.getBytes(0, received, 0, 64);
            assertThat(reader.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
            element.getBytes(0, received, 64, 64);
            assertThat(reader.read(element, 0)).isEqualTo(ReadResult.NO_DATA);
            assertThat(Arrays.copyOf(received, 100)).isEqualTo(data);
            assertThat(Arrays.copyOfRange(received, 100, 128)).containsOnly(0);
        }
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel.toString(), "--protocol", "ABC",
            "--element-size", "64", "--count", "2", "--raw"))
        {
            assertThat(recv.waitFor(60)).as(recv.stderr()).isZero();
            assertThat(recv.stdoutBytes()).hasSize(128).startsWith(data);
        }
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel.toString(), "--protocol", "ABC",
            "--element-size", "64"))
        {
            assertThat(recv.waitFor(60)).as("framed reader, raw writer").isEqualTo(ExitCodes.PEER);
            // Bytes 9-12 of the element (09 0a 0b 0c) taken as the length word.
            assertThat(recv.stderr()).isEqualTo("shmstream recv: element 0 is not pvring pipe framing (length " +
                "beyond the element: length=202050057 capacity=52); read a writer without framing with --raw\n");
        }
    }

    @Test
    void shouldReportWhatALateReaderLostAndEpochChanges() throws Exception
    {
        final String channel = dir.resolve("small").toString();
        final StringBuilder many = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            many.append(i).append('\n');
        }
        try (PvringProcess send = PvringProcess.start("shmstream", "send", channel, "--protocol", DEBUGLOG,
            "--element-size", "64", "--lines", "--region-size", "8192"))
        {
            send.input(many.toString());
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
        }
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel, "--protocol", DEBUGLOG,
            "--element-size", "64"))
        {
            // 3000 lines and the end element in 127 slots: the reader resumes 64 behind WC = 3001.
            assertThat(recv.waitFor(60)).as(recv.stderr()).isEqualTo(ExitCodes.DATA_LOST);
            final StringBuilder tail = new StringBuilder();
            for (int i = 2937; i < 3000; i++)
            {
                tail.append(i).append('\n');
            }
            assertThat(recv.stdout()).isEqualTo(tail.toString());
            assertThat(recv.stderr()).contains("overrun: the writer lapped this reader; 2937 elements lost so far " +
                "in 1 overruns, reading on at element 2937")
                .contains("end of stream: 63 elements (" + tail.length() + " bytes) delivered of 3000 (" +
                    many.length() + " bytes) sent; lost 2937 elements (" + (many.length() - tail.length()) +
                    " bytes) in 1 overruns");
        }
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel, "--protocol", DEBUGLOG,
            "--element-size", "64", "--raw", "--count", "100"))
        {
            assertThat(recv.waitForStderr("overrun:", 60)).as(recv.stderr()).isTrue();
            try (PvringProcess send = PvringProcess.start("shmstream", "send", channel, "--protocol", DEBUGLOG,
                "--element-size", "64", "--lines", "--raw"))
            {
                send.input("restarted\nwriter\n");
                assertThat(send.waitFor(60)).as(send.stderr()).isZero();
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!recv.stdout().contains("writer\n"))
            {
                assertThat(System.nanoTime()).as("recv: %s", recv.stderr()).isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(10);
            }
            recv.signal("TERM");
            assertThat(recv.waitFor(60)).as("interrupted before --count").isEqualTo(ExitCodes.INTERRUPTED);
            assertThat(recv.stderr())
                .as("the restart is reported, as a new epoch or (if seen mid-initialization) as inactive")
                .containsAnyOf("epoch changed (writer restarted)", "channel inactive (epoch 0)")
                .contains("interrupted before the end: 66 elements (4224 bytes) delivered; lost 2937 elements");
            assertThat(recv.stdout()).endsWith("restarted\n" + "\0".repeat(54) + "writer\n" + "\0".repeat(57));
        }
    }

    @Test
    void shouldExitAtOnceNamingTheMismatchOfAnIncompatibleChannel() throws Exception
    {
        final Path other = dir.resolve("other");
        try (PvringProcess send = PvringProcess.start("shmstream", "send", other.toString(), "--protocol", "1234",
            "--element-size", "128", "--region-size", "4096"))
        {
            send.input("x");
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
        }
        assertFails(ExitCodes.PEER, "shmstream recv: incompatible channel " + other + ": protocol 0000000000001234, " +
            "expected f00789094b6f70cf\n", "shmstream", "recv", other.toString(), "--protocol", DEBUGLOG,
            "--element-size", "128");
        assertFails(ExitCodes.PEER, "shmstream recv: incompatible channel " + other + ": element size 128, larger " +
            "than --element-size 64\n", "shmstream", "recv", other.toString(), "--protocol", "1234",
            "--element-size", "64");
        assertFails(ExitCodes.PEER, "shmstream recv: incompatible channel " + other + ": protocol " +
            "0000000000001234, expected f00789094b6f70cf; element size 128, larger than --element-size 64\n",
            "shmstream", "recv", other.toString(), "--protocol", DEBUGLOG, "--element-size", "64", "--raw");

        final Path random = dir.resolve("random");
        final byte[] noise = new byte[8192];
        new Random(5).nextBytes(noise);
        noise[0] = 1;                                             // never the marker
        noise[8] = 1;                                             // a non-zero epoch
        Files.write(random, noise);
        assertFails(ExitCodes.PEER, String.format("shmstream recv: incompatible channel %s: not an SHMStream v2 " +
            "channel (transport=%016x, expected 487312b6b79a9b6d)%n", random,
            java.nio.ByteBuffer.wrap(noise).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0)),
            "shmstream", "recv", random.toString(), "--protocol", DEBUGLOG, "--element-size", "64");
        final Path odd = dir.resolve("odd");
        Files.write(odd, Arrays.copyOf(noise, 1000));
        assertFails(ExitCodes.PEER, "shmstream recv: incompatible channel " + odd + ": it is not an SHMStream v2 " +
            "channel (size 1000 is not a positive multiple of 4096)\n",
            "shmstream", "recv", odd.toString(), "--protocol", DEBUGLOG, "--element-size", "64");
    }

    @Test
    void shouldWaitForACompatibleWriterWithWaitAndSaySoOnce() throws Exception
    {
        final Path channel = dir.resolve("later");
        try (PvringProcess send = PvringProcess.start("shmstream", "send", channel.toString(), "--protocol", "1234",
            "--element-size", "64", "--region-size", "4096"))
        {
            send.input("old");
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
        }
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel.toString(), "--protocol", DEBUGLOG,
            "--element-size", "64", "--wait"))
        {
            assertThat(recv.waitForStderr("waiting for a compatible writer", 60)).as(recv.stderr()).isTrue();
            TimeUnit.MILLISECONDS.sleep(500);
            assertThat(recv.isAlive()).isTrue();
            assertThat(recv.stderr()).isEqualTo("shmstream recv: waiting for a compatible writer: incompatible " +
                "channel " + channel + ": protocol 0000000000001234, expected f00789094b6f70cf\n");
            try (PvringProcess send = PvringProcess.start("shmstream", "send", channel.toString(), "--protocol",
                DEBUGLOG, "--element-size", "64"))
            {
                send.input("new writer\n");
                assertThat(send.waitFor(60)).as(send.stderr()).isZero();
            }
            assertThat(recv.waitFor(60)).as(recv.stderr()).isZero();
            assertThat(recv.stdout()).isEqualTo("new writer\n");
        }

        // A file that is not a channel at all: waited for until a writer replaces it (--force), then reopened.
        final Path notes = dir.resolve("notes");
        Files.writeString(notes, "not a channel\n".repeat(500));
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", notes.toString(), "--protocol", DEBUGLOG,
            "--element-size", "64", "--wait"))
        {
            assertThat(recv.waitForStderr("waiting for a compatible writer", 60)).as(recv.stderr()).isTrue();
            try (PvringProcess send = PvringProcess.start("shmstream", "send", notes.toString(), "--protocol",
                DEBUGLOG, "--element-size", "64", "--force"))
            {
                send.input("replaced\n");
                assertThat(send.waitFor(60)).as(send.stderr()).isZero();
            }
            assertThat(recv.waitFor(60)).as(recv.stderr()).isZero();
            assertThat(recv.stdout()).isEqualTo("replaced\n");
            assertThat(recv.stderr().lines().filter(l -> l.contains("waiting for a compatible writer")).count())
                .isOne();
        }
    }

    @Test
    void shouldRefuseToOverwriteAFileThatIsNotAChannelUnlessForced() throws Exception
    {
        final Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "precious\n");
        assertFails(ExitCodes.REFUSED, "shmstream send: refusing to use " + notes + " as a channel file: it is not an " +
            "SHMStream v2 channel (size 9 is not a positive multiple of 4096) (--replace replaces it with a new " +
            "channel file)\n",
            "shmstream", "send", notes.toString(), "--protocol", DEBUGLOG, "--element-size", "64");
        assertThat(Files.readString(notes)).isEqualTo("precious\n");

        final Path page = dir.resolve("page");
        final byte[] text = "a page of text".repeat(1000).substring(0, 8192).getBytes(StandardCharsets.US_ASCII);
        Files.write(page, text);
        assertFails(ExitCodes.REFUSED, "shmstream send: refusing to use " + page + " as a channel file: it is not an " +
            "SHMStream v2 channel (transport=6f20656761702061, expected 487312b6b79a9b6d) (--replace replaces it " +
            "with a new channel file)\n", "shmstream", "send", page.toString(), "--protocol", DEBUGLOG, "--element-size", "64");
        assertThat(Files.readAllBytes(page)).isEqualTo(text);

        final Path channel = dir.resolve("channel");
        try (PvringProcess send = PvringProcess.start("shmstream", "send", channel.toString(), "--protocol", DEBUGLOG,
            "--element-size", "64", "--event", notes.toString()))
        {
            send.input("x");
            assertThat(send.waitFor(60)).as(send.stderr()).isEqualTo(ExitCodes.REFUSED);
            assertThat(send.stderr()).isEqualTo("shmstream send: refusing to use " + notes + " as an event file: it " +
                "is not a one-page event file (size 9) (--replace replaces it with a new event file)\n");
        }
        assertThat(channel).as("a failed command leaves nothing it created").doesNotExist();
        assertThat(Files.readString(notes)).isEqualTo("precious\n");

        final Path dirPath = dir.resolve("a-directory");
        Files.createDirectory(dirPath);
        assertFails(ExitCodes.REFUSED, "shmstream send: refusing to use " + dirPath + " as a channel file: it is not " +
            "a regular file (--replace replaces regular files only)\n",
            "shmstream", "send", dirPath.toString(), "--protocol", DEBUGLOG, "--element-size", "64", "--replace");
        assertThat(dirPath).isDirectory();
        try (PvringProcess send = PvringProcess.start("shmstream", "send", page.toString(), "--protocol", DEBUGLOG,
            "--element-size", "64", "--replace"))
        {
            send.input("replaced");
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
        }
        assertThat(ReaderCheck.channelProtocol(page)).isEqualTo(0xf00789094b6f70cfL);
        // Now it is a channel: reused without --force.
        try (PvringProcess send = PvringProcess.start("shmstream", "send", page.toString(), "--protocol", "77",
            "--element-size", "64"))
        {
            send.input("again");
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
        }
        assertThat(ReaderCheck.channelProtocol(page)).isEqualTo(0x77);
    }

    @Test
    void shouldMarkTheStreamIncompleteAndRemoveWhatItCreatedOnSigterm() throws Exception
    {
        final Path channel = dir.resolve("interrupted");
        final Path event = dir.resolve("interrupted.event");
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel.toString(), "--protocol", DEBUGLOG,
            "--element-size", "64", "--wait");
             PvringProcess send = PvringProcess.start("shmstream", "send", channel.toString(), "--protocol", DEBUGLOG,
                "--element-size", "64", "--event", event.toString()))
        {
            send.write("partial input\n".getBytes(StandardCharsets.US_ASCII));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!recv.stdout().equals("partial input\n"))
            {
                assertThat(System.nanoTime()).as("recv: %s", recv.stderr()).isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(10);
            }
            send.signal("TERM");
            assertThat(send.waitFor(60)).as(send.stderr()).isEqualTo(ExitCodes.INTERRUPTED);
            assertThat(send.stderr()).contains("shmstream send: interrupted after 1 elements (14 bytes); stream " +
                "marked incomplete; removed " + channel + " and " + event);
            assertThat(channel).doesNotExist();
            assertThat(event).doesNotExist();
            assertThat(recv.waitFor(60)).as(recv.stderr()).isEqualTo(ExitCodes.DATA_LOST);
            assertThat(recv.stderr()).contains("end of stream: 1 elements (14 bytes) delivered of 1 (14 bytes) " +
                "sent; lost 0 elements (0 bytes) in 0 overruns; the writer was interrupted: the stream is incomplete");
        }
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel.toString(), "--protocol", DEBUGLOG,
            "--element-size", "64", "--wait"))
        {
            assertThat(recv.waitForStderr("waiting for", 60)).as(recv.stderr()).isTrue();
            recv.signal("INT");
            assertThat(recv.waitFor(60)).as(recv.stderr()).isEqualTo(ExitCodes.INTERRUPTED);
            assertThat(recv.stderr()).endsWith("shmstream recv: interrupted before the end: 0 elements (0 bytes) " +
                "delivered; lost 0 elements (0 bytes) in 0 overruns\n");
        }
    }

    @Test
    void shouldReportAChannelFileTruncatedByTheWriterAsBrokenAndExit() throws Exception
    {
        final Path channel = dir.resolve("shrinking");
        try (PvringProcess send = PvringProcess.start("shmstream", "send", channel.toString(), "--protocol", DEBUGLOG,
            "--element-size", "64", "--lines", "--region-size", "8192", "--raw"))
        {
            send.input("before the truncation\n");
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
        }
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel.toString(), "--protocol", DEBUGLOG,
            "--element-size", "64", "--raw"))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!recv.stdout().contains("before the truncation"))
            {
                assertThat(System.nanoTime()).as("recv did not read: %s", recv.stderr()).isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(10);
            }
            // The hostile writer shrinks the file under the reader's mapping: the next access faults (SIGBUS).
            try (FileChannel file = FileChannel.open(channel, StandardOpenOption.WRITE))
            {
                file.truncate(0);
            }

            assertThat(recv.waitFor(60)).as(recv.stderr()).isEqualTo(ExitCodes.PEER);
            assertThat(recv.stderr()).contains("shmstream recv: channel broken: memory fault reading " + channel +
                " (was the file truncated by the writer?): ").doesNotContain("\tat ");
        }
    }

    @Test
    void shouldRejectBadInputWithAClearMessageAndExitTwo() throws Exception
    {
        final String channel = dir.resolve("bad").toString();
        assertUsage("Invalid value for option '--protocol': protocol must be 1 to 16 hex digits: protocol=xyz",
            "shmstream", "send", channel, "--protocol", "xyz", "--element-size", "8");
        assertUsage("Invalid value for option '--protocol': protocol must be non-zero: protocol=0",
            "shmstream", "recv", channel, "--protocol", "0", "--element-size", "8");
        assertUsage("Missing required option: '--element-size=N'", "shmstream", "send", channel, "--protocol", "1");
        assertUsage("region size must be a positive multiple of 4096 up to 2147479552: regionSize=1000",
            "shmstream", "send", channel, "--protocol", "1", "--element-size", "64", "--region-size", "1000");
        // pvring may reject negative numbers before the command runs: the line names the option and the value.
        assertUsage(new String[] {"region", "=-4096"},
            "shmstream", "send", channel, "--protocol", "1", "--element-size", "64", "--region-size", "-4096");
        assertUsage("region too small for one element: regionSize=4096 elementSize=5000 headerLength=64",
            "shmstream", "send", channel, "--protocol", "1", "--element-size", "5000", "--region-size", "4096");
        assertUsage("element size must be at least 1: elementSize=0",
            "shmstream", "send", channel, "--protocol", "1", "--element-size", "0", "--raw");
        assertUsage("element size must be at least 13 (12 bytes of pipe framing + 1; --raw has none): elementSize=8",
            "shmstream", "send", channel, "--protocol", "1", "--element-size", "8");
        assertUsage(new String[] {"lement", "=-5"},
            "shmstream", "recv", channel, "--protocol", "1", "--element-size", "-5");
        assertUsage(new String[] {"count=-1"},
            "shmstream", "recv", channel, "--protocol", "1", "--element-size", "64", "--count", "-1");
        assertUsage("batch must be positive: batch=0",
            "muennet", "--tap", "pvnone", "--out", channel, "--in", channel, "--batch", "0");
        assertUsage(new String[] {"stats=-1"},
            "muennet", "--tap", "pvnone", "--out", channel, "--in", channel, "--stats", "-1");
        assertUsage("region size must be a positive multiple of 4096 up to 2147479552: regionSize=0",
            "muennet", "--tap", "pvnone", "--out", channel, "--in", channel, "--region-size", "0");
        assertThat(Path.of(channel)).as("nothing created by a usage error").doesNotExist();
        assertFails(ExitCodes.FAILURE, "shmstream recv: cannot open shared memory file: path=" +
            dir.resolve("missing") + " reason=no such file or directory\n",
            "shmstream", "recv", dir.resolve("missing").toString(), "--protocol", "1", "--element-size", "64");
    }

    private static void assertUsage(final String message, final String... args) throws Exception
    {
        assertUsage(new String[] {message}, args);
    }

    /** Exit 2, and the first line of stderr (the error; pvring's usage handler adds what follows) has every fragment. */
    private static void assertUsage(final String[] fragments, final String... args) throws Exception
    {
        try (PvringProcess p = PvringProcess.start(args))
        {
            p.input(new byte[0]);
            assertThat(p.waitFor(60)).as(p.stderr()).isEqualTo(ExitCodes.USAGE);
            assertThat(p.stderr().lines().findFirst()).as(p.stderr()).hasValueSatisfying(
                first -> assertThat(first).contains(fragments));
        }
    }

    private static void assertFails(final int exitCode, final String stderr, final String... args) throws Exception
    {
        try (PvringProcess p = PvringProcess.start(args))
        {
            p.input(new byte[0]);
            assertThat(p.waitFor(60)).as(p.stderr()).isEqualTo(exitCode);
            assertThat(p.stderr()).isEqualTo(stderr);
        }
    }

    private static String sha256(final byte[] bytes) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Reads a channel header in the test JVM. */
    private static final class ReaderCheck
    {
        static long channelProtocol(final Path path)
        {
            try (SharedMemory memory = SharedMemory.open(path, SharedMemory.Access.READ_ONLY))
            {
                return dev.pvring.shmstream.ShmStreamDescriptor.protocolOpaque(memory.buffer());
            }
        }
    }
}
