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
import java.util.Map;

/**
 * Markdown table of interleaved one-thread runs ({@code bench/run-onethread.sh}): each JMH JSON file is one A/B
 * pair, holding a benchmark's {@code c} method (the C twin) and its Java methods. Every Java result is divided by
 * the C result of the same class <em>in the same file</em> whose parameters it shares, so each ratio comes from
 * one pair run back to back; the table gives the ratio of every pair in run order, and their median and range.
 * A SampleTime result counts as its median invocation (p50), an AverageTime result as its mean, each divided by
 * the benchmark's {@code messages} parameter (messages per invocation) when it has one.
 * <p>
 * {@code java -cp benchmarks.jar dev.pvring.bench.ring.OneThreadReport [--out FILE] PAIR.json...}
 */
public final class OneThreadReport
{
    private final Map<String, Row> rows = new LinkedHashMap<>();

    private static final class Row
    {
        final String benchmark;
        final String params;
        final List<Double> java = new ArrayList<>();
        final List<Double> c = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>();
        final List<Double> allocation = new ArrayList<>();

        Row(final String benchmark, final String params)
        {
            this.benchmark = benchmark;
            this.params = params;
        }
    }

    /**
     * Adds one pair: the results of one JMH run.
     *
     * @param pair the results.
     */
    void add(final List<JmhResult> pair)
    {
        for (final JmhResult result : pair)
        {
            final String name = result.benchmark();
            final int dot = name.lastIndexOf('.');
            if (name.substring(dot + 1).equals("c"))
            {
                continue;
            }
            final String cName = name.substring(0, dot) + ".c";
            JmhResult twin = null;
            for (final JmhResult candidate : pair)
            {
                if (candidate.benchmark().equals(cName) &&
                    result.params().entrySet().containsAll(candidate.params().entrySet()))
                {
                    twin = candidate;
                }
            }
            final String key = name + " " + result.paramsText();
            final Row row = rows.computeIfAbsent(key, k -> new Row(name, result.paramsText()));
            final double javaScore = score(result);
            row.java.add(javaScore);
            if (result.hasSecondary("gc.alloc.rate.norm"))
            {
                row.allocation.add(Spread.of(result.secondaryPerFork("gc.alloc.rate.norm")).median());
            }
            if (twin != null)
            {
                final double cScore = score(twin);
                row.c.add(cScore);
                row.ratios.add(javaScore / cScore);
            }
        }
    }

    /**
     * SampleTime: the median invocation (robust to the preemptions of a loaded machine); other modes: the score.
     * Divided by the {@code messages} parameter when there is one (messages per invocation).
     */
    static double score(final JmhResult result)
    {
        final double perInvocation = Spread.of("sample".equals(result.mode()) ? result.samplePercentilePerFork(50) :
            result.primaryPerFork()).median();
        final String messages = result.param("messages");
        return messages.isEmpty() ? perInvocation : perInvocation / Double.parseDouble(messages);
    }

    /**
     * The table.
     *
     * @return markdown.
     */
    String markdown()
    {
        final StringBuilder md = new StringBuilder();
        md.append("| benchmark | params | Java ns/msg | C ns/msg | Java/C per pair | Java/C median [min..max] | B/op |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (final Row row : rows.values())
        {
            final List<String> perPair = new ArrayList<>();
            row.ratios.forEach(r -> perPair.add(Spread.number(r)));
            md.append("| ").append(row.benchmark).append(" | ").append(row.params)
                .append(" | ").append(spread(row.java).text())
                .append(" | ").append(spread(row.c).text())
                .append(" | ").append(String.join(", ", perPair))
                .append(" | ").append(spread(row.ratios).text())
                .append(" | ").append(row.allocation.isEmpty() ? "-" : spread(row.allocation).text())
                .append(" |\n");
        }
        return md.toString();
    }

    private static Spread spread(final List<Double> values)
    {
        return Spread.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Prints (or writes) the table of the given pair files.
     *
     * @param args {@code [--out FILE] PAIR.json...}
     * @throws IOException if a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        final OneThreadReport report = new OneThreadReport();
        Path out = null;
        int files = 0;
        for (int i = 0; i < args.length; i++)
        {
            if (args[i].equals("--out") && i + 1 < args.length)
            {
                out = Path.of(args[++i]);
            }
            else if (args[i].startsWith("-"))
            {
                System.err.println("usage: OneThreadReport [--out FILE] PAIR.json...");
                System.exit(2);
                return;
            }
            else
            {
                report.add(JmhResult.parse(Files.readString(Path.of(args[i]))));
                files++;
            }
        }
        if (files == 0)
        {
            System.err.println("OneThreadReport: no JMH JSON files given (usage: OneThreadReport [--out FILE] PAIR.json...)");
            System.exit(2);
            return;
        }
        final String markdown = report.markdown();
        if (out != null)
        {
            Files.writeString(out, markdown);
        }
        System.out.print(markdown);
    }
}
