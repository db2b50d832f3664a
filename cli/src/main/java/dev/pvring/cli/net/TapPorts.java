/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.net;

import dev.pvring.xen.net.NetPacket;
import dev.pvring.xen.net.TapPort;
import dev.pvring.xen.net.back.NetbackDriver;

/**
 * A {@link TapPort} as the packet port of a netfront or netback vif.
 */
final class TapPorts implements NetbackDriver.Port
{
    private final TapPort tap;

    TapPorts(final TapPort tap)
    {
        this.tap = tap;
    }

    TapPort tap()
    {
        return tap;
    }

    @Override
    public boolean read(final NetPacket packet)
    {
        return tap.read(packet);
    }

    @Override
    public void write(final NetPacket packet)
    {
        tap.write(packet);
    }

    @Override
    public int fd()
    {
        return tap.device().fd();
    }

    @Override
    public void close()
    {
        tap.close();
    }
}
