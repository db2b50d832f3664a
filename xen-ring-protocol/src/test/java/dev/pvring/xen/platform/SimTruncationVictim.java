/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The victim process of {@link SimTruncationTest}: joins an existing system as dom0 (beside the test's dom0),
 * maps what dom1 offers (a granted page, an unbound port) and touches dom1's files once, then waits while the
 * test truncates one of them, then runs every operation that touches the truncated file. Each operation prints
 * {@code OK op result}, or {@code FAULT op message} when it raised the {@link InternalError} that reports a
 * fault in a truncated mapping; the process ends with {@code DONE} and exit code 0 unless something else failed.
 * Usage: {@code SimTruncationVictim KIND DIRECTORY} with KIND one of {@code grant}, {@code evtchn}, {@code mem},
 * {@code system}, or {@code race} (binds, notifies and closes on dom1's ports until told to stop, while the test
 * truncates and re-extends dom1's event channel file in a loop; prints {@code RACE ops=N faults=F}).
 */
public final class SimTruncationVictim
{
    private static int faults;

    private SimTruncationVictim()
    {
    }

    /**
     * Runs the scenario.
     *
     * @param args kind, directory.
     */
    public static void main(final String[] args)
    {
        final String kind = args[0];
        final Path directory = Path.of(args[1]);
        try (Mailbox mailbox = new Mailbox(directory))
        {
            final SimSystem system = SimSystem.open(directory);
            final SimPlatform platform = system.join(0);
            final GrantTable grants = platform.grantTable();
            final EventChannels events = platform.eventChannels();
            final int ref = (int)mailbox.awaitAtLeast(Mailbox.REF, 1);
            final int unbound = (int)mailbox.awaitAtLeast(Mailbox.PORT, 1);
            final int spare = (int)mailbox.awaitAtLeast(Mailbox.PEER_PORT, 1);

            // Before the truncation: map dom1's page (and arm an unmap notification that clears a byte in it),
            // bind one of its ports, and allocate a page of our own, so dom1's three files are mapped here.
            final GrantMapBatch kept = new GrantMapBatch(1);
            kept.add(1, ref, false);
            check(grants.map(kept) == 1, "map before truncation: " + GrantStatus.name(kept.status(0)));
            final int bound = events.bindInterdomain(1, unbound);
            check(bound > 0, "bind before truncation: " + EventChannels.describe(bound));
            grants.setUnmapNotify(kept.mapping(0), 0, bound);
            final AtomicBuffer page = kept.buffer(0);
            page.putIntVolatile(0, 1);
            check(system.isAlive(1), "dom1 alive");
            System.out.println("READY");
            mailbox.put(Mailbox.CHILD_STEP, 1);
            mailbox.awaitAtLeast(Mailbox.STEP, 1);

            switch (kind)
            {
                case "grant" ->
                {
                    run("map", () -> mapOnce(grants, ref));
                    run("copy", () -> copyOnce(grants, ref));
                    run("unmap", () -> grants.unmap(kept));
                    run("reclaim", () -> system.reclaim().total());
                }
                case "evtchn" ->
                {
                    run("bind", () -> events.bindInterdomain(1, spare));
                    run("notify", () -> events.notify(bound));
                    run("close", () ->
                    {
                        events.close(bound);
                        return 0;
                    });
                    run("reclaim", () -> system.reclaim().total());
                }
                case "mem" ->
                {
                    run("read", () -> page.getIntVolatile(0));
                    run("cas", () -> page.compareAndSetInt(4, 0, 1) ? 1 : 0);
                    run("add", () -> page.getAndAddInt(8, 1));
                    run("copy", () -> copyOnce(grants, ref));
                    run("unmap", () -> grants.unmap(kept));
                    run("map", () -> mapOnce(grants, ref));
                }
                case "system" ->
                {
                    run("alive", () -> system.isAlive(1) ? 1 : 0);
                    run("create", () ->
                    {
                        platform.createDomain(SimDomainConfig.defaults(2).withPages(16).withGrantEntries(16)
                            .withPorts(16).withMaptrackEntries(16));
                        return 0;
                    });
                    run("destroy", () ->
                    {
                        platform.destroyDomain(1);
                        return 0;
                    });
                    run("reclaim", () -> system.reclaim().total());
                }
                case "race" ->
                {
                    // The test truncates and re-extends dom1's event channel file in a loop meanwhile.
                    long ops = 0;
                    long raced = 0;
                    while (mailbox.get(Mailbox.STEP) < 2)
                    {
                        try
                        {
                            events.notify(bound);
                            final int port = events.bindInterdomain(1, spare);
                            if (port > 0)
                            {
                                events.close(port);
                            }
                            ops++;
                        }
                        catch (final InternalError fault)
                        {
                            raced++;
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                    }
                    faults += (int)Math.min(Integer.MAX_VALUE, raced);
                    System.out.println("RACE ops=" + ops + " faults=" + raced + " warmedUp=" +
                        SimGuardedBuffer.WARMED_UP);
                }
                default -> throw new IllegalArgumentException("unknown kind: " + kind);
            }
            run("close platform", () ->
            {
                platform.close();
                return 0;
            });
            run("close system", () ->
            {
                system.close();
                return 0;
            });
            System.out.println("DONE faults=" + faults);
            mailbox.put(Mailbox.CHILD_STEP, 2);
        }
        catch (final Throwable t)
        {
            t.printStackTrace(System.out);
            System.exit(2);
        }
        System.exit(0);
    }

    private static int mapOnce(final GrantTable grants, final int ref)
    {
        final GrantMapBatch batch = new GrantMapBatch(1);
        batch.add(1, ref, false);
        final int mapped = grants.map(batch);
        if (mapped == 1)
        {
            grants.unmap(batch);
        }
        return batch.status(0);
    }

    private static int copyOnce(final GrantTable grants, final int ref)
    {
        final GrantCopyBatch copy = new GrantCopyBatch(1);
        copy.addFromForeign(1, ref, 0, new UnsafeBuffer(new byte[64]), 0, 64);
        grants.copy(copy);
        return copy.status(0);
    }

    /** Runs one operation: prints its result, or the fault it reported as {@link InternalError}. */
    private static void run(final String op, final Callable<Integer> body) throws Exception
    {
        try
        {
            System.out.println("OK " + op + " " + body.call());
        }
        catch (final InternalError fault)
        {
            faults++;
            System.out.println("FAULT " + op + " " + fault.getMessage());
        }
        catch (final RuntimeException ex)
        {
            System.out.println("ERROR " + op + " " + ex);
        }
        System.out.flush();
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(what);
        }
    }
}
