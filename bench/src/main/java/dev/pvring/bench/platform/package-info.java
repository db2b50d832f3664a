/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Benchmarks of the simulated platform: event channel notify-to-wake round trips (across processes, as in
 * the C futex ping-pong anchor of {@code perf-kit}), grant map/unmap, grant copy and grant/end access.
 */
package dev.pvring.bench.platform;
