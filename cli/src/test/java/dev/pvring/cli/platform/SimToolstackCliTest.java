/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.Pvring;
import dev.pvring.xen.platform.SimSystem;
import dev.pvring.xen.store.SocketXenStore;
import dev.pvring.xen.store.XenBus;
import dev.pvring.xen.store.XenStoreException;
import dev.pvring.xen.store.XenbusState;
import dev.pvring.xen.store.XenbusStateWatch;
import dev.pvring.xen.store.Xenstored;
import dev.pvring.xen.store.XsPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The toolstack commands as a user runs them: {@code pvring sim up} in its own JVM, {@code add-device},
 * {@code remove-device}, {@code add-domain}, {@code destroy-domain} in others, a backend and a guest in this one,
 * and Debian's {@code xenstore-ls -p} showing the tree a real Xen host (libxl) has.
 */
class SimToolstackCliTest
{
    private static final Pattern LS_LINE = Pattern.compile("^(.*?) = \"(.*)\"[ .]*\\(([^)]*)\\)$");
    private static final long START_SECONDS = 120;

    private final Path directory = Path.of("/dev/shm/pvring-test", "toolstack-" + UUID.randomUUID());
    private final Path socket = directory.resolve(SimSystem.XENSTORED_SOCKET);

    @BeforeAll
    static void requireXenstoreLs()
    {
        assertThat(Files.isExecutable(Path.of("/usr/bin/xenstore-ls")))
            .as("xenstore-utils is missing: apt-get install -y xenstore-utils").isTrue();
    }

    @AfterEach
    void tearDown()
    {
        if (SimSystem.exists(directory))
        {
            SimSystem.delete(directory);
        }
    }

