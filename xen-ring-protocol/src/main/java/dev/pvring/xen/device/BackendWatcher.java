/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pvring.xen.store.XenBus;
import dev.pvring.xen.store.XenStore;
import dev.pvring.xen.store.XenStoreException;
import dev.pvring.xen.store.XenbusState;
import dev.pvring.xen.store.XsPaths;

/**
 * The backend lifecycle of one device type in this (backend) domain: watches
 * {@code /local/domain/<be>/backend/<type>/}, and drives every device found there through a table-driven state
 * machine ({@link Phase} x {@link Input} -> {@link Action}):
 * <pre>
 *              frontend:  Initialising  Initialised/Connected  Closing   Closed/gone  online=0  removed
 *   NEW                   PUBLISH       PUBLISH                PUBLISH   CLOSED       CLOSED    FORGET
 *   INIT_WAIT             -             CONNECT                CLOSING   CLOSED       CLOSING   FORGET
 *   CONNECTED             PUBLISH(*)    -                      CLOSING   CLOSED       CLOSING   FORGET
 *   CLOSING               PUBLISH       -                      -         CLOSED       -         FORGET
 *   CLOSED                PUBLISH       -                      -         -            -         FORGET
 *   (*) the frontend restarted: disconnect, then publish again.  Leaving CONNECTED always disconnects first.
 * </pre>
 * PUBLISH writes the driver's features and InitWait in one transaction; CONNECT calls the driver's
 * {@code connect} (keys read once, rings mapped, ports bound through the context) and switches to Connected, or
 * writes {@code error} and Closing if it failed; CLOSING/CLOSED write that state; FORGET drops the device. Any
 * state a peer writes, in any order, maps to a cell: skipped and regressed states are tolerated, never an
 * exception (T20). "Gone" is the frontend's directory missing (its domain was released: {@code @releaseDomain}
 * is watched too) or, while connected, an event channel whose peer closed (the frontend process died and its
 * ports were reclaimed). Every connection's resources are released exactly once, after the driver's
 * {@code disconnect}.
 * <p>
 * All work runs on the runner's thread; each xenstore change costs one evaluation of the device it concerns
 * (events for one device coalesce into one pending evaluation).
 *
 * @param <P> the driver's data path type.
 */
public final class BackendWatcher<P extends DutyCycle> implements AutoCloseable
{
    /** Rows of the state table: where the backend end of a device is. */
    public enum Phase
    {
        /** Found, nothing published yet. */
        NEW,
        /** Features published, InitWait written. */
        INIT_WAIT,
        /** Connected: the data path runs. */
        CONNECTED,
        /** Closing written, waiting for the frontend to close. */
        CLOSING,
        /** Closed written. */
        CLOSED,
        /** The device is gone from xenstore (or the watcher closed): terminal. */
        REMOVED
    }

    /** Columns of the state table: what the evaluation saw. */
    public enum Input
    {
        /** Frontend state Unknown (garbage or a state this table does not use). */
        FRONT_UNKNOWN,
        /** Frontend Initialising. */
        FRONT_INITIALISING,
        /** Frontend InitWait. */
        FRONT_INIT_WAIT,
        /** Frontend Initialised. */
        FRONT_INITIALISED,
        /** Frontend Connected. */
        FRONT_CONNECTED,
        /** Frontend Closing. */
        FRONT_CLOSING,
        /** Frontend Closed. */
        FRONT_CLOSED,
        /** Frontend directory gone, or its port closed while connected. */
        FRONT_GONE,
        /** {@code online} is 0 and the frontend is not closing. */
        OFFLINE,
        /** The backend directory is gone. */
        REMOVED,
        /** This watcher is closing. */
        STOP
    }

    /** Cells of the state table. */
    public enum Action
    {
        /** Nothing to do. */
        NONE(null),
        /** Write features and InitWait (disconnecting first if connected). */
        PUBLISH(Phase.INIT_WAIT),
        /** Connect through the driver, then Connected (or error and Closing). */
        CONNECT(Phase.CONNECTED),
        /** Write Closing (disconnecting first if connected). */
        CLOSING(Phase.CLOSING),
        /** Write Closed (disconnecting first if connected). */
        CLOSED(Phase.CLOSED),
        /** Drop the device (disconnecting first if connected); its directory is gone. */
        FORGET(Phase.REMOVED),
        /** This watcher stops: disconnect, write Closed, drop. */
        SHUTDOWN(Phase.REMOVED);

        final Phase next;

        Action(final Phase next)
        {
            this.next = next;
        }
    }

    private static final Map<Phase, Map<Input, Action>> TABLE = new EnumMap<>(Phase.class);

