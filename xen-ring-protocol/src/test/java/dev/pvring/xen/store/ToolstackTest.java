/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The toolstack against the Java xenstored: trees (keys and permissions) as libxl leaves them, device removal
 * with and without a backend, domain destruction firing {@code @releaseDomain}.
 */
class ToolstackTest
{
    private static final String MAC = "00:16:3e:12:34:56";

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
    void shouldBuildTheDomainTreeAsLibxlAndIntroduceIt()
    {
        dom0.watch(XsPaths.INTRODUCE_DOMAIN, "intro");
        assertThat(dom0.awaitWatchEvent("intro", 5, TimeUnit.SECONDS)).isNotNull(); // the initial event
        Toolstack.createDomain(dom0, new Toolstack.Domain(5, "guest5", 65536, 2, 0, 0));
        assertThat(dom0.awaitWatchEvent("intro", 5, TimeUnit.SECONDS)).isNotNull();
        assertThat(dom0.isDomainIntroduced(5)).isTrue();
        final String home = "/local/domain/5";
        final String vm = dom0.readString(home + "/vm");
        assertThat(vm).matches("/vm/[0-9a-f-]{36}");
        assertThat(XsTree.dump(dom0, home)).containsExactly(
            home + " = \"\" (n0,r5)",
            home + "/attr = \"\" (n5)",
            home + "/control = \"\" (n0,r5)",
            home + "/control/feature-poweroff = \"\" (n5)",
            home + "/control/feature-reboot = \"\" (n5)",
            home + "/control/feature-suspend = \"\" (n5)",
            home + "/control/platform-feature-multiprocessor-suspend = \"1\" (n0,r5)",
            home + "/control/platform-feature-xs_reset_watches = \"1\" (n0,r5)",
            home + "/control/shutdown = \"\" (n5)",
            home + "/control/sysrq = \"\" (n5)",
            home + "/cpu = \"\" (n0,r5)",
            home + "/cpu/0 = \"\" (n0,r5)",
            home + "/cpu/0/availability = \"online\" (n0,r5)",
            home + "/cpu/1 = \"\" (n0,r5)",
            home + "/cpu/1/availability = \"online\" (n0,r5)",
            home + "/data = \"\" (n5)",
            home + "/device = \"\" (n0,r5)",
            home + "/device/suspend = \"\" (n0,r5)",
            home + "/device/suspend/event-channel = \"\" (n5)",
            home + "/domid = \"5\" (n0,r5)",
            home + "/drivers = \"\" (n5)",
            home + "/error = \"\" (n5)",
            home + "/feature = \"\" (n5)",
            home + "/memory = \"\" (n0,r5)",
            home + "/memory/static-max = \"65536\" (n0,r5)",
            home + "/memory/target = \"65536\" (n0,r5)",
            home + "/memory/videoram = \"0\" (n0,r5)",
            home + "/name = \"guest5\" (n0,r5)",
            home + "/vm = \"" + vm + "\" (n0,r5)");
        assertThat(dom0.readString(vm + "/name")).isEqualTo("guest5");
        assertThat(dom0.readString(vm + "/uuid")).isEqualTo(vm.substring(4));
        assertThat(XsTree.dump(dom0, "/libxl/5")).containsExactly(
            "/libxl/5 = \"\" (n0)", "/libxl/5/device = \"\" (n0)", "/libxl/5/type = \"pv\" (n0)");
        // The guest reads its home, writes only where libxl lets it, and cannot rename itself.
        try (SocketXenStore guest = SocketXenStore.connect(Xenstored.domainSocketPath(server.socket(), 5)))
        {
            assertThat(guest.readString("/local/domain/5/name")).isEqualTo("guest5");
            guest.write("/local/domain/5/data/x", "1");
            assertThatThrownBy(() -> guest.write("/local/domain/5/name", "evil"))
                .isInstanceOf(XenStoreException.class).hasMessageContaining("EACCES");
            assertThatThrownBy(() -> guest.readString("/libxl/5/type"))
                .isInstanceOf(XenStoreException.class).hasMessageContaining("EACCES");
        }
        assertThatThrownBy(() -> Toolstack.createDomain(dom0, new Toolstack.Domain(6, "guest5", 1, 1, 0, 0)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("domain name already in use: name=guest5 domid=5");
        assertThat(dom0.readStringOrNull(0, "/local/domain/6")).isNull();
    }

    @Test
    void shouldWriteLibxlVifKeysWithDefaultsAndMarkTheHotplugStepDone()
    {
        final XenbusDevice vif = ToolstackDevices.device("vif", 3, 0, 1, Map.of("mac", MAC, "mtu", "9000"), Map.of());
        Toolstack.addDevice(dom0, vif, true);
        final String fe = "/local/domain/3/device/vif/1";
        final String be = "/local/domain/0/backend/vif/3/1";
        assertThat(XsTree.dump(dom0, fe)).containsExactly(
            fe + " = \"\" (n3,r0)",
            fe + "/backend = \"" + be + "\" (n3,r0)",
            fe + "/backend-id = \"0\" (n3,r0)",
            fe + "/handle = \"1\" (n3,r0)",
            fe + "/mac = \"" + MAC + "\" (n3,r0)",
            fe + "/mtu = \"9000\" (n0,r3)",
            fe + "/state = \"1\" (n3,r0)",
            fe + "/trusted = \"1\" (n3,r0)");
        assertThat(XsTree.dump(dom0, be)).containsExactly(
            be + " = \"\" (n0,r3)",
            be + "/bridge = \"xenbr0\" (n0,r3)",
            be + "/frontend = \"" + fe + "\" (n0,r3)",
            be + "/frontend-id = \"3\" (n0,r3)",
            be + "/handle = \"1\" (n0,r3)",
            be + "/hotplug-status = \"connected\" (n0,r3)",
            be + "/mac = \"" + MAC + "\" (n0,r3)",
            be + "/mtu = \"9000\" (n0,r3)",
            be + "/online = \"1\" (n0,r3)",
            be + "/script = \"/etc/xen/scripts/vif-bridge\" (n0,r3)",
            be + "/state = \"1\" (n0,r3)",
            be + "/type = \"vif\" (n0,r3)");
        // The toolstack record keeps libxl's copy (the hotplug answer is the script's, not the record's).
        assertThat(dom0.readString("/libxl/3/device/vif/1/hotplug-status")).isEmpty();

        final XenbusDevice plain = ToolstackDevices.vif(3, 0, 2, Map.of());
        assertThat(plain.backendKeys()).doesNotContainKey("mtu").containsEntry("hotplug-status", "");
        assertThat(plain.readOnlyFrontendKeys()).containsExactly(Map.entry("mtu", "1500"));
        assertThat(plain.frontendKeys().get("mac")).matches("00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}")
            .isEqualTo(plain.backendKeys().get("mac"));
        assertThatThrownBy(() -> ToolstackDevices.vif(3, 0, 2, Map.of("mac", "00:16:3e:zz:00:00")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("mac must be six hex bytes like 00:16:3e:01:02:03: mac=00:16:3e:zz:00:00");
    }

    @Test
    void shouldWriteLibxlVbdKeysAndPlaceQdiskBackends()
    {
        final XenbusDevice vbd = ToolstackDevices.device("vbd", 4, 0, 51712, Map.of("params", "/images/a.img"),
            Map.of());
        Toolstack.addDevice(dom0, vbd, true);
        final String fe = "/local/domain/4/device/vbd/51712";
        final String be = "/local/domain/0/backend/vbd/4/51712";
        assertThat(XsTree.dump(dom0, fe)).containsExactly(
            fe + " = \"\" (n4,r0)",
            fe + "/backend = \"" + be + "\" (n4,r0)",
            fe + "/backend-id = \"0\" (n4,r0)",
            fe + "/device-type = \"disk\" (n4,r0)",
            fe + "/protocol = \"x86_64-abi\" (n4,r0)",
            fe + "/state = \"1\" (n4,r0)",
            fe + "/trusted = \"1\" (n4,r0)",
            fe + "/virtual-device = \"51712\" (n4,r0)");
        assertThat(XsTree.dump(dom0, be)).containsExactly(
            be + " = \"\" (n0,r4)",
            be + "/bootable = \"1\" (n0,r4)",
            be + "/dev = \"xvda\" (n0,r4)",
            be + "/device-type = \"disk\" (n0,r4)",
            be + "/discard-enable = \"1\" (n0,r4)",
            be + "/frontend = \"" + fe + "\" (n0,r4)",
            be + "/frontend-id = \"4\" (n0,r4)",
            be + "/mode = \"w\" (n0,r4)",
            be + "/online = \"1\" (n0,r4)",
            be + "/params = \"/images/a.img\" (n0,r4)",
            be + "/removable = \"0\" (n0,r4)",
            be + "/script = \"/etc/xen/scripts/block\" (n0,r4)",
            be + "/specification = \"xen\" (n0,r4)",
            be + "/state = \"1\" (n0,r4)",
            be + "/type = \"phy\" (n0,r4)");
        final XenbusDevice qdisk = ToolstackDevices.vbd(4, 0, 51728,
            Map.of("type", "qdisk", "params", "/images/b.qcow2", "format", "qcow2", "mode", "r"));
        assertThat(qdisk.backendPath()).isEqualTo("/local/domain/0/backend/qdisk/4/51728");
        assertThat(qdisk.backendKeys()).containsEntry("params", "qcow2:/images/b.qcow2")
            .containsEntry("discard-enable", "0").containsEntry("dev", "xvdb").doesNotContainKey("script");
        assertThat(ToolstackDevices.vdevName(51712)).isEqualTo("xvda");
        assertThat(ToolstackDevices.vdevName(51729)).isEqualTo("xvdb1");
        assertThat(ToolstackDevices.vdevName((1 << 28) | (26 << 8))).isEqualTo("xvdaa");
        assertThat(ToolstackDevices.vdevName((8 << 8) | (2 << 4) | 3)).isEqualTo("sdc3");
        assertThat(ToolstackDevices.vdevName((22 << 8) | (1 << 6))).isEqualTo("hdd");
        assertThat(ToolstackDevices.vdevName(5)).isEqualTo("5");
    }

    @Test
    void shouldRemoveADeviceOnceItsBackendClosesAsLibxlAsksIt() throws Exception
    {
        final XenbusDevice vif = ToolstackDevices.vif(3, 0, 0, Map.of("mac", MAC));
        Toolstack.addDevice(dom0, vif, true);
        final String be = vif.backendPath();
        try (SocketXenStore backend = XsTestSupport.dom0(server);
             XenbusStateWatch own = XenBus.watchState(backend, be))
        {
            final CompletableFuture<String> seen = CompletableFuture.supplyAsync(() ->
            {
                final XenbusState s = own.await(java.util.EnumSet.of(XenbusState.CLOSING), 10, TimeUnit.SECONDS);
                final String online = backend.readString(be + "/online");
                XenBus.switchState(backend, be, XenbusState.CLOSED);
                return s + " online=" + online;
            });
            final long start = System.nanoTime();
            assertThat(Toolstack.removeDevice(dom0, 3, "vif", 0, 10, TimeUnit.SECONDS))
                .isEqualTo(Toolstack.RemoveOutcome.CLOSED);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("CLOSING online=0");
        }
        assertGone(vif);
        assertThat(Toolstack.removeDevice(dom0, 3, "vif", 0, 1, TimeUnit.SECONDS))
            .isEqualTo(Toolstack.RemoveOutcome.NOT_FOUND);
    }

    @Test
    void shouldForceRemovalWhenNoBackendAnswersAndCleanUpWhenTheBackendIsGone()
    {
        final XenbusDevice vif = ToolstackDevices.vif(3, 0, 0, Map.of());
        Toolstack.addDevice(dom0, vif, false);
        assertThat(dom0.readString(vif.backendPath() + "/hotplug-status")).isEmpty();
        final long start = System.nanoTime();
        assertThat(Toolstack.removeDevice(dom0, 3, "vif", 0, 300, TimeUnit.MILLISECONDS))
            .isEqualTo(Toolstack.RemoveOutcome.FORCED);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(290);
        assertGone(vif);

        final XenbusDevice vbd = ToolstackDevices.vbd(3, 0, 51712, Map.of());
        Toolstack.addDevice(dom0, vbd, true);
        dom0.rm(0, vbd.backendPath());
        assertThat(Toolstack.removeDevice(dom0, 3, "vbd", 51712, 10, TimeUnit.SECONDS))
            .isEqualTo(Toolstack.RemoveOutcome.BACKEND_GONE);
        assertGone(vbd);
    }

    @Test
    void shouldDestroyADomainWithItsDevicesAndFireReleaseDomain()
    {
        Toolstack.initDom0(dom0);
        assertThat(dom0.readString("/local/domain/0/name")).isEqualTo("Domain-0");
        Toolstack.createDomain(dom0, new Toolstack.Domain(7, "guest7", 4096, 1, 0, 0));
        final XenbusDevice vif = ToolstackDevices.vif(7, 0, 0, Map.of());
        final XenbusDevice vbd = ToolstackDevices.vbd(7, 0, 51712, Map.of());
        Toolstack.addDevice(dom0, vif, true);
        Toolstack.addDevice(dom0, vbd, true);
        assertThat(Toolstack.devicesOf(dom0, 7)).extracting(XenbusDevice::backendPath)
            .containsExactly(vbd.backendPath(), vif.backendPath());
        dom0.watch(XsPaths.RELEASE_DOMAIN, "release");
        assertThat(dom0.awaitWatchEvent("release", 5, TimeUnit.SECONDS)).isNotNull(); // the initial event
        final SocketXenStore guest = SocketXenStore.connect(Xenstored.domainSocketPath(server.socket(), 7));
        try
        {
            assertThat(Toolstack.destroyDomain(dom0, 7, 200, TimeUnit.MILLISECONDS))
                .isEqualTo(new Toolstack.DestroyReport(2, 2));
            assertThat(dom0.readStringOrNull(0, "/local/domain/7")).isNull();
            assertThat(dom0.readStringOrNull(0, "/libxl/7")).isNull();
            assertThat(dom0.directory("/vm")).isEmpty();
            assertThat(dom0.readStringOrNull(0, "/local/domain/0/backend")).isNull();
            assertThat(Toolstack.releaseDomain(dom0, 7)).isTrue();
            assertThat(dom0.awaitWatchEvent("release", 5, TimeUnit.SECONDS)).isNotNull();
            assertThat(dom0.isDomainIntroduced(7)).isFalse();
            assertThatThrownBy(() -> guest.readString("/local/domain/0/name"))
                .isInstanceOf(XenStoreException.class);
            assertThat(Toolstack.releaseDomain(dom0, 7)).isFalse();
        }
        finally
        {
            guest.close();
        }
        assertThat(dom0.readString("/local/domain/0/name")).isEqualTo("Domain-0");
    }

    private void assertGone(final XenbusDevice device)
    {
        for (final String path : List.of(device.frontendPath(), device.backendPath(), device.toolstackPath()))
        {
            assertThat(dom0.readStringOrNull(0, path)).as(path).isNull();
        }
    }
}
