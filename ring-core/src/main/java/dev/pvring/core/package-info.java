/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * pvring's foundation: {@link dev.pvring.core.SharedMemory} (files in /dev/shm or anonymous memory mapped
 * through FFM, viewed as Agrona {@code AtomicBuffer}s), {@link dev.pvring.core.RingIndex} (unsigned 32-bit
 * free-running index math), doorbells ({@link dev.pvring.core.Notifier}, {@link dev.pvring.core.Waiter}:
 * {@link dev.pvring.core.FutexEvent} across processes, {@link dev.pvring.core.ParkingEvent} in process),
 * {@link dev.pvring.core.SpinYieldBlockIdleStrategy} and {@link dev.pvring.core.BatchPublisher}.
 * <p>
 * Ordering vocabulary: a method without suffix is plain; {@code Acquire}, {@code Release}, {@code Volatile},
 * {@code Opaque} and {@code cas} name the memory ordering, as in Agrona's {@code AtomicBuffer}.
 */
package dev.pvring.core;
