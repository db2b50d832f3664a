/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import dev.pvring.xen.store.XenbusState;

/**
 * A snapshot of one device as its lifecycle sees it, for tools and tests.
 *
 * @param type          device type.
 * @param devid         device id.
 * @param frontendDomid frontend domain.
 * @param backendDomid  backend domain.
 * @param phase         the lifecycle's phase (its row in the state table).
 * @param peerState     the other end's XenBus state last read.
 * @param connections   how many connections were made so far.
 * @param disconnects   how many of them ended (each released exactly once).
 * @param failure       the last failure reason, or {@code null}.
 */
public record DeviceStatus(
    String type,
    int devid,
    int frontendDomid,
    int backendDomid,
    String phase,
    XenbusState peerState,
    int connections,
    int disconnects,
    String failure)
{
    /**
     * Whether the device has a live connection.
     *
     * @return true if connections exceed disconnects.
     */
    public boolean isConnected()
    {
        return connections > disconnects;
    }
}
