/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XenBusTest
{
    @TempDir
    Path dir;

    private Xenstored server;
    private SocketXenStore dom0;

    @BeforeEach
    void start()
    {
        server = XsTestSupport.start(dir);
        dom0 = XsTestSupport.dom0(server);
    }

    @AfterEach
    void stop()
    {
        dom0.close();
        server.close();
        assertThat(server.internalErrors()).isZero();
    }

    @Test
    void shouldNameDeviceDirectoriesAsXenBus()
    {
        assertThat(XenBus.frontendPath(5, "vif", 0)).isEqualTo("/local/domain/5/device/vif/0");
        assertThat(XenBus.backendPath(0, "vbd", 5, 51712)).isEqualTo("/local/domain/0/backend/vbd/5/51712");
        assertThat(XenbusDevice.of("vif", 1, 7, 2).backendPath()).isEqualTo("/local/domain/2/backend/vif/7/1");
        assertThatThrownBy(() -> XenbusDevice.of("a/b", 0, 1, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("type must be one path component: type=a/b");
    }

    @Test
    void shouldParseStatesTolerantly()
    {
        assertThat(XenbusState.parse("4".getBytes())).isEqualTo(XenbusState.CONNECTED);
        assertThat(XenbusState.parse(" 6\n".getBytes())).isEqualTo(XenbusState.CLOSED);
        assertThat(XenbusState.parse("9".getBytes())).isEqualTo(XenbusState.UNKNOWN);
        assertThat(XenbusState.parse("-1".getBytes())).isEqualTo(XenbusState.UNKNOWN);
        assertThat(XenbusState.parse("Connected".getBytes())).isEqualTo(XenbusState.UNKNOWN);
        assertThat(XenbusState.parse(new byte[0])).isEqualTo(XenbusState.UNKNOWN);
        assertThat(XenbusState.parse(null)).isEqualTo(XenbusState.UNKNOWN);
        assertThat(XenbusState.RECONFIGURED.wireValue()).isEqualTo("8");
    }

    @Test
    void shouldCreateDevicesWithToolstackKeysAndPermissions()
    {
        final XenbusDevice vif = new XenbusDevice("vif", 0, 5, 0, Map.of("mac", "00:16:3e:00:00:01"),
            Map.of("script", "vif-bridge"));
        XenBus.createDevice(dom0, vif);
        final String fe = "/local/domain/5/device/vif/0";
        final String be = "/local/domain/0/backend/vif/5/0";
        assertThat(dom0.readString(fe + "/backend")).isEqualTo(be);
        assertThat(dom0.readString(fe + "/backend-id")).isEqualTo("0");
        assertThat(dom0.readString(fe + "/state")).isEqualTo("1");
        assertThat(dom0.readString(fe + "/mac")).isEqualTo("00:16:3e:00:00:01");
        assertThat(dom0.readString(be + "/frontend")).isEqualTo(fe);
        assertThat(dom0.readString(be + "/frontend-id")).isEqualTo("5");
        assertThat(dom0.readString(be + "/online")).isEqualTo("1");
        assertThat(dom0.readString(be + "/state")).isEqualTo("1");
        assertThat(dom0.getPermissions(0, fe)).containsExactly(
            new XsPermission(5, XsAccess.NONE), new XsPermission(0, XsAccess.READ));
        assertThat(dom0.getPermissions(0, fe + "/state")).containsExactly(
            new XsPermission(5, XsAccess.NONE), new XsPermission(0, XsAccess.READ));
        assertThat(dom0.getPermissions(0, be)).containsExactly(
            new XsPermission(0, XsAccess.NONE), new XsPermission(5, XsAccess.READ));
        assertThat(dom0.getPermissions(0, "/local/domain/5")).containsExactly(
            new XsPermission(0, XsAccess.NONE), new XsPermission(5, XsAccess.READ));
        assertThat(dom0.getPermissions(0, "/local/domain/5/device")).containsExactly(
            new XsPermission(5, XsAccess.NONE));
        XenBus.destroyDevice(dom0, vif);
        assertThat(dom0.readStringOrNull(0, fe)).isNull();
        assertThat(dom0.readStringOrNull(0, be)).isNull();
    }

    @Test
    void shouldHandshakeAndCloseBetweenFrontendDomainAndBackend() throws Exception
    {
        final XenbusDevice vif = XenbusDevice.of("vif", 0, 5, 0);
        dom0.introduceDomain(5, 1, 1);
        XenBus.createDevice(dom0, vif);
        try (SocketXenStore guest = XsTestSupport.domU(server, dom0, 5);
             SocketXenStore backendStore = XsTestSupport.dom0(server))
        {
            final CompletableFuture<String> backend = CompletableFuture.supplyAsync(() ->
            {
                final String me = vif.backendPath();
                final String front = XenBus.readOtherEnd(backendStore, me, "frontend");
                try (XenbusStateWatch peer = XenBus.watchState(backendStore, front))
                {
                    backendStore.write(me + "/feature-rx-copy", "1");
                    XenBus.switchState(backendStore, me, XenbusState.INIT_WAIT);
                    final XenbusState seen = peer.await(
                        EnumSet.of(XenbusState.INITIALISED, XenbusState.CONNECTED), 10, TimeUnit.SECONDS);
                    final String ring = backendStore.readString(front + "/tx-ring-ref");
                    XenBus.switchState(backendStore, me, XenbusState.CONNECTED);
                    final XenbusState closing = peer.await(XenBus.CLOSING_OR_GONE, 10, TimeUnit.SECONDS);
                    final boolean acked = XenBus.close(backendStore, me, peer, 10, TimeUnit.SECONDS);
                    return seen + " " + ring + " " + closing + " " + acked;
                }
            });
            final String me = vif.frontendPath();
            final String back = XenBus.readOtherEnd(guest, me, "backend");
            assertThat(back).isEqualTo(vif.backendPath());
            try (XenbusStateWatch peer = XenBus.watchState(guest, back))
            {
                assertThat(peer.await(EnumSet.of(XenbusState.INIT_WAIT), 10, TimeUnit.SECONDS))
                    .isEqualTo(XenbusState.INIT_WAIT);
                assertThat(guest.readString(back + "/feature-rx-copy")).isEqualTo("1");
                guest.transaction(tx ->
                {
                    guest.write(tx, me + "/tx-ring-ref", "8");
                    guest.write(tx, me + "/event-channel", "3");
                    return null;
                });
                // Like Linux netfront: straight to Connected, skipping Initialised.
                XenBus.switchState(guest, me, XenbusState.CONNECTED);
                assertThat(peer.await(EnumSet.of(XenbusState.CONNECTED), 10, TimeUnit.SECONDS))
                    .isEqualTo(XenbusState.CONNECTED);
                assertThat(XenBus.close(guest, me, peer, 10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(backend.get(20, TimeUnit.SECONDS)).isEqualTo("CONNECTED 8 CLOSING true");
            assertThat(XenBus.readState(dom0, XenBus.statePath(me))).isEqualTo(XenbusState.CLOSED);
            assertThat(XenBus.readState(dom0, XenBus.statePath(back))).isEqualTo(XenbusState.CLOSED);
            assertThat(server.inspect(XenstoredCore::watchCount)).isZero();
        }
    }

    @Test
    void shouldTimeOutAndReadGarbageOrMissingStatesAsUnknown() throws Exception
    {
        XenBus.createDevice(dom0, XenbusDevice.of("vbd", 51712, 3, 0));
        final String fe = XenBus.frontendPath(3, "vbd", 51712);
        try (XenbusStateWatch watch = XenBus.watchState(dom0, fe))
        {
            final long start = System.nanoTime();
            assertThat(watch.await(EnumSet.of(XenbusState.CONNECTED), 100, TimeUnit.MILLISECONDS)).isNull();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(90);
            dom0.write(fe + "/state", "garbage");
            assertThat(watch.current()).isEqualTo(XenbusState.UNKNOWN);
            dom0.rm(0, fe);
            assertThat(watch.await(XenBus.CLOSING_OR_GONE, 1, TimeUnit.SECONDS)).isEqualTo(XenbusState.UNKNOWN);
        }
    }

    @Test
    void shouldNotTrustOtherEndPathsFromPeers()
    {
        dom0.write("/dev/backend", "relative/path");
        assertThat(XenBus.readOtherEnd(dom0, "/dev", "backend")).isNull();
        dom0.write("/dev/backend", "/bad//path");
        assertThat(XenBus.readOtherEnd(dom0, "/dev", "backend")).isNull();
        dom0.write("/dev/backend", "/local/domain/0/backend/vbd3/5/0");
        assertThat(XenBus.readOtherEnd(dom0, "/dev", "backend")).isEqualTo("/local/domain/0/backend/vbd3/5/0");
        assertThat(XenBus.readOtherEnd(dom0, "/dev", "missing")).isNull();
        assertThat(List.of(XenbusState.values())).hasSize(9);
    }
}
