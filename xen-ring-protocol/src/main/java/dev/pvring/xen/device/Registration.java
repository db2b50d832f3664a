/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

/**
 * A duty cycle registered with a {@link DeviceRunner} (directly, or by a file descriptor it watches).
 */
public interface Registration extends AutoCloseable
{
    /**
     * Asks the runner to call the duty cycle soon; callable from any thread (an adapter's reader thread, a
     * timer), wakes a sleeping runner.
     */
    void wake();

    /**
     * Removes the registration (on the runner thread, or from any thread while the runner is stopped); the duty
     * cycle is not called afterwards. Idempotent.
     */
    @Override
    void close();
}
