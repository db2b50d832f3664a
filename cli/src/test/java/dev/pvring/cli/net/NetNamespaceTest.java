/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.pvring.cli.Pvring;

/**
 * The network drivers end to end, as the README's five commands: {@code pvring sim up}, {@code sim add-device
 * --type vif}, {@code pvring netback} in one network namespace and {@code pvring netfront --queues 2} in another
 * (separate JVMs on the simulated platform, TAP devices on both sides, addresses from 198.18.0.0/15 inside the
 * namespaces only). {@code ping} both ways, a TCP transfer whose SHA-256 matches at the other end
 * ({@code -Dpvring.netns.bytes}, default 1 GiB), an {@code iperf3} run, then SIGTERM: netfront closes (Closed,
 * grants ended) and netback stops cleanly.
 * <p>
 * Needs root (or CAP_NET_ADMIN), {@code /dev/net/tun}, iproute2, iputils-ping and iperf3; without one the test
 * fails and says what to install.
 */
class NetNamespaceTest
{
    /** A forked JVM (optionally inside a namespace) whose output goes to a file. */
    static final class Child implements AutoCloseable
    {
        final Process process;
        final Path log;

        Child(final List<String> prefix, final Class<?> main, final String... args) throws IOException
        {
            final List<String> command = new ArrayList<>(prefix);
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("--add-exports");
            command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(main.getName());
            command.addAll(List.of(args));
            log = Files.createTempFile("pvring-net-" + (args.length > 0 ? args[0] : "child"), ".log");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }

        String output()
        {
            try
            {
                return Files.readString(log);
            }
            catch (final IOException ex)
            {
                return "(no output: " + ex + ")";
            }
        }

        void await(final String text, final long seconds) throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!output().contains(text))
            {
                if (System.nanoTime() - deadline > 0 || !process.isAlive())
                {
                    fail("waited for '" + text + "'" + (process.isAlive() ? "" : " (process exited)") + "; output:\n" +
                        output());
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }

        int terminate(final long seconds) throws InterruptedException
        {
            process.destroy();
            if (!process.waitFor(seconds, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                fail("still running " + seconds + "s after SIGTERM:\n" + output());
            }
            return process.exitValue();
        }

        @Override
        public void close()
        {
            if (process.isAlive())
            {
                process.destroyForcibly();
            }
        }
    }

    record Result(int exitCode, String output)
    {
    }

    static Result exec(final long seconds, final String... command) throws InterruptedException
    {
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            final Path out = Files.createTempFile("pvring-net-exec", ".log");
            final Thread copier = new Thread(() ->
            {
                try
                {
                    Files.write(out, p.getInputStream().readAllBytes());
                }
                catch (final IOException ignored)
                {
                    // the exit code tells
                }
            });
            copier.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                copier.join(5_000);
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            copier.join(5_000);
            return new Result(p.exitValue(), Files.readString(out));
        }
        catch (final IOException ex)
        {
            return new Result(-1, ex.toString());
        }
    }

    static void run(final String... command) throws InterruptedException
    {
        final Result r = exec(60, command);
        if (r.exitCode != 0)
        {
            fail(String.join(" ", command) + " failed (" + r.exitCode + "): " + r.output);
        }
    }

