/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

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
    void shouldPipeLinesThroughAChannelFile() throws Exception
    {
        final String channel = dir.resolve("log").toString();
        final String text = "first line\nsecond line\na line longer than thirty-two bytes, split in two\nlast";
        try (PvringProcess send = PvringProcess.start("shmstream", "send", channel, "--protocol", DEBUGLOG,
            "--element-size", "32", "--lines", "--region-size", "8192"))
        {
            send.input(text);
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
            assertThat(send.stderr()).contains("elements=254 x 32 bytes").contains("5 elements written");
        }
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel, "--protocol", "0x" + DEBUGLOG,
            "--element-size", "32", "--count", "5"))
        {
            assertThat(recv.waitFor(60)).as(recv.stderr()).isZero();
            assertThat(recv.stdout()).isEqualTo(text);
            assertThat(recv.stderr()).contains("5 elements read, 0 skipped in 0 overruns");
        }
    }

    @Test
    void shouldWriteOneZeroPaddedElementPerReadAndReadThemWithTheLibrary() throws Exception
    {
        final Path channel = dir.resolve("binary");
        final byte[] data = new byte[100];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = (byte)(i + 1);
        }
        try (PvringProcess send = PvringProcess.start("shmstream", "send", channel.toString(), "--protocol", "abc",
            "--element-size", "64"))
        {
            send.input(data);
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
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
    }

    @Test
    void shouldReportOverrunsWithTheCountSkippedAndEpochChanges() throws Exception
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
            "--element-size", "64", "--count", "2"))
        {
            assertThat(recv.waitForStderr("overrun, 3000 elements skipped (now at 3000)", 60))
                .as(recv.stderr()).isTrue();
            try (PvringProcess send = PvringProcess.start("shmstream", "send", channel, "--protocol", DEBUGLOG,
                "--element-size", "64", "--lines"))
            {
                send.input("restarted\nwriter\n");
                assertThat(send.waitFor(60)).as(send.stderr()).isZero();
            }
            assertThat(recv.waitFor(60)).as(recv.stderr()).isZero();
            assertThat(recv.stdout()).isEqualTo("restarted\nwriter\n");
            assertThat(recv.stderr())
                .as("the restart is reported, as a new epoch or (if seen mid-initialization) as inactive")
                .containsAnyOf("epoch changed (writer restarted)", "channel inactive (epoch 0)")
                .contains("2 elements read, 3000 skipped in 1 overruns");
        }
    }

    @Test
    void shouldReportAnIncompatibleChannelOnceAndKeepWaiting() throws Exception
    {
        final String channel = dir.resolve("other").toString();
        try (PvringProcess send = PvringProcess.start("shmstream", "send", channel, "--protocol", "1234",
            "--element-size", "128", "--region-size", "4096"))
        {
            send.input("x");
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
        }
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel, "--protocol", DEBUGLOG,
            "--element-size", "64"))
        {
            assertThat(recv.waitForStderr("incompatible interface", 60)).as(recv.stderr()).isTrue();
            TimeUnit.MILLISECONDS.sleep(300);
            assertThat(recv.isAlive()).isTrue();
            assertThat(recv.stderr()).isEqualTo("shmstream recv: incompatible interface: transport=487312b6b79a9b6d " +
                "protocol=0000000000001234 (expected f00789094b6f70cf) size=128 (max 64) elements=31 region=4096\n");
        }
    }

    @Test
    void shouldReportAChannelFileTruncatedByTheWriterAsBrokenAndExit() throws Exception
    {
        final Path channel = dir.resolve("shrinking");
        try (PvringProcess send = PvringProcess.start("shmstream", "send", channel.toString(), "--protocol", DEBUGLOG,
            "--element-size", "64", "--lines", "--region-size", "8192"))
        {
            send.input("before the truncation\n");
            assertThat(send.waitFor(60)).as(send.stderr()).isZero();
        }
        try (PvringProcess recv = PvringProcess.start("shmstream", "recv", channel.toString(), "--protocol", DEBUGLOG,
            "--element-size", "64"))
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

            assertThat(recv.waitFor(60)).as(recv.stderr()).isOne();
            assertThat(recv.stderr()).contains("shmstream recv: channel broken: memory fault reading " + channel +
                " (was the file truncated by the writer?): ").doesNotContain("\tat ");
        }
    }

    @Test
    void shouldRejectBadInputWithAClearMessageAndNonZeroExit() throws Exception
    {
        final String channel = dir.resolve("bad").toString();
        assertFails(2, "Invalid value for option '--protocol': protocol must be 1 to 16 hex digits: protocol=xyz",
            "shmstream", "send", channel, "--protocol", "xyz", "--element-size", "8");
        assertFails(2, "Invalid value for option '--protocol': protocol must be non-zero: protocol=0",
            "shmstream", "recv", channel, "--protocol", "0", "--element-size", "8");
        assertFails(2, "Missing required option: '--element-size=N'",
            "shmstream", "send", channel, "--protocol", "1");
        assertFails(1, "shmstream send: region size must be a positive multiple of 4096: regionSize=1000",
            "shmstream", "send", channel, "--protocol", "1", "--element-size", "8", "--region-size", "1000");
        assertFails(1, "shmstream send: region too small for one element: regionSize=4096 elementSize=5000 " +
            "headerLength=64", "shmstream", "send", channel, "--protocol", "1", "--element-size", "5000",
            "--region-size", "4096");
        assertFails(2, "element size must be positive: elementSize=0",
            "shmstream", "send", channel, "--protocol", "1", "--element-size", "0");
        assertFails(1, "shmstream recv: cannot open shared memory file: path=" + dir.resolve("missing") +
            " reason=no such file or directory",
            "shmstream", "recv", dir.resolve("missing").toString(), "--protocol", "1", "--element-size", "8");
    }

    private static void assertFails(final int exitCode, final String message, final String... args) throws Exception
    {
        try (PvringProcess p = PvringProcess.start(args))
        {
            p.input(new byte[0]);
            assertThat(p.waitFor(60)).as(p.stderr()).isEqualTo(exitCode);
            assertThat(p.stderr()).contains(message);
        }
    }
}
