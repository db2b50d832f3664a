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

/**
 * Markdown report of {@link XenRingPairedBenchmark} runs ({@code bench/run-crossthread.sh --paired}): every Java
 * iteration divided by the mean of the C iterations just before and after it in the same fork. A pair is
 * {@code same} when those two C figures differ by less than {@link #SAME} of the larger, so the machine kept its
 * state across the pair, and {@code moved} otherwise (its ratio mixes two states and is listed, not summarised).
 * Rows are configurations (parameters), with the median and range of the ratios of their {@code same} pairs, split
 * by the C figure's state: pairs whose C figure lies in the upper half of the configuration's C range against the
 * lower half, so a machine that spent the run in one state shows one populated half.
 * <p>
 * {@code java -cp benchmarks.jar dev.pvring.bench.ring.PairedReport [--out FILE] RUN.json...}
 */
public final class PairedReport
{
    /** Largest relative difference of the two C figures of a pair that still counts as one machine state. */
    static final double SAME = 0.25;

    private final Map<String, List<Pair>> rows = new LinkedHashMap<>();

    /**
     * One Java iteration and the C iterations around it.
     *
     * @param cBefore C figure of the iteration before, Mmsg/s.
     * @param java    Java figure, Mmsg/s.
     * @param cAfter  C figure of the iteration after, Mmsg/s.
     */
    record Pair(double cBefore, double java, double cAfter)
    {
        double c()
        {
            return (cBefore + cAfter) / 2;
        }

        double ratio()
        {
            return java / c();
        }

        boolean same()
        {
            return Math.abs(cBefore - cAfter) < SAME * Math.max(cBefore, cAfter);
        }
    }

    /**
     * Adds the pairs of one JMH run's results.
     *
     * @param results the run.
     */
    void add(final List<JmhResult> results)
    {
        for (final JmhResult result : results)
        {
            if (!result.hasSecondary("c") || !result.hasSecondary("java"))
            {
                continue;
            }
            final double[][] c = result.secondaryIterationsPerFork("c");
            final double[][] java = result.secondaryIterationsPerFork("java");
            final List<Pair> pairs = rows.computeIfAbsent(result.paramsText(), k -> new ArrayList<>());
            for (int f = 0; f < Math.min(c.length, java.length); f++)
            {
                pairs.addAll(pairs(c[f], java[f]));
            }
        }
    }

    /**
     * The pairs of one fork: each iteration where only Java ran, between two where only C ran.
     *
     * @param c    C figure per iteration (0 where Java ran).
     * @param java Java figure per iteration (0 where C ran).
     * @return the pairs, in run order.
     */
    static List<Pair> pairs(final double[] c, final double[] java)
    {
        final List<Pair> pairs = new ArrayList<>();
        for (int i = 1; i + 1 < Math.min(c.length, java.length); i++)
        {
            if (java[i] > 0 && c[i] == 0 && c[i - 1] > 0 && java[i - 1] == 0 && c[i + 1] > 0 && java[i + 1] == 0)
            {
                pairs.add(new Pair(c[i - 1], java[i], c[i + 1]));
            }
        }
        return pairs;
    }

    /**
     * The tables: a summary row per configuration, then every pair.
     *
     * @return markdown.
     */
    String markdown()
    {
        final StringBuilder md = new StringBuilder();
        md.append("| params | pairs (same) | C Mmsg/s, same pairs | Java/C, same pairs, upper C half | ")
            .append("Java/C, same pairs, lower C half | Java/C, all same pairs |\n|---|---|---|---|---|---|\n");
        for (final Map.Entry<String, List<Pair>> row : rows.entrySet())
        {
            final List<Pair> same = row.getValue().stream().filter(Pair::same).toList();
            final double[] cs = same.stream().mapToDouble(Pair::c).toArray();
            final double middle = cs.length == 0 ? 0 : (Spread.of(cs).min() + Spread.of(cs).max()) / 2;
            md.append("| ").append(row.getKey())
                .append(" | ").append(row.getValue().size()).append(" (").append(same.size()).append(')')
                .append(" | ").append(text(cs))
                .append(" | ").append(text(same.stream().filter(p -> p.c() >= middle).mapToDouble(Pair::ratio).toArray()))
                .append(" | ").append(text(same.stream().filter(p -> p.c() < middle).mapToDouble(Pair::ratio).toArray()))
                .append(" | ").append(text(same.stream().mapToDouble(Pair::ratio).toArray()))
                .append(" |\n");
        }
        md.append("\n| params | C before | Java | C after | Java/C | state |\n|---|---|---|---|---|---|\n");
        for (final Map.Entry<String, List<Pair>> row : rows.entrySet())
        {
            for (final Pair pair : row.getValue())
            {
                md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.2f | %s |%n", row.getKey(),
                    pair.cBefore(), pair.java(), pair.cAfter(), pair.ratio(), pair.same() ? "same" : "moved"));
            }
        }
        return md.toString();
    }

    private static String text(final double[] values)
    {
        return values.length == 0 ? "-" : Spread.of(values).text();
    }

    /**
     * Prints (or writes) the report of the given runs.
     *
     * @param args {@code [--out FILE] RUN.json...}
     * @throws IOException if a file cannot be read or written.
     */
    public static void main(final String[] args) throws IOException
    {
        final PairedReport report = new PairedReport();
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
                System.err.println("PairedReport: unknown option: " + args[i] +
                    " (usage: PairedReport [--out FILE] RUN.json...)");
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
            System.err.println("PairedReport: no JMH JSON files given (usage: PairedReport [--out FILE] RUN.json...)");
            System.exit(2);
            return;
        }
        if (report.rows.values().stream().allMatch(List::isEmpty))
        {
            System.err.println("PairedReport: no Java iteration between two C iterations in " + files + " file(s)");
            System.exit(1);
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
