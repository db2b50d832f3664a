/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A byte stream carrying one xenstore client to {@link Xenstored} other than a unix socket, for example the
 * xenstore ring page of a domain ({@code struct xenstore_domain_interface}). Both calls must not block: the server
 * thread calls them when the transport was {@linkplain XsTransportHandle#signal() signalled} and at a short
 * polling interval. The peer is hostile: a transport validates its ring indexes and reports a broken ring as
 * end of stream rather than throwing.
 */
public interface XsStreamTransport
{
    /**
     * Moves available request bytes into {@code dst}.
     *
     * @param dst destination; its position advances.
     * @return bytes read (0 if none now), or -1 if the peer is gone or the stream is broken.
     * @throws IOException on a transport failure (the connection is then dropped).
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Moves reply bytes from {@code src} as far as there is room.
     *
     * @param src source; its position advances.
     * @return bytes written (0 if no room now).
     * @throws IOException on a transport failure (the connection is then dropped).
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * Called once when xenstored drops the connection (peer gone, protocol violation, domain released, server
     * closed).
     */
    default void closed()
    {
    }
}
