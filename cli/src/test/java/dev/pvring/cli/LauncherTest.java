/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code pvring} launcher, run from a copy of it whose jar is missing so that it builds, with a stand-in
 * {@code mvn} on the PATH that records its arguments and prints colour codes as Maven 3.8 does with {@code -q}:
 * the launcher passes batch mode, no colour and {@code PVRING_MAVEN_OPTS} to Maven, and its stderr carries the
 * build's text without a single escape character.
 */
class LauncherTest
{
    @TempDir
    Path dir;

    @Test
    void shouldBuildWithoutEscapeCodesAndPassMavenOptions() throws Exception
    {
        final Path args = dir.resolve("mvn-args.txt");
        final ProcessBuilder builder = launcherWithMaven(
            "printf '%s\\n' \"$@\" > '" + args + "'",
            "printf '\\033[1mBuilding pvring\\033[0m\\n'",
            "printf '\\033[0m\\033[0m\\033[1;31m[ERROR]\\033[m compilation failed\\n' >&2",
            "exit 1");
        builder.environment().put("PVRING_MAVEN_OPTS", "-o  -Dpvring.marker=yes");
        final Process process = builder.start();
        final String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(stderr).isEqualTo(1);
        assertThat(stdout).as("the build's output goes to stderr").isEmpty();
        assertThat(stderr)
            .doesNotContain("\u001b")
            .contains("pvring: building the command-line tool", "Building pvring", "[ERROR] compilation failed",
                "pvring: the build failed (output above); PVRING_MAVEN_OPTS passes options to mvn");
        final List<String> mavenArgs = Files.readAllLines(args);
        assertThat(mavenArgs).contains("-B", "-Dstyle.color=never", "-o", "-Dpvring.marker=yes", "package")
            .doesNotContain("");
        assertThat(mavenArgs.indexOf("-Dpvring.marker=yes")).isLessThan(mavenArgs.indexOf("package"));
    }

    @Test
    void shouldBuildOnceWhenTwoCommandsStartTogether() throws Exception
    {
        final Path runs = dir.resolve("mvn-runs.txt");
        // A build that takes 2 s and leaves an (unusable) jar: the launcher that waited must find it and not build.
        final ProcessBuilder builder = launcherWithMaven(
            "echo run >> '" + runs + "'",
            "sleep 2",
            "mkdir -p cli/target && : > cli/target/pvring.jar",
            "exit 0")
            .redirectErrorStream(true);
        builder.environment().put("TMPDIR", dir.toString());

        final Process[] processes = {builder.start(), builder.start()};
        final String[] outputs = new String[processes.length];
        for (int i = 0; i < processes.length; i++)
        {
            outputs[i] = new String(processes[i].getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(processes[i].waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(Files.readAllLines(runs)).as("Maven runs").containsExactly("run");
        assertThat(outputs[0] + outputs[1]).as("one build message").containsOnlyOnce("pvring: building");
        for (final String output : outputs)
        {
            assertThat(output).as("java's own error reaches stderr after the wait").contains("pvring.jar");
        }
    }

    /**
     * A copy of the launcher in a checkout without a jar (so it builds), run as {@code pvring --version} with stdin
     * from /dev/null, this JVM as its java, and a stand-in {@code mvn} made of {@code script} first on the PATH.
     */
    private ProcessBuilder launcherWithMaven(final String... script) throws IOException
    {
        final Path home = Files.createDirectories(dir.resolve("checkout"));
        final Path launcher = Files.copy(Path.of("..", "pvring"), home.resolve("pvring"));
        final Path bin = Files.createDirectories(dir.resolve("bin"));
        final Path mvn = Files.writeString(bin.resolve("mvn"), "#!/bin/sh\n" + String.join("\n", script) + "\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        final ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--version")
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("PVRING_JAVA", ProcessHandle.current().info().command().orElseThrow());
        return builder;
    }
}
