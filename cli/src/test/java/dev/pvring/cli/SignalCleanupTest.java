/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.SharedMemory;
import dev.pvring.xen.ring.FrontRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every long-running command, started as a separate {@code pvring} process, stopped with SIGINT or SIGTERM:
 * it removes what it created (ring files, sockets, child processes), leaves what it did not, and exits with the
 * code of {@link ExitCodes} (130 for a finite command, 0 for a server).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SignalCleanupTest
{
    private final Path ring = Path.of("/dev/shm", "pvring-i9-signal-" + UUID.randomUUID() + ".ring");

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() throws Exception
    {
        Files.deleteIfExists(ring);
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void demoShouldDeleteItsRingFileAndStopItsBackEnd(final String signal) throws Exception
    {
        // SIGINT: a --file the demo creates; SIGTERM: its default temporary file
        final List<String> args = signal.equals("INT") ?
            List.of("demo", "--count", "2000000000", "--file", ring.toString()) :
            List.of("demo", "--count", "2000000000");
        try (CliProcess demo = CliProcess.start(args.toArray(String[]::new)))
        {
            final Path file = Path.of(demo.awaitStdout("ring: Xen io/ring.h, \\d+ slots, in (\\S+);", 60));
            demo.awaitStdout("\\.\\.\\. [0-9,]+ pairs", 60);
            final List<ProcessHandle> children = demo.process().descendants().toList();
            assertThat(children).as("the back-end JVM").isNotEmpty();
            assertThat(file).exists();

            demo.signal(signal);

            assertThat(demo.waitFor(30)).as(demo.stderr()).isEqualTo(ExitCodes.INTERRUPTED);
            assertThat(demo.stdout()).contains("stopped by SIG" + signal);
            assertThat(file).doesNotExist();
            for (final ProcessHandle child : children)
            {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertThat(child.isAlive()).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void loadFrontShouldDeleteTheRingFileItCreated(final String signal) throws Exception
    {
        try (CliProcess front = CliProcess.start("ring", "load-front", ring.toString(), "--entry-size", "64",
            "--count", "1000"))
        {
            final String size = front.awaitStdout("initialised .*: size=(\\d+) ", 60);
            assertThat(ring).exists();

            front.signal(signal);

            assertThat(front.waitFor(30)).as(front.stderr()).isEqualTo(ExitCodes.INTERRUPTED);
            // it sent what the ring holds, or less if the signal came between the first batches
            final java.util.regex.Matcher stopped = java.util.regex.Pattern.compile(
                "load-front: stopped by SIG" + signal + ": sent=(\\d+) received=0\n").matcher(front.stderr());
            assertThat(stopped.find()).as(front.stderr()).isTrue();
            assertThat(Integer.parseInt(stopped.group(1))).isBetween(1, Integer.parseInt(size));
            assertThat(ring).doesNotExist();
        }
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void ringCommandsShouldLeaveARingFileTheyDidNotCreate(final String signal) throws Exception
    {
        try (SharedMemory memory = SharedMemory.create(ring, 4096))
        {
            FrontRing.init(memory.buffer(), 0, 4096, 64, 0);
        }
        try (CliProcess back = CliProcess.start("ring", "echo-back", ring.toString(), "--entry-size", "64"))
        {
            back.awaitStdout("attached to", 60);
            back.signal(signal);
            assertThat(back.waitFor(30)).as("a server stopped by a signal: " + back.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(back.stderr()).contains("echo-back: stopped by SIG" + signal + ": answered=0");
        }
        assertThat(ring).exists();
        try (CliProcess front = CliProcess.start("ring", "load-front", ring.toString(), "--entry-size", "64"))
        {
            front.awaitStdout("initialised", 60);
            front.signal(signal);
            assertThat(front.waitFor(30)).as(front.stderr()).isEqualTo(ExitCodes.INTERRUPTED);
        }
        assertThat(ring).exists().hasSize(4096);
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void xenstoredShouldRemoveItsSocket(final String signal) throws Exception
    {
        final Path socket = dir.resolve("xs");
        if (signal.equals("TERM"))
        {
            // a stale socket (its server closed without deleting it) is the one thing xenstored may replace
            try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
            {
                stale.bind(UnixDomainSocketAddress.of(socket));
            }
            assertThat(socket).exists();
        }
        try (CliProcess xenstored = CliProcess.start("xenstored", "--socket", socket.toString()))
        {
            xenstored.awaitStdout("xenstored listening on", 60);
            if (signal.equals("TERM"))
            {
                assertThat(xenstored.stdout()).contains("xenstored: replaced the stale socket " + socket);
            }
            assertThat(socket).exists();

            xenstored.signal(signal);

            assertThat(xenstored.waitFor(30)).as(xenstored.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(xenstored.stdout()).contains("xenstored: SIG" + signal + ", stopping", "xenstored stopped:");
            assertThat(socket).doesNotExist();
        }
    }
}
