/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.ByteBuffer;

import dev.pvring.core.Notifier;
import dev.pvring.xen.ring.DuplexByteRing;
import dev.pvring.xen.ring.RingStatus;
import dev.pvring.xen.ring.XenstoreRing;
import dev.pvring.xen.ring.XenstoreRingDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Serves a guest through a xenstore ring page ({@code struct xenstore_domain_interface}) instead of a socket:
 * plug it into {@link Xenstored#attach(XsStreamTransport, int)} and call {@link XsTransportHandle#signal()}
 * whenever the guest's event channel fires. Replies and watch events go into the {@code rsp} ring and the
 * guest is notified after each write that moved bytes.
 * <p>
 * The server advertises {@code XENSTORE_SERVER_FEATURE_ERROR}; a guest that corrupts the ring indices gets
 * {@code error = XENSTORE_ERROR_RINGIDX} and its connection is dropped (never an exception, never an
 * out-of-bounds access). Used only from the xenstored thread.
 */
public final class XenstoreRingTransport implements XsStreamTransport
{
    private final AtomicBuffer page;
    private final int base;
    private final DuplexByteRing ring;
    private final Notifier guest;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    /**
     * Attaches the server end of a xenstore page (the guest owns its initial zero state).
     *
     * @param page  mapping of the page.
     * @param base  offset of the interface in it.
     * @param guest doorbell to the guest's event channel.
     */
    public XenstoreRingTransport(final AtomicBuffer page, final int base, final Notifier guest)
    {
        this.page = page;
        this.base = base;
        this.ring = XenstoreRing.server(page, base);
        this.guest = guest;
        page.putIntRelease(base + XenstoreRingDescriptor.SERVER_FEATURES_OFFSET,
            XenstoreRingDescriptor.SERVER_FEATURE_ERROR);
    }

    @Override
    public int read(final ByteBuffer dst)
    {
        view.wrap(dst);
        final int n = ring.read(view, dst.position(), dst.remaining());
        if (n == RingStatus.BROKEN)
        {
            return broken();
        }
        if (n > 0)
        {
            dst.position(dst.position() + n);
            guest.notifyPeer(); // space freed in req
        }
        return n;
    }

    @Override
    public int write(final ByteBuffer src)
    {
        view.wrap(src);
        final int n = ring.write(view, src.position(), src.remaining());
        if (n == RingStatus.BROKEN)
        {
            broken();
            return 0;
        }
        if (n > 0)
        {
            src.position(src.position() + n);
            guest.notifyPeer(); // reply bytes in rsp
        }
        return n;
    }

    private int broken()
    {
        page.putIntRelease(base + XenstoreRingDescriptor.ERROR_OFFSET, XenstoreRingDescriptor.ERROR_RINGIDX);
        guest.notifyPeer();
        return -1;
    }
}
