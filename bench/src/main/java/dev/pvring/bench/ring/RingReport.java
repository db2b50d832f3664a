/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns the JSON of a ring-suite run ({@code bench/run-ring.sh}) into markdown tables: pvring figures with their
 * median and min..max across forks, as ratios to the peers measured in the same run and, when given, to the C
 * anchors of {@code shared/perf-kit/run_anchors.sh}.
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.pvring.bench.ring.RingReport --json ring.json [--log ring.log]
 *     [--anchors anchors.txt] [--c-pp2-rtt-ns N] [--c-spsc64-batch1-mmsgs N] [--c-spsc64-batch64-mmsgs N]
 *     [--out report.md]
 * </pre>
 */
public final class RingReport
{
    static final String THROUGHPUT = "RingThroughputBenchmark.";
    static final String ROUND_TRIP = "RingRoundTripBenchmark.roundTrip";
    static final String NOTIFY = "XenRingNotifyBenchmark.notify";
    static final String XEN_RING = THROUGHPUT + "xenRing";

    /** Peer channels of the throughput benchmark, in column order, with their display names. */
    static final Map<String, String> PEERS = new LinkedHashMap<>();

    static
    {
        PEERS.put(THROUGHPUT + "spscArrayQueue", "JCTools SpscArrayQueue");
        PEERS.put(THROUGHPUT + "oneToOneRingBuffer", "Agrona OneToOneRingBuffer");
        PEERS.put(THROUGHPUT + "oneToOneConcurrentArrayQueue", "Agrona OneToOneConcurrentArrayQueue");
        PEERS.put(THROUGHPUT + "disruptor", "Disruptor 4 EventPoller");
        PEERS.put(THROUGHPUT + "disruptorProcessor", "Disruptor 4 BatchEventProcessor");
    }

    private static final String PP2 = "pp2";
    private static final String SPSC_B1 = "spsc64b1";
    private static final String SPSC_B64 = "spsc64b64";

    private final List<JmhResult> results;
    private final List<String> logLines;
    private final Map<String, Double> anchors;

    RingReport(final List<JmhResult> results, final List<String> logLines, final Map<String, Double> anchors)
    {
        this.results = results;
        this.logLines = logLines;
        this.anchors = anchors;
    }

    /**
     * Command-line entry point; see the class comment for the options.
     *
     * @param args options.
     * @throws IOException if a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        final List<JmhResult> results = new ArrayList<>();
        final List<String> logLines = new ArrayList<>();
        final Map<String, Double> anchors = new LinkedHashMap<>();
        Path out = null;
        for (int i = 0; i < args.length; i++)
        {
            final String option = args[i];
            if ("-h".equals(option) || "--help".equals(option))
            {
                System.out.println(usage());
                return;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException("option needs a value: option=" + option + "\n" + usage());
            }
            final String value = args[++i];
            switch (option)
            {
                case "--json" -> results.addAll(JmhResult.parse(Files.readString(Path.of(value))));
                case "--log" -> logLines.addAll(Files.readAllLines(Path.of(value)));
                case "--anchors" -> anchors.putAll(parseAnchors(Files.readAllLines(Path.of(value))));
                case "--c-pp2-rtt-ns" -> anchors.put(PP2, positive(option, value));
                case "--c-spsc64-batch1-mmsgs" -> anchors.put(SPSC_B1, positive(option, value));
                case "--c-spsc64-batch64-mmsgs" -> anchors.put(SPSC_B64, positive(option, value));
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option: option=" + option + "\n" + usage());
            }
        }
        if (results.isEmpty())
        {
            throw new IllegalArgumentException("no results: give at least one --json FILE\n" + usage());
        }
        final String markdown = new RingReport(results, logLines, anchors).markdown();
        if (out == null)
        {
            System.out.print(markdown);
        }
        else
        {
            Files.writeString(out, markdown);
            System.out.println("wrote " + out);
        }
    }

    static String usage()
    {
        return "usage: RingReport --json FILE [--json FILE...] [--log FILE] [--anchors run_anchors-output.txt]\n" +
            "       [--c-pp2-rtt-ns N] [--c-spsc64-batch1-mmsgs N] [--c-spsc64-batch64-mmsgs N] [--out FILE]";
    }

    private static double positive(final String option, final String value)
    {
        final double number;
        try
        {
            number = Double.parseDouble(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not a number: " + option + "=" + value);
        }
        if (!(number > 0))
        {
            throw new IllegalArgumentException("must be positive: " + option + "=" + value);
        }
        return number;
    }

    /**
     * Reads the medians of the anchors the ring suite compares with from {@code run_anchors.sh} output lines
     * ({@code LABEL median=VALUE runs=[...]}).
     *
     * @param lines the output.
     * @return anchor key to value.
     */
    static Map<String, Double> parseAnchors(final List<String> lines)
    {
        final Map<String, Double> anchors = new LinkedHashMap<>();
        for (final String line : lines)
        {
            final int at = line.indexOf(" median=");
            if (at < 0)
            {
                continue;
            }
            final String label = line.substring(0, at).trim();
            final String rest = line.substring(at + " median=".length()).trim();
            final String number = rest.split("\\s+")[0];
            final String key = switch (label)
            {
                case "pp2 RTT ns (2 lines)" -> PP2;
                case "spsc 64B batch1 Mmsg/s" -> SPSC_B1;
                case "spsc 64B batch64 Mmsg/s" -> SPSC_B64;
                default -> null;
            };
            if (key != null && !number.isEmpty())
            {
                anchors.put(key, Double.parseDouble(number));
            }
        }
        return anchors;
    }

