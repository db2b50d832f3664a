/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.util.Map;

/**
 * A PV device as the toolstack creates it: its type ({@code vif}, {@code vbd}, {@code vchan}...), id, the two
 * domains and extra keys for each end.
 *
 * @param type           device type, a xenstore path component.
 * @param devid          device id (vif 0, vbd 51712...).
 * @param frontendDomid  domain running the frontend.
 * @param backendDomid   domain running the backend.
 * @param frontendKeys   extra keys written in the frontend directory (may be empty).
 * @param backendKeys    extra keys written in the backend directory (may be empty).
 */
public record XenbusDevice(
    String type,
    int devid,
    int frontendDomid,
    int backendDomid,
    Map<String, String> frontendKeys,
    Map<String, String> backendKeys)
{
    /**
     * Checks the fields.
     *
     * @param type          device type.
     * @param devid         device id.
     * @param frontendDomid frontend domain.
     * @param backendDomid  backend domain.
     * @param frontendKeys  extra frontend keys.
     * @param backendKeys   extra backend keys.
     */
    public XenbusDevice
    {
        if (null == type || type.isEmpty() || type.indexOf('/') >= 0 || !XsPaths.validChars(type))
        {
            throw new IllegalArgumentException("type must be one path component: type=" + type);
        }
        if (devid < 0)
        {
            throw new IllegalArgumentException("devid must not be negative: devid=" + devid);
        }
        if (frontendDomid < 0 || frontendDomid > XsPermission.MAX_DOMID ||
            backendDomid < 0 || backendDomid > XsPermission.MAX_DOMID)
        {
            throw new IllegalArgumentException("domids must be 0..65535: frontendDomid=" + frontendDomid +
                " backendDomid=" + backendDomid);
        }
        frontendKeys = Map.copyOf(null == frontendKeys ? Map.of() : frontendKeys);
        backendKeys = Map.copyOf(null == backendKeys ? Map.of() : backendKeys);
    }

    /**
     * A device without extra keys.
     *
     * @param type          device type.
     * @param devid         device id.
     * @param frontendDomid frontend domain.
     * @param backendDomid  backend domain.
     * @return the device.
     */
    public static XenbusDevice of(final String type, final int devid, final int frontendDomid, final int backendDomid)
    {
        return new XenbusDevice(type, devid, frontendDomid, backendDomid, Map.of(), Map.of());
    }

    /**
     * Frontend directory.
     *
     * @return {@code /local/domain/<fe>/device/<type>/<devid>}.
     */
    public String frontendPath()
    {
        return XenBus.frontendPath(frontendDomid, type, devid);
    }

    /**
     * Backend directory.
     *
     * @return {@code /local/domain/<be>/backend/<type>/<fe>/<devid>}.
     */
    public String backendPath()
    {
        return XenBus.backendPath(backendDomid, type, frontendDomid, devid);
    }
}
