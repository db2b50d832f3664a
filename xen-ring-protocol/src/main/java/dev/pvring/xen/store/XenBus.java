/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * XenBus conventions on top of a {@link XenStore}: device directories, the state machine and the toolstack step.
 * <ul>
 *   <li>Frontend directory {@code /local/domain/<fe>/device/<type>/<devid>} with {@code backend} (full path),
 *       {@code backend-id} and {@code state}; backend directory {@code /local/domain/<be>/backend/<type>/<fe>/<devid>}
 *       with {@code frontend}, {@code frontend-id}, {@code online} and {@code state}.</li>
 *   <li>States are decimal strings ({@link XenbusState}); each end watches the other's {@code state} with a
 *       {@link XenbusStateWatch} and waits on its own thread with a timeout.</li>
 *   <li>Drivers use the other end's path exactly as given in {@code backend}/{@code frontend} (blktap uses
 *       {@code vbd3}, QEMU {@code qdisk}); it is validated as a xenstore path, never trusted further.</li>
 * </ul>
 * Stateless; every method is thread-safe if the store is.
 */
public final class XenBus
{
    /** States in which the other end is closing or gone (a missing node reads as Unknown). */
    public static final Set<XenbusState> CLOSING_OR_GONE =
        Collections.unmodifiableSet(EnumSet.of(XenbusState.CLOSING, XenbusState.CLOSED, XenbusState.UNKNOWN));

    private XenBus()
    {
    }

    /**
     * Frontend directory.
     *
     * @param frontendDomid frontend domain.
     * @param type          device type.
     * @param devid         device id.
     * @return {@code /local/domain/<fe>/device/<type>/<devid>}.
     */
    public static String frontendPath(final int frontendDomid, final String type, final int devid)
    {
        return XsPaths.domainPath(frontendDomid) + "/device/" + type + "/" + devid;
    }

    /**
     * Backend directory.
     *
     * @param backendDomid  backend domain.
     * @param type          device type.
     * @param frontendDomid frontend domain.
     * @param devid         device id.
     * @return {@code /local/domain/<be>/backend/<type>/<fe>/<devid>}.
     */
    public static String backendPath(
        final int backendDomid, final String type, final int frontendDomid, final int devid)
    {
        return XsPaths.domainPath(backendDomid) + "/backend/" + type + "/" + frontendDomid + "/" + devid;
    }

    /**
     * The state node of a device directory.
     *
     * @param deviceDir device directory.
     * @return {@code <dir>/state}.
     */
    public static String statePath(final String deviceDir)
    {
        return deviceDir + "/state";
    }

    /**
     * Reads a state node (peer data): a missing, unreadable or garbage node reads as {@link XenbusState#UNKNOWN},
     * as Linux {@code xenbus_read_driver_state} does; a broken connection still throws.
     *
     * @param store     xenstore.
     * @param statePath the {@code state} node.
     * @return the state.
     */
    public static XenbusState readState(final XenStore store, final String statePath)
    {
        try
        {
            return XenbusState.parse(store.read(XenStore.NO_TRANSACTION, statePath));
        }
        catch (final XenStoreException ex)
        {
            if (ex.isConnectionBroken())
            {
                throw ex;
            }
            return XenbusState.UNKNOWN;
        }
    }

    /**
     * Writes this end's state.
     *
     * @param store     xenstore.
     * @param deviceDir this end's device directory.
     * @param state     new state.
     */
    public static void switchState(final XenStore store, final String deviceDir, final XenbusState state)
    {
        store.write(XenStore.NO_TRANSACTION, statePath(deviceDir), state.wireValue());
    }

    /**
     * Starts watching the other end's state.
     *
     * @param store          xenstore.
     * @param otherDeviceDir the other end's device directory.
     * @return the watch; close it when done.
     */
    public static XenbusStateWatch watchState(final XenStore store, final String otherDeviceDir)
    {
        return new XenbusStateWatch(store, otherDeviceDir);
    }

    /**
     * Reads the other end's directory from {@code backend} (frontend side) or {@code frontend} (backend side).
     *
     * @param store     xenstore.
     * @param deviceDir this end's device directory.
     * @param key       {@code backend} or {@code frontend}.
     * @return the path if it is a valid absolute xenstore path, else {@code null} (peer data: never throws on it).
     */
    public static String readOtherEnd(final XenStore store, final String deviceDir, final String key)
    {
        final String value = store.readStringOrNull(XenStore.NO_TRANSACTION, deviceDir + "/" + key);
        if (null == value || !value.startsWith("/") ||
            !value.equals(XsPaths.canonicalize(value, XsPaths.ROOT, false)))
        {
            return null;
        }
        return value;
    }

