/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;

import org.junit.jupiter.api.Test;

class PairedReportTest
{
    @Test
    void shouldPairEachJavaIterationWithTheCIterationsAroundIt()
    {
        final List<PairedReport.Pair> pairs = PairedReport.pairs(
            new double[] {100, 0, 120, 0, 40, 0},
            new double[] {0, 80, 0, 90, 0, 70});

        // the last Java iteration has no C iteration after it
        assertThat(pairs).containsExactly(
            new PairedReport.Pair(100, 80, 120), new PairedReport.Pair(120, 90, 40));
        assertThat(pairs.get(0).ratio()).isCloseTo(80.0 / 110, offset(1e-9));
        assertThat(pairs.get(0).same()).isTrue();
        assertThat(pairs.get(1).same()).isFalse();
    }

    @Test
    void shouldSkipIterationsWhereBothOrNeitherSideRan()
    {
        assertThat(PairedReport.pairs(new double[] {100, 5, 100}, new double[] {0, 80, 0})).isEmpty();
        assertThat(PairedReport.pairs(new double[] {100, 0, 100}, new double[] {0, 0, 0})).isEmpty();
        assertThat(PairedReport.pairs(new double[] {0, 0, 0}, new double[] {80, 80, 80})).isEmpty();
    }

    @Test
    void shouldSummariseSamePairsByCHalfAndListEveryPair()
    {
        final PairedReport report = new PairedReport();
        // fork 1: a fast machine (C ~200) then a slow one (C ~50); the pair across the change is "moved"
        report.add(JmhResult.parse(run("8", new double[] {200, 0, 220, 0, 200, 0, 50, 0, 50},
            new double[] {0, 140, 0, 150, 0, 100, 0, 40, 0})));

        final String markdown = report.markdown();

        assertThat(markdown)
            .contains("| api=message batch=8 | 4 (3) | 210.0 [50.00..210.0] | 0.6905 [0.6667..0.7143] | 0.8000 |" +
                " 0.7143 [0.6667..0.8000] | - |")
            .contains("| api=message batch=8 | 200.0 | 100.0 | 50.0 | 0.80 | moved |")
            .contains("| api=message batch=8 | 50.0 | 40.0 | 50.0 | 0.80 | same |");
    }

    @Test
    void shouldReportTheMostBytesPerOperationOfEachForksJavaIterations()
    {
        final PairedReport report = new PairedReport();
        // fork 1 allocates nothing in its Java iterations (the 17 B/op of its C iteration is the JVM's own);
        // fork 2 allocates 40 and 60 B/op in its Java iterations
        final String json = run2(new double[][] {{100, 0, 100, 0, 100}, {100, 0, 100, 0, 100}},
            new double[][] {{0, 80, 0, 80, 0}, {0, 80, 0, 80, 0}},
            new double[][] {{0.4, 0.001, 17, 0.002, 0.5}, {0.4, 40, 0.3, 60, 0.2}});
        report.add(JmhResult.parse(json));

        assertThat(report.maxBytesPerOperation()).isEqualTo(60.0);
        assertThat(report.markdown()).contains("| 0.8000 | 30.00 [0.0020..60.00] |");
    }

    private static String run2(final double[][] c, final double[][] java, final double[][] norm)
    {
        return "[{\"benchmark\": \"dev.pvring.bench.ring.XenRingPairedBenchmark.paired\", \"mode\": \"thrpt\"," +
            " \"params\": {\"batch\": \"32\"}, \"primaryMetric\": {\"score\": 1, \"rawData\": [[1]]}," +
            " \"secondaryMetrics\": {\"c\": {\"rawData\": [" + array(c[0]) + ", " + array(c[1]) + "]}," +
            " \"gc.alloc.rate.norm\": {\"rawData\": [" + array(norm[0]) + ", " + array(norm[1]) + "]}," +
            " \"java\": {\"rawData\": [" + array(java[0]) + ", " + array(java[1]) + "]}}}]";
    }

    private static String run(final String batch, final double[] c, final double[] java)
    {
        return "[{\"benchmark\": \"dev.pvring.bench.ring.XenRingPairedBenchmark.paired\", \"mode\": \"thrpt\"," +
            " \"params\": {\"api\": \"message\", \"batch\": \"" + batch + "\"}, \"primaryMetric\": {\"score\": 1," +
            " \"rawData\": [[1]]}, \"secondaryMetrics\": {\"c\": {\"rawData\": [" + array(c) + "]}," +
            " \"java\": {\"rawData\": [" + array(java) + "]}}}]";
    }

    private static String array(final double[] values)
    {
        final StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.length; i++)
        {
            text.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return text.append(']').toString();
    }
}
