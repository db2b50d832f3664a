/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XenstoredLifecycleTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseASocketAnotherServerAnswersOn()
    {
        final Path socket = dir.resolve("run/xenstored/socket");
        try (Xenstored first = Xenstored.start(socket))
        {
            assertThat(socket).exists();
            assertThatThrownBy(() -> Xenstored.start(socket))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("another xenstored answers on the socket: socket=" + socket);
            assertThat(first.isRunning()).isTrue();
        }
    }

    @Test
    void shouldReplaceAStaleSocketAndRemoveSocketFilesOnClose() throws Exception
    {
        final Path socket = dir.resolve("socket");
        Xenstored.start(socket).close();
        Files.createFile(socket);
        final Xenstored server = Xenstored.start(socket);
        try (SocketXenStore dom0 = XsTestSupport.dom0(server))
        {
            dom0.introduceDomain(9, 1, 1);
            assertThat(Xenstored.domainSocketPath(socket, 9)).exists();
        }
        server.close();
        assertThat(server.isRunning()).isFalse();
        assertThat(socket).doesNotExist();
        assertThat(Xenstored.domainSocketPath(socket, 9)).doesNotExist();
    }

    @Test
    void shouldOpenNoDomainSocketsWhenDisabled()
    {
        final Path socket = dir.resolve("socket");
        try (Xenstored server = Xenstored.start(new XenstoredConfig(socket, false, XsQuotas.DEFAULTS));
             SocketXenStore dom0 = XsTestSupport.dom0(server))
        {
            dom0.introduceDomain(9, 1, 1);
            assertThat(dom0.isDomainIntroduced(9)).isTrue();
            assertThat(Xenstored.domainSocketPath(socket, 9)).doesNotExist();
        }
    }

    @Test
    void shouldValidateConfiguration()
    {
        assertThatThrownBy(() -> new XenstoredConfig(null, true, XsQuotas.DEFAULTS))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("socket must not be null: socket=null");
        assertThatThrownBy(() -> XsQuotas.DEFAULTS.withNodesPerDomain(0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("quota must be positive: nodesPerDomain=0");
        assertThat(Xenstored.domainSocketPath(Path.of("/run/xenstored/socket"), 3))
            .isEqualTo(Path.of("/run/xenstored/socket.d3"));
    }
}
