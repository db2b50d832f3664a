/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.SpinYieldBlockIdleStrategy;
import dev.pvring.core.Waiter;
import dev.pvring.xen.ring.BackRing;
import dev.pvring.xen.ring.FrontRing;
import dev.pvring.xen.store.XenBus;
import dev.pvring.xen.store.XenStore;
import dev.pvring.xen.store.XenbusState;
import dev.pvring.xen.store.XenbusStateWatch;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One end of {@link TwoDomainHandshakeTest}, run in its own JVM as a domain of the simulated system: it finds
 * its device in xenstore, performs the XenBus handshake, shares (front) or maps (back) the ring page through
 * a grant, binds the event channel and exchanges echo requests, notifying only when the event index asks.
 * Arguments: {@code front|back SYSTEM_DIR DOMID COUNT}.
 */
public final class HandshakePeer
{
    static final String TYPE = "pvring-echo";
    static final int ENTRY = 64;
    private static final long TIMEOUT_SECONDS = 60;

    private HandshakePeer()
    {
    }

    /**
     * Entry point.
     *
     * @param args role, system directory, domid, request count.
     */
    public static void main(final String[] args)
    {
        final boolean front = "front".equals(args[0]);
        final long count = Long.parseLong(args[3]);
        try (SimSystem system = SimSystem.open(Path.of(args[1]));
             SimPlatform platform = system.join(Integer.parseInt(args[2])))
        {
            final String report = front ? runFront(platform, count) : runBack(platform, count);
            System.out.println(report);
        }
    }

