/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.platform;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.pvring.cli.CommandFailure;
import dev.pvring.cli.ExitCodes;
import dev.pvring.xen.platform.SimSystem;
import dev.pvring.xen.store.SocketXenStore;
import dev.pvring.xen.store.Toolstack;
import dev.pvring.xen.store.ToolstackDevices;
import dev.pvring.xen.store.XenStoreException;
import dev.pvring.xen.store.XenbusDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pvring sim add-device} and {@code remove-device}: the toolstack's device steps ({@code xl
 * network-attach}/{@code block-attach} and their {@code -detach}) against a simulated host's xenstored.
 */
final class SimDeviceCommands
{
    private SimDeviceCommands()
    {
    }

    /** {@code pvring sim add-device NAME --type TYPE --frontend DOMID [--backend DOMID] --devid N}. */
    @Command(name = "add-device", mixinStandardHelpOptions = true,
        description = {
            "Create a PV device in xenstore as xl (libxl) does: the frontend directory "
                + "/local/domain/<fe>/device/<type>/<devid> (owned by the frontend, readable by the backend), the "
                + "backend directory /local/domain/<be>/backend/<type>/<fe>/<devid> (owned by the backend, readable "
                + "by the frontend), both in state 1, and the toolstack record /libxl/<fe>/device/<type>/<devid>, in "
                + "one transaction.",
            "vif and vbd get libxl's keys and defaults (vif: mac in both directories, random in 00:16:3e if not "
                + "given, mtu, bridge xenbr0, script vif-bridge, handle; vbd: params, mode, type phy|tap|qdisk, dev, "
                + "device-type, virtual-device, ...); other --param keys, and every key of other types, go to the "
                + "backend directory.",
            "Needs the host's xenstored ('pvring sim up NAME')."})
    static final class AddDevice implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "System name (under /dev/shm/pvring-sim/) or path.")
        String name;

        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "Device type: vif, vbd, ...")
        String type;

        @Option(names = "--frontend", required = true, paramLabel = "DOMID", description = "Frontend domain.")
        int frontend;

        @Option(names = "--backend", defaultValue = "0", paramLabel = "DOMID",
            description = "Backend domain (default ${DEFAULT-VALUE}).")
        int backend;

        @Option(names = "--devid", required = true, paramLabel = "N",
            description = "Device id (vif: 0, 1...; vbd: 51712 = xvda, 51728 = xvdb...).")
        int devid;

        @Option(names = "--param", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "A device setting, placed where libxl places it (repeatable).")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--frontend-param", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "A key for the frontend directory, owned by the frontend (repeatable).")
        Map<String, String> frontendParams = new LinkedHashMap<>();

        @Option(names = "--no-hotplug",
            description = "Leave hotplug-status empty (libxl's state before its hotplug script ran); by default it "
                + "is set to 'connected' as if the script succeeded (the sim runs no scripts).")
        boolean noHotplug;

        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final XenbusDevice device = ToolstackDevices.device(type, frontend, backend, devid, params, frontendParams);
            try (SimSystem system = SimSystem.open(SimSystem.directoryOf(name)))
            {
                requireDomain(system, frontend, "frontend");
                requireDomain(system, backend, "backend");
                try (SocketXenStore dom0 = SimXenstore.connect(system, name))
                {
                    for (final int domid : frontend == backend ? new int[] {frontend} : new int[] {frontend, backend})
                    {
                        if (domid != 0 && !Toolstack.hasDomain(dom0, domid))
                        {
                            spec.commandLine().getErr().printf("pvring sim add-device: warning: domain %d is not in "
                                + "xenstore (xenstored started after it was added?): its processes cannot reach "
                                + "xenstore until 'pvring sim up %s' introduces it%n", domid, name);
                            spec.commandLine().getErr().flush();
                        }
                    }
                    Toolstack.addDevice(dom0, device, !noHotplug);
                }
                catch (final XenStoreException ex)
                {
                    throw SimXenstore.failure(ex);
                }
            }
            out.printf("added %s %d: frontend %s (domain %d), backend %s (domain %d)%n", type, devid,
                device.frontendPath(), frontend, device.backendPath(), backend);
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code pvring sim remove-device NAME --type TYPE --frontend DOMID --devid N [--timeout S]}. */
    @Command(name = "remove-device", mixinStandardHelpOptions = true,
        description = {
            "Remove a PV device as xl (libxl) does: the backend gets online=0 and state 5 (Closing), then the "
                + "command waits for the backend to reach 6 (Closed) and removes the frontend and backend directories "
                + "and the toolstack record.",
            "If the backend does not close in time the device is removed anyway (forced) and the command exits "
                + "with 4 (timeout)."})
    static final class RemoveDevice implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "System name (under /dev/shm/pvring-sim/) or path.")
        String name;

        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "Device type: vif, vbd, ...")
        String type;

        @Option(names = "--frontend", required = true, paramLabel = "DOMID", description = "Frontend domain.")
        int frontend;

        @Option(names = "--devid", required = true, paramLabel = "N", description = "Device id.")
        int devid;

        @Option(names = "--timeout", defaultValue = "10", paramLabel = "S",
            description = "Seconds the backend gets to reach Closed (default ${DEFAULT-VALUE}, as libxl).")
        double timeoutSeconds;

        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final XenbusDevice named = XenbusDevice.of(type, devid, frontend, 0);
            final long timeoutMillis = (long)(timeoutSeconds * 1000);
            final Toolstack.RemoveOutcome outcome;
            try (SimSystem system = SimSystem.open(SimSystem.directoryOf(name));
                 SocketXenStore dom0 = SimXenstore.connect(system, name))
            {
                final XenbusDevice device = Toolstack.findDevice(dom0, frontend, type, devid);
                if (null == device)
                {
                    throw CommandFailure.failure("no such device: " + named.toolstackPath() + " does not exist");
                }
                out.printf("removing %s %d of domain %d: asking backend %s to close (online=0, state 5)%n", type,
                    devid, frontend, device.backendPath());
                out.flush();
                outcome = Toolstack.removeDevice(dom0, frontend, type, devid, timeoutMillis, TimeUnit.MILLISECONDS);
            }
            catch (final XenStoreException ex)
            {
                throw SimXenstore.failure(ex);
            }
            switch (outcome)
            {
                case CLOSED -> out.printf("removed %s %d of domain %d: backend closed%n", type, devid, frontend);
                case BACKEND_GONE -> out.printf("removed %s %d of domain %d: the backend was already gone%n", type,
                    devid, frontend);
                case FORCED -> out.printf("removed %s %d of domain %d anyway (forced): the backend did not reach "
                    + "Closed within %s s%n", type, devid, frontend, seconds(timeoutSeconds));
                default -> throw CommandFailure.failure("no such device: " + named.toolstackPath() +
                    " vanished while removing it");
            }
            out.flush();
            return outcome == Toolstack.RemoveOutcome.FORCED ? ExitCodes.TIMEOUT : ExitCodes.OK;
        }
    }

    static String seconds(final double seconds)
    {
        return seconds == Math.rint(seconds) ? Long.toString((long)seconds) : Double.toString(seconds);
    }

    static void requireDomain(final SimSystem system, final int domid, final String role)
    {
        if (!system.isAlive(domid))
        {
            throw CommandFailure.failure("no such domain: " + role + "=" + domid + " (create it with 'pvring sim " +
                "add-domain')");
        }
    }
}