    /**
     * The whole report.
     *
     * @return markdown.
     */
    String markdown()
    {
        final StringBuilder md = new StringBuilder();
        header(md);
        throughput(md);
        roundTrip(md);
        notifications(md);
        allocation(md);
        sanity(md);
        return md.toString();
    }

    private void header(final StringBuilder md)
    {
        final JmhResult first = results.get(0);
        md.append("# pvring ring suite\n\n");
        md.append("JDK ").append(first.attribute("jdkVersion")).append(" (").append(first.attribute("vmVersion"))
            .append("), JMH ").append(first.attribute("jmhVersion")).append(", forks ").append(first.attribute("forks"))
            .append(", warm-up ").append(first.attribute("warmupIterations")).append(" x ")
            .append(first.attribute("warmupTime")).append(", measurement ")
            .append(first.attribute("measurementIterations")).append(" x ").append(first.attribute("measurementTime"))
            .append(".\n");
        md.append("Figures are `median [min..max]` across forks (a fork's figure is the mean of its iterations); ")
            .append("a ratio is the ratio of the medians, its range covers every pairing of forks.\n");
        if (!anchors.isEmpty())
        {
            md.append("C anchors (run_anchors.sh medians): ");
            final List<String> parts = new ArrayList<>();
            anchors.forEach((k, v) -> parts.add(k + "=" + Spread.number(v)));
            md.append(String.join(", ", parts)).append(".\n");
        }
        md.append('\n');
    }

    // ---------------------------------------------------------------- throughput

    private void throughput(final StringBuilder md)
    {
        final List<JmhResult> rings = select(r -> r.benchmark().equals(XEN_RING));
        final Map<String, Spread> peers = new LinkedHashMap<>();
        PEERS.forEach((name, label) ->
        {
            final List<JmhResult> found = select(r -> r.benchmark().equals(name));
            if (!found.isEmpty())
            {
                peers.put(label, Spread.of(found.get(0).secondaryPerFork("received")));
            }
        });
        if (rings.isEmpty() && peers.isEmpty())
        {
            return;
        }
        md.append("## Throughput, 1 producer + 1 consumer (Mmsg/s = consumer `received`/µs)\n\n");
        md.append("| channel | batch | push | Mmsg/s | msgs/push |");
        peers.keySet().forEach(label -> md.append(" x ").append(label).append(" |"));
        final boolean b1 = anchors.containsKey(SPSC_B1);
        final boolean b64 = anchors.containsKey(SPSC_B64);
        md.append(b1 ? " x C spsc 64B b1 |" : "").append(b64 ? " x C spsc 64B b64 |" : "").append('\n');
        md.append("|---|---|---|---|---|");
        peers.keySet().forEach(label -> md.append("---|"));
        md.append(b1 ? "---|" : "").append(b64 ? "---|" : "").append('\n');
        rings.sort((a, b) -> rowKey(a).compareTo(rowKey(b)));
        for (final JmhResult ring : rings)
        {
            final Spread received = Spread.of(ring.secondaryPerFork("received"));
            final Spread perPush = Spread.of(ratioPerFork(ring, "sent", "pushes"));
            md.append("| pvring Xen ring | ").append(ring.param("batch")).append(" | ").append(ring.param("push"))
                .append(" | ").append(received.text()).append(" | ").append(perPush.text()).append(" |");
            peers.values().forEach(peer -> md.append(' ').append(received.over(peer).text()).append(" |"));
            md.append(b1 ? " " + received.over(anchors.get(SPSC_B1)).text() + " |" : "")
                .append(b64 ? " " + received.over(anchors.get(SPSC_B64)).text() + " |" : "").append('\n');
        }
        peers.forEach((label, peer) ->
        {
            md.append("| ").append(label).append(" | 1 | - | ").append(peer.text()).append(" | 1 |");
            peers.keySet().forEach(other -> md.append(" - |"));
            md.append(b1 ? " " + peer.over(anchors.get(SPSC_B1)).text() + " |" : "")
                .append(b64 ? " " + peer.over(anchors.get(SPSC_B64)).text() + " |" : "").append('\n');
        });
        md.append("\nTargets (issue 3): Xen ring >= 1.0x JCTools SpscArrayQueue and >= 3x Agrona OneToOneRingBuffer ")
            .append("in the same run.\n\n");
    }