    /**
     * The toolstack's private record of a device (libxl {@code libxl_path}).
     *
     * @param frontendDomid frontend domain.
     * @param type          device (frontend) type.
     * @param devid         device id.
     * @return {@code /libxl/<fe>/device/<type>/<devid>}.
     */
    public static String toolstackPath(final int frontendDomid, final String type, final int devid)
    {
        return "/libxl/" + frontendDomid + "/device/" + type + "/" + devid;
    }

    /**
     * The toolstack step (dom0), as libxl's {@code libxl__device_add} and {@code libxl__device_generic_add} write
     * it, in one transaction retried on {@code EAGAIN}:
     * <ul>
     *   <li>frontend directory, permissions {@code n<fe> r<be>} (the frontend owns it, the backend domain may
     *       read it): {@code backend}, {@code backend-id}, {@code state} = 1 (Initialising) and the
     *       {@link XenbusDevice#frontendKeys()}; the {@link XenbusDevice#readOnlyFrontendKeys()} with
     *       {@code n<be> r<fe>} (libxl {@code ro_fents}, e.g. vif {@code mtu});</li>
     *   <li>backend directory, permissions {@code n<be> r<fe>}: {@code frontend}, {@code frontend-id},
     *       {@code online} = 1, {@code state} = 1 and the {@link XenbusDevice#backendKeys()};</li>
     *   <li>{@link XenbusDevice#toolstackPath()} ({@code /libxl/<fe>/device/<type>/<devid>}, dom0 only):
     *       {@code frontend}, {@code backend} and a copy of every backend key, so the device can be removed
     *       without trusting the backend.</li>
     * </ul>
     * Keys inherit their directory's permissions (xenstored copies the parent's on creation). Ancestors missing
     * because the domain was not built by {@link Toolstack#createDomain} are created as libxl's domain builder
     * would have: {@code /local/domain/<d>} and {@code /local/domain/<d>/device} with {@code n0 r<d>} (dom0's
     * home {@code n0}); deeper ones inherit. Like libxl, a device that already exists (its toolstack record does)
     * is refused; stale frontend or backend directories without a record are replaced.
     *
     * @param dom0   a privileged xenstore connection.
     * @param device the device.
     * @throws IllegalStateException if the device already exists.
     */
    public static void createDevice(final XenStore dom0, final XenbusDevice device)
    {
        final int fe = device.frontendDomid();
        final int be = device.backendDomid();
        final String front = device.frontendPath();
        final String back = device.backendPath();
        final String record = device.toolstackPath();
        final List<XsPermission> frontendPerms = List.of(
            new XsPermission(fe, XsAccess.NONE), new XsPermission(be, XsAccess.READ));
        final List<XsPermission> backendPerms = List.of(
            new XsPermission(be, XsAccess.NONE), new XsPermission(fe, XsAccess.READ));
        final Map<String, String> backendKeys = new LinkedHashMap<>();
        backendKeys.put("frontend-id", Integer.toString(fe));
        backendKeys.put("online", "1");
        backendKeys.put("state", XenbusState.INITIALISING.wireValue());
        backendKeys.putAll(new TreeMap<>(device.backendKeys()));
        dom0.transaction(tx ->
        {
            if (null != dom0.readStringOrNull(tx, record))
            {
                throw new IllegalStateException("device already exists in xenstore: path=" + record);
            }
            ensureDomainHome(dom0, tx, fe, true);
            ensureDomainHome(dom0, tx, be, false);
            dom0.write(tx, record + "/frontend", front);
            dom0.write(tx, record + "/backend", back);

            rmIfPresent(dom0, tx, front);
            dom0.mkdir(tx, front);
            dom0.setPermissions(tx, front, frontendPerms);
            dom0.write(tx, front + "/backend", back);
            dom0.write(tx, front + "/backend-id", Integer.toString(be));
            dom0.write(tx, statePath(front), XenbusState.INITIALISING.wireValue());
            for (final Map.Entry<String, String> e : new TreeMap<>(device.frontendKeys()).entrySet())
            {
                writeWithPerms(dom0, tx, front + "/" + e.getKey(), e.getValue(), frontendPerms);
            }
            final List<XsPermission> readOnlyPerms = backendPerms;
            for (final Map.Entry<String, String> e : new TreeMap<>(device.readOnlyFrontendKeys()).entrySet())
            {
                writeWithPerms(dom0, tx, front + "/" + e.getKey(), e.getValue(), readOnlyPerms);
            }

            rmIfPresent(dom0, tx, back);
            dom0.mkdir(tx, back);
            dom0.setPermissions(tx, back, backendPerms);
            dom0.write(tx, back + "/frontend", front);
            for (final Map.Entry<String, String> e : backendKeys.entrySet())
            {
                dom0.write(tx, back + "/" + e.getKey(), e.getValue());
                dom0.write(tx, record + "/" + e.getKey(), e.getValue());
            }
            return null;
        });
    }

