/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

/**
 * What a frontend driver supplies: the callbacks of one device, all called on the runner thread. The framework
 * ({@link FrontendDevice}) drives the states, writes the keys in one transaction, wakes the data path and frees
 * what the connection held. The driver object lives across connections: requests in flight when a connection
 * ends stay with the driver, which re-issues them (or fails them) exactly once on the next connection, as
 * Linux blkfront does after a backend restart.
 *
 * @param <P> the driver's per-connection data path.
 */
public interface FrontendDriver<P extends DutyCycle>
{
    /**
     * The device type ({@code vif}, {@code vbd}, {@code pvring-echo}...).
     *
     * @return a xenstore path component.
     */
    String type();

    /**
     * The backend is in InitWait: read its features, grant the ring(s), allocate the channel(s) and record any
     * other keys through {@code device}; the framework then writes them all in one transaction and switches to
     * Initialised. Requests must not be pushed before {@link #connected}.
     *
     * @param device the connecting device.
     * @return the data path, or {@code null} after {@link DeviceContext#fail(String)}.
     */
    P connect(FrontendContext device);

    /**
     * The backend is Connected: the data path may issue requests (re-issue held ones first).
     *
     * @param path the data path {@link #connect} returned.
     */
    void connected(P path);

    /**
     * The connection ends: stop touching the shared memory and take back every request in flight (to re-issue on
     * the next connection or fail). The framework then ends the grants and closes the ports. Called exactly once
     * per successful {@link #connect}.
     *
     * @param path        the data path.
     * @param backendLost true if the backend went away (closed, removed, dead); false on a local close.
     */
    void disconnect(P path, boolean backendLost);
}
