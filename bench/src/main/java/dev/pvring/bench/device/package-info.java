/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Benchmarks of the device framework ({@code dev.pvring.xen.device}): the runner's event-to-doWork wake-up.
 */
package dev.pvring.bench.device;
