/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The other process of {@link SimCrossProcessTest} and {@link SimSecurityTest}: joins an existing simulated
 * system as domain 1 and plays one scenario, coordinating through a {@link Mailbox}.
 * Usage: {@code SimPeerMain SCENARIO DIRECTORY [ARGS]}.
 */
public final class SimPeerMain
{
    static final long PATTERN = 0xC0FFEE_0000_1234L;
    static final long BACK_WRITE = 0xBEEFL;
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private SimPeerMain()
    {
    }

    /**
     * Runs a scenario; exits 0 on success.
     *
     * @param args scenario, directory, scenario arguments.
     */
    public static void main(final String[] args)
    {
        final Path directory = Path.of(args[1]);
        try (SimSystem system = SimSystem.open(directory);
            SimPlatform platform = system.join(1);
            Mailbox mailbox = new Mailbox(directory))
        {
            switch (args[0])
            {
                case "grant" -> grant(platform, mailbox);
                case "pingpong" -> pingPong(platform, mailbox, Integer.parseInt(args[2]));
                case "hold" -> hold(platform, mailbox);
                case "liveness" -> liveness(platform, mailbox);
                case "storm" -> storm(platform, mailbox, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                default -> throw new IllegalArgumentException("unknown scenario: " + args[0]);
            }
        }
        catch (final Throwable t)
        {
            t.printStackTrace();
            System.exit(2);
        }
        System.exit(0);
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(what);
        }
    }

    /**
     * Grants one writable and one read-only page to dom0, checks dom0's write, and ends access: first while
     * mapped (must fail), then after dom0 unmapped (must succeed).
     */
    private static void grant(final SimPlatform platform, final Mailbox mailbox)
    {
        final LocalPage writable = platform.localPages().allocate();
        final LocalPage readOnly = platform.localPages().allocate();
        writable.buffer().putLong(0, PATTERN);
        readOnly.buffer().putStringWithoutLengthAscii(0, "read me");
        final int ref = platform.grantTable().grantAccess(0, writable.frame(), false);
        final int roRef = platform.grantTable().grantAccess(0, readOnly.frame(), true);
        mailbox.put(Mailbox.REF_READ_ONLY, roRef);
        mailbox.put(Mailbox.REF, ref);
        final AtomicBuffer page = writable.buffer();
        final long deadline = System.nanoTime() + 60 * SECOND;
        while (page.getLongVolatile(8) != BACK_WRITE)
        {
            check(System.nanoTime() < deadline, "dom0's write never arrived");
            Thread.onSpinWait();
        }
        mailbox.put(Mailbox.CHILD_STEP, 1);
        mailbox.awaitAtLeast(Mailbox.STEP, 1);
        mailbox.put(Mailbox.RESULT, platform.grantTable().tryEndAccess(ref) ? 1 : 2);
        mailbox.put(Mailbox.CHILD_STEP, 2);
        mailbox.awaitAtLeast(Mailbox.STEP, 2);
        mailbox.put(Mailbox.RESULT2, platform.grantTable().tryEndAccess(ref) ? 1 : 2);
        check(platform.grantTable().tryEndAccess(roRef), "read-only grant still in use");
        platform.localPages().free(writable);
        mailbox.put(Mailbox.CHILD_STEP, 3);
    }

    /**
     * Binds to dom0's port and answers each notification with one of its own, {@code rounds} times; before the
     * first answer it waits until dom0 really sleeps on its port.
     */
    private static void pingPong(final SimPlatform platform, final Mailbox mailbox, final int rounds)
    {
        final EventChannels events = platform.eventChannels();
        final int backPort = (int)mailbox.awaitAtLeast(Mailbox.PORT, 1);
        final int port = events.bindInterdomain(0, backPort);
        check(port > 0, "bind failed: " + EventChannels.describe(port));
        mailbox.put(Mailbox.PEER_PORT, port);
        final SimInspector inspector = new SimInspector(platform.system());
        final long deadline = System.nanoTime() + 60 * SECOND;
        while (inspector.ports(0).stream().noneMatch(p -> p.port() == backPort && p.waiters() > 0))
        {
            check(System.nanoTime() < deadline, "dom0 never slept on its port");
            Thread.yield();
        }
        check(events.notify(port) == EventChannels.OK, "first notify failed");
        for (int i = 0; i < rounds; i++)
        {
            final int result = events.wait(port, 60 * SECOND);
            check(result == EventChannels.NOTIFIED, "round " + i + ": " + EventChannels.describe(result));
            check(events.notify(port) == EventChannels.OK, "notify failed in round " + i);
        }
        mailbox.put(Mailbox.CHILD_STEP, 1);
        check(events.wait(port, 60 * SECOND) == EventChannels.PEER_CLOSED, "dom0's close was not seen");
        mailbox.put(Mailbox.CHILD_STEP, 2);
    }

