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
    void shouldCreateDevicesAsLibxlWithKeysAndPermissionsInOneTransaction()
    {
        final XenbusDevice vif = new XenbusDevice("vif", 0, 5, 0,
            Map.of("mac", "00:16:3e:00:00:01", "handle", "0"),
            Map.of("script", "/etc/xen/scripts/vif-bridge", "mac", "00:16:3e:00:00:01"),
            Map.of("mtu", "1500"), "vif");
        XenBus.createDevice(dom0, vif);
        final String fe = "/local/domain/5/device/vif/0";
        final String be = "/local/domain/0/backend/vif/5/0";
        final String rec = "/libxl/5/device/vif/0";
        assertThat(XsTree.dump(dom0, fe)).containsExactly(
            fe + " = \"\" (n5,r0)",
            fe + "/backend = \"" + be + "\" (n5,r0)",
            fe + "/backend-id = \"0\" (n5,r0)",
            fe + "/handle = \"0\" (n5,r0)",
            fe + "/mac = \"00:16:3e:00:00:01\" (n5,r0)",
            fe + "/mtu = \"1500\" (n0,r5)",
            fe + "/state = \"1\" (n5,r0)");
        assertThat(XsTree.dump(dom0, be)).containsExactly(
            be + " = \"\" (n0,r5)",
            be + "/frontend = \"" + fe + "\" (n0,r5)",
            be + "/frontend-id = \"5\" (n0,r5)",
            be + "/mac = \"00:16:3e:00:00:01\" (n0,r5)",
            be + "/online = \"1\" (n0,r5)",
            be + "/script = \"/etc/xen/scripts/vif-bridge\" (n0,r5)",
            be + "/state = \"1\" (n0,r5)");
        assertThat(XsTree.dump(dom0, rec)).containsExactly(
            rec + " = \"\" (n0)",
            rec + "/backend = \"" + be + "\" (n0)",
            rec + "/frontend = \"" + fe + "\" (n0)",
            rec + "/frontend-id = \"5\" (n0)",
            rec + "/mac = \"00:16:3e:00:00:01\" (n0)",
            rec + "/online = \"1\" (n0)",
            rec + "/script = \"/etc/xen/scripts/vif-bridge\" (n0)",
            rec + "/state = \"1\" (n0)");
        // Ancestors as libxl's domain builder leaves them: the guest may list its devices, not write there.
        assertThat(dom0.getPermissions(0, "/local/domain/5")).containsExactly(
            new XsPermission(0, XsAccess.NONE), new XsPermission(5, XsAccess.READ));
        assertThat(dom0.getPermissions(0, "/local/domain/5/device/vif")).containsExactly(
            new XsPermission(0, XsAccess.NONE), new XsPermission(5, XsAccess.READ));
        assertThatThrownBy(() -> XenBus.createDevice(dom0, vif))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("device already exists in xenstore: path=" + rec);

        XenBus.destroyDevice(dom0, vif);
        assertThat(dom0.readStringOrNull(0, fe)).isNull();
        assertThat(dom0.readStringOrNull(0, be)).isNull();
        assertThat(dom0.readStringOrNull(0, rec)).isNull();
        // libxl__xs_path_cleanup: emptied parents go too, up to the first that holds something.
        assertThat(dom0.readStringOrNull(0, "/local/domain/0/backend")).isNull();
        assertThat(dom0.readStringOrNull(0, "/libxl")).isNull();
        XenBus.createDevice(dom0, vif);
        assertThat(dom0.readString(fe + "/state")).isEqualTo("1");
    }

    @Test
    void shouldRejectToolstackKeysAndClashingKeysInDevices()
    {
        assertThatThrownBy(() -> new XenbusDevice("vif", 0, 5, 0, Map.of("state", "4"), Map.of()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("frontendKeys key is written by the toolstack: key=state");
        assertThatThrownBy(() -> new XenbusDevice("vif", 0, 5, 0, Map.of(), Map.of("online", "0")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("backendKeys key is written by the toolstack: key=online");
        assertThatThrownBy(() -> new XenbusDevice("vif", 0, 5, 0, Map.of("mtu", "1"), Map.of(), Map.of("mtu", "2"),
            null))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("key is both a frontend and a read-only frontend key: key=mtu");
        assertThatThrownBy(() -> new XenbusDevice("vif", 0, 5, 0, Map.of("/abs", "1"), Map.of()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("frontendKeys key must be a relative path: key=/abs");
        final XenbusDevice qdisk = new XenbusDevice("vbd", 51712, 3, 0, Map.of(), Map.of(), Map.of(), "qdisk");
        assertThat(qdisk.frontendPath()).isEqualTo("/local/domain/3/device/vbd/51712");
        assertThat(qdisk.backendPath()).isEqualTo("/local/domain/0/backend/qdisk/3/51712");
        assertThat(qdisk.toolstackPath()).isEqualTo("/libxl/3/device/vbd/51712");
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