    @Test
    void shouldBringUpAHostAndAttachAndDetachDevicesFromOtherProcesses() throws Exception
    {
        try (CliJvm host = CliJvm.start("sim", "up", directory.toString(), "--domains", "2", "--max-domains", "8"))
        {
            assertThat(host.awaitStdout("host " + directory + " up", START_SECONDS)).as(host.stderr()).isTrue();
            assertThat(host.stdout()).contains(
                "created simulated system " + directory + "\n",
                "created domain 1 (dom1)\n",
                "xenstored listening on " + socket + "\n",
                "introduced domain 2 (dom2): its processes reach xenstore at " + socket + ".d2\n");

            final CliJvm.Result added = CliJvm.run("sim", "add-device", directory.toString(), "--type", "vif",
                "--frontend", "1", "--devid", "0", "--param", "mac=00:16:3e:0a:0b:0c");
            assertThat(added.exit()).as(added.err()).isZero();
            assertThat(added.out()).isEqualTo("added vif 0: frontend /local/domain/1/device/vif/0 (domain 1), backend "
                + "/local/domain/0/backend/vif/1/0 (domain 0)\n");
            final String fe = "/local/domain/1/device/vif/0";
            final String be = "/local/domain/0/backend/vif/1/0";
            assertThat(xenstoreLs(fe)).containsExactly(
                fe + "/backend = \"" + be + "\" (n1,r0)",
                fe + "/backend-id = \"0\" (n1,r0)",
                fe + "/handle = \"0\" (n1,r0)",
                fe + "/mac = \"00:16:3e:0a:0b:0c\" (n1,r0)",
                fe + "/mtu = \"1500\" (n0,r1)",
                fe + "/state = \"1\" (n1,r0)",
                fe + "/trusted = \"1\" (n1,r0)");

            // The guest (its own identity through <socket>.d1) owns its frontend, reads the backend, cannot write it.
            try (SocketXenStore guest = SocketXenStore.connect(Xenstored.domainSocketPath(socket, 1), 5,
                TimeUnit.SECONDS);
                 SocketXenStore backend = SocketXenStore.connect(socket, 5, TimeUnit.SECONDS);
                 XenbusStateWatch own = XenBus.watchState(backend, be))
            {
                assertThat(guest.readString(fe + "/backend")).isEqualTo(be);
                assertThat(guest.readString(be + "/mac")).isEqualTo("00:16:3e:0a:0b:0c");
                guest.write(fe + "/tx-ring-ref", "8");
                assertThatThrownBy(() -> guest.write(be + "/state", "4"))
                    .isInstanceOf(XenStoreException.class).hasMessageContaining("EACCES");
                assertThatThrownBy(() -> guest.write(fe + "/mtu", "9000"))
                    .isInstanceOf(XenStoreException.class).hasMessageContaining("EACCES");

                // A backend that closes when asked: remove-device waits for it and removes everything.
                final CompletableFuture<String> backendSaw = CompletableFuture.supplyAsync(() ->
                {
                    final XenbusState s = own.await(EnumSet.of(XenbusState.CLOSING), 60, TimeUnit.SECONDS);
                    final String online = backend.readString(be + "/online");
                    XenBus.switchState(backend, be, XenbusState.CLOSED);
                    return s + " online=" + online;
                });
                final CliJvm.Result removed = CliJvm.run("sim", "remove-device", directory.toString(), "--type", "vif",
                    "--frontend", "1", "--devid", "0");
                assertThat(removed.exit()).as(removed.err()).isZero();
                assertThat(removed.out()).isEqualTo(
                    "removing vif 0 of domain 1: asking backend " + be + " to close (online=0, state 5)\n" +
                    "removed vif 0 of domain 1: backend closed\n");
                assertThat(backendSaw.get(10, TimeUnit.SECONDS)).isEqualTo("CLOSING online=0");
                assertThat(guest.readStringOrNull(0, fe)).isNull();
                assertThat(backend.readStringOrNull(0, be)).isNull();
                assertThat(backend.readStringOrNull(0, "/libxl/1/device/vif/0")).isNull();
            }

            // No backend at all: removed anyway after the timeout, exit 4.
            assertThat(CliJvm.run("sim", "add-device", directory.toString(), "--type", "vbd", "--frontend", "2",
                "--devid", "51712", "--param", "params=/images/disk.img").exit()).isZero();
            final long start = System.nanoTime();
            final CliJvm.Result forced = CliJvm.run("sim", "remove-device", directory.toString(), "--type", "vbd",
                "--frontend", "2", "--devid", "51712", "--timeout", "1");
            assertThat(forced.exit()).as(forced.err()).isEqualTo(ExitCodes.TIMEOUT);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1000);
            assertThat(forced.out()).endsWith("removed vbd 51712 of domain 2 anyway (forced): the backend did not "
                + "reach Closed within 1 s\n");
            assertThat(xenstoreLs("/local/domain/0")).noneMatch(line -> line.contains("/backend"));

            // A domain added while the host runs is built and introduced; destroying it fires @releaseDomain.
            try (SocketXenStore dom0 = SocketXenStore.connect(socket, 5, TimeUnit.SECONDS))
            {
                dom0.watch(XsPaths.RELEASE_DOMAIN, "released");
                assertThat(dom0.awaitWatchEvent("released", 5, TimeUnit.SECONDS)).isNotNull(); // initial event
                final CliJvm.Result domain = CliJvm.run("sim", "add-domain", directory.toString(), "3", "--name",
                    "guest3", "--pages", "64");
                assertThat(domain.exit()).as(domain.err()).isZero();
                assertThat(domain.out()).endsWith("xenstore: introduced domain 3 as /local/domain/3; its processes "
                    + "reach xenstore at " + socket + ".d3\n");
                assertThat(dom0.readString("/local/domain/3/name")).isEqualTo("guest3");
                assertThat(dom0.readString("/local/domain/3/memory/target")).isEqualTo("256");
                assertThat(dom0.isDomainIntroduced(3)).isTrue();
                assertThat(CliJvm.run("sim", "add-device", directory.toString(), "--type", "vif", "--frontend", "3",
                    "--devid", "0").exit()).isZero();
                final CliJvm.Result destroyed = CliJvm.run("sim", "destroy-domain", directory.toString(), "3",
                    "--timeout", "0.5");
                assertThat(destroyed.exit()).as(destroyed.err()).isZero();
                assertThat(destroyed.out()).isEqualTo(
                    "xenstore: removed 1 devices (1 forced: the backend did not close within 0.5 s) and " +
                        "/local/domain/3\n" +
                    "destroyed domain 3\n" +
                    "xenstore: released domain 3 (@releaseDomain fired)\n");
                assertThat(dom0.awaitWatchEvent("released", 5, TimeUnit.SECONDS)).isNotNull();
                assertThat(dom0.isDomainIntroduced(3)).isFalse();
                assertThat(dom0.readStringOrNull(0, "/local/domain/3")).isNull();
                assertThat(dom0.readStringOrNull(0, "/libxl/3")).isNull();
                assertThat(Files.exists(Xenstored.domainSocketPath(socket, 3))).isFalse();
            }

            assertThat(host.terminate(30)).isEqualTo(ExitCodes.OK);
            assertThat(host.stdout()).endsWith("host " + directory + ": SIGTERM, stopping\nxenstored stopped\n" +
                "deleted simulated system " + directory + "\n");
        }
        assertThat(Files.exists(directory)).isFalse();
    }

    @Test
    void shouldIntroduceDomainsAddedBeforeXenstoredRanAndKeepASystemItDidNotCreate() throws Exception
    {
        assertThat(inProcess("sim", "create", directory.toString(), "--max-domains", "4", "--pages", "32")).isZero();
        final StringWriter out = new StringWriter();
        assertThat(Pvring.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "sim",
            "add-domain", directory.toString(), "1", "--name", "early", "--pages", "16")).isZero();
        assertThat(out.toString()).isEqualTo("created domain 1 (early): 16 pages, 4096 grant entries, 1024 ports\n" +
            "xenstore: no xenstored at " + socket + " yet; 'pvring sim up " + directory + "' introduces the domain " +
            "when it starts\n");
        final CliJvm.Result noHost = CliJvm.run("sim", "add-device", directory.toString(), "--type", "vif",
            "--frontend", "1", "--devid", "0");
        assertThat(noHost.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(noHost.err()).isEqualTo("pvring sim add-device: no xenstored at " + socket + " (start the host " +
            "with 'pvring sim up " + directory + "')\n");

        try (CliJvm host = CliJvm.start("sim", "up", directory.toString()))
        {
            assertThat(host.awaitStdout("host " + directory + " up", START_SECONDS)).as(host.stderr()).isTrue();
            assertThat(host.stdout()).startsWith("opened simulated system " + directory + "\n")
                .contains("introduced domain 1 (early)");
            assertThat(xenstoreLs("/local/domain/1")).contains(
                "/local/domain/1/name = \"early\" (n0,r1)",
                "/local/domain/1/domid = \"1\" (n0,r1)",
                "/local/domain/1/memory/target = \"64\" (n0,r1)");
            assertThat(xenstoreLs("/local/domain/0")).containsExactly(
                "/local/domain/0/domid = \"0\" (n0)", "/local/domain/0/name = \"Domain-0\" (n0)");
            assertThat(host.terminate(30)).isEqualTo(ExitCodes.OK);
            assertThat(host.stdout()).endsWith("xenstored stopped\n");
        }
        assertThat(SimSystem.exists(directory)).isTrue();
        assertThat(Files.exists(socket)).isFalse();
        try (SimSystem system = SimSystem.open(directory))
        {
            assertThat(system.isAlive(1)).isTrue();
        }
    }

    @Test
    void shouldShowLibxlsVbdTreeInXenstoreLsAgainstPvringXenstored() throws Exception
    {
        assertThat(inProcess("sim", "create", directory.toString(), "--max-domains", "4", "--pages", "32")).isZero();
        try (CliJvm xenstored = CliJvm.start("xenstored", "--socket", socket.toString()))
        {
            assertThat(xenstored.awaitStdout("xenstored listening on", START_SECONDS)).as(xenstored.stderr())
                .isTrue();
            assertThat(inProcess("sim", "add-domain", directory.toString(), "2", "--pages", "16")).isZero();
            assertThat(inProcess("sim", "add-device", directory.toString(), "--type", "vbd", "--frontend", "2",
                "--devid", "51728", "--param", "params=/images/b.img", "--param", "mode=r")).isZero();
            final String fe = "/local/domain/2/device/vbd/51728";
            final String be = "/local/domain/0/backend/vbd/2/51728";
            assertThat(xenstoreLs("/local/domain/2/device")).containsExactly(
                "/local/domain/2/device/suspend = \"\" (n0,r2)",
                "/local/domain/2/device/suspend/event-channel = \"\" (n2)",
                "/local/domain/2/device/vbd = \"\" (n0,r2)",
                fe + " = \"\" (n2,r0)",
                fe + "/backend = \"" + be + "\" (n2,r0)",
                fe + "/backend-id = \"0\" (n2,r0)",
                fe + "/device-type = \"disk\" (n2,r0)",
                fe + "/protocol = \"x86_64-abi\" (n2,r0)",
                fe + "/state = \"1\" (n2,r0)",
                fe + "/trusted = \"1\" (n2,r0)",
                fe + "/virtual-device = \"51728\" (n2,r0)");
            assertThat(xenstoreLs("/local/domain/0/backend")).containsExactly(
                "/local/domain/0/backend/vbd = \"\" (n0)",
                "/local/domain/0/backend/vbd/2 = \"\" (n0)",
                be + " = \"\" (n0,r2)",
                be + "/bootable = \"1\" (n0,r2)",
                be + "/dev = \"xvdb\" (n0,r2)",
                be + "/device-type = \"disk\" (n0,r2)",
                be + "/discard-enable = \"0\" (n0,r2)",
                be + "/frontend = \"" + fe + "\" (n0,r2)",
                be + "/frontend-id = \"2\" (n0,r2)",
                be + "/mode = \"r\" (n0,r2)",
                be + "/online = \"1\" (n0,r2)",
                be + "/params = \"/images/b.img\" (n0,r2)",
                be + "/removable = \"0\" (n0,r2)",
                be + "/script = \"/etc/xen/scripts/block\" (n0,r2)",
                be + "/specification = \"xen\" (n0,r2)",
                be + "/state = \"1\" (n0,r2)",
                be + "/type = \"phy\" (n0,r2)");

            // Ctrl-C while remove-device waits for a backend that never answers: removed at once, exit 130.
            try (CliJvm remove = CliJvm.start("sim", "remove-device", directory.toString(), "--type", "vbd",
                "--frontend", "2", "--devid", "51728", "--timeout", "100"))
            {
                assertThat(remove.awaitStdout("asking backend", START_SECONDS)).as(remove.stderr()).isTrue();
                final long start = System.nanoTime();
                assertThat(remove.terminate(30)).as(remove.stderr()).isEqualTo(ExitCodes.INTERRUPTED);
                // well before the 100 s --timeout it waited for; a loaded machine may take seconds to stop a JVM
                assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
                assertThat(remove.stdout()).endsWith("removed vbd 51728 of domain 2 anyway (forced): SIGTERM while "
                    + "waiting for the backend\n");
            }
            assertThat(xenstoreLs("/local/domain/2/device")).containsExactly(
                "/local/domain/2/device/suspend = \"\" (n0,r2)",
                "/local/domain/2/device/suspend/event-channel = \"\" (n2)");
            assertThat(xenstored.terminate(30)).isEqualTo(ExitCodes.OK);
        }
    }

    @Test
    void shouldReportBadDeviceParametersAsUsageErrors()
    {
        assertThat(inProcess("sim", "create", directory.toString(), "--max-domains", "4", "--pages", "32")).isZero();
        final StringWriter err = new StringWriter();
        assertThat(Pvring.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "sim",
            "add-device", directory.toString(), "--type", "vif", "--frontend", "1", "--devid", "0", "--param",
            "mac=00:16:3e:00:00:zz")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("pvring sim add-device: mac must be six hex bytes like "
            + "00:16:3e:01:02:03: mac=00:16:3e:00:00:zz\nTry 'pvring sim add-device --help' for more information.\n");
        err.getBuffer().setLength(0);
        assertThat(Pvring.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "sim",
            "add-device", directory.toString(), "--type", "vbd", "--frontend", "1", "--devid", "51712", "--param",
            "removable")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("KEY=VALUE").endsWith(
            "Try 'pvring sim add-device --help' for more information.\n");
        err.getBuffer().setLength(0);
        assertThat(Pvring.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "sim",
            "add-device", directory.toString(), "--type", "vif", "--frontend", "3", "--devid", "0"))
            .isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).isEqualTo("pvring sim add-device: no such domain: frontend=3 (create it with "
            + "'pvring sim add-domain')\n");
    }

    private static int inProcess(final String... args)
    {
        return Pvring.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
            args);
    }

    /**
     * {@code xenstore-ls -f -p PATH}: every node below PATH as {@code path = "value" (perms)}, sorted (xenstore-ls
     * lists in xenstored's order; the filler dots are dropped).
     */
    private List<String> xenstoreLs(final String path) throws Exception
    {
        final ProcessBuilder pb = new ProcessBuilder("/usr/bin/xenstore-ls", "-f", "-p", path);
        pb.environment().put("XENSTORED_PATH", socket.toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        final Process process = pb.start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        final List<String> lines = new ArrayList<>();
        for (final String line : output.split("\n"))
        {
            if (line.isEmpty())
            {
                continue;
            }
            final Matcher m = LS_LINE.matcher(line);
            assertThat(m.matches()).as("xenstore-ls line: " + line).isTrue();
            lines.add(m.group(1) + " = \"" + m.group(2) + "\" (" + m.group(3) + ")");
        }
        return lines.stream().sorted().toList();
    }
}
