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
 * With {@code -prof gc} runs, a column gives the most bytes per operation ({@code gc.alloc.rate.norm}) of each fork's
 * Java iterations, and {@code --max-bytes-per-op N} makes the report exit with 1 when one allocated more (a copy whose scalar replacement failed in some forks
 * allocated 25-52 B/op at batch 32, PERFORMANCE.md Session 14).
 * <p>
 * {@code java -cp benchmarks.jar dev.pvring.bench.ring.PairedReport [--out FILE] [--max-bytes-per-op N] RUN.json...}
 */
public final class PairedReport
{
    /** Largest relative difference of the two C figures of a pair that still counts as one machine state. */
    static final double SAME = 0.25;
    private static final String USAGE = "usage: PairedReport [--out FILE] [--max-bytes-per-op N] RUN.json...";

    private final Map<String, List<Pair>> rows = new LinkedHashMap<>();
    /** Per configuration and fork, the most bytes per group operation ({@code gc.alloc.rate.norm}) of a Java
     * iteration, when profiled. */
    private final Map<String, List<Double>> allocation = new LinkedHashMap<>();

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
            final List<Double> bytes = allocation.computeIfAbsent(result.paramsText(), k -> new ArrayList<>());
            final double[][] norm = result.secondaryIterationsPerFork("gc.alloc.rate.norm");
            for (int f = 0; f < Math.min(norm.length, java.length); f++)
            {
                // Java iterations only: in a C iteration an operation is a call of 256 steps, so the JVM's own
                // few bytes per iteration show up as bytes per operation of the C side.
                double most = -1;
                for (int i = 0; i < Math.min(norm[f].length, java[f].length); i++)
                {
                    most = java[f][i] > 0 && c[f][i] == 0 ? Math.max(most, norm[f][i]) : most;
                }
                if (most >= 0)
                {
                    bytes.add(most);
                }
            }
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
            .append("Java/C, same pairs, lower C half | Java/C, all same pairs | B/op, Java iterations |\n")
            .append("|---|---|---|---|---|---|---|\n");
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
                .append(" | ").append(text(allocation.getOrDefault(row.getKey(), List.of()).stream()
                    .mapToDouble(Double::doubleValue).toArray()))
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

    /**
     * The largest allocation of any fork, bytes per group operation.
     *
     * @return the figure, 0 when no run was profiled with {@code -prof gc}.
     */
    double maxBytesPerOperation()
    {
        return allocation.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(0);
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
        double maxBytes = Double.POSITIVE_INFINITY;
        int files = 0;
        for (int i = 0; i < args.length; i++)
        {
            if (args[i].equals("--out") && i + 1 < args.length)
            {
                out = Path.of(args[++i]);
            }
            else if (args[i].equals("--max-bytes-per-op") && i + 1 < args.length)
            {
                try
                {
                    maxBytes = Double.parseDouble(args[++i]);
                }
                catch (final NumberFormatException e)
                {
                    System.err.println(
                        "PairedReport: --max-bytes-per-op takes a number: " + args[i] + " (" + USAGE + ")");
                    System.exit(2);
                    return;
                }
            }
            else if (args[i].startsWith("-"))
            {
                System.err.println("PairedReport: unknown option: " + args[i] + " (" + USAGE + ")");
                System.exit(2);
                return;
            }
            else
            {
                final Path file = Path.of(args[i]);
                if (!Files.isReadable(file))
                {
                    System.err.println("PairedReport: cannot read " + file);
                    System.exit(2);
                    return;
                }
                report.add(JmhResult.parse(Files.readString(file)));
                files++;
            }
        }
        if (files == 0)
        {
            System.err.println("PairedReport: no JMH JSON files given (" + USAGE + ")");
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
        if (report.maxBytesPerOperation() > maxBytes)
        {
            System.err.println("PairedReport: a fork allocated " + report.maxBytesPerOperation() +
                " B/op, more than --max-bytes-per-op " + maxBytes);
            System.exit(1);
        }
    }
}
