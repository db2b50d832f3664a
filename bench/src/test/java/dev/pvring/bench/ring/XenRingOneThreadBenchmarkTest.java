/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.pvring.core.internal.RawMemory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every Java loop of {@link XenRingOneThreadBenchmark} delivers each request and response once and in order across
 * several wraps of the ring: its id checks count no error, and they do count one when the expected id is off.
 */
class XenRingOneThreadBenchmarkTest
{
    private static final int INVOCATIONS = 3;

    @ParameterizedTest(name = "entry={0} api={1} batch={2}")
    @CsvSource({
        "REQ64, message, 32", "REQ64, batch, 32", "REQ64, batchsegment, 32", "REQ64, segment, 32",
        "REQ64, rawcopy, 32", "REQ64, batch, 1", "REQ64, batchsegment, ring", "REQ64, message, ring",
        "REQ64, indexed, 32", "REQ64, indexed, 1", "REQ64, indexed, ring", "NETIF_TX, indexed, 8", "BLKIF, indexed, 32",
        "NETIF_TX, message, 8", "NETIF_TX, batch, 8", "BLKIF, message, 32", "BLKIF, batch, 32"})
    void shouldDeliverEveryMessageInOrderAndCountAWrongId(final String entry, final String api, final String batch)
    {
        for (final String buffers : List.of("heap", "offheap"))
        {
            final XenRingOneThreadBenchmark.Config config = new XenRingOneThreadBenchmark.Config();
            config.entry = XenRingOneThreadBenchmark.Entry.valueOf(entry);
            config.batch = batch;
            config.push = "checkNotify";
            config.pages = 16;
            config.messages = 4096;
            config.setUp();
            final XenRingOneThreadBenchmark.JavaRing ring = new XenRingOneThreadBenchmark.JavaRing();
            ring.buffers = buffers;
            ring.copies = RawMemory.wideCopies() ? "wide" : "scalar";
            ring.api = api;
            ring.setUp(config);
            final XenRingOneThreadBenchmark benchmark = new XenRingOneThreadBenchmark();
            for (int i = 0; i < INVOCATIONS; i++)
            {
                assertThat(benchmark.java(ring)).as("errors in invocation %d, buffers=%s", i, buffers).isZero();
            }
            assertThat(ring.nextSequence).isEqualTo(INVOCATIONS * 4096L);
            assertThat(ring.nextRequest).isEqualTo(INVOCATIONS * 4096L);
            assertThat(ring.nextResponse).isEqualTo(INVOCATIONS * 4096L);
            // negative control: the back end expects the wrong id from here on, so every request counts
            ring.nextRequest++;
            assertThat(benchmark.java(ring)).as("buffers=%s", buffers).isEqualTo(4096L);
            ring.errors = 0;
            ring.tearDown();
        }
    }
}
