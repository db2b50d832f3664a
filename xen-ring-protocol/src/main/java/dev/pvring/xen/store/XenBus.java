/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
     * The toolstack step (dom0): creates both device directories, owned by their end and readable by the other
     * (libxl: frontend {@code n<fe> r<be>}, backend {@code n<be> r<fe>}), with {@code backend},
     * {@code backend-id}, {@code frontend}, {@code frontend-id}, {@code online} = 1, both {@code state} =
     * Initialising and the extra keys, in one transaction retried on conflict. Missing ancestors are created
     * owned by the domain whose tree they are in ({@code /local/domain/<d>} itself: {@code n0 r<d>}), so each
     * end can list its own devices.
     *
     * @param dom0   a privileged xenstore connection.
     * @param device the device.
     */
    public static void createDevice(final XenStore dom0, final XenbusDevice device)
    {
        final int fe = device.frontendDomid();
        final int be = device.backendDomid();
        final String front = device.frontendPath();
        final String back = device.backendPath();
        dom0.transaction(tx ->
        {
            ensureDomainTree(dom0, tx, fe, XsPaths.domainPath(fe) + "/device/" + device.type());
            ensureDomainTree(dom0, tx, be,
                XsPaths.domainPath(be) + "/backend/" + device.type() + "/" + fe);
            dom0.rm(tx, front);
            dom0.rm(tx, back);
            dom0.mkdir(tx, front);
            dom0.setPermissions(tx, front, List.of(
                new XsPermission(fe, XsAccess.NONE), new XsPermission(be, XsAccess.READ)));
            dom0.mkdir(tx, back);
            dom0.setPermissions(tx, back, List.of(
                new XsPermission(be, XsAccess.NONE), new XsPermission(fe, XsAccess.READ)));
            dom0.write(tx, front + "/backend", back);
            dom0.write(tx, front + "/backend-id", Integer.toString(be));
            dom0.write(tx, back + "/frontend", front);
            dom0.write(tx, back + "/frontend-id", Integer.toString(fe));
            dom0.write(tx, back + "/online", "1");
            for (final Map.Entry<String, String> e : device.frontendKeys().entrySet())
            {
                dom0.write(tx, front + "/" + e.getKey(), e.getValue());
            }
            for (final Map.Entry<String, String> e : device.backendKeys().entrySet())
            {
                dom0.write(tx, back + "/" + e.getKey(), e.getValue());
            }
            dom0.write(tx, statePath(front), XenbusState.INITIALISING.wireValue());
            dom0.write(tx, statePath(back), XenbusState.INITIALISING.wireValue());
            return null;
        });
    }

    /**
     * The toolstack's teardown: removes both device directories.
     *
     * @param dom0   a privileged xenstore connection.
     * @param device the device.
     */
    public static void destroyDevice(final XenStore dom0, final XenbusDevice device)
    {
        dom0.transaction(tx ->
        {
            dom0.rm(tx, device.frontendPath());
            dom0.rm(tx, device.backendPath());
            return null;
        });
    }

    private static void ensureDomainTree(final XenStore dom0, final int tx, final int domid, final String dir)
    {
        final String home = XsPaths.domainPath(domid);
        if (null == dom0.readStringOrNull(tx, home))
        {
            dom0.mkdir(tx, home);
            dom0.setPermissions(tx, home, List.of(
                new XsPermission(0, XsAccess.NONE), new XsPermission(domid, XsAccess.READ)));
        }
        String path = home;
        for (final String part : dir.substring(home.length() + 1).split("/"))
        {
            path = path + "/" + part;
            if (null == dom0.readStringOrNull(tx, path))
            {
                dom0.mkdir(tx, path);
                dom0.setPermissions(tx, path, List.of(new XsPermission(domid, XsAccess.NONE)));
            }
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
