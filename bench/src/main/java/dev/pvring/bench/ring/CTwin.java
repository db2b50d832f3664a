/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A C twin of a one-thread benchmark: a {@code bench/perf-kit} source (packed into {@code benchmarks.jar} under
 * {@code perf-kit/}) compiled with {@code gcc -O2 -shared -fPIC} into a fresh temporary directory, loaded into the
 * fork and called through FFM. Each call runs thousands of messages, so the downcall (tens of ns) is amortised
 * to well under 1 %. Needs {@code gcc} and Debian's {@code libxen-dev} headers.
 */
final class CTwin implements AutoCloseable
{
    private final Path directory;
    private final Arena arena;
    private final SymbolLookup lookup;

    private CTwin(final Path directory, final Arena arena, final SymbolLookup lookup)
    {
        this.directory = directory;
        this.arena = arena;
        this.lookup = lookup;
    }

    /**
     * Compiles {@code perf-kit/<source>} (with {@code barriers.h} beside it) and loads the library.
     *
     * @param source file name in {@code bench/perf-kit}, e.g. {@code xenring_onethread.c}.
     * @return the loaded twin; close it to unload and delete the temporary files.
     */
    static CTwin build(final String source)
    {
        try
        {
            final Path directory = Files.createTempDirectory("pvring-ctwin-");
            for (final String name : List.of(source, "barriers.h"))
            {
                try (InputStream in = CTwin.class.getResourceAsStream("/perf-kit/" + name))
                {
                    if (in == null)
                    {
                        throw new IllegalStateException("C twin source missing from the jar: name=perf-kit/" + name);
                    }
                    Files.copy(in, directory.resolve(name));
                }
            }
            final Path library = directory.resolve("lib" + source.replace(".c", "") + ".so");
            final Process gcc = new ProcessBuilder(
                "gcc", "-O2", "-shared", "-fPIC", "-I" + directory, directory.resolve(source).toString(),
                "-o", library.toString())
                .redirectErrorStream(true)
                .start();
            final String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0)
            {
                throw new IllegalStateException("gcc failed for the C twin: source=" + source + " output=" + output);
            }
            final Arena arena = Arena.ofShared();
            return new CTwin(directory, arena, SymbolLookup.libraryLookup(library, arena));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling the C twin: source=" + source, e);
        }
    }

    /**
     * A downcall handle to one of the twin's functions.
     *
     * @param name       C function name.
     * @param descriptor its signature.
     * @return the handle.
     */
    MethodHandle function(final String name, final FunctionDescriptor descriptor)
    {
        return Linker.nativeLinker().downcallHandle(
            lookup.find(name).orElseThrow(() -> new IllegalStateException("no such C function: name=" + name)),
            descriptor);
    }

    @Override
    public void close()
    {
        arena.close();
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path path : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