    static
    {
        for (final Phase p : Phase.values())
        {
            final Map<Input, Action> row = new EnumMap<>(Input.class);
            for (final Input i : Input.values())
            {
                row.put(i, Action.NONE);
            }
            if (Phase.REMOVED != p)
            {
                row.put(Input.REMOVED, Action.FORGET);
                row.put(Input.STOP, Action.SHUTDOWN);
            }
            TABLE.put(p, row);
        }
        rule(Phase.NEW, Action.PUBLISH, Input.FRONT_UNKNOWN, Input.FRONT_INITIALISING, Input.FRONT_INIT_WAIT,
            Input.FRONT_INITIALISED, Input.FRONT_CONNECTED, Input.FRONT_CLOSING);
        rule(Phase.NEW, Action.CLOSED, Input.FRONT_CLOSED, Input.FRONT_GONE, Input.OFFLINE);
        rule(Phase.INIT_WAIT, Action.CONNECT, Input.FRONT_INITIALISED, Input.FRONT_CONNECTED);
        rule(Phase.INIT_WAIT, Action.CLOSING, Input.FRONT_CLOSING, Input.OFFLINE);
        rule(Phase.INIT_WAIT, Action.CLOSED, Input.FRONT_CLOSED, Input.FRONT_GONE);
        rule(Phase.CONNECTED, Action.PUBLISH, Input.FRONT_INITIALISING);
        rule(Phase.CONNECTED, Action.CLOSING, Input.FRONT_CLOSING, Input.OFFLINE);
        rule(Phase.CONNECTED, Action.CLOSED, Input.FRONT_CLOSED, Input.FRONT_GONE);
        rule(Phase.CLOSING, Action.PUBLISH, Input.FRONT_INITIALISING);
        rule(Phase.CLOSING, Action.CLOSED, Input.FRONT_CLOSED, Input.FRONT_GONE);
        rule(Phase.CLOSED, Action.PUBLISH, Input.FRONT_INITIALISING);
    }

    private static void rule(final Phase phase, final Action action, final Input... inputs)
    {
        for (final Input input : inputs)
        {
            TABLE.get(phase).put(input, action);
        }
    }

    /**
     * The state table's cell (for documentation and tests).
     *
     * @param phase where the device is.
     * @param input what was seen.
     * @return the action taken.
     */
    public static Action action(final Phase phase, final Input input)
    {
        return TABLE.get(phase).get(input);
    }

    private final DeviceRunner runner;
    private final BackendDriver<P> driver;
    private final XenStore store;
    private final String root;
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final List<Device> dirty = new ArrayList<>();
    private final DeviceRunner.Task task;
    private final String rootToken;
    private final String releaseToken;
    private volatile List<DeviceStatus> snapshot = List.of();
    private boolean rescan = true;
    private boolean closed;

    private BackendWatcher(final DeviceRunner runner, final BackendDriver<P> driver)
    {
        this.runner = runner;
        this.driver = driver;
        this.store = runner.store();
        this.root = XsPaths.domainPath(runner.platform().domid()) + "/backend/" + driver.type();
        this.task = runner.newTask(this::doWork);
        this.rootToken = runner.watch(root, this::onRootEvent);
        this.releaseToken = runner.watch("@releaseDomain", path -> markAll());
        runner.own(this);
        runner.schedule(task);
    }

    /**
     * Starts serving every device of the driver's type in the runner's domain (runner thread).
     *
     * @param runner the loop.
     * @param driver the driver.
     * @param <P>    data path type.
     * @return the watcher; close it to disconnect every device.
     */
    public static <P extends DutyCycle> BackendWatcher<P> start(final DeviceRunner runner, final BackendDriver<P> driver)
    {
        return new BackendWatcher<>(runner, driver);
    }

    /**
     * The devices seen, as of the last evaluation (any thread).
     *
     * @return snapshots in discovery order.
     */
    public List<DeviceStatus> devices()
    {
        return snapshot;
    }

    /**
     * Number of devices with a live connection (any thread).
     *
     * @return the count.
     */
    public int connectedCount()
    {
        int n = 0;
        for (final DeviceStatus s : snapshot)
        {
            n += s.isConnected() ? 1 : 0;
        }
        return n;
    }