    /**
     * The toolstack's final removal (libxl {@code libxl__device_destroy}), in one transaction: removes the
     * frontend directory, the toolstack record and the backend directory, each with its parents that became empty
     * (libxl {@code libxl__xs_path_cleanup}: an ancestor goes if its value is empty and it has no children). It
     * does not ask the backend to close first: {@link Toolstack#removeDevice} does that.
     *
     * @param dom0   a privileged xenstore connection.
     * @param device the device.
     */
    public static void destroyDevice(final XenStore dom0, final XenbusDevice device)
    {
        dom0.transaction(tx ->
        {
            pathCleanup(dom0, tx, device.frontendPath());
            pathCleanup(dom0, tx, device.toolstackPath());
            pathCleanup(dom0, tx, device.backendPath());
            return null;
        });
    }

    /**
     * libxl {@code libxl__xs_path_cleanup}: removes {@code path} (if present), then each ancestor whose value is
     * empty and which has no children left, stopping at the first that is not.
     *
     * @param store xenstore.
     * @param tx    transaction.
     * @param path  the node to remove.
     */
    static void pathCleanup(final XenStore store, final int tx, final String path)
    {
        rmIfPresent(store, tx, path);
        String p = XsPaths.parent(path);
        while (!XsPaths.ROOT.equals(p))
        {
            final String value = store.readStringOrNull(tx, p);
            if (null == value || !value.isEmpty() || !store.directory(tx, p).isEmpty())
            {
                return;
            }
            store.rm(tx, p);
            p = XsPaths.parent(p);
        }
    }

    /** {@code xs_rm} ignoring {@code ENOENT} (libxl does the same). */
    static void rmIfPresent(final XenStore store, final int tx, final String path)
    {
        try
        {
            store.rm(tx, path);
        }
        catch (final XenStoreException ex)
        {
            if (!ex.is(XsError.ENOENT))
            {
                throw ex;
            }
        }
    }

    private static void writeWithPerms(
        final XenStore dom0, final int tx, final String path, final String value, final List<XsPermission> perms)
    {
        dom0.write(tx, path, value);
        dom0.setPermissions(tx, path, perms);
    }

    /**
     * Creates {@code /local/domain/<d>} (and, for a frontend, its {@code device} directory) as libxl's domain
     * builder does, if the domain was not built by the toolstack.
     */
    private static void ensureDomainHome(final XenStore dom0, final int tx, final int domid, final boolean device)
    {
        final String home = XsPaths.domainPath(domid);
        final List<XsPermission> perms = 0 == domid ? List.of(new XsPermission(0, XsAccess.NONE)) :
            List.of(new XsPermission(0, XsAccess.NONE), new XsPermission(domid, XsAccess.READ));
        if (null == dom0.readStringOrNull(tx, home))
        {
            dom0.mkdir(tx, home);
            dom0.setPermissions(tx, home, perms);
        }
        if (device && null == dom0.readStringOrNull(tx, home + "/device"))
        {
            dom0.mkdir(tx, home + "/device");
            dom0.setPermissions(tx, home + "/device", perms);
        }
    }

    /**
     * The close sequence of one end: switch to Closing, wait (bounded) for the other end to reach Closing, Closed
     * or to vanish, then switch to Closed.
     *
     * @param store     xenstore.
     * @param ownDir    this end's device directory.
     * @param otherEnd  watch on the other end's state.
     * @param timeout   maximum wait for the other end.
     * @param unit      unit of {@code timeout}.
     * @return true if the other end acknowledged in time; this end is Closed either way.
     */
    public static boolean close(
        final XenStore store,
        final String ownDir,
        final XenbusStateWatch otherEnd,
        final long timeout,
        final TimeUnit unit)
    {
        switchState(store, ownDir, XenbusState.CLOSING);
        final XenbusState seen = otherEnd.await(CLOSING_OR_GONE, timeout, unit);
        switchState(store, ownDir, XenbusState.CLOSED);
        return null != seen;
    }
}
