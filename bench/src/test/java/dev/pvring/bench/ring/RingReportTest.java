/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RingReportTest
{
    private static final String PACKAGE = "dev.pvring.bench.ring.";

    @Test
    void shouldExpressXenRingThroughputAsRatiosToThePeersAndTheCAnchor()
    {
        final String json = array(
            entry("RingThroughputBenchmark.xenRing", "thrpt", "{\"batch\": \"32\", \"push\": \"release\"}",
                secondary("received", "[[10, 10], [12, 12], [14, 14]]"),
                secondary("sent", "[[320, 320], [384, 384], [448, 448]]"),
                secondary("pushes", "[[10, 10], [12, 12], [14, 14]]")),
            entry("RingThroughputBenchmark.spscArrayQueue", "thrpt", null,
                secondary("received", "[[6, 6], [5, 5], [4, 4]]")),
            entry("RingThroughputBenchmark.oneToOneRingBuffer", "thrpt", null,
                secondary("received", "[[3, 3], [3, 3], [3, 3]]")));

        final String report = report(json, List.of(), Map.of("spsc64b64", 24.0));

        assertThat(report)
            .contains("| channel | batch | push | Mmsg/s | msgs/push | x JCTools SpscArrayQueue |" +
                " x Agrona OneToOneRingBuffer | x C spsc 64B b64 |")
            .contains("| pvring Xen ring | 32 | release | 12.00 [10.00..14.00] | 32.00 | 2.40 [1.67..3.50] |" +
                " 4.00 [3.33..4.67] | 0.5000 [0.4167..0.5833] |")
            .contains("| JCTools SpscArrayQueue | 1 | - | 5.00 [4.00..6.00] | 1 | - | - | 0.2083 [0.1667..0.2500] |")
            .doesNotContain("OneToOneConcurrentArrayQueue");
    }

    @Test
    void shouldCombineAverageTimeSampleHistogramsAndHdrLinesForTheRoundTrip()
    {
        final String json = array(
            entry("RingRoundTripBenchmark.roundTrip", "avgt", "{\"placement\": \"thread\", \"wait\": \"spin\"}",
                "\"primaryMetric\": {\"score\": 310, \"rawData\": [[300, 300], [320, 320], [310, 310]]}"),
            entry("RingRoundTripBenchmark.roundTrip", "sample", "{\"placement\": \"thread\", \"wait\": \"spin\"}",
                "\"primaryMetric\": {\"score\": 150, \"rawDataHistogram\": " +
                "[[[[100, 30], [200, 49]], [[100, 20], [1000, 1]]]]}"));
        final List<String> log = List.of(
            "Iteration   5: HDR-RTT benchmark=RingRoundTripBenchmark.roundTrip placement=thread wait=spin unit=ns " +
                "count=10 p50=600 p90=700 p99=800 p99.9=900 max=5000 mean=650.0",
            "HDR-RTT benchmark=RingRoundTripBenchmark.roundTrip placement=thread wait=spin unit=ns count=10 p50=620 " +
                "p90=720 p99=820 p99.9=920 max=7000 mean=660.0",
            "HDR-RTT benchmark=RingRoundTripBenchmark.roundTrip placement=process wait=spin unit=ns count=10 p50=1 " +
                "p90=1 p99=1 p99.9=1 max=1 mean=1.0",
            "HDR-RTT benchmark=RingRoundTripBenchmark.roundTrip placement=thread wait=spin unit=ns count=10 p50=610 " +
                "p90=710 p99=810 p99.9=910 max=6000 mean=655.0");

        final String report = report(json, log, Map.of("pp2", 200.0));

        assertThat(report).contains("| thread | spin | 310.0 [300.0..320.0] | 100.0 | 200.0 | 1000 |" +
            " 610.0 [600.0..620.0] | 710.0 [700.0..720.0] | 810.0 [800.0..820.0] | 910.0 [900.0..920.0] |" +
            " 6000 [5000..7000] | 1.55 [1.50..1.60] | 3.05 [3.00..3.10] |");
        assertThat(report).contains("| process | spin | - | - | - | - | 1.00 | 1.00 | 1.00 | 1.00 | 1.00 | - | 0.0050 |");
    }

    @Test
    void shouldReportNotificationsPerMessageOfEachSideAgainstTheTarget()
    {
        final String json = array(
            entry("XenRingNotifyBenchmark.notify", "thrpt", "{\"batch\": \"32\"}",
                secondary("sent", "[[1000], [1000]]"),
                secondary("requestNotifications", "[[10], [20]]"),
                secondary("received", "[[1000], [1000]]"),
                secondary("responseNotifications", "[[40], [40]]"),
                secondary("requestFutexWakes", "[[1], [1]]"),
                secondary("responseFutexWakes", "[[1], [1]]"),
                secondary("frontSleeps", "[[0], [0]]"),
                secondary("backSleeps", "[[5], [5]]")),
            entry("XenRingNotifyBenchmark.notify", "thrpt", "{\"batch\": \"1\"}",
                secondary("sent", "[[500], [600]]"),
                secondary("requestNotifications", "[[0], [0]]"),
                secondary("received", "[[500], [600]]"),
                secondary("responseNotifications", "[[0], [0]]")));

        final String report = report(json, List.of(), Map.of());

        assertThat(report)
            .contains("| 1 | 550.0 [500.0..600.0] | 0 | 0 | - | - | yes |")
            .contains("| 32 | 1000 | 0.0150 [0.0100..0.0200] | 0.0400 | 0.0020 | 0.0050 | no |");
        assertThat(report.indexOf("| 1 | 550.0")).isLessThan(report.indexOf("| 32 | 1000"));
    }

    @Test
    void shouldUseTheMedianIterationForAllocationAndFlagSequenceErrors()
    {
        final String json = array(
            entry("RingThroughputBenchmark.xenRing", "thrpt", "{\"batch\": \"1\", \"push\": \"release\"}",
                secondary("gc.alloc.rate.norm", "[[0.001, 5.0, 0.002]]"),
                secondary("gc.alloc.rate", "[[0.004, 0.006, 0.005]]"),
                secondary("sequenceErrors", "[[0, 1, 0]]")));

        final String report = report(json, List.of(), Map.of());

        assertThat(report)
            .contains("| RingThroughputBenchmark.xenRing | batch=1 push=release | thrpt | 0.0020 | 5.00 | 0.0050 |")
            .contains("- SEQUENCE ERRORS: RingThroughputBenchmark.xenRing batch=1 push=release: sequenceErrors=1.0");
    }

    @Test
    void shouldReadTheAnchorsTheRingSuiteNeedsFromRunAnchorsOutput()
    {
        final Map<String, Double> anchors = RingReport.parseAnchors(List.of(
            "# Sun Nov 22 00:00:00 UTC 2026 6.1 model name : Intel",
            "pp1 RTT ns (1 shared line)         median=80.5       runs=[79 80.5 82 ] idle_before=97%",
            "pp2 RTT ns (2 lines)               median=140.25     runs=[139 140.25 150 ] idle_before=97%",
            "spsc 64B batch1 Mmsg/s             median=45.5       runs=[44 45.5 46 ] idle_before=96%",
            "spsc 64B batch64 Mmsg/s            median=120        runs=[119 120 121 ] idle_before=96%"));

        assertThat(anchors).containsExactly(
            Map.entry("pp2", 140.25), Map.entry("spsc64b1", 45.5), Map.entry("spsc64b64", 120.0));
    }

    @Test
    void shouldWriteTheReportFromFilesAndTakeAnchorsFromArguments(@TempDir final Path dir) throws Exception
    {
        final Path json = dir.resolve("ring.json");
        Files.writeString(json, array(
            entry("RingRoundTripBenchmark.roundTrip", "avgt", "{\"placement\": \"thread\", \"wait\": \"spin\"}",
                "\"primaryMetric\": {\"score\": 300, \"rawData\": [[300]]}")));
        final Path out = dir.resolve("ring.md");

        RingReport.main(new String[] {"--json", json.toString(), "--c-pp2-rtt-ns", "150", "--out", out.toString()});

        assertThat(Files.readString(out)).contains("| thread | spin | 300.0 |").contains("| 2.00 | - |")
            .contains("C anchors (run_anchors.sh medians): pp2=150.0.");
    }

    @Test
    void shouldRejectARunWithoutResults()
    {
        assertThatThrownBy(() -> RingReport.main(new String[0]))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("no results: give at least one --json FILE\nusage: RingReport --json FILE");
    }

    @Test
    void shouldRejectUnknownOptionsAndBadAnchors()
    {
        assertThatThrownBy(() -> RingReport.main(new String[] {"--bogus", "1"}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("unknown option: option=--bogus\n");
        assertThatThrownBy(() -> RingReport.main(new String[] {"--c-pp2-rtt-ns", "fast"}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("not a number: --c-pp2-rtt-ns=fast");
        assertThatThrownBy(() -> RingReport.main(new String[] {"--c-pp2-rtt-ns", "-1"}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("must be positive: --c-pp2-rtt-ns=-1");
        assertThatThrownBy(() -> RingReport.main(new String[] {"--json"}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("option needs a value: option=--json\n");
    }

    private static String report(final String json, final List<String> log, final Map<String, Double> anchors)
    {
        return new RingReport(JmhResult.parse(json), log, anchors).markdown();
    }

    private static String array(final String... entries)
    {
        return "[" + String.join(",\n", entries) + "]";
    }

    private static String secondary(final String name, final String rawData)
    {
        return "\"" + name + "\": {\"score\": 0, \"scoreUnit\": \"ops/us\", \"rawData\": " + rawData + "}";
    }

    private static String entry(final String benchmark, final String mode, final String params, final String... parts)
    {
        final StringBuilder json = new StringBuilder("{\"jmhVersion\": \"1.37\", \"benchmark\": \"")
            .append(PACKAGE).append(benchmark).append("\", \"mode\": \"").append(mode)
            .append("\", \"forks\": 3, \"jdkVersion\": \"25\", \"vmVersion\": \"25+36\", \"warmupIterations\": 5,")
            .append(" \"warmupTime\": \"1 s\", \"measurementIterations\": 5, \"measurementTime\": \"2 s\"");
        if (params != null)
        {
            json.append(", \"params\": ").append(params);
        }
        boolean primary = false;
        final StringBuilder secondaries = new StringBuilder();
        for (final String part : parts)
        {
            if (part.startsWith("\"primaryMetric\""))
            {
                json.append(", ").append(part);
                primary = true;
            }
            else
            {
                secondaries.append(secondaries.isEmpty() ? "" : ", ").append(part);
            }
        }
        if (!primary)
        {
            json.append(", \"primaryMetric\": {\"score\": 1, \"rawData\": [[1]]}");
        }
        return json.append(", \"secondaryMetrics\": {").append(secondaries).append("}}").toString();
    }
}
