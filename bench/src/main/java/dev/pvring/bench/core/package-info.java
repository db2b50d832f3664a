/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * JMH benchmarks of ring-core: futex doorbell wake-up round trips across threads and processes, and the
 * unsigned ring index arithmetic on hot paths. See {@code bench/README.md} for how to run them and where the
 * HdrHistogram percentiles and per-round-trip counters appear.
 */
package dev.pvring.bench.core;
