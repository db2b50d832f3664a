/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.pvring.xen.store.XenBus;
import dev.pvring.xen.store.XenStore;
import dev.pvring.xen.store.XenStoreException;
import dev.pvring.xen.store.XenbusState;

/**
 * The frontend lifecycle of one device in this (frontend) domain, table-driven like {@link BackendWatcher}
 * ({@link Phase} x {@link Input} -> {@link Action}):
 * <pre>
 *               backend:  InitWait    Connected   Closing/Closed   gone       Initialising  close()  removed
 *   INITIALISING          CONNECT     -           -                -          -             CLOSED   CLOSED
 *   INITIALISED           -           CONNECTED   DETACH           RESET      -             CLOSING  CLOSED
 *   CONNECTED             RESET(*)    -           DETACH           RESET      RESET         CLOSING  CLOSED
 *   DETACHED              RESET(*)    -           RESET if Closed  RESET      RESET         CLOSED   CLOSED
 *   FAILED                -           -           RESET            RESET      RESET         CLOSED   CLOSED
 *   CLOSING               -           -           CLOSED           CLOSED     -             -        CLOSED
 *   (*) a restarted backend: reset, then CONNECT again at once (fresh rings, requests re-issued).
 * </pre>
 * CONNECT calls the driver's {@code connect} (features read, rings granted, ports allocated) and writes every key
 * plus Initialised in ONE transaction (retried on EAGAIN); CONNECTED calls {@code connected}; RESET disconnects
 * (backend lost), frees the connection and writes Initialising, so a new backend process finds the frontend
 * ready; DETACH disconnects and writes Closed (acknowledging a backend that closes, as Linux frontends do) and
 * waits for the backend to be Closed or to come back; CLOSING/CLOSED are the local close. "Gone" is the backend
 * directory missing or, while connected, an event channel whose peer closed (the backend process died and its
 * ports were reclaimed): noticed on the event itself, within the runner's wake-up latency. Grants the dead or
 * slow backend still maps are ended later (retried on a timer), never reused before.
 *
 * @param <P> the driver's data path type.
 */
public final class FrontendDevice<P extends DutyCycle> implements AutoCloseable
{
    /** Rows of the state table. */
    public enum Phase
    {
        /** Waiting for the backend's InitWait. */
        INITIALISING,
        /** Keys written, waiting for the backend to connect. */
        INITIALISED,
        /** Connected: the data path runs. */
        CONNECTED,
        /** The backend closed; this end wrote Closed and waits for it to come back. */
        DETACHED,
        /** Connecting failed ({@code error} written); waiting for the backend to reset. */
        FAILED,
        /** Local close: Closing written. */
        CLOSING,
        /** Local close finished: terminal. */
        CLOSED
    }

    /** Columns of the state table. */
    public enum Input
    {
        /** Backend state Unknown or unused. */
        BACK_UNKNOWN,
        /** Backend Initialising. */
        BACK_INITIALISING,
        /** Backend InitWait. */
        BACK_INIT_WAIT,
        /** Backend Initialised. */
        BACK_INITIALISED,
        /** Backend Connected. */
        BACK_CONNECTED,
        /** Backend Closing. */
        BACK_CLOSING,
        /** Backend Closed. */
        BACK_CLOSED,
        /** Backend directory gone, or its port closed while connected. */
        BACK_GONE,
        /** {@link #close()} was called. */
        CLOSE_REQUESTED,
        /** The close waited too long for the backend. */
        CLOSE_TIMEOUT,
        /** This end's directory is gone. */
        REMOVED
    }

    /** Cells of the state table. */
    public enum Action
    {
        /** Nothing. */
        NONE,
        /** Connect through the driver, write the keys and Initialised in one transaction. */
        CONNECT,
        /** The backend connected: tell the driver. */
        CONNECTED,
        /** Backend lost: disconnect, free, write Initialising. */
        RESET,
        /** Backend closing: disconnect, free, write Closed, wait. */
        DETACH,
        /** Local close: disconnect, free, write Closing. */
        CLOSE,
        /** Finish: disconnect if needed, free, write Closed, stop. */
        CLOSE_DONE
    }

