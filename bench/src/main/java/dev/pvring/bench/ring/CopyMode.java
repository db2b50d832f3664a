/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import dev.pvring.core.internal.RawMemory;

/**
 * The {@code copies} parameter of the one-thread benchmarks: which moves pvring's copies use in the fork, as a
 * column of the report. {@code scalar}: 8-byte and smaller moves (the default JVM); {@code wide}: the Vector API's
 * 16- to 64-byte moves, which need the fork to run with {@code --add-modules=jdk.incubator.vector}
 * ({@code bench/run-onethread.sh} runs every configuration both ways). The parameter only labels the fork: the
 * check fails the trial when the JVM's options say otherwise.
 */
final class CopyMode
{
    private CopyMode()
    {
    }

    /**
     * Checks that the fork copies as {@code copies} says.
     *
     * @param copies {@code scalar} or {@code wide}.
     * @throws IllegalArgumentException for another value.
     * @throws IllegalStateException when the JVM copies the other way.
     */
    static void check(final String copies)
    {
        final boolean wide = switch (copies)
        {
            case "scalar" -> false;
            case "wide" -> true;
            default -> throw new IllegalArgumentException("copies must be scalar or wide: copies=" + copies);
        };
        if (wide != RawMemory.wideCopies())
        {
            throw new IllegalStateException("copies=" + copies + " but the fork's copies are " +
                (RawMemory.wideCopies() ? "wide" : "scalar") + ": wide copies need -jvmArgsPrepend " +
                "--add-modules=jdk.incubator.vector (and no -Dpvring.wideCopies=false)");
        }
    }
}
