/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

/**
 * A transport attached to a running {@link Xenstored} with {@link Xenstored#attach(XsStreamTransport, int)}.
 * Thread-safe.
 */
public interface XsTransportHandle extends AutoCloseable
{
    /**
     * Tells the server the peer produced request bytes or consumed reply bytes (call it from the event channel
     * handler); the server thread then services the transport promptly.
     */
    void signal();

    /**
     * Whether the server still serves this transport.
     *
     * @return false once it was dropped or closed.
     */
    boolean isOpen();

    /**
     * Detaches the transport; its watches and transactions are released.
     */
    @Override
    void close();
}