    /** How long a local close waits for the backend before closing anyway. */
    public static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long GRANT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
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
            if (Phase.CLOSED != p)
            {
                row.put(Input.REMOVED, Action.CLOSE_DONE);
                row.put(Input.CLOSE_REQUESTED, Action.CLOSE_DONE);
            }
            TABLE.put(p, row);
        }
        rule(Phase.INITIALISING, Action.CONNECT, Input.BACK_INIT_WAIT);
        rule(Phase.INITIALISED, Action.CONNECTED, Input.BACK_CONNECTED);
        rule(Phase.INITIALISED, Action.DETACH, Input.BACK_CLOSING, Input.BACK_CLOSED);
        rule(Phase.INITIALISED, Action.RESET, Input.BACK_GONE);
        rule(Phase.INITIALISED, Action.CLOSE, Input.CLOSE_REQUESTED);
        rule(Phase.CONNECTED, Action.RESET, Input.BACK_INIT_WAIT, Input.BACK_INITIALISING, Input.BACK_GONE);
        rule(Phase.CONNECTED, Action.DETACH, Input.BACK_CLOSING, Input.BACK_CLOSED);
        rule(Phase.CONNECTED, Action.CLOSE, Input.CLOSE_REQUESTED);
        rule(Phase.DETACHED, Action.RESET, Input.BACK_CLOSED, Input.BACK_INITIALISING, Input.BACK_INIT_WAIT,
            Input.BACK_GONE);
        rule(Phase.FAILED, Action.RESET, Input.BACK_CLOSING, Input.BACK_CLOSED, Input.BACK_GONE,
            Input.BACK_INITIALISING);
        rule(Phase.CLOSING, Action.CLOSE_DONE, Input.BACK_CLOSING, Input.BACK_CLOSED, Input.BACK_GONE,
            Input.BACK_UNKNOWN, Input.CLOSE_TIMEOUT);
        rule(Phase.CLOSING, Action.NONE, Input.CLOSE_REQUESTED);
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
    private final FrontendDriver<P> driver;
    private final XenStore store;
    private final int devid;
    private final String frontendPath;
    private final DeviceRunner.Task task;
    private final String ownToken;
    private final List<Connection.Granted> stillMapped = new ArrayList<>();
    private final Set<String> lastKeys = new HashSet<>();
    private String backendPath;
    private int backendDomid = -1;
    private String backendToken;
    private Phase phase = Phase.INITIALISING;
    private XenbusState peerState = XenbusState.UNKNOWN;
    private FrontendConnection connection;
    private P path;
    private int connections;
    private int disconnects;
    private String failure;
    private boolean portGone;
    private boolean closeRequested;
    private long closeDeadline;
    private volatile DeviceStatus snapshot;
    private volatile boolean finished;

    private FrontendDevice(final DeviceRunner runner, final FrontendDriver<P> driver, final int devid)
    {
        this.runner = runner;
        this.driver = driver;
        this.store = runner.store();
        this.devid = devid;
        this.frontendPath = XenBus.frontendPath(runner.platform().domid(), driver.type(), devid);
        this.task = runner.newTask(this::doWork);
        this.ownToken = runner.watch(frontendPath, p -> runner.schedule(task));
        // A (re)started frontend announces itself, as a Linux frontend's probe does: a backend that closed the
        // previous connection republishes InitWait when it sees Initialising.
        if (XenbusState.INITIALISING != XenBus.readState(store, XenBus.statePath(frontendPath)))
        {
            writeState(XenbusState.INITIALISING);
        }
        runner.own(this);
        publishSnapshot();
        runner.schedule(task);
    }

    /**
     * Starts the frontend of device {@code devid} of the driver's type in the runner's domain (runner thread). It
     * connects when the backend is in InitWait, and reconnects whenever the backend comes back.
     *
     * @param runner the loop.
     * @param driver the driver.
     * @param devid  device id (the toolstack created {@code device/<type>/<devid>}).
     * @param <P>    data path type.
     * @return the device.
     */
    public static <P extends DutyCycle> FrontendDevice<P> start(
        final DeviceRunner runner, final FrontendDriver<P> driver, final int devid)
    {
        return new FrontendDevice<>(runner, driver, devid);
    }

    /**
     * A snapshot of the device (any thread).
     *
     * @return the status.
     */
    public DeviceStatus status()
    {
        return snapshot;
    }

    /**
     * The current phase (runner thread).
     *
     * @return the phase.
     */
    public Phase phase()
    {
        return phase;
    }

    /**
     * The current data path (runner thread).
     *
     * @return the path of the live connection, or {@code null}.
     */
    public P dataPath()
    {
        return path;
    }

    /**
     * Runs the data path soon (runner thread), e.g. after the application queued requests: the runner otherwise
     * calls it only when its port fires.
     */
    public void wakeDataPath()
    {
        if (null != connection && null != connection.task)
        {
            runner.schedule(connection.task);
        }
    }

    /**
     * Whether the local close finished (any thread).
     *
     * @return true once Closed was written and everything released, including grants the backend mapped
     *     until it closed (a dead backend's mappings need the platform's reclaim first).
     */
    public boolean isClosed()
    {
        return finished;
    }

    /**
     * Grants whose access could not end yet because the backend still maps them (runner thread).
     *
     * @return the count.
     */
    public int grantsAwaitingRelease()
    {
        return stillMapped.size();
    }

    /**
     * Asks for a local close (runner thread): Closing, then Closed once the backend closes (or after
     * {@link #CLOSE_TIMEOUT_NANOS}); the driver's {@code disconnect} runs with {@code backendLost=false}. Poll
     * {@link #isClosed()} while the runner runs. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closeRequested)
        {
            closeRequested = true;
            closeDeadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
            runner.timer(task, closeDeadline);
            runner.schedule(task);
        }
    }

    private int doWork()
    {
        int work = 0;
        if (!stillMapped.isEmpty())
        {
            retryGrants();
        }
        if (Phase.CLOSED == phase)
        {
            return 0;
        }
        for (int step = 0; step < 4 && Phase.CLOSED != phase; step++)
        {
            final Input in = input();
            final Action action = action(phase, in);
            if (Action.NONE == action)
            {
                break;
            }
            apply(action);
            work++;
        }
        publishSnapshot();
        return 0;
    }

    private Input input()
    {
        if (closeRequested && Phase.CLOSING != phase)
        {
            return Input.CLOSE_REQUESTED;
        }
        if (closeRequested && System.nanoTime() - closeDeadline >= 0)
        {
            return Input.CLOSE_TIMEOUT;
        }
        if (null == Connection.readOrNull(store, frontendPath))
        {
            return Input.REMOVED;
        }
        if (null == backendPath)
        {
            final String back = XenBus.readOtherEnd(store, frontendPath, "backend");
            final long id = Connection.parseNumber(Connection.readOrNull(store, frontendPath + "/backend-id"));
            if (null == back || id < 0 || id > 0xFFFF)
            {
                failure = "frontend has no valid backend path or backend-id";
                return Input.BACK_UNKNOWN;
            }
            backendPath = back;
            backendDomid = (int)id;
            backendToken = runner.watch(XenBus.statePath(backendPath), p -> runner.schedule(task));
        }
        if (portGone || null == Connection.readOrNull(store, backendPath))
        {
            peerState = XenbusState.UNKNOWN;
            return Input.BACK_GONE;
        }
        peerState = XenBus.readState(store, XenBus.statePath(backendPath));
        return switch (peerState)
        {
            case INITIALISING -> Input.BACK_INITIALISING;
            case INIT_WAIT -> Input.BACK_INIT_WAIT;
            case INITIALISED -> Input.BACK_INITIALISED;
            case CONNECTED -> Input.BACK_CONNECTED;
            case CLOSING -> Input.BACK_CLOSING;
            case CLOSED -> Input.BACK_CLOSED;
            default -> Input.BACK_UNKNOWN;
        };
    }

    private void apply(final Action action)
    {
        switch (action)
        {
            case CONNECT -> connect();
            case CONNECTED ->
            {
                phase = Phase.CONNECTED;
                // The backend is Connected: say so as Linux frontends do (a backend that waits for the
                // frontend's Connected, e.g. Linux blkback's and netback's table, then serves the rings).
                writeState(XenbusState.CONNECTED);
                try
                {
                    driver.connected(path);
                }
                catch (final RuntimeException ex)
                {
                    failure = "driver connected threw: " + ex;
                }
                runner.schedule(connection.task);
            }
            case RESET ->
            {
                disconnect(true);
                portGone = false;
                writeState(XenbusState.INITIALISING);
                phase = Phase.INITIALISING;
            }
            case DETACH ->
            {
                disconnect(true);
                writeState(XenbusState.CLOSED);
                phase = Phase.DETACHED;
            }
            case CLOSE ->
            {
                disconnect(false);
                writeState(XenbusState.CLOSING);
                phase = Phase.CLOSING;
            }
            case CLOSE_DONE ->
            {
                disconnect(false);
                writeState(XenbusState.CLOSED);
                phase = Phase.CLOSED;
                stop();
            }
            case NONE ->
            {
            }
        }
    }

    private void connect()
    {
        final FrontendConnection c = new FrontendConnection(runner.platform(), driver.type(), devid, backendDomid,
            frontendPath, backendPath, connections);
        P created = null;
        try
        {
            created = driver.connect(c);
        }
        catch (final RuntimeException ex)
        {
            c.fail("driver connect threw: " + ex);
        }
        if (null == created || null != c.failure())
        {
            failure = null == c.failure() ? "driver refused the connection" : c.failure();
            if (null != created)
            {
                driver.disconnect(created, false);
            }
            stillMapped.addAll(c.release(runner));
            quietly(() -> store.write(frontendPath + "/error", failure));
            phase = Phase.FAILED;
            return;
        }
        final Map<String, String> keys = c.keys;
        store.transaction(tx ->
        {
            for (final String stale : lastKeys)
            {
                if (!keys.containsKey(stale))
                {
                    store.rm(tx, frontendPath + "/" + stale);
                }
            }
            for (final Map.Entry<String, String> e : keys.entrySet())
            {
                store.write(tx, frontendPath + "/" + e.getKey(), e.getValue());
            }
            store.write(tx, XenBus.statePath(frontendPath), XenbusState.INITIALISED.wireValue());
            return null;
        });
        lastKeys.clear();
        lastKeys.addAll(keys.keySet());
        final P connected = created;
        connection = c;
        path = connected;
        connections++;
        c.task = runner.newTask(() -> runPath(c, connected));
        for (final int port : c.ports)
        {
            runner.registerPort(port, c.task);
        }
        phase = Phase.INITIALISED;
    }

    private int runPath(final Connection c, final P p)
    {
        if (c.released || Phase.CONNECTED != phase)
        {
            return 0;
        }
        final int work = p.doWork();
        if (c.task.takePortEvent() && !c.portsConnected())
        {
            portGone = true;
            runner.schedule(task);
            return 0;
        }
        return work;
    }

    private void disconnect(final boolean backendLost)
    {
        final FrontendConnection c = connection;
        final P p = path;
        portGone = false;
        connection = null;
        path = null;
        if (null == c)
        {
            return;
        }
        c.task.close();
        try
        {
            driver.disconnect(p, backendLost);
        }
        catch (final RuntimeException ex)
        {
            failure = "driver disconnect threw: " + ex;
        }
        stillMapped.addAll(c.release(runner));
        disconnects++;
        if (!stillMapped.isEmpty())
        {
            runner.timer(task, System.nanoTime() + GRANT_RETRY_NANOS);
        }
    }

    private void retryGrants()
    {
        for (int i = stillMapped.size() - 1; i >= 0; i--)
        {
            if (stillMapped.get(i).tryRelease(runner.platform()))
            {
                stillMapped.remove(i);
            }
        }
        if (!stillMapped.isEmpty())
        {
            runner.timer(task, System.nanoTime() + GRANT_RETRY_NANOS);
        }
        else if (Phase.CLOSED == phase)
        {
            task.close();
            finished = true;
        }
    }

    private void stop()
    {
        runner.disown(this);
        if (null != backendToken)
        {
            final String token = backendToken;
            backendToken = null;
            quietly(() -> runner.unwatch(XenBus.statePath(backendPath), token));
        }
        quietly(() -> runner.unwatch(frontendPath, ownToken));
        if (stillMapped.isEmpty())
        {
            task.close();
            finished = true;
        }
    }

    private void writeState(final XenbusState state)
    {
        store.transaction(tx ->
        {
            if (null != store.readStringOrNull(tx, frontendPath))
            {
                store.write(tx, XenBus.statePath(frontendPath), state.wireValue());
            }
            return null;
        });
    }

    private void publishSnapshot()
    {
        snapshot = new DeviceStatus(driver.type(), devid, runner.platform().domid(), backendDomid, phase.name(),
            peerState, connections, disconnects, failure);
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
}