    private static String rowKey(final JmhResult ring)
    {
        final String batch = ring.param("batch");
        final String order = "ring".equals(batch) ? "99999" :
            String.format(Locale.ROOT, "%05d", Integer.parseInt(batch));
        return ring.param("push") + "/" + order;
    }

    // ---------------------------------------------------------------- round trip

    private void roundTrip(final StringBuilder md)
    {
        final List<JmhResult> averages = select(r -> r.benchmark().equals(ROUND_TRIP) && "avgt".equals(r.mode()));
        final List<JmhResult> samples = select(r -> r.benchmark().equals(ROUND_TRIP) && "sample".equals(r.mode()));
        if (averages.isEmpty() && samples.isEmpty())
        {
            return;
        }
        final boolean pp2 = anchors.containsKey(PP2);
        md.append("## Round trip front -> back -> front, one 64-byte request in flight (ns)\n\n");
        md.append("| placement | wait | avgt | JMH sample p50 | p99 | p99.9 |")
            .append(" HDR p50 | HDR p90 | HDR p99 | HDR p99.9 | HDR max |")
            .append(pp2 ? " avgt x C pp2 | HDR p50 x C pp2 |" : "").append('\n');
        md.append("|---|---|---|---|---|---|---|---|---|---|---|").append(pp2 ? "---|---|" : "").append('\n');
        for (final String placement : List.of("thread", "process"))
        {
            for (final String wait : List.of("spin", "spinBlock", "block"))
            {
                final Predicate<JmhResult> config = r -> placement.equals(r.param("placement")) &&
                    wait.equals(r.param("wait"));
                final Spread average = averages.stream().filter(config).findFirst()
                    .map(r -> Spread.of(r.primaryPerFork())).orElse(Spread.NONE);
                final JmhResult sample = samples.stream().filter(config).findFirst().orElse(null);
                final Map<String, Spread> hdr = hdrSpreads(placement, wait);
                if (!average.present() && sample == null && hdr.isEmpty())
                {
                    continue;
                }
                md.append("| ").append(placement).append(" | ").append(wait).append(" | ").append(average.text());
                for (final double p : new double[] {50, 99, 99.9})
                {
                    md.append(" | ").append(sample == null ? "-" : Spread.of(sample.samplePercentilePerFork(p)).text());
                }
                for (final String key : List.of("p50", "p90", "p99", "p99.9", "max"))
                {
                    md.append(" | ").append(hdr.getOrDefault(key, Spread.NONE).text());
                }
                md.append(" |");
                if (pp2)
                {
                    md.append(' ').append(average.over(anchors.get(PP2)).text()).append(" | ")
                        .append(hdr.getOrDefault("p50", Spread.NONE).over(anchors.get(PP2)).text()).append(" |");
                }
                md.append('\n');
            }
        }
        md.append("\nTarget (issue 3): thread/spin round trip <= 1.5x the C pp2 RTT measured in the same session. ")
            .append("HDR columns come from the `HDR-RTT` lines of the log (SampleTime forks, measurement ")
            .append("iterations only).\n\n");
    }

