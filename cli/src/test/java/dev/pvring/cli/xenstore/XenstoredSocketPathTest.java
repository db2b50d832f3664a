/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.xenstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.ServerSocketChannel;

import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.Pvring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pvring xenstored --socket PATH} replaces only a stale socket (see SignalCleanupTest for that case, across
 * processes); anything else at PATH is refused with one line naming it, and left as it was.
 */
class XenstoredSocketPathTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int xenstored(final Path socket)
    {
        return Pvring.execute(new PrintWriter(out, true), new PrintWriter(err, true), "xenstored", "--socket",
            socket.toString());
    }

    @Test
    void shouldRefuseARegularFile() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("notes"), "keep me");
        assertThat(xenstored(file)).isEqualTo(ExitCodes.REFUSED);
        assertThat(err.toString()).isEqualTo("pvring xenstored: refusing to replace " + file + ": it is a regular " +
            "file of 7 bytes, not a stale socket (remove it yourself or choose another path)\n");
        assertThat(file).hasContent("keep me");
    }

    @Test
    void shouldRefuseAnEmptyDirectory() throws Exception
    {
        final Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(xenstored(empty)).isEqualTo(ExitCodes.REFUSED);
        assertThat(err.toString()).isEqualTo("pvring xenstored: refusing to replace " + empty + ": it is an empty " +
            "directory, not a stale socket (remove it yourself or choose another path)\n");
        assertThat(empty).isEmptyDirectory();
    }

    @Test
    void shouldRefuseASymbolicLinkEvenToAStaleSocket() throws Exception
    {
        final Path stale = dir.resolve("stale");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            server.bind(UnixDomainSocketAddress.of(stale));
        }
        final Path link = Files.createSymbolicLink(dir.resolve("link"), stale);
        assertThat(xenstored(link)).isEqualTo(ExitCodes.REFUSED);
        assertThat(err.toString()).isEqualTo("pvring xenstored: refusing to replace " + link + ": it is a symbolic " +
            "link to " + stale + ", not a stale socket (remove it yourself or choose another path)\n");
        assertThat(stale).exists();
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void shouldRefuseASocketSomeoneAnswersOn() throws Exception
    {
        final Path socket = dir.resolve("live");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertThat(xenstored(socket)).isEqualTo(ExitCodes.REFUSED);
            assertThat(err.toString()).isEqualTo("pvring xenstored: refusing to replace " + socket + ": it is a " +
                "unix socket a server answers on (another xenstored?)\n");
            assertThat(socket).exists();
        }
    }

    @Test
    void shouldNotCreateAMissingDirectory()
    {
        final Path socket = dir.resolve("missing").resolve("socket");
        assertThat(xenstored(socket)).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).isEqualTo("pvring xenstored: no directory for the socket: " + socket.getParent() +
            " does not exist (create it first, e.g. mkdir -p)\n");
        assertThat(socket.getParent()).doesNotExist();
    }
}
