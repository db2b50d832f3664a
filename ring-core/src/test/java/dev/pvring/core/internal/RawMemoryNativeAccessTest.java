/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The wide moves' restricted call ({@code MemorySegment.reinterpret}) must never break a copy: a JVM that refuses
 * native access to pvring keeps the 8-byte moves instead of failing on its first copy (child JVMs, one per case).
 */
class RawMemoryNativeAccessTest
{
    private static final String EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    private static final String VECTOR = "--add-modules=jdk.incubator.vector";

    @Test
    void shouldKeepNarrowMovesWhenNativeAccessIsDenied() throws Exception
    {
        assertThat(probe(EXPORTS, VECTOR, "--illegal-native-access=deny")).isEqualTo("wide=false copied=true");
    }

    @Test
    void shouldUseWideMovesWhenNativeAccessIsEnabled() throws Exception
    {
        assertThat(probe(EXPORTS, VECTOR, "--illegal-native-access=deny", "--enable-native-access=ALL-UNNAMED"))
            .isEqualTo("wide=true copied=true");
    }

    @Test
    void shouldUseWideMovesUnderTheDefaultWarning() throws Exception
    {
        assertThat(probe(EXPORTS, VECTOR)).isEqualTo("wide=true copied=true");
    }

    @Test
    void shouldKeepNarrowMovesWithoutTheVectorModule() throws Exception
    {
        assertThat(probe(EXPORTS, "--enable-native-access=ALL-UNNAMED")).isEqualTo("wide=false copied=true");
    }

    /** Runs {@link WideCopyProbe} with these JVM options; returns its stdout's last line (stderr may warn). */
    private static String probe(final String... jvmOptions) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WideCopyProbe.class.getName());
        final Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("probe exited").isTrue();
        assertThat(child.exitValue()).as("probe exit code, output: %s", output).isZero();
        final String[] lines = output.split("\n");
        return lines[lines.length - 1];
    }
}