    /**
     * Disconnects every device (driver {@code disconnect}, resources released, backend state Closed) and
     * removes the watches. Runner thread. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        runner.disown(this);
        for (final Device d : new ArrayList<>(devices.values()))
        {
            d.stopping = true;
            evaluate(d);
        }
        devices.clear();
        quietly(() -> runner.unwatch(root, rootToken));
        quietly(() -> runner.unwatch("@releaseDomain", releaseToken));
        task.close();
        publishSnapshot();
    }

    private void onRootEvent(final String path)
    {
        if (!path.startsWith(root))
        {
            return;
        }
        final String rest = path.length() > root.length() ? path.substring(root.length() + 1) : "";
        final String[] parts = rest.isEmpty() ? new String[0] : rest.split("/");
        if (parts.length < 2)
        {
            rescan = true;
        }
        else
        {
            final Device d = devices.get(parts[0] + "/" + parts[1]);
            if (null == d)
            {
                rescan = true;
            }
            else
            {
                mark(d);
            }
        }
        runner.schedule(task);
    }

    private void markAll()
    {
        for (final Device d : devices.values())
        {
            mark(d);
        }
        runner.schedule(task);
    }

    private void mark(final Device d)
    {
        if (!d.dirty)
        {
            d.dirty = true;
            dirty.add(d);
        }
    }

    private int doWork()
    {
        if (closed)
        {
            return 0;
        }
        int work = 0;
        if (rescan)
        {
            rescan = false;
            work += scan();
        }
        while (!dirty.isEmpty())
        {
            final Device d = dirty.remove(dirty.size() - 1);
            d.dirty = false;
            evaluate(d);
            work++;
        }
        if (work > 0)
        {
            publishSnapshot();
        }
        return 0;
    }

    private int scan()
    {
        int found = 0;
        for (final String fe : list(root))
        {
            for (final String id : list(root + "/" + fe))
            {
                final String key = fe + "/" + id;
                Device d = devices.get(key);
                if (null == d)
                {
                    final long feDomid = Connection.parseNumber(fe);
                    final long devid = Connection.parseNumber(id);
                    if (feDomid < 0 || feDomid > 0xFFFF || devid < 0 || devid > Integer.MAX_VALUE)
                    {
                        continue;
                    }
                    d = new Device((int)feDomid, (int)devid, root + "/" + key);
                    devices.put(key, d);
                    found++;
                }
                mark(d);
            }
        }
        for (final Device d : devices.values())
        {
            mark(d);
        }
        return found;
    }

    private List<String> list(final String path)
    {
        try
        {
            return store.directory(path);
        }
        catch (final XenStoreException ex)
        {
            if (ex.isConnectionBroken())
            {
                throw ex;
            }
            return List.of();
        }
    }

    private Input input(final Device d)
    {
        if (d.stopping)
        {
            return Input.STOP;
        }
        if (null == Connection.readOrNull(store, d.backendPath))
        {
            return Input.REMOVED;
        }
        if (null == d.frontendPath)
        {
            d.frontendPath = XenBus.readOtherEnd(store, d.backendPath, "frontend");
            if (null == d.frontendPath)
            {
                d.failure = "backend has no valid frontend path";
                return Input.FRONT_UNKNOWN;
            }
            d.stateToken = runner.watch(XenBus.statePath(d.frontendPath), path -> markOne(d));
        }
        if (d.portGone || null == Connection.readOrNull(store, d.frontendPath))
        {
            d.peerState = XenbusState.UNKNOWN;
            return Input.FRONT_GONE;
        }
        final XenbusState fe = XenBus.readState(store, XenBus.statePath(d.frontendPath));
        d.peerState = fe;
        switch (fe)
        {
            case CLOSING:
                return Input.FRONT_CLOSING;
            case CLOSED:
                return Input.FRONT_CLOSED;
            default:
                break;
        }
        if (0 == Connection.parseNumber(Connection.readOrNull(store, d.backendPath + "/online")))
        {
            return Input.OFFLINE;
        }
        return switch (fe)
        {
            case INITIALISING -> Input.FRONT_INITIALISING;
            case INIT_WAIT -> Input.FRONT_INIT_WAIT;
            case INITIALISED -> Input.FRONT_INITIALISED;
            case CONNECTED -> Input.FRONT_CONNECTED;
            default -> Input.FRONT_UNKNOWN;
        };
    }

    private void markOne(final Device d)
    {
        mark(d);
        runner.schedule(task);
    }

    private void evaluate(final Device d)
    {
        for (int step = 0; step < 4 && Phase.REMOVED != d.phase; step++)
        {
            final Input in = input(d);
            final Action action = action(d.phase, in);
            if (Action.NONE == action)
            {
                return;
            }
            apply(d, action);
        }
    }

    private void apply(final Device d, final Action action)
    {
        if (Phase.CONNECTED == d.phase)
        {
            disconnect(d);
        }
        switch (action)
        {
            case PUBLISH -> publish(d);
            case CONNECT -> connect(d);
            case CLOSING -> writeState(d, XenbusState.CLOSING);
            case CLOSED, SHUTDOWN -> writeState(d, XenbusState.CLOSED);
            case FORGET, NONE ->
            {
            }
        }
        if (Action.CONNECT != action || Phase.CONNECTED == d.phase)
        {
            d.phase = Action.CONNECT == action ? Phase.CONNECTED : action.next;
        }
        if (Phase.REMOVED == d.phase)
        {
            if (null != d.stateToken)
            {
                final String token = d.stateToken;
                d.stateToken = null;
                quietly(() -> runner.unwatch(XenBus.statePath(d.frontendPath), token));
            }
            devices.remove(d.frontendDomid + "/" + d.devid);
        }
    }

    private void publish(final Device d)
    {
        d.portGone = false;
        final BackendConnection probe = newConnection(d);
        final Map<String, String> features = new LinkedHashMap<>();
        driver.features(probe, (key, value) -> features.put(key, value));
        store.transaction(tx ->
        {
            if (null == store.readStringOrNull(tx, d.backendPath))
            {
                return null;
            }
            for (final Map.Entry<String, String> e : features.entrySet())
            {
                store.write(tx, d.backendPath + "/" + e.getKey(), e.getValue());
            }
            store.write(tx, XenBus.statePath(d.backendPath), XenbusState.INIT_WAIT.wireValue());
            return null;
        });
    }

    private void connect(final Device d)
    {
        final BackendConnection c = newConnection(d);
        P path = null;
        try
        {
            path = null == c.failure() ? driver.connect(c) : null;
        }
        catch (final RuntimeException ex)
        {
            c.fail("driver connect threw: " + ex);
        }
        if (null == path || null != c.failure())
        {
            d.failure = null == c.failure() ? "driver refused the connection" : c.failure();
            if (null != path)
            {
                driver.disconnect(path);
            }
            c.release(runner);
            quietly(() -> store.write(d.backendPath + "/error", d.failure));
            writeState(d, XenbusState.CLOSING);
            d.phase = Phase.CLOSING;
            return;
        }
        final P connected = path;
        d.connection = c;
        d.path = connected;
        d.connections++;
        c.task = runner.newTask(() -> runPath(d, c, connected));
        for (final int port : c.ports)
        {
            runner.registerPort(port, c.task);
        }
        writeState(d, XenbusState.CONNECTED);
        d.phase = Phase.CONNECTED;
        runner.schedule(c.task);
    }

    private int runPath(final Device d, final Connection c, final P path)
    {
        if (c.released)
        {
            return 0;
        }
        final int work = path.doWork();
        if (c.task.takePortEvent() && !c.portsConnected())
        {
            d.portGone = true;
            markOne(d);
            return 0;
        }
        return work;
    }

    private void disconnect(final Device d)
    {
        final Connection c = d.connection;
        final P path = d.path;
        d.portGone = false;
        d.connection = null;
        d.path = null;
        if (null == c)
        {
            return;
        }
        c.task.close();
        try
        {
            driver.disconnect(path);
        }
        catch (final RuntimeException ex)
        {
            d.failure = "driver disconnect threw: " + ex;
        }
        c.release(runner);
        d.disconnects++;
    }

    private BackendConnection newConnection(final Device d)
    {
        return new BackendConnection(runner.platform(), driver.type(), d.devid, d.frontendDomid,
            null == d.frontendPath ? XenBus.frontendPath(d.frontendDomid, driver.type(), d.devid) : d.frontendPath,
            d.backendPath, d.connections);
    }

    private void writeState(final Device d, final XenbusState state)
    {
        // A removed directory must not be re-created by a late state write.
        store.transaction(tx ->
        {
            if (null != store.readStringOrNull(tx, d.backendPath))
            {
                store.write(tx, XenBus.statePath(d.backendPath), state.wireValue());
            }
            return null;
        });
    }

    private void publishSnapshot()
    {
        final List<DeviceStatus> list = new ArrayList<>(devices.size());
        for (final Device d : devices.values())
        {
            list.add(new DeviceStatus(driver.type(), d.devid, d.frontendDomid, runner.platform().domid(),
                d.phase.name(), d.peerState, d.connections, d.disconnects, d.failure));
        }
        snapshot = List.copyOf(list);
    }

    private static void quietly(final Runnable action)
    {
        try
        {
            action.run();
        }
        catch (final XenStoreException ex)
        {
            // the connection or the node is gone: nothing left to undo there
        }
    }

    /** One device of this backend. */
    private final class Device
    {
        final int frontendDomid;
        final int devid;
        final String backendPath;
        String frontendPath;
        String stateToken;
        Phase phase = Phase.NEW;
        XenbusState peerState = XenbusState.UNKNOWN;
        Connection connection;
        P path;
        int connections;
        int disconnects;
        String failure;
        boolean dirty;
        boolean portGone;
        boolean stopping;

        Device(final int frontendDomid, final int devid, final String backendPath)
        {
            this.frontendDomid = frontendDomid;
            this.devid = devid;
            this.backendPath = backendPath;
        }
    }
}
