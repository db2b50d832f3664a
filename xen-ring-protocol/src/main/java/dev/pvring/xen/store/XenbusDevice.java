/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.util.Map;
import java.util.Set;

/**
 * A PV device as the toolstack creates it ({@link XenBus#createDevice}): its type ({@code vif}, {@code vbd},
 * {@code vchan}...), id, the two domains, the backend kind and the extra keys for each end, split as libxl splits
 * them: {@code frontendKeys} (libxl {@code fents}: owned by the frontend), {@code readOnlyFrontendKeys} (libxl
 * {@code ro_fents}, e.g. vif {@code mtu}: in the frontend directory but owned by the backend domain, so the guest
 * cannot change them) and {@code backendKeys} (libxl {@code bents}). The toolstack's own keys ({@code backend},
 * {@code backend-id}, {@code state}; {@code frontend}, {@code frontend-id}, {@code online}, {@code state}) are
 * written by {@link XenBus#createDevice} and may not be given here. {@link Toolstack} builds libxl's key sets for
 * {@code vif} and {@code vbd}.
 *
 * @param type                 device (frontend) kind, a xenstore path component: {@code device/<type>/<devid>}.
 * @param devid                device id (vif 0, vbd 51712...).
 * @param frontendDomid        domain running the frontend.
 * @param backendDomid         domain running the backend.
 * @param frontendKeys         extra keys in the frontend directory, owned by the frontend (may be empty).
 * @param backendKeys          extra keys in the backend directory (may be empty).
 * @param readOnlyFrontendKeys extra keys in the frontend directory owned by the backend domain (may be empty).
 * @param backendType          backend kind: {@code backend/<backendType>/<fe>/<devid>}; usually {@code type}
 *                             (libxl: {@code qdisk} or {@code vbd3} for some disks).
 */
public record XenbusDevice(
    String type,
    int devid,
    int frontendDomid,
    int backendDomid,
    Map<String, String> frontendKeys,
    Map<String, String> backendKeys,
    Map<String, String> readOnlyFrontendKeys,
    String backendType)
{
    /** Frontend keys the toolstack writes itself. */
    public static final Set<String> TOOLSTACK_FRONTEND_KEYS = Set.of("backend", "backend-id", "state");
    /** Backend keys the toolstack writes itself. */
    public static final Set<String> TOOLSTACK_BACKEND_KEYS = Set.of("frontend", "frontend-id", "online", "state");

    /**
     * Checks the fields.
     *
     * @param type                 device type.
     * @param devid                device id.
     * @param frontendDomid        frontend domain.
     * @param backendDomid         backend domain.
     * @param frontendKeys         extra frontend keys.
     * @param backendKeys          extra backend keys.
     * @param readOnlyFrontendKeys extra frontend keys owned by the backend domain.
     * @param backendType          backend kind ({@code null}: same as {@code type}).
     */
    public XenbusDevice
    {
        checkComponent("type", type);
        backendType = null == backendType ? type : backendType;
        checkComponent("backendType", backendType);
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
        frontendKeys = checkKeys("frontendKeys", frontendKeys, TOOLSTACK_FRONTEND_KEYS);
        backendKeys = checkKeys("backendKeys", backendKeys, TOOLSTACK_BACKEND_KEYS);
        readOnlyFrontendKeys = checkKeys("readOnlyFrontendKeys", readOnlyFrontendKeys, TOOLSTACK_FRONTEND_KEYS);
        for (final String key : readOnlyFrontendKeys.keySet())
        {
            if (frontendKeys.containsKey(key))
            {
                throw new IllegalArgumentException(
                    "key is both a frontend and a read-only frontend key: key=" + key);
            }
        }
    }

    /**
     * A device whose backend kind is its type and whose frontend keys are all owned by the frontend.
     *
     * @param type          device type.
     * @param devid         device id.
     * @param frontendDomid frontend domain.
     * @param backendDomid  backend domain.
     * @param frontendKeys  extra frontend keys.
     * @param backendKeys   extra backend keys.
     */
    public XenbusDevice(
        final String type,
        final int devid,
        final int frontendDomid,
        final int backendDomid,
        final Map<String, String> frontendKeys,
        final Map<String, String> backendKeys)
    {
        this(type, devid, frontendDomid, backendDomid, frontendKeys, backendKeys, Map.of(), type);
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
     * @return {@code /local/domain/<be>/backend/<backendType>/<fe>/<devid>}.
     */
    public String backendPath()
    {
        return XenBus.backendPath(backendDomid, backendType, frontendDomid, devid);
    }

    /**
     * The toolstack's private record of the device (libxl {@code libxl_path}): {@code frontend}, {@code backend}
     * and a copy of the backend keys, so the device can be found and removed without trusting the backend.
     *
     * @return {@code /libxl/<fe>/device/<type>/<devid>}.
     */
    public String toolstackPath()
    {
        return XenBus.toolstackPath(frontendDomid, type, devid);
    }

    private static void checkComponent(final String name, final String value)
    {
        if (null == value || value.isEmpty() || value.indexOf('/') >= 0 || !XsPaths.validChars(value))
        {
            throw new IllegalArgumentException(name + " must be one path component: " + name + "=" + value);
        }
    }

    private static Map<String, String> checkKeys(
        final String name, final Map<String, String> keys, final Set<String> reserved)
    {
        final Map<String, String> copy = Map.copyOf(null == keys ? Map.of() : keys);
        for (final String key : copy.keySet())
        {
            if (key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("//") ||
                !XsPaths.validChars(key))
            {
                throw new IllegalArgumentException(name + " key must be a relative path: key=" + key);
            }
            if (reserved.contains(key))
            {
                throw new IllegalArgumentException(name + " key is written by the toolstack: key=" + key);
            }
        }
        return copy;
    }
}
