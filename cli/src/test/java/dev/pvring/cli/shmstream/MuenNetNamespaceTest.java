/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.ExitCodes;
import dev.pvring.core.SharedMemory;
import dev.pvring.shmstream.NetMessageDescriptor;
import dev.pvring.shmstream.ShmStreamWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pvring muennet} end to end: two network namespaces, a TAP device in each, two {@code pvring muennet}
 * processes bridging the TAP devices through two muen-net channel files, and {@code ping} between the namespaces.
 * <p>
 * Needs root (or CAP_NET_ADMIN), {@code /dev/net/tun}, iproute2 and iputils-ping. Where one is missing the test
 * fails and says what to install; it never skips.
 */
class MuenNetNamespaceTest
{
    static final String SUBNET = "10.213.77.";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldCarryPingBetweenTwoNetworkNamespacesThroughTwoMuenNetProcesses() throws Exception
    {
        checkPrerequisites();
        final long id = ProcessHandle.current().pid() % 100_000;
        final String nsA = "pvring-mn-a-" + id;
        final String nsB = "pvring-mn-b-" + id;
        final String tapA = "pvmna" + id;
        final String tapB = "pvmnb" + id;
        final String aToB = dir.resolve("a-to-b").toString();
        final String bToA = dir.resolve("b-to-a").toString();
        final List<String> cleanup = List.of(
            "ip netns del " + nsA, "ip netns del " + nsB, "ip link del " + tapA, "ip link del " + tapB);
        try
        {
            run("ip", "netns", "add", nsA);
            run("ip", "netns", "add", nsB);
            run("ip", "tuntap", "add", "dev", tapA, "mode", "tap");
            run("ip", "tuntap", "add", "dev", tapB, "mode", "tap");
            try (PvringProcess a = PvringProcess.start("muennet", "--tap", tapA, "--out", aToB, "--in", bToA,
                "--stats", "1");
                 PvringProcess b = PvringProcess.start("muennet", "--tap", tapB, "--out", bToA, "--in", aToB,
                "--stats", "1"))
            {
                assertThat(a.waitForStderr("muennet: tap=" + tapA, 60)).as("a: %s", a.stderr()).isTrue();
                assertThat(b.waitForStderr("muennet: tap=" + tapB, 60)).as("b: %s", b.stderr()).isTrue();

                // The bridges keep their descriptors while the devices move into the namespaces.
                run("ip", "link", "set", tapA, "netns", nsA);
                run("ip", "link", "set", tapB, "netns", nsB);
                run("ip", "netns", "exec", nsA, "ip", "addr", "add", SUBNET + "1/24", "dev", tapA);
                run("ip", "netns", "exec", nsB, "ip", "addr", "add", SUBNET + "2/24", "dev", tapB);
                run("ip", "netns", "exec", nsA, "ip", "link", "set", tapA, "up");
                run("ip", "netns", "exec", nsB, "ip", "link", "set", tapB, "up");

                final Result ping = exec("ip", "netns", "exec", nsA, "ping", "-c", "5", "-i", "0.2", "-W", "5",
                    SUBNET + "2");
                final Result pingBack = exec("ip", "netns", "exec", nsB, "ping", "-c", "3", "-i", "0.2", "-W", "5",
                    SUBNET + "1");
                System.out.println(ping.output + pingBack.output);
                assertThat(ping.exitCode).as("ping a -> b:%n%s%na: %s%nb: %s", ping.output, a.stderr(), b.stderr())
                    .isZero();
                assertThat(ping.output).contains("5 packets transmitted, 5 received, 0% packet loss");
                assertThat(pingBack.output).contains("3 packets transmitted, 3 received, 0% packet loss");

                assertThat(a.isAlive()).as(a.stderr()).isTrue();
                assertThat(b.isAlive()).as(b.stderr()).isTrue();
                assertThat(a.terminate(30)).as("clean exit on SIGTERM: %s", a.stderr()).isEqualTo(ExitCodes.OK);
                assertThat(b.terminate(30)).as("clean exit on SIGTERM: %s", b.stderr()).isEqualTo(ExitCodes.OK);
                assertThat(a.stderr()).containsPattern("muennet: sent=\\d*[1-9]\\d* received=\\d*[1-9]");
                System.out.println(a.stderr() + b.stderr());
            }
        }
        finally
        {
            for (final String command : cleanup)
            {
                exec(command.split(" "));
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldExitWithAClearMessageWhenThePeerTruncatesTheIncomingChannel() throws Exception
    {
        checkPrerequisites();
        final String tap = "pvmnt" + ProcessHandle.current().pid() % 100_000;
        final Path in = dir.resolve("in");
        final Path out = dir.resolve("out");
        try (SharedMemory peer = SharedMemory.create(in, 1 << 20))
        {
            new ShmStreamWriter(peer.buffer()).initialize(NetMessageDescriptor.PROTOCOL,
                NetMessageDescriptor.ELEMENT_LENGTH);
        }
        try (PvringProcess bridge = PvringProcess.start("muennet", "--tap", tap, "--out", out.toString(), "--in",
            in.toString(), "--stats", "0"))
        {
            assertThat(bridge.waitForStderr("muennet: tap=" + tap, 60)).as(bridge.stderr()).isTrue();
            // The peer shrinks its channel file under the bridge's mapping: the next access faults (SIGBUS).
            try (FileChannel file = FileChannel.open(in, StandardOpenOption.WRITE))
            {
                file.truncate(0);
            }

            assertThat(bridge.waitFor(60)).as(bridge.stderr()).isEqualTo(ExitCodes.PEER);
            assertThat(bridge.stderr())
                .contains("muennet: channel broken: memory fault in " + in + " or " + out +
                    " (was a channel file truncated by the peer?): ")
                .doesNotContain("\tat ");
        }
    }

    private static void checkPrerequisites() throws Exception
    {
        final List<String> missing = new ArrayList<>();
        if (!Files.exists(Path.of("/dev/net/tun")))
        {
            missing.add("/dev/net/tun (load the tun module: modprobe tun)");
        }
        if (exec("ip", "-V").exitCode != 0)
        {
            missing.add("ip (apt-get install -y iproute2)");
        }
        if (exec("ping", "-V").exitCode != 0)
        {
            missing.add("ping (apt-get install -y iputils-ping)");
        }
        final String uid = exec("id", "-u").output.trim();
        if (!"0".equals(uid))
        {
            missing.add("root or CAP_NET_ADMIN (running as uid " + uid + ")");
        }
        if (!missing.isEmpty())
        {
            fail("the muennet namespace test needs: " + String.join(", ", missing));
        }
        final Result probe = exec("ip", "netns", "list");
        if (probe.exitCode != 0)
        {
            fail("the muennet namespace test needs network namespaces (ip netns): " + probe.output);
        }
    }

    private static void run(final String... command) throws Exception
    {
        final Result result = exec(command);
        if (result.exitCode != 0)
        {
            fail(String.join(" ", command) + " failed with exit code " + result.exitCode + ": " + result.output);
        }
    }

    private static Result exec(final String... command) throws InterruptedException
    {
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            final byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            return new Result(-1, ex.toString());
        }
    }

    private record Result(int exitCode, String output)
    {
    }
}
