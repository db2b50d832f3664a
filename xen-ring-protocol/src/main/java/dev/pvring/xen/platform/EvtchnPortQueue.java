/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

/**
 * The kernel's queue of fired ports behind {@code /dev/xen/evtchn}, as {@link EvtchnPending} needs it: the
 * driver masks a port when it queues it, and delivers it again only after the port is written back. An
 * interface so the drain logic can be tested without a Xen host.
 */
interface EvtchnPortQueue
{
    /**
     * One non-blocking read of queued ports.
     *
     * @param ports receives at most {@code ports.length} port numbers.
     * @return how many were written (0 if none is queued or the read failed).
     */
    int read(int[] ports);

    /**
     * Writes one port back, re-enabling its delivery (an end of interrupt).
     *
     * @param port the port.
     */
    void unmask(int port);
}
