/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.platform;

import java.util.concurrent.TimeUnit;

import dev.pvring.xen.platform.GrantMapBatch;
import dev.pvring.xen.platform.GrantStatus;
import dev.pvring.xen.platform.GrantTable;
import dev.pvring.xen.platform.LocalPage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Grant mapping on the simulated platform: dom1 grants {@code segments} pages to dom0; dom0 maps and unmaps
 * them in one batch (check + pin + maptrack + {@code mmap}/{@code munmap} per page: blkback's map path), and
 * dom1 grants and ends access (a frontend's per-request cost).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class GrantMapBenchmark
{
    @Param({"1", "11"})
    private int segments;

    private SimBenchSystem sim;
    private GrantTable back;
    private GrantTable front;
    private int[] refs;
    private LocalPage page;
    private GrantMapBatch mapBatch;

    /**
     * Grants the pages and prepares the batches.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        sim = new SimBenchSystem();
        back = sim.dom0.grantTable();
        front = sim.dom1.grantTable();
        refs = new int[segments];
        for (int i = 0; i < segments; i++)
        {
            page = sim.dom1.localPages().allocate();
            refs[i] = front.grantAccess(0, page.frame(), false);
        }
        mapBatch = new GrantMapBatch(segments);
    }

    /**
     * Maps every segment in one batch and unmaps them.
     *
     * @return mapped count.
     */
    @Benchmark
    public int mapUnmap()
    {
        mapBatch.clear();
        for (int i = 0; i < segments; i++)
        {
            mapBatch.add(1, refs[i], false);
        }
        final int mapped = back.map(mapBatch);
        back.unmap(mapBatch);
        return mapped;
    }

    /**
     * Grants a page read-only and ends access (a frontend's per-packet cost without mapping).
     *
     * @return the ref.
     */
    @Benchmark
    public int grantAndEnd()
    {
        final int ref = front.grantAccess(0, page.frame(), true);
        if (ref < 0 || !front.tryEndAccess(ref))
        {
            throw new IllegalStateException("grant/end failed: " + GrantStatus.name(ref));
        }
        return ref;
    }

    /**
     * Deletes the system.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        sim.close();
    }
}
