/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * jcstress proofs of ring-core's memory-ordering protocols: the futex doorbell's publish-then-wake (no lost
 * wake-up, a notification publishes the data before it) and release/acquire publication through an Agrona
 * {@code AtomicBuffer} over {@code SharedMemory}. Each scenario is a nested {@code @JCStressTest} whose javadoc
 * names the Java Memory Model rule it relies on; every scenario lists its acceptable outcomes and forbids
 * everything else. See {@code stress/README.md}.
 */
package dev.pvring.stress.core;