    static void checkPrerequisites() throws InterruptedException
    {
        final List<String> missing = new ArrayList<>();
        if (!Files.exists(Path.of("/dev/net/tun")))
        {
            missing.add("/dev/net/tun (modprobe tun)");
        }
        if (exec(10, "ip", "-V").exitCode != 0)
        {
            missing.add("ip (apt-get install -y iproute2)");
        }
        if (exec(10, "ping", "-V").exitCode != 0)
        {
            missing.add("ping (apt-get install -y iputils-ping)");
        }
        if (exec(10, "iperf3", "--version").exitCode != 0)
        {
            missing.add("iperf3 (apt-get install -y iperf3)");
        }
        final String uid = exec(10, "id", "-u").output.trim();
        if (!"0".equals(uid))
        {
            missing.add("root or CAP_NET_ADMIN (running as uid " + uid + ")");
        }
        if (!missing.isEmpty())
        {
            fail("the netfront/netback namespace test needs: " + String.join(", ", missing));
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shouldPingTransferAndRunIperf3BetweenTwoNamespacesThroughNetfrontAndNetback() throws Exception
    {
        checkPrerequisites();
        final String id = Long.toString(ProcessHandle.current().pid() % 100_000) +
            Integer.toString(ThreadLocalRandom.current().nextInt(1000));
        final String sim = "pvnet-" + id;
        final String nsA = "pvnet-a-" + id;
        final String nsB = "pvnet-b-" + id;
        final String prefix = "pv" + id.substring(0, Math.min(6, id.length())) + "v";
        final String backTap = prefix + "1.0";
        final String frontTap = "pvf" + id;
        final String addrA = "198.18." + (Integer.parseInt(id) % 250) + ".1";
        final String addrB = "198.18." + (Integer.parseInt(id) % 250) + ".2";
        final long bytes = Long.getLong("pvring.netns.bytes", 1L << 30);
        try (Child up = new Child(List.of(), Pvring.class, "sim", "up", sim, "--domains", "1"))
        {
            up.await("host " + sim + " up", 60);
            try
            {
                run("ip", "netns", "add", nsA);
                run("ip", "netns", "add", nsB);
                final Result add = exec(60, javaCommand("sim", "add-device", sim, "--type", "vif", "--frontend", "1",
                    "--devid", "0"));
                assertThat(add.exitCode).as(add.output).isZero();
                try (Child back = new Child(List.of("ip", "netns", "exec", nsA), Pvring.class, "netback", "--sim", sim,
                    "--tap-prefix", prefix);
                     Child front = new Child(List.of("ip", "netns", "exec", nsB), Pvring.class, "netfront", "--sim",
                         sim, "--domid", "1", "--devid", "0", "--tap", frontTap, "--queues", "2"))
                {
                    back.await("vif1.0 connected: queues=2 split=true", 90);
                    front.await("netfront: state CONNECTED", 90);
                    for (final String[] c : new String[][] {
                        {nsA, "lo", null}, {nsB, "lo", null}, {nsA, backTap, addrA}, {nsB, frontTap, addrB}})
                    {
                        run("ip", "netns", "exec", c[0], "ip", "link", "set", c[1], "up");
                        if (null != c[2])
                        {
                            run("ip", "netns", "exec", c[0], "ip", "addr", "add", c[2] + "/24", "dev", c[1]);
                        }
                    }

                    final Result ping = exec(60, "ip", "netns", "exec", nsB, "ping", "-c", "5", "-i", "0.2", "-W", "5",
                        addrA);
                    final Result pingBack = exec(60, "ip", "netns", "exec", nsA, "ping", "-c", "5", "-i", "0.2", "-W",
                        "5", addrB);
                    assertThat(ping.output).as("ping front -> back\n%s\n%s", back.output(), front.output())
                        .contains("5 packets transmitted, 5 received, 0% packet loss");
                    assertThat(pingBack.output).as("ping back -> front")
                        .contains("5 packets transmitted, 5 received, 0% packet loss");

                    try (Child sink = new Child(List.of("ip", "netns", "exec", nsA), TcpEnd.class, "sink", "5001"))
                    {
                        sink.await("listening", 60);
                        final long started = System.nanoTime();
                        try (Child source = new Child(List.of("ip", "netns", "exec", nsB), TcpEnd.class, "source",
                            addrA, "5001", Long.toString(bytes), id))
                        {
                            assertThat(source.process.waitFor(300, TimeUnit.SECONDS)).as(source.output()).isTrue();
                            assertThat(sink.process.waitFor(60, TimeUnit.SECONDS)).as(sink.output()).isTrue();
                            final double seconds = (System.nanoTime() - started) / 1e9;
                            final String sent = lastLine(source.output());
                            assertThat(sent).startsWith("bytes=" + bytes + " sha256=");
                            assertThat(lastLine(sink.output())).as("what arrived matches what was sent").isEqualTo(sent);
                            System.out.printf("TCP transfer %d bytes in %.1f s (%.0f Mbit/s): %s%n", bytes, seconds,
                                bytes * 8 / seconds / 1e6, sent);
                        }
                    }

                    final Result iperf = iperf3(nsA, nsB, addrA);
                    assertThat(iperf.exitCode).as(iperf.output).isZero();
                    final Matcher m = Pattern.compile("([0-9.]+) ([MG])bits/sec\\s+receiver").matcher(iperf.output);
                    assertThat(m.find()).as(iperf.output).isTrue();
                    final double mbits = Double.parseDouble(m.group(1)) * ("G".equals(m.group(2)) ? 1000 : 1);
                    System.out.printf("iperf3 through netfront/netback: %.0f Mbit/s%n", mbits);
                    assertThat(mbits).isPositive();

                    assertThat(front.terminate(30)).as(front.output()).isZero();
                    assertThat(front.output()).contains("netfront: Closed, grants ended");
                    assertThat(back.terminate(30)).as(back.output()).isZero();
                    assertThat(back.output()).contains("vif1.0 disconnected").contains("netback: closed");
                    System.out.println(back.output() + front.output());
                }
            }
            finally
            {
                exec(30, "ip", "netns", "del", nsA);
                exec(30, "ip", "netns", "del", nsB);
                up.terminate(30);
            }
        }
    }

    static Result iperf3(final String server, final String client, final String addr) throws Exception
    {
        final Process srv = new ProcessBuilder("ip", "netns", "exec", server, "iperf3", "-s", "-1", "-p", "5202")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            // the server may not listen yet (a loaded machine may take longer than any fixed sleep to start it):
            // try again while the client is refused, for 60 s at most
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Result result;
            do
            {
                TimeUnit.MILLISECONDS.sleep(500);
                result = exec(60, "ip", "netns", "exec", client, "iperf3", "-c", addr, "-p", "5202", "-t", "3");
            }
            while (result.exitCode != 0 && result.output.contains("unable to connect") && srv.isAlive() &&
                System.nanoTime() - deadline < 0);
            return result;
        }
        finally
        {
            srv.waitFor(10, TimeUnit.SECONDS);
            srv.destroyForcibly();
        }
    }

    static String lastLine(final String output)
    {
        final String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    static String[] javaCommand(final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Pvring.class.getName());
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }
}
