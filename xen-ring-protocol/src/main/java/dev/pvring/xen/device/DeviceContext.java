/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.GrantTable;
import dev.pvring.xen.platform.Platform;

/**
 * What both ends of a device see while connecting: identity, paths, the platform, and a way to refuse. Valid
 * only during the driver's {@code connect} callback, on the runner thread; everything it hands out
 * ({@link RingPages}, ports, {@link GrantedPages}) belongs to the connection and is released by the framework
 * after the driver's {@code disconnect}, exactly once.
 */
public interface DeviceContext
{
    /**
     * Device type.
     *
     * @return e.g. {@code vif}, {@code vbd}.
     */
    String type();

    /**
     * Device id.
     *
     * @return e.g. 0 or 51712.
     */
    int devid();

    /**
     * Frontend domain.
     *
     * @return its domid.
     */
    int frontendDomid();

    /**
     * Backend domain.
     *
     * @return its domid.
     */
    int backendDomid();

    /**
     * Frontend directory.
     *
     * @return {@code /local/domain/<fe>/device/<type>/<devid>}.
     */
    String frontendPath();

    /**
     * Backend directory (as the toolstack wrote it).
     *
     * @return {@code /local/domain/<be>/backend/<type>/<fe>/<devid>}.
     */
    String backendPath();

    /**
     * How many times this device connected before (0 on the first connect); a driver keeps requests across
     * generations and re-issues them on the fresh rings.
     *
     * @return the generation of the connection being made.
     */
    int generation();

    /**
     * The platform (grant table, event channels, pages); the data path keeps what it needs.
     *
     * @return the platform.
     */
    Platform platform();

    /**
     * Shortcut for {@code platform().eventChannels()}.
     *
     * @return the event channels.
     */
    default EventChannels eventChannels()
    {
        return platform().eventChannels();
    }

    /**
     * Shortcut for {@code platform().grantTable()}.
     *
     * @return the grant table.
     */
    default GrantTable grantTable()
    {
        return platform().grantTable();
    }

    /**
     * Refuses the connection (bad or missing peer keys, no memory): the framework releases what was acquired,
     * writes {@code error} in this end's directory and closes the device. The driver's {@code connect} then
     * returns {@code null}.
     *
     * @param reason what went wrong, with {@code name=value} details.
     */
    void fail(String reason);

    /**
     * The reason given to {@link #fail(String)} or by a failed framework call of this context.
     *
     * @return the reason, or {@code null}.
     */
    String failure();
}
