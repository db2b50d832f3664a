/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.platform;

import java.util.concurrent.TimeUnit;

import dev.pvring.xen.platform.GrantCopyBatch;
import dev.pvring.xen.platform.GrantTable;
import org.agrona.concurrent.UnsafeBuffer;
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
 * Grant copy on the simulated platform: dom1 grants {@code segments} pages to dom0; dom0 copies {@code bytes}
 * from or to each of them in one batch (check + pin + copy + unpin per segment, no mapping: the grant-copy
 * path of netback's RX, mirage netback and QEMU's xen-block). Allocation-free.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class GrantCopyBenchmark
{
    @Param({"1", "11"})
    private int segments;

    @Param({"64", "1500", "4096"})
    private int bytes;

    private SimBenchSystem sim;
    private GrantTable back;
    private GrantTable front;
    private int[] refs;
    private GrantCopyBatch copyFrom;
    private GrantCopyBatch copyTo;
    private UnsafeBuffer local;

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
            refs[i] = front.grantAccess(0, sim.dom1.localPages().allocate().frame(), false);
        }
        copyFrom = new GrantCopyBatch(segments);
        copyTo = new GrantCopyBatch(segments);
        local = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(segments * 4096));
    }

    /**
     * Copies {@code bytes} from every segment into a local buffer, one batch.
     *
     * @return copied count.
     */
    @Benchmark
    public int copyFromForeign()
    {
        copyFrom.clear();
        for (int i = 0; i < segments; i++)
        {
            copyFrom.addFromForeign(1, refs[i], 0, local, i * 4096, bytes);
        }
        return back.copy(copyFrom);
    }

    /**
     * Copies {@code bytes} from a local buffer into every segment, one batch.
     *
     * @return copied count.
     */
    @Benchmark
    public int copyToForeign()
    {
        copyTo.clear();
        for (int i = 0; i < segments; i++)
        {
            copyTo.addToForeign(local, i * 4096, 1, refs[i], 0, bytes);
        }
        return back.copy(copyTo);
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