    private static String runFront(final Platform platform, final long count)
    {
        final XenStore store = platform.xenStore();
        final String me = XenBus.frontendPath(platform.domid(), TYPE, 0);
        final String back = XenBus.readOtherEnd(store, me, "backend");
        final int backendId = Integer.parseInt(store.readString(me + "/backend-id"));
        try (XenbusStateWatch peer = XenBus.watchState(store, back))
        {
            require(peer.await(EnumSet.of(XenbusState.INIT_WAIT), TIMEOUT_SECONDS, TimeUnit.SECONDS), "InitWait");
            final LocalPage page = platform.localPages().allocate();
            final AtomicBuffer buffer = page.buffer();
            final FrontRing ring = FrontRing.init(buffer, 0, 4096, ENTRY);
            final int ref = platform.grantTable().grantAccess(backendId, page.frame(), false);
            final EventChannels events = platform.eventChannels();
            final int port = events.allocateUnbound(backendId);
            store.transaction(tx ->
            {
                store.write(tx, me + "/ring-ref", Integer.toString(ref));
                store.write(tx, me + "/event-channel", Integer.toString(port));
                return null;
            });
            XenBus.switchState(store, me, XenbusState.CONNECTED);
            require(peer.await(EnumSet.of(XenbusState.CONNECTED), TIMEOUT_SECONDS, TimeUnit.SECONDS), "Connected");

            final Waiter waiter = events.waiter(port);
            final SpinYieldBlockIdleStrategy idle = new SpinYieldBlockIdleStrategy(waiter, 200, 10,
                TimeUnit.MILLISECONDS.toNanos(100));
            final UnsafeBuffer response = new UnsafeBuffer(new byte[ENTRY]);
            long sent = 0;
            long received = 0;
            long notifications = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (received < count)
            {
                int queued = 0;
                while (sent < count && queued < 8)
                {
                    final int slot = ring.claimRequest();
                    if (slot < 0)
                    {
                        break;
                    }
                    buffer.putLong(slot, sent, ByteOrder.LITTLE_ENDIAN);
                    sent++;
                    queued++;
                }
                if (queued > 0 && ring.pushRequestsAndCheckNotify())
                {
                    notifications++;
                    require(events.notify(port) == EventChannels.OK, "notify");
                }
                final int available = ring.unconsumedResponses();
                for (int i = 0; i < available; i++)
                {
                    ring.copyResponse(response, 0, 8);
                    final long echoed = response.getLong(0, ByteOrder.LITTLE_ENDIAN);
                    if (echoed != ~received)
                    {
                        throw new IllegalStateException("bad echo: expected=" + ~received + " got=" + echoed);
                    }
                    received++;
                }
                require(!ring.isBroken(), "healthy ring");
                require(System.nanoTime() < deadline, "responses before the deadline");
                if (available > 0 || queued > 0)
                {
                    idle.reset();
                }
                else if (!idle.willBlock() || !ring.finalCheckForResponses())
                {
                    idle.idle();
                }
            }
            require(XenBus.close(store, me, peer, TIMEOUT_SECONDS, TimeUnit.SECONDS), "back end closing");
            // the back end unmaps before it acknowledges; wait until the grant can end
            final long endBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!platform.grantTable().tryEndAccess(ref))
            {
                require(System.nanoTime() < endBy, "grant released by the back end");
                Thread.onSpinWait();
            }
            events.close(port);
            platform.localPages().free(page);
            return "front ok pairs=" + received + " notifications=" + notifications + " sleeps=" +
                waiter.blockingWaits();
        }
    }

    private static String runBack(final Platform platform, final long count)
    {
        final XenStore store = platform.xenStore();
        final String me = XenBus.backendPath(platform.domid(), TYPE, frontendOf(store, platform), 0);
        final String front = XenBus.readOtherEnd(store, me, "frontend");
        final int frontendId = Integer.parseInt(store.readString(me + "/frontend-id"));
        try (XenbusStateWatch peer = XenBus.watchState(store, front))
        {
            store.write(me + "/feature-echo", "1");
            XenBus.switchState(store, me, XenbusState.INIT_WAIT);
            require(peer.await(EnumSet.of(XenbusState.INITIALISED, XenbusState.CONNECTED), TIMEOUT_SECONDS,
                TimeUnit.SECONDS), "front end Initialised or Connected");
            // peer-written keys: parse once, validate, never trust
            final int ref = parseKey(store.readString(front + "/ring-ref"), "ring-ref");
            final int remotePort = parseKey(store.readString(front + "/event-channel"), "event-channel");
            final GrantMapBatch batch = new GrantMapBatch(1);
            batch.add(frontendId, ref, false);
            require(platform.grantTable().map(batch) == 1, "ring page mapped: status=" + batch.status(0));
            final AtomicBuffer buffer = batch.buffer(0);
            final BackRing ring = BackRing.attach(buffer, 0, 4096, ENTRY);
            final EventChannels events = platform.eventChannels();
            final int port = events.bindInterdomain(frontendId, remotePort);
            require(port >= 0, "bound: " + EventChannels.describe(port));
            XenBus.switchState(store, me, XenbusState.CONNECTED);

            final Waiter waiter = events.waiter(port);
            final SpinYieldBlockIdleStrategy idle = new SpinYieldBlockIdleStrategy(waiter, 200, 10,
                TimeUnit.MILLISECONDS.toNanos(100));
            final UnsafeBuffer request = new UnsafeBuffer(new byte[ENTRY]);
            long answered = 0;
            long notifications = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (answered < count)
            {
                final int available = ring.unconsumedRequests();
                require(!ring.isBroken(), "healthy ring");
                require(System.nanoTime() < deadline, "requests before the deadline");
                if (available == 0)
                {
                    if (!idle.willBlock() || !ring.finalCheckForRequests())
                    {
                        idle.idle();
                    }
                    continue;
                }
                for (int i = 0; i < available; i++)
                {
                    ring.copyRequest(request, 0, 8);
                    final int slot = ring.claimResponse();
                    buffer.putLong(slot, ~request.getLong(0, ByteOrder.LITTLE_ENDIAN), ByteOrder.LITTLE_ENDIAN);
                }
                answered += available;
                if (ring.pushResponsesAndCheckNotify())
                {
                    notifications++;
                    require(events.notify(port) == EventChannels.OK, "notify");
                }
                idle.reset();
            }
            require(peer.await(XenBus.CLOSING_OR_GONE, TIMEOUT_SECONDS, TimeUnit.SECONDS) != null, "front closing");
            require(platform.grantTable().unmap(batch) == 1, "unmapped");
            events.close(port);
            require(XenBus.close(store, me, peer, TIMEOUT_SECONDS, TimeUnit.SECONDS), "front end closed");
            return "back ok pairs=" + answered + " notifications=" + notifications + " sleeps=" +
                waiter.blockingWaits();
        }
    }

    private static int frontendOf(final XenStore store, final Platform platform)
    {
        final String dir = "/local/domain/" + platform.domid() + "/backend/" + TYPE;
        return Integer.parseInt(store.directory(dir).get(0));
    }

    private static int parseKey(final String value, final String key)
    {
        try
        {
            final int v = Integer.parseInt(value);
            require(v >= 0, key + " must not be negative: " + key + "=" + value);
            return v;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalStateException("front end wrote a bad " + key + ": " + key + "=" + value, ex);
        }
    }

    private static void require(final Object condition, final String what)
    {
        if (condition == null || Boolean.FALSE.equals(condition))
        {
            throw new IllegalStateException("handshake step failed: " + what);
        }
    }
}
