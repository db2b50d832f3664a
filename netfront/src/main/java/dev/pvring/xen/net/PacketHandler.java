/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

/**
 * Receives packets from a data path. The packet is only valid during the call (its buffer is reused): copy
 * what you keep.
 */
@FunctionalInterface
public interface PacketHandler
{
    /**
     * One packet arrived.
     *
     * @param packet frame and metadata, valid during the call.
     */
    void onPacket(NetPacket packet);
}
