/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Benchmarks of the Xen PV network drivers on the simulated platform: netfront (the JMH thread) and netback (a
 * second JVM) ring to ring, packets handed to and taken from the drivers directly (no TAP).
 */
package dev.pvring.bench.net;
