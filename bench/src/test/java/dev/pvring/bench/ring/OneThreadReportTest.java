/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneThreadReportTest
{
    @Test
    void shouldDivideEachJavaFigureByTheCFigureOfTheSamePairPerMessage()
    {
        final OneThreadReport report = new OneThreadReport();
        // pair 1: C median invocation 4000 ns, Java heap 6000 ns, per 1000 messages
        report.add(JmhResult.parse(pair(4000, 6000, 5000)));
        // pair 2: the machine got slower for both; the ratio is what counts
        report.add(JmhResult.parse(pair(8000, 16000, 8000)));

        final String markdown = report.markdown();

        assertThat(markdown)
            .contains("| XenRingOneThreadBenchmark.java | batch=32 buffers=heap messages=1000 | 11.00 [6.00..16.00] |" +
                " 6.00 [4.00..8.00] | 1.50, 2.00 | 1.75 [1.50..2.00] | - |")
            .contains("| XenRingOneThreadBenchmark.java | batch=32 buffers=offheap messages=1000 | 6.50 [5.00..8.00] |" +
                " 6.00 [4.00..8.00] | 1.25, 1.00 | 1.13 [1.00..1.25] | - |")
            .doesNotContain("XenRingOneThreadBenchmark.c |");
    }

    private static String pair(final long c, final long heap, final long offheap)
    {
        return "[" + entry("c", "{\"batch\": \"32\", \"messages\": \"1000\"}", c) + "," +
            entry("java", "{\"batch\": \"32\", \"buffers\": \"heap\", \"messages\": \"1000\"}", heap) + "," +
            entry("java", "{\"batch\": \"32\", \"buffers\": \"offheap\", \"messages\": \"1000\"}", offheap) + "]";
    }

    /** A SampleTime result whose median invocation is {@code median} ns (three samples around it). */
    private static String entry(final String method, final String params, final long median)
    {
        return "{\"benchmark\": \"dev.pvring.bench.ring.XenRingOneThreadBenchmark." + method + "\", \"mode\": \"sample\"," +
            " \"params\": " + params + ", \"primaryMetric\": {\"score\": " + median + ", \"rawDataHistogram\": " +
            "[[[[" + (median / 2) + ", 10], [" + median + ", 11], [" + (median * 50) + ", 10]]]]}}";
    }
}
