/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketPathsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldTellWhatIsAtASocketPath() throws Exception
    {
        assertThat(SocketPaths.check(dir.resolve("free"))).isEqualTo(SocketPaths.Verdict.FREE);
        assertThat(SocketPaths.check(dir.resolve("missing/socket"))).isEqualTo(SocketPaths.Verdict.NO_PARENT);
        final Path file = Files.writeString(dir.resolve("file"), "x");
        assertThat(SocketPaths.check(file.resolve("socket"))).isEqualTo(SocketPaths.Verdict.PARENT_NOT_A_DIRECTORY);
        assertThat(SocketPaths.check(file)).isEqualTo(SocketPaths.Verdict.NOT_A_SOCKET);
        assertThat(SocketPaths.describe(file)).isEqualTo("a regular file of 1 bytes");
        final Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(SocketPaths.check(empty)).isEqualTo(SocketPaths.Verdict.NOT_A_SOCKET);
        assertThat(SocketPaths.describe(empty)).isEqualTo("an empty directory");
        Files.writeString(empty.resolve("child"), "x");
        assertThat(SocketPaths.describe(empty)).isEqualTo("a directory");
    }

    @Test
    void shouldReplaceOnlyAStaleSocket() throws Exception
    {
        final Path socket = dir.resolve("socket");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertThat(SocketPaths.check(socket)).isEqualTo(SocketPaths.Verdict.LIVE_SOCKET);
            assertThat(SocketPaths.describe(socket)).isEqualTo("a unix socket a server answers on");
            assertThat(SocketPaths.deleteStale(socket)).isFalse();
            assertThat(socket).exists();
        }
        assertThat(SocketPaths.check(socket)).isEqualTo(SocketPaths.Verdict.STALE_SOCKET);
        assertThat(SocketPaths.describe(socket)).isEqualTo("a unix socket nobody answers on (stale)");
        assertThat(SocketPaths.deleteStale(socket)).isTrue();
        assertThat(socket).doesNotExist();
    }

    @Test
    void shouldCallAFifoAndALinkNotASocket() throws Exception
    {
        final Path fifo = dir.resolve("fifo");
        final Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        assertThat(SocketPaths.check(fifo)).isEqualTo(SocketPaths.Verdict.NOT_A_SOCKET);
        assertThat(SocketPaths.describe(fifo)).isEqualTo("a FIFO (named pipe)");
        final Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("nowhere"));
        assertThat(SocketPaths.check(link)).isEqualTo(SocketPaths.Verdict.NOT_A_SOCKET);
        assertThat(SocketPaths.describe(link)).isEqualTo("a symbolic link to " + dir.resolve("nowhere"));
        assertThat(SocketPaths.deleteStale(link)).isFalse();
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }
}
