/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A domain truncates one of its simulator files (grant table, event channel table, memory) or the system file
 * while another process has it mapped (issue 9: that used to kill the other JVM with {@code SIGBUS} inside
 * {@code Unsafe_CompareAndSetInt}). The victim is a fresh JVM run with {@code -Xint}, so every operation runs in
 * the interpreter, where a fault in an unguarded atomic instruction is fatal: it must run every operation that
 * touches the truncated file, report the fault as {@link InternalError}, and exit normally.
 */
@Timeout(180)
class SimTruncationTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"grant", "evtchn", "mem", "system"})
    void shouldReportAFileTruncatedUnderAMappingAsAFaultAndNotDie(final String kind) throws Exception
    {
        final SimFixture sim = new SimFixture();
        final Path file = switch (kind)
        {
            case "grant" -> SimDomainView.grantPath(sim.directory, 1, sim.system.view(1).generation);
            case "evtchn" -> SimDomainView.eventPath(sim.directory, 1, sim.system.view(1).generation);
            case "mem" -> SimDomainView.memPath(sim.directory, 1, sim.system.view(1).generation);
            default -> sim.directory.resolve(SimSystem.SYSTEM_FILE);
        };
        final long size = Files.size(file);
        final Mailbox mailbox = new Mailbox(sim.directory);
        Process victim = null;
        final Path output = dir.resolve("victim.log");
        try
        {
            final LocalPage page = sim.dom1.localPages().allocate();
            mailbox.put(Mailbox.REF, sim.dom1.grantTable().grantAccess(0, page.frame(), false));
            mailbox.put(Mailbox.PORT, sim.dom1.eventChannels().allocateUnbound(0));
            mailbox.put(Mailbox.PEER_PORT, sim.dom1.eventChannels().allocateUnbound(0));
            victim = startVictim(kind, sim.directory, dir, output, "-Xint");
            awaitStep(mailbox, 1, victim, output);

            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                channel.truncate(0);
            }
            mailbox.put(Mailbox.STEP, 1);

            assertThat(victim.waitFor(120, TimeUnit.SECONDS)).as("victim finished").isTrue();
            final String log = Files.readString(output);
            System.out.println("victim, " + kind + " file truncated:\n" + log);
            assertThat(log).as("no JVM crash").doesNotContain("SIGBUS").doesNotContain("A fatal error");
            assertThat(victim.exitValue()).as(log).isZero();
            assertThat(log).as("the victim ran to its end").contains("DONE");
            assertThat(log).as("the victim reported the fault").containsPattern("(?m)^FAULT .*");
            try (Stream<Path> files = Files.list(dir))
            {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList())
                    .as("crash reports").isEmpty();
            }
        }
        finally
        {
            if (null != victim)
            {
                victim.destroyForcibly();
                victim.waitFor(10, TimeUnit.SECONDS);
            }
            // Give the file its length back (zeros) so that this JVM, which maps it too, can close.
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                if (channel.size() < size)
                {
                    channel.write(ByteBuffer.allocate(1), size - 1);
                }
            }
            catch (final IOException ignore)
            {
                // deleted meanwhile
            }
            mailbox.close();
            try
            {
                sim.close();
            }
            catch (final RuntimeException garbage)
            {
                // The restored file holds zeros: closing may find nothing it recognises.
                SimSystem.delete(sim.directory);
            }
        }
    }

    /**
     * A domain that truncates and re-extends its event channel file in a tight loop races the probe before each
     * atomic instruction; a victim JVM that compiles (the default) has its guarded read-modify-write methods
     * compiled at class loading, where the fault is an {@link InternalError} even inside the race.
     */
    @org.junit.jupiter.api.Test
    void shouldSurviveADomainThatTruncatesAndReExtendsItsFileInALoop() throws Exception
    {
        final SimFixture sim = new SimFixture();
        final Path file = SimDomainView.eventPath(sim.directory, 1, sim.system.view(1).generation);
        final long size = Files.size(file);
        final Mailbox mailbox = new Mailbox(sim.directory);
        final Path output = dir.resolve("victim.log");
        Process victim = null;
        try
        {
            final LocalPage page = sim.dom1.localPages().allocate();
            mailbox.put(Mailbox.REF, sim.dom1.grantTable().grantAccess(0, page.frame(), false));
            mailbox.put(Mailbox.PORT, sim.dom1.eventChannels().allocateUnbound(0));
            mailbox.put(Mailbox.PEER_PORT, sim.dom1.eventChannels().allocateUnbound(0));
            victim = startVictim("race", sim.directory, dir, output, "-XX:+PrintCompilation");
            awaitStep(mailbox, 1, victim, output);
            mailbox.put(Mailbox.STEP, 1);
            long truncations = 0;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                final ByteBuffer last = ByteBuffer.allocate(1);
                final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < end && victim.isAlive())
                {
                    channel.truncate(0);
                    last.clear();
                    channel.write(last, size - 1);
                    truncations++;
                }
            }
            mailbox.put(Mailbox.STEP, 2);

            assertThat(victim.waitFor(120, TimeUnit.SECONDS)).as("victim finished").isTrue();
            final String log = Files.readString(output);
            System.out.println("victim, event channel file truncated " + truncations + " times:\n" +
                log.lines().filter(l -> !l.contains("::")).collect(java.util.stream.Collectors.joining("\n")));
            assertThat(log).as("no JVM crash").doesNotContain("SIGBUS").doesNotContain("A fatal error");
            assertThat(victim.exitValue()).as(log).isZero();
            final String beforeReady = log.substring(0, Math.max(0, log.indexOf("READY")));
            for (final String method : new String[] {"compareAndSetInt", "compareAndExchangeInt", "getAndAddInt",
                "compareAndSetLong"})
            {
                assertThat(beforeReady).as("compiled before the first simulator file was touched: " + method)
                    .contains(SimGuardedBuffer.class.getName() + "::" + method);
            }
            assertThat(log).as("the race was real: some operations met a vanished page").containsPattern(
                "RACE ops=[0-9]+ faults=[1-9][0-9]* warmedUp=true");
        }
        finally
        {
            if (null != victim)
            {
                victim.destroyForcibly();
                victim.waitFor(10, TimeUnit.SECONDS);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                if (channel.size() < size)
                {
                    channel.write(ByteBuffer.allocate(1), size - 1);
                }
            }
            catch (final IOException ignore)
            {
                // deleted meanwhile
            }
            mailbox.close();
            try
            {
                sim.close();
            }
            catch (final RuntimeException garbage)
            {
                SimSystem.delete(sim.directory);
            }
        }
    }

    private static Process startVictim(
        final String kind, final Path directory, final Path errors, final Path output, final String... jvmOptions)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(List.of(jvmOptions));
        command.add("-XX:-CreateCoredumpOnCrash");
        command.add("-XX:ErrorFile=" + errors.resolve("hs_err_%p.log"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SimTruncationVictim.class.getName());
        command.add(kind);
        command.add(directory.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static void awaitStep(final Mailbox mailbox, final long step, final Process victim, final Path output)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (mailbox.get(Mailbox.CHILD_STEP) < step)
        {
            if (!victim.isAlive())
            {
                throw new AssertionError("victim exited early: " + Files.readString(output));
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("victim never reached step " + step + ": " + Files.readString(output));
            }
            Thread.sleep(10);
        }
    }
}
