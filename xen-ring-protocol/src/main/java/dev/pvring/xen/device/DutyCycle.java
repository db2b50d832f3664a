/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

/**
 * One unit of a device's work, called over and over by a {@link DeviceRunner} (or by an embedder's own thread),
 * in the style of Agrona's {@code Agent}: do whatever is ready without blocking, say how much that was.
 * <p>
 * Contract: return a positive count while there may be more to do right away (the runner calls again before
 * sleeping), 0 when everything visible is done. Before returning 0 a data path re-arms its wake-ups (e.g.
 * {@code FrontRing.finalCheckForResponses()}), so a peer's next push notifies the port the runner sleeps on.
 * Never throws on peer data; never blocks.
 */
@FunctionalInterface
public interface DutyCycle
{
    /**
     * Does the work that is ready.
     *
     * @return work done (positive: call again soon; 0: idle until the next wake-up).
     */
    int doWork();
}
