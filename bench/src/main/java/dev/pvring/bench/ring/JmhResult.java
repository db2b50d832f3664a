/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of a JMH JSON result file: a benchmark in one mode with one parameter set, with its primary and
 * secondary metrics kept per fork (the average of each fork's measurement iterations), the raw iteration values,
 * and for SampleTime the per-fork sample histograms.
 */
final class JmhResult
{
    private final String benchmark;
    private final String mode;
    private final Map<String, String> params;
    private final Map<String, Object> entry;

    private JmhResult(final Map<String, Object> entry)
    {
        this.entry = entry;
        final String fullName = (String)entry.get("benchmark");
        final int methodDot = fullName.lastIndexOf('.');
        this.benchmark = fullName.substring(fullName.lastIndexOf('.', methodDot - 1) + 1);
        this.mode = (String)entry.get("mode");
        final Map<String, String> p = new LinkedHashMap<>();
        final Object rawParams = entry.get("params");
        if (rawParams instanceof Map<?, ?> map)
        {
            map.forEach((k, v) -> p.put(String.valueOf(k), String.valueOf(v)));
        }
        this.params = Collections.unmodifiableMap(p);
    }

    /**
     * Reads every entry of a JMH JSON document.
     *
     * @param json the document text.
     * @return the results, in file order.
     */
    static List<JmhResult> parse(final String json)
    {
        final Object root = Json.parse(json);
        if (!(root instanceof List<?> list))
        {
            throw new IllegalArgumentException("JMH JSON must be an array of results: root=" +
                (root == null ? "null" : root.getClass().getSimpleName()));
        }
        final List<JmhResult> results = new ArrayList<>();
        for (final Object item : list)
        {
            if (!(item instanceof Map<?, ?>))
            {
                throw new IllegalArgumentException("JMH JSON result must be an object: item=" + item);
            }
            @SuppressWarnings("unchecked")
            final Map<String, Object> map = (Map<String, Object>)item;
            results.add(new JmhResult(map));
        }
        return results;
    }

    /**
     * {@code Class.method} of the benchmark (the group name for {@code @Group} benchmarks).
     *
     * @return the short name.
     */
    String benchmark()
    {
        return benchmark;
    }

    /**
     * JMH mode: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}.
     *
     * @return the mode.
     */
    String mode()
    {
        return mode;
    }

    /**
     * A parameter value.
     *
     * @param name parameter name.
     * @return its value, or {@code ""} if the benchmark has no such parameter.
     */
    String param(final String name)
    {
        return params.getOrDefault(name, "");
    }

    /**
     * All parameters as {@code k=v} words.
     *
     * @return the text, {@code ""} without parameters.
     */
    Map<String, String> params()
    {
        return params;
    }

    String paramsText()
    {
        final StringBuilder text = new StringBuilder();
        params.forEach((k, v) -> text.append(text.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return text.toString();
    }

    /**
     * A top-level string or number of the entry ({@code jdkVersion}, {@code forks}, ...).
     *
     * @param name the key.
     * @return its text, or {@code ""}.
     */
    String attribute(final String name)
    {
        final Object value = entry.get(name);
        if (value instanceof Double number && number == Math.rint(number))
        {
            return Long.toString(number.longValue());
        }
        return value == null ? "" : String.valueOf(value);
    }

    /**
     * Whether a secondary metric exists.
     *
     * @param name metric name.
     * @return true if present.
     */
    boolean hasSecondary(final String name)
    {
        return secondaries().containsKey(name);
    }

    /**
     * Per-fork averages of the primary metric.
     *
     * @return one value per fork.
     */
    double[] primaryPerFork()
    {
        return perFork(metric(null));
    }

    /**
     * Per-fork averages of a secondary metric.
     *
     * @param name metric name.
     * @return one value per fork, empty if absent.
     */
    double[] secondaryPerFork(final String name)
    {
        final Map<String, Object> metric = secondary(name);
        return metric == null ? new double[0] : perFork(metric);
    }

    /**
     * Every measurement iteration's value of a secondary metric, all forks together.
     *
     * @param name metric name.
     * @return the values, empty if absent.
     */
    double[] secondaryIterations(final String name)
    {
        final Map<String, Object> metric = secondary(name);
        if (metric == null)
        {
            return new double[0];
        }
        final List<Double> values = new ArrayList<>();
        for (final Object fork : list(metric.get("rawData")))
        {
            for (final Object value : list(fork))
            {
                values.add(number(value));
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Every measurement iteration's value of a secondary metric, fork by fork, in run order.
     *
     * @param name metric name.
     * @return one array per fork, empty if absent.
     */
    double[][] secondaryIterationsPerFork(final String name)
    {
        final Map<String, Object> metric = secondary(name);
        if (metric == null)
        {
            return new double[0][];
        }
        final List<Object> forks = list(metric.get("rawData"));
        final double[][] values = new double[forks.size()][];
        for (int f = 0; f < forks.size(); f++)
        {
            values[f] = list(forks.get(f)).stream().mapToDouble(JmhResult::number).toArray();
        }
        return values;
    }

    /**
     * For SampleTime results: a percentile of each fork's samples (all its measurement iterations merged).
     *
     * @param percentile 0..100.
     * @return one value per fork, empty if the result has no sample histograms.
     */
    double[] samplePercentilePerFork(final double percentile)
    {
        final Object histograms = metric(null).get("rawDataHistogram");
        if (histograms == null)
        {
            return new double[0];
        }
        final List<Object> forks = list(histograms);
        final double[] values = new double[forks.size()];
        for (int f = 0; f < forks.size(); f++)
        {
            final TreeMap<Double, Long> merged = new TreeMap<>();
            long total = 0;
            for (final Object iteration : list(forks.get(f)))
            {
                for (final Object pair : list(iteration))
                {
                    final List<Object> valueCount = list(pair);
                    final long count = (long)number(valueCount.get(1));
                    merged.merge(number(valueCount.get(0)), count, Long::sum);
                    total += count;
                }
            }
            values[f] = percentileOf(merged, total, percentile);
        }
        return values;
    }

    private static double percentileOf(final TreeMap<Double, Long> merged, final long total, final double percentile)
    {
        if (total == 0)
        {
            return Double.NaN;
        }
        final long rank = Math.max(1, (long)Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (final Map.Entry<Double, Long> bucket : merged.entrySet())
        {
            seen += bucket.getValue();
            if (seen >= rank)
            {
                return bucket.getKey();
            }
        }
        return merged.lastKey();
    }

    private Map<String, Object> secondaries()
    {
        final Object value = entry.get("secondaryMetrics");
        @SuppressWarnings("unchecked")
        final Map<String, Object> map = value instanceof Map<?, ?> ? (Map<String, Object>)value : Map.of();
        return map;
    }

    private Map<String, Object> secondary(final String name)
    {
        final Object value = secondaries().get(name);
        @SuppressWarnings("unchecked")
        final Map<String, Object> map = value instanceof Map<?, ?> ? (Map<String, Object>)value : null;
        return map;
    }

    private Map<String, Object> metric(final String secondaryName)
    {
        if (secondaryName != null)
        {
            return secondary(secondaryName);
        }
        @SuppressWarnings("unchecked")
        final Map<String, Object> primary = (Map<String, Object>)entry.get("primaryMetric");
        if (primary == null)
        {
            throw new IllegalArgumentException("JMH result without primaryMetric: benchmark=" + benchmark);
        }
        return primary;
    }

    private static double[] perFork(final Map<String, Object> metric)
    {
        final Object raw = metric.get("rawData");
        if (raw == null)
        {
            return new double[0];
        }
        final List<Object> forks = list(raw);
        final double[] values = new double[forks.size()];
        for (int f = 0; f < forks.size(); f++)
        {
            values[f] = Arrays.stream(list(forks.get(f)).stream().mapToDouble(JmhResult::number).toArray())
                .average().orElse(Double.NaN);
        }
        return values;
    }

    private static List<Object> list(final Object value)
    {
        if (!(value instanceof List<?>))
        {
            throw new IllegalArgumentException("expected a JSON array: value=" + value);
        }
        @SuppressWarnings("unchecked")
        final List<Object> list = (List<Object>)value;
        return list;
    }

    private static double number(final Object value)
    {
        if (value instanceof Double number)
        {
            return number;
        }
        if (value instanceof String text)
        {
            return Double.parseDouble(text);
        }
        throw new IllegalArgumentException("expected a number: value=" + value);
    }
}