    /**
     * Takes a port, a grant mapped by dom0, a mapping of dom0's grant and pages, then waits to be killed.
     */
    private static void hold(final SimPlatform platform, final Mailbox mailbox) throws InterruptedException
    {
        final int port = platform.eventChannels().bindInterdomain(0, (int)mailbox.awaitAtLeast(Mailbox.PORT, 1));
        check(port > 0, "bind failed");
        final LocalPage page = platform.localPages().allocate();
        platform.localPages().allocate();
        final int ref = platform.grantTable().grantAccess(0, page.frame(), false);
        final GrantMapBatch batch = new GrantMapBatch(1);
        batch.add(0, (int)mailbox.awaitAtLeast(Mailbox.BACK_REF, 1), true);
        check(platform.grantTable().map(batch) == 1, "map failed: " + GrantStatus.name(batch.status(0)));
        mailbox.put(Mailbox.REF, ref);
        mailbox.put(Mailbox.CHILD_STEP, 1);
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }

    /**
     * What a vchan client and server arm on their liveness bytes: maps dom0's page writable with an unmap
     * notification (clear byte 0, notify the port), grants its own page with an end notification (clear byte 0,
     * notify the port), sets both bytes, then waits to be killed.
     */
    private static void liveness(final SimPlatform platform, final Mailbox mailbox) throws InterruptedException
    {
        final int port = platform.eventChannels().bindInterdomain(0, (int)mailbox.awaitAtLeast(Mailbox.PORT, 1));
        check(port > 0, "bind failed");
        final GrantMapBatch batch = new GrantMapBatch(1);
        batch.add(0, (int)mailbox.awaitAtLeast(Mailbox.BACK_REF, 1), false);
        check(platform.grantTable().map(batch) == 1, "map failed: " + GrantStatus.name(batch.status(0)));
        batch.buffer(0).putByteVolatile(0, (byte)1);
        platform.grantTable().setUnmapNotify(batch.mapping(0), 0, port);
        final LocalPage page = platform.localPages().allocate();
        page.buffer().putByteVolatile(0, (byte)1);
        final int ref = platform.grantTable().grantAccess(0, page.frame(), true);
        platform.grantTable().setEndNotify(ref, 0, port);
        mailbox.put(Mailbox.REF, ref);
        mailbox.put(Mailbox.CHILD_STEP, 1);
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }

    /**
     * Sends {@code count} notifications on the storm port; every {@code count / pings} of them also pings the
     * quiet port and waits for dom0's answer there. Reports answers and its own CPU time, then keeps its ports
     * open until dom0 says it is done.
     */
    private static void storm(final SimPlatform platform, final Mailbox mailbox, final int count, final int pings)
    {
        final EventChannels events = platform.eventChannels();
        final int storm = events.bindInterdomain(0, (int)mailbox.awaitAtLeast(Mailbox.PORT, 1));
        final int quiet = events.bindInterdomain(0, (int)mailbox.awaitAtLeast(Mailbox.PEER_PORT, 1));
        check(storm > 0 && quiet > 0, "bind failed");
        mailbox.put(Mailbox.CHILD_STEP, 1);
        mailbox.awaitAtLeast(Mailbox.STEP, 1);
        final long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        final int every = count / pings;
        long answered = 0;
        long worstAnswerNanos = 0;
        for (int i = 1; i <= count; i++)
        {
            events.notify(storm);
            if (i % every == 0)
            {
                final long start = System.nanoTime();
                events.notify(quiet);
                if (events.wait(quiet, 10 * SECOND) == EventChannels.NOTIFIED)
                {
                    answered++;
                }
                worstAnswerNanos = Math.max(worstAnswerNanos, System.nanoTime() - start);
            }
        }
        mailbox.put(Mailbox.CPU_NANOS, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart);
        mailbox.put(Mailbox.RESULT, answered);
        mailbox.put(Mailbox.RESULT2, worstAnswerNanos);
        mailbox.put(Mailbox.CHILD_STEP, 2);
        mailbox.awaitAtLeast(Mailbox.STEP, 2);
    }
}