    private Map<String, Spread> hdrSpreads(final String placement, final String wait)
    {
        final Map<String, List<Double>> values = new LinkedHashMap<>();
        for (final String line : logLines)
        {
            final int at = line.indexOf(LatencyRecorder.LINE_PREFIX + " ");
            if (at < 0)
            {
                continue;
            }
            final Map<String, String> words = new LinkedHashMap<>();
            for (final String word : line.substring(at).split("\\s+"))
            {
                final int eq = word.indexOf('=');
                if (eq > 0)
                {
                    words.put(word.substring(0, eq), word.substring(eq + 1));
                }
            }
            if (!placement.equals(words.get("placement")) || !wait.equals(words.get("wait")))
            {
                continue;
            }
            for (final String key : List.of("p50", "p90", "p99", "p99.9", "max"))
            {
                if (words.containsKey(key))
                {
                    values.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(words.get(key)));
                }
            }
        }
        final Map<String, Spread> spreads = new LinkedHashMap<>();
        values.forEach((k, v) -> spreads.put(k, Spread.of(v.stream().mapToDouble(Double::doubleValue).toArray())));
        return spreads;
    }

    // ---------------------------------------------------------------- notifications

    private void notifications(final StringBuilder md)
    {
        final List<JmhResult> notify = select(r -> r.benchmark().equals(NOTIFY));
        if (notify.isEmpty())
        {
            return;
        }
        md.append("## Notifications per message at saturation (futex doorbells, spin then block)\n\n");
        md.append("| batch | Mmsg/s | front->back notifications/msg | back->front notifications/msg |")
            .append(" futex wakes/msg | sleeps/msg | <= 1/32 |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        notify.sort((a, b) -> Integer.compare(Integer.parseInt(a.param("batch")), Integer.parseInt(b.param("batch"))));
        for (final JmhResult r : notify)
        {
            final Spread request = Spread.of(ratioPerFork(r, "requestNotifications", "sent"));
            final Spread response = Spread.of(ratioPerFork(r, "responseNotifications", "received"));
            final Spread wakes = Spread.of(sumRatioPerFork(r, List.of("requestFutexWakes", "responseFutexWakes"),
                "received"));
            final Spread sleeps = Spread.of(sumRatioPerFork(r, List.of("frontSleeps", "backSleeps"), "received"));
            final boolean met = request.present() && response.present() &&
                request.max() <= 1.0 / 32 && response.max() <= 1.0 / 32;
            md.append("| ").append(r.param("batch")).append(" | ")
                .append(Spread.of(r.secondaryPerFork("received")).text()).append(" | ").append(request.text())
                .append(" | ").append(response.text()).append(" | ").append(wakes.text()).append(" | ")
                .append(sleeps.text()).append(" | ").append(met ? "yes" : "no").append(" |\n");
        }
        md.append("\nTarget (issue 3): <= 1 notification per 32 messages at saturation with batching (batch 32); ")
            .append("`<= 1/32` says whether every fork met it on both sides.\n\n");
    }

    // ---------------------------------------------------------------- allocation and sanity

    private void allocation(final StringBuilder md)
    {
        final List<JmhResult> profiled = select(r -> r.hasSecondary("gc.alloc.rate.norm"));
        if (profiled.isEmpty())
        {
            return;
        }
        md.append("## Allocation (-prof gc, B/op)\n\n");
        md.append("| benchmark | params | mode | B/op median iteration | B/op max iteration |")
            .append(" MB/s median iteration |\n|---|---|---|---|---|---|\n");
        for (final JmhResult r : profiled)
        {
            final Spread norm = Spread.of(r.secondaryIterations("gc.alloc.rate.norm"));
            final Spread rate = Spread.of(r.secondaryIterations("gc.alloc.rate"));
            md.append("| ").append(r.benchmark()).append(" | ").append(r.paramsText()).append(" | ").append(r.mode())
                .append(" | ").append(Spread.number(norm.median())).append(" | ").append(Spread.number(norm.max()))
                .append(" | ").append(Spread.number(rate.median())).append(" |\n");
        }
        md.append("\nAn op is one JMH invocation (a group's ops are both threads' invocations). The median iteration ")
            .append("is the figure. JMH itself allocates a few KB per iteration (a near-constant MB/s whatever the ")
            .append("op rate) plus the trial tear-down in the last iteration, which shows as a small B/op when ops ")
            .append("are slow; in `sample` mode JMH's per-iteration sample buffers add more.\n\n");
    }

    private void sanity(final StringBuilder md)
    {
        final List<String> problems = new ArrayList<>();
        for (final JmhResult r : results)
        {
            for (final double errors : r.secondaryIterations("sequenceErrors"))
            {
                if (errors != 0)
                {
                    problems.add(r.benchmark() + " " + r.paramsText() + ": sequenceErrors=" + errors);
                    break;
                }
            }
        }
        md.append("## Checks\n\n");
        if (problems.isEmpty())
        {
            md.append("No sequence errors in any consumer.\n");
        }
        else
        {
            problems.forEach(p -> md.append("- SEQUENCE ERRORS: ").append(p).append('\n'));
        }
    }

    // ---------------------------------------------------------------- helpers

    private List<JmhResult> select(final Predicate<JmhResult> filter)
    {
        return new ArrayList<>(results.stream().filter(filter).toList());
    }

    private static double[] ratioPerFork(final JmhResult r, final String numerator, final String denominator)
    {
        return sumRatioPerFork(r, List.of(numerator), denominator);
    }

    /**
     * Per fork: sum of some counters over another counter of the same run. Counters of one JMH thread share its
     * time base, so the ratio of their rates is the ratio of their counts.
     */
    private static double[] sumRatioPerFork(final JmhResult r, final List<String> numerators, final String denominator)
    {
        final double[] down = r.secondaryPerFork(denominator);
        final double[] ratios = new double[down.length];
        for (final String name : numerators)
        {
            final double[] up = r.secondaryPerFork(name);
            if (up.length != down.length)
            {
                return new double[0];
            }
            for (int f = 0; f < down.length; f++)
            {
                ratios[f] += up[f];
            }
        }
        for (int f = 0; f < down.length; f++)
        {
            ratios[f] = down[f] == 0 ? Double.NaN : ratios[f] / down[f];
        }
        return ratios;
    }
}
