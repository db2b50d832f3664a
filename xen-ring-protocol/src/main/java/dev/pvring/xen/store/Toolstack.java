/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What {@code xl} (libxl) does in xenstore, on a privileged connection: build and destroy a domain's tree
 * ({@code xl create}/{@code xl destroy}), add and remove devices ({@code xl network-attach}/{@code -detach},
 * {@code block-attach}/{@code -detach}). Read from libxl 4.21 ({@code libxl__domain_make},
 * {@code libxl__build_post}, {@code libxl__devices_destroy}, {@code libxl__initiate_device_generic_remove},
 * {@code libxl__device_destroy}); the device tree itself is {@link XenBus#createDevice}, the per-type key sets
 * {@link ToolstackDevices}.
 * <p>
 * Not written (no such thing in a simulated host): the console device and {@code /vm/<uuid>/image/kernel}.
 * Hotplug scripts are not run: {@link #addDevice} marks a device whose backend waits for its script
 * ({@code hotplug-status}) as if the script had succeeded.
 * <p>
 * Stateless; blocking (waits on xenstore watches); thread-safe if the store is.
 */
public final class Toolstack
{
    /** libxl {@code LIBXL_DESTROY_TIMEOUT}: how long removal waits for a backend to reach Closed. */
    public static final long DESTROY_TIMEOUT_SECONDS = 10;
    /** dom0's name as {@code xen-init-dom0} writes it. */
    public static final String DOM0_NAME = "Domain-0";

    private Toolstack()
    {
    }

    /**
     * A domain as the toolstack builds it.
     *
     * @param domid     domain id (1..32751).
     * @param name      unique name ({@code /local/domain/<d>/name}).
     * @param memoryKb  memory in KiB ({@code memory/static-max}, {@code memory/target}).
     * @param vcpus     virtual CPUs ({@code cpu/<n>/availability}).
     * @param storeMfn  frame of its xenstore ring page, sent in {@code INTRODUCE}.
     * @param storePort its xenstore event channel, sent in {@code INTRODUCE}; 0 if the domain has no xenstore
     *                  ring (a simulated domain reaching xenstored through its socket): then {@code store/*} is
     *                  not written and {@code INTRODUCE} carries {@link #NO_RING_PORT}.
     */
    public record Domain(int domid, String name, long memoryKb, int vcpus, long storeMfn, int storePort)
    {
        /**
         * Checks the fields.
         *
         * @param domid     domain id.
         * @param name      name.
         * @param memoryKb  memory in KiB.
         * @param vcpus     vcpus.
         * @param storeMfn  xenstore ring frame.
         * @param storePort xenstore event channel or 0.
         */
        public Domain
        {
            if (domid <= 0 || domid >= XenstoredCore.DOMID_SELF)
            {
                throw new IllegalArgumentException("domid must be 1..32751: domid=" + domid);
            }
            if (null == name || name.isEmpty() || name.indexOf('\0') >= 0)
            {
                throw new IllegalArgumentException("name must be non-empty text: name=" + name);
            }
            if (memoryKb < 0 || vcpus < 1 || storeMfn < 0 || storePort < 0)
            {
                throw new IllegalArgumentException("sizes must not be negative: memoryKb=" + memoryKb + " vcpus=" +
                    vcpus + " storeMfn=" + storeMfn + " storePort=" + storePort);
            }
        }
    }

    /** Backend states that end a removal wait (a missing or garbage state reads as Unknown: gone). */
    private static final Set<XenbusState> CLOSED_OR_GONE = EnumSet.of(XenbusState.CLOSED, XenbusState.UNKNOWN);

    /** The port {@code INTRODUCE} carries for a domain without a xenstore ring (xenstored needs a positive one). */
    public static final int NO_RING_PORT = 1;

    /**
     * How a device removal ended.
     */
    public enum RemoveOutcome
    {
        /** The backend reached Closed (or removed its directory); everything removed. */
        CLOSED,
        /** The backend directory had no state: the backend is gone; the rest removed. */
        BACKEND_GONE,
        /** The backend did not reach Closed in time: removed anyway (libxl's forced removal). */
        FORCED,
        /** There is no such device (no toolstack record). */
        NOT_FOUND
    }

    /**
     * What destroying a domain did.
     *
     * @param devices devices removed.
     * @param forced  of those, removed without the backend reaching Closed in time.
     */
    public record DestroyReport(int devices, int forced)
    {
    }

    /**
     * {@code xen-init-dom0}: writes {@code /local/domain/0/domid} and {@code name} unless present.
     *
     * @param dom0 privileged connection.
     */
    public static void initDom0(final XenStore dom0)
    {
        final String home = XsPaths.domainPath(0);
        if (null == dom0.readStringOrNull(XenStore.NO_TRANSACTION, home + "/domid"))
        {
            dom0.write(home + "/domid", "0");
        }
        if (null == dom0.readStringOrNull(XenStore.NO_TRANSACTION, home + "/name"))
        {
            dom0.write(home + "/name", DOM0_NAME);
        }
    }

    /**
     * {@code xl create}'s xenstore part: {@code libxl__domain_make} (the tree and its permissions: the domain's
     * home {@code n0 r<d>}, its writable nodes {@code n<d>}, {@code /vm/<uuid>} and the toolstack's
     * {@code /libxl/<d>} {@code n0}), then {@code libxl__build_post} (memory, {@code domid}, {@code store/*},
     * vcpus), each one transaction, then {@code INTRODUCE} (firing {@code @introduceDomain}).
     *
     * @param dom0   privileged connection.
     * @param domain the domain.
     * @throws IllegalStateException if another domain has the name (libxl refuses duplicate names).
     */
    public static void createDomain(final XenStore dom0, final Domain domain)
    {
        final int d = domain.domid();
        final String home = XsPaths.domainPath(d);
        final String vm = "/vm/" + UUID.randomUUID();
        final String record = "/libxl/" + d;
        final List<XsPermission> noperm = List.of(new XsPermission(0, XsAccess.NONE));
        final List<XsPermission> roperm =
            List.of(new XsPermission(0, XsAccess.NONE), new XsPermission(d, XsAccess.READ));
        final List<XsPermission> rwperm = List.of(new XsPermission(d, XsAccess.NONE));
        dom0.transaction(tx ->
        {
            final Integer holder = domidOfName(dom0, tx, domain.name());
            if (null != holder && holder != d)
            {
                throw new IllegalStateException("domain name already in use: name=" + domain.name() + " domid=" +
                    holder);
            }
            XenBus.rmIfPresent(dom0, tx, home);
            mknod(dom0, tx, home, roperm);
            mknod(dom0, tx, vm, roperm);
            XenBus.rmIfPresent(dom0, tx, record);
            mknod(dom0, tx, record, noperm);
            mknod(dom0, tx, record + "/device", noperm);
            dom0.write(tx, home + "/vm", vm);
            dom0.write(tx, home + "/name", domain.name());
            mknod(dom0, tx, home + "/cpu", roperm);
            mknod(dom0, tx, home + "/memory", roperm);
            mknod(dom0, tx, home + "/device", roperm);
            mknod(dom0, tx, home + "/device/suspend/event-channel", rwperm);
            mknod(dom0, tx, home + "/control", roperm);
            for (final String node : List.of("control/shutdown", "control/feature-poweroff",
                "control/feature-reboot", "control/feature-suspend", "control/sysrq", "data", "drivers", "feature",
                "attr", "error"))
            {
                mknod(dom0, tx, home + "/" + node, rwperm);
            }
            dom0.write(tx, vm + "/uuid", vm.substring("/vm/".length()));
            dom0.write(tx, vm + "/name", domain.name());
            dom0.write(tx, home + "/control/platform-feature-multiprocessor-suspend", "1");
            dom0.write(tx, home + "/control/platform-feature-xs_reset_watches", "1");
            dom0.write(tx, record + "/type", "pv");
            return null;
        });
        final long now = System.currentTimeMillis();
        dom0.transaction(tx ->
        {
            dom0.write(tx, home + "/memory/static-max", Long.toString(domain.memoryKb()));
            dom0.write(tx, home + "/memory/target", Long.toString(domain.memoryKb()));
            dom0.write(tx, home + "/memory/videoram", "0");
            dom0.write(tx, home + "/domid", Integer.toString(d));
            if (0 != domain.storePort())
            {
                dom0.write(tx, home + "/store/port", Integer.toString(domain.storePort()));
                dom0.write(tx, home + "/store/ring-ref", Long.toString(domain.storeMfn()));
            }
            for (int cpu = 0; cpu < domain.vcpus(); cpu++)
            {
                dom0.write(tx, home + "/cpu/" + cpu + "/availability", "online");
            }
            dom0.write(tx, vm + "/image/ostype", "linux");
            dom0.write(tx, vm + "/start_time", String.format("%d.%02d", now / 1000, (now % 1000) / 10));
            return null;
        });
        introduce(dom0, domain);
    }

    /**
     * {@code INTRODUCE} for a domain whose tree exists (e.g. after xenstored restarted), unless already introduced.
     *
     * @param dom0   privileged connection.
     * @param domain the domain.
     * @return true if it was introduced now.
     */
    public static boolean introduce(final XenStore dom0, final Domain domain)
    {
        if (dom0.isDomainIntroduced(domain.domid()))
        {
            return false;
        }
        dom0.introduceDomain(domain.domid(), domain.storeMfn(),
            0 == domain.storePort() ? NO_RING_PORT : domain.storePort());
        return true;
    }

    /**
     * Whether the toolstack built a tree for the domain ({@code /local/domain/<d>/domid} exists).
     *
     * @param dom0  privileged connection.
     * @param domid domain.
     * @return true if present.
     */
    public static boolean hasDomain(final XenStore dom0, final int domid)
    {
        return null != dom0.readStringOrNull(XenStore.NO_TRANSACTION, XsPaths.domainPath(domid) + "/domid");
    }

    /**
     * {@code xl destroy}'s xenstore part before the hypervisor kills the domain ({@code libxl__devices_destroy}
     * with force, then {@code devices_destroy_cb}): every device in the toolstack record is removed (frontend
     * directory first, backend asked to close with {@code online} = 0 and Closing, all waited for together up to
     * {@code timeout}, then removed whatever they did), then {@code /vm/<uuid>}, {@code /local/domain/<d>} and
     * {@code /libxl/<d>}. Call {@link #releaseDomain} once the domain is dead.
     *
     * @param dom0    privileged connection.
     * @param domid   the domain.
     * @param timeout how long backends get to reach Closed.
     * @param unit    unit of {@code timeout}.
     * @return what was removed.
     */
    public static DestroyReport destroyDomain(final XenStore dom0, final int domid, final long timeout,
        final TimeUnit unit)
    {
        final List<XenbusDevice> devices = devicesOf(dom0, domid);
        final List<Integer> forced = new ArrayList<>();
        removeAll(dom0, devices, true, timeout, unit, forced);
        final String home = XsPaths.domainPath(domid);
        final String vm = dom0.readStringOrNull(XenStore.NO_TRANSACTION, home + "/vm");
        if (null != vm && vm.startsWith("/vm/") && vm.equals(XsPaths.canonicalize(vm, XsPaths.ROOT, false)))
        {
            XenBus.rmIfPresent(dom0, XenStore.NO_TRANSACTION, vm);
        }
        XenBus.rmIfPresent(dom0, XenStore.NO_TRANSACTION, home);
        XenBus.rmIfPresent(dom0, XenStore.NO_TRANSACTION, "/libxl/" + domid);
        return new DestroyReport(devices.size(), forced.size());
    }

    /**
     * The domain is dead: {@code RELEASE} (xenstored drops its connections and fires {@code @releaseDomain}), if
     * it is introduced. On Xen, xenstored does this itself when the hypervisor reports the death.
     *
     * @param dom0  privileged connection.
     * @param domid the domain.
     * @return true if it was released now.
     */
    public static boolean releaseDomain(final XenStore dom0, final int domid)
    {
        if (!dom0.isDomainIntroduced(domid))
        {
            return false;
        }
        dom0.releaseDomain(domid);
        return true;
    }

    /**
     * {@code xl *-attach}: {@link XenBus#createDevice} then the hotplug step: a backend that waits for its
     * hotplug script ({@code hotplug-status} written empty, libxl's vif) is told it succeeded
     * ({@code hotplug-status} = {@code connected}, what {@code vif-bridge} writes); no script runs.
     *
     * @param dom0    privileged connection.
     * @param device  the device ({@link ToolstackDevices} builds libxl's key sets).
     * @param hotplug whether to do the hotplug step.
     * @throws IllegalStateException if the device exists.
     */
    public static void addDevice(final XenStore dom0, final XenbusDevice device, final boolean hotplug)
    {
        XenBus.createDevice(dom0, device);
        if (hotplug && device.backendKeys().containsKey(ToolstackDevices.HOTPLUG_STATUS))
        {
            dom0.write(device.backendPath() + "/" + ToolstackDevices.HOTPLUG_STATUS, "connected");
        }
    }

    /**
     * The devices the toolstack created for a frontend domain, from its record {@code /libxl/<d>/device}
     * (trusted: only dom0 writes there). Only paths are filled in; keys are not read back.
     *
     * @param dom0  privileged connection.
     * @param domid frontend domain.
     * @return the devices, by type then devid.
     */
    public static List<XenbusDevice> devicesOf(final XenStore dom0, final int domid)
    {
        final List<XenbusDevice> devices = new ArrayList<>();
        final String base = "/libxl/" + domid + "/device";
        for (final String type : listOrEmpty(dom0, base))
        {
            for (final String id : listOrEmpty(dom0, base + "/" + type))
            {
                final XenbusDevice device = recorded(dom0, domid, type, id);
                if (null != device)
                {
                    devices.add(device);
                }
            }
        }
        return devices;
    }

    /**
     * The device the toolstack recorded, or {@code null}.
     *
     * @param dom0          privileged connection.
     * @param frontendDomid frontend domain.
     * @param type          device type.
     * @param devid         device id.
     * @return the device (paths only), or {@code null} if there is no record.
     */
    public static XenbusDevice findDevice(final XenStore dom0, final int frontendDomid, final String type,
        final int devid)
    {
        return recorded(dom0, frontendDomid, type, Integer.toString(devid));
    }

    /**
     * {@code xl *-detach} ({@code libxl__initiate_device_generic_remove} then {@code libxl__device_destroy}): in
     * one transaction the backend gets {@code online} = 0 and state Closing (unless already Closed); then waits up
     * to {@code timeout} for the backend to reach Closed (or remove its directory); on timeout the removal is
     * forced (libxl's {@code FORCE_AUTO}: the frontend directory goes first). Either way the frontend directory,
     * the toolstack record and the backend directory are removed.
     *
     * @param dom0          privileged connection.
     * @param frontendDomid frontend domain.
     * @param type          device type.
     * @param devid         device id.
     * @param timeout       how long the backend gets.
     * @param unit          unit of {@code timeout}.
     * @return how it ended.
     */
    public static RemoveOutcome removeDevice(final XenStore dom0, final int frontendDomid, final String type,
        final int devid, final long timeout, final TimeUnit unit)
    {
        final XenbusDevice device = findDevice(dom0, frontendDomid, type, devid);
        if (null == device)
        {
            return RemoveOutcome.NOT_FOUND;
        }
        final List<Integer> forced = new ArrayList<>();
        final List<RemoveOutcome> outcomes = removeAll(dom0, List.of(device), false, timeout, unit, forced);
        return outcomes.get(0);
    }

    private static List<RemoveOutcome> removeAll(final XenStore dom0, final List<XenbusDevice> devices,
        final boolean force, final long timeout, final TimeUnit unit, final List<Integer> forced)
    {
        final List<RemoveOutcome> outcomes = new ArrayList<>();
        final List<XenbusStateWatch> watches = new ArrayList<>();
        try
        {
            for (final XenbusDevice device : devices)
            {
                final boolean present = requestClose(dom0, device, force);
                outcomes.add(present ? null : RemoveOutcome.BACKEND_GONE);
                watches.add(present ? XenBus.watchState(dom0, device.backendPath()) : null);
            }
            final long deadline = System.nanoTime() + unit.toNanos(timeout);
            for (int i = 0; i < devices.size(); i++)
            {
                final XenbusStateWatch watch = watches.get(i);
                if (null == watch)
                {
                    continue;
                }
                final long remaining = Math.max(0, deadline - System.nanoTime());
                final XenbusState seen = watch.await(CLOSED_OR_GONE, remaining, TimeUnit.NANOSECONDS);
                if (null == seen)
                {
                    forced.add(i);
                    outcomes.set(i, RemoveOutcome.FORCED);
                }
                else
                {
                    outcomes.set(i, RemoveOutcome.CLOSED);
                }
            }
        }
        finally
        {
            for (final XenbusStateWatch watch : watches)
            {
                if (null != watch)
                {
                    watch.close();
                }
            }
        }
        for (final XenbusDevice device : devices)
        {
            XenBus.destroyDevice(dom0, device);
        }
        return outcomes;
    }

    /**
     * One transaction: (forced: frontend directory removed first), backend {@code online} = 0 and Closing unless
     * Closed. Returns false if the backend has no state (gone).
     */
    private static boolean requestClose(final XenStore dom0, final XenbusDevice device, final boolean force)
    {
        final String back = device.backendPath();
        return dom0.transaction(tx ->
        {
            if (force)
            {
                XenBus.pathCleanup(dom0, tx, device.frontendPath());
            }
            final String state = dom0.readStringOrNull(tx, XenBus.statePath(back));
            if (null == state)
            {
                return false;
            }
            dom0.write(tx, back + "/online", "0");
            if (XenbusState.CLOSED != XenbusState.parse(state.getBytes(StandardCharsets.UTF_8)))
            {
                dom0.write(tx, XenBus.statePath(back), XenbusState.CLOSING.wireValue());
            }
            return true;
        });
    }

    private static XenbusDevice recorded(final XenStore dom0, final int domid, final String type, final String id)
    {
        final int devid;
        try
        {
            devid = Integer.parseInt(id);
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
        final String record = XenBus.toolstackPath(domid, type, devid);
        final String back = dom0.readStringOrNull(XenStore.NO_TRANSACTION, record + "/backend");
        if (null == back)
        {
            return null;
        }
        // /local/domain/<be>/backend/<kind>/<fe>/<devid>, written by the toolstack itself.
        final String[] parts = back.split("/");
        if (parts.length != 8 || !"local".equals(parts[1]) || !"domain".equals(parts[2]) ||
            !"backend".equals(parts[4]))
        {
            return null;
        }
        try
        {
            return new XenbusDevice(type, devid, domid, Integer.parseInt(parts[3]), null, null, null, parts[5]);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    private static Integer domidOfName(final XenStore dom0, final int tx, final String name)
    {
        for (final String id : listOrEmpty(dom0, tx, "/local/domain"))
        {
            if (name.equals(dom0.readStringOrNull(tx, "/local/domain/" + id + "/name")))
            {
                try
                {
                    return Integer.valueOf(id);
                }
                catch (final NumberFormatException ex)
                {
                    return -1;
                }
            }
        }
        return null;
    }

    private static List<String> listOrEmpty(final XenStore dom0, final String path)
    {
        return listOrEmpty(dom0, XenStore.NO_TRANSACTION, path);
    }

    private static List<String> listOrEmpty(final XenStore dom0, final int tx, final String path)
    {
        try
        {
            return dom0.directory(tx, path).stream().sorted().toList();
        }
        catch (final XenStoreException ex)
        {
            if (ex.is(XsError.ENOENT))
            {
                return List.of();
            }
            throw ex;
        }
    }

    /** libxl {@code libxl__xs_mknod}: an empty node with the given permissions. */
    private static void mknod(final XenStore dom0, final int tx, final String path, final List<XsPermission> perms)
    {
        dom0.mkdir(tx, path);
        dom0.setPermissions(tx, path, perms);
    }
}
