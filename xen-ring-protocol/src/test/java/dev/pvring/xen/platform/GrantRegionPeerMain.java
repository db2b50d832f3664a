/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.nio.file.Path;

/**
 * The granting process (dom1) of {@link SimGrantRegionCrossProcessTest}: grants a 16-page contiguous range and a
 * 4-page {@link GrantPagePool} to dom0, then ends access step by step as the test (dom0) unmaps.
 * Usage: {@code GrantRegionPeerMain DIRECTORY}.
 */
public final class GrantRegionPeerMain
{
    static final int RANGE_PAGES = 16;
    static final int POOL_PAGES = 4;
    /** Mailbox slots of the range's refs (then the pool's), above the slots {@link Mailbox} names. */
    static final int REFS_SLOT = 100;

    private GrantRegionPeerMain()
    {
    }

    /**
     * Runs the scenario; exits 0 on success, 2 on a failed check.
     *
     * @param args the simulated system's directory.
     */
    public static void main(final String[] args)
    {
        try (SimSystem system = SimSystem.open(Path.of(args[0]));
            SimPlatform platform = system.join(1);
            Mailbox mailbox = new Mailbox(Path.of(args[0])))
        {
            run(platform, mailbox);
        }
        catch (final Throwable t)
        {
            t.printStackTrace();
            System.exit(2);
        }
        System.exit(0);
    }

    private static void run(final SimPlatform platform, final Mailbox mailbox)
    {
        final GrantTable grants = platform.grantTable();
        final LocalPageRange range = platform.localPages().allocateContiguous(RANGE_PAGES);
        final int[] refs = new int[RANGE_PAGES];
        check(grants.grantAccess(0, range, false, refs) == GrantStatus.OKAY, "grant range");
        for (int i = 0; i < RANGE_PAGES; i++)
        {
            range.buffer().putLong(i * GrantTable.PAGE_SIZE, 0xABC0_0000L + i);
            mailbox.put(REFS_SLOT + i, refs[i]);
        }
        final GrantPagePool pool = GrantPagePool.create(grants, platform.localPages(), 0, POOL_PAGES, false);
        check(pool != null, "pool");
        for (int page = 0; page < POOL_PAGES; page++)
        {
            pool.buffer(page).putInt(0, 700 + page);
            mailbox.put(REFS_SLOT + RANGE_PAGES + page, pool.ref(page));
        }
        mailbox.put(Mailbox.CHILD_STEP, 1);

        // Step 1: dom0 maps the region and caches the pool pages; it wrote into the last page of the range.
        mailbox.awaitAtLeast(Mailbox.STEP, 1);
        check(range.buffer().getLongVolatile((RANGE_PAGES - 1) * GrantTable.PAGE_SIZE + 8) == 0xD0D0L, "dom0 wrote");
        int endedWhileMapped = 0;
        for (final int ref : refs)
        {
            endedWhileMapped += grants.tryEndAccess(ref) ? 1 : 0;
        }
        mailbox.put(Mailbox.RESULT, endedWhileMapped);
        pool.close();
        mailbox.put(Mailbox.RESULT2, pool.quarantinedPages());
        mailbox.put(Mailbox.CHILD_STEP, 2);

        // Step 2: dom0 unmapped the region and closed its cache: every end of access succeeds now.
        mailbox.awaitAtLeast(Mailbox.STEP, 2);
        int ended = 0;
        for (final int ref : refs)
        {
            ended += grants.tryEndAccess(ref) ? 1 : 0;
        }
        ended += pool.retryQuarantined();
        mailbox.put(Mailbox.COUNT, ended);
        platform.localPages().free(range);
        mailbox.put(Mailbox.CHILD_STEP, 3);
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(what);
        }
    }
}
