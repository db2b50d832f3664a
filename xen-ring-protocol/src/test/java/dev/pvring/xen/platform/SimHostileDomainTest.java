/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A domain that writes garbage into its own simulated files (every sim process maps them read-write): the
 * victim process that maps or copies its grants, or binds its ports, gets status codes, never an exception, a
 * hang or an access outside the files.
 */
@Timeout(120)
class SimHostileDomainTest
{
    @Test
    void shouldReportAGrantHeaderWhoseSizesOverflowTheLayoutAsBadDomain()
    {
        try (SimFixture sim = new SimFixture(); SharedMemory grantFile = hostileMapping(sim, 1, "grant"))
        {
            // 60 M entries: the layout offsets wrapped in int, the file looked long enough, and map(ref=40 M)
            // took a lock word 1.7 GB beyond a 300 KB file.
            grantFile.buffer().putIntVolatile(SimGrantTableDescriptor.ENTRIES_OFFSET, 60_000_000);

            assertThatVictimSeesNoSuchDomain(sim.directory, 40_000_000);
        }
    }

    @Test
    void shouldReportOutOfRangeOrOversizedHeaderFieldsAsBadDomain()
    {
        final int[][] hostile = {
            {SimGrantTableDescriptor.PAGES_OFFSET, 0},
            {SimGrantTableDescriptor.PAGES_OFFSET, SimGrantTableDescriptor.MAX_PAGES + 1},
            {SimGrantTableDescriptor.PAGES_OFFSET, -1},
            {SimGrantTableDescriptor.ENTRIES_OFFSET, GrantTable.NR_RESERVED_ENTRIES},
            {SimGrantTableDescriptor.ENTRIES_OFFSET, SimGrantTableDescriptor.MAX_ENTRIES},
            {SimGrantTableDescriptor.ENTRIES_OFFSET, Integer.MIN_VALUE},
            {SimGrantTableDescriptor.MAPTRACK_OFFSET, 0},
            {SimGrantTableDescriptor.MAPTRACK_OFFSET, SimGrantTableDescriptor.MAX_MAPTRACK + 1},
        };
        for (final int[] field : hostile)
        {
            try (SimFixture sim = new SimFixture(); SharedMemory grantFile = hostileMapping(sim, 1, "grant"))
            {
                grantFile.buffer().putIntVolatile(field[0], field[1]);

                assertThatVictimSeesNoSuchDomain(sim.directory, 20);
            }
        }
        for (final int ports : new int[] {1, SimEventChannelDescriptor.MAX_PORTS, -5})
        {
            try (SimFixture sim = new SimFixture(); SharedMemory eventFile = hostileMapping(sim, 1, "evtchn"))
            {
                eventFile.buffer().putIntVolatile(SimEventChannelDescriptor.PORTS_OFFSET, ports);

                assertThatVictimSeesNoSuchDomain(sim.directory, 20);
            }
        }
    }

    @Test
    void shouldNeverBuildAViewFromAHeaderRewrittenAfterItsValidation() throws Exception
    {
        try (SimFixture sim = new SimFixture(); SharedMemory grantFile = hostileMapping(sim, 1, "grant"))
        {
            final int generation = sim.system.view(1).generation;
            final AtomicBuffer header = grantFile.buffer();
            raceAgainst("header race", header, SimGrantTableDescriptor.ENTRIES_OFFSET, 60_000_000, 64, () ->
            {
                final SimDomainView view = SimDomainView.open(sim.directory, 1, generation);
                if (view == null)
                {
                    return false;
                }
                try
                {
                    assertThat(view.entries).as("entries of an accepted view").isEqualTo(64);
                    return true;
                }
                finally
                {
                    view.close();
                }
            });
        }
    }

    @Test
    void shouldReportDomainFilesWithAWrongHeaderOrShapeAsNoSuchDomain() throws Exception
    {
        final int[][] words = {
            {SimGrantTableDescriptor.MAGIC_OFFSET, 0x1234},
            {SimGrantTableDescriptor.VERSION_OFFSET, 2},
            {SimGrantTableDescriptor.DOMID_OFFSET, 3},
        };
        for (final int[] word : words)
        {
            for (final String kind : new String[] {"grant", "evtchn"})
            {
                try (SimFixture sim = new SimFixture(); SharedMemory file = hostileMapping(sim, 1, kind))
                {
                    file.buffer().putIntVolatile(word[0], word[1]);

                    assertThatVictimSeesNoSuchDomain(sim.directory, 20);
                }
            }
        }
        for (final long size : new long[] {0, 100, 4096 + 1, 4096})
        {
            try (SimFixture sim = new SimFixture())
            {
                // Empty, not a page multiple, or shorter than its header claims (nothing in this process touches
                // the vanished pages of dom1's file afterwards).
                try (FileChannel file = FileChannel.open(domainFile(sim, 1, "grant"), StandardOpenOption.WRITE))
                {
                    file.truncate(size);
                }

                assertThatVictimSeesNoSuchDomain(sim.directory, 20);
            }
        }
        try (SimFixture sim = new SimFixture())
        {
            // Not a regular file: a symbolic link to dom0's grant file (a FIFO or device would do the same).
            final Path grant = domainFile(sim, 1, "grant");
            Files.delete(grant);
            Files.createSymbolicLink(grant, domainFile(sim, 0, "grant"));

            assertThatVictimSeesNoSuchDomain(sim.directory, 20);
            Files.delete(grant);
        }
    }

    @Test
    void shouldTreatANewGenerationWithGarbageFilesAsNoSuchDomainWhenNotifyingClosingAndBinding() throws Exception
    {
        try (SimFixture sim = new SimFixture())
        {
            final EventChannels back = sim.dom0.eventChannels();
            final int closing = back.allocateUnbound(1);
            final int notifying = back.allocateUnbound(1);
            sim.dom1.eventChannels().bindInterdomain(0, closing);
            sim.dom1.eventChannels().bindInterdomain(0, notifying);
            final int unbound = sim.dom1.eventChannels().allocateUnbound(0);
            // dom1 bumps its own generation word in the shared system file and leaves garbage files for it.
            final int generation = sim.system.view(1).generation;
            final AtomicBuffer system = sim.system.systemBuffer();
            system.putLongVolatile(SimSystemDescriptor.slotOffset(1) + SimSystemDescriptor.SLOT_STATE_OFFSET,
                SimSystemDescriptor.stateWord(SimSystemDescriptor.DOMAIN_ALIVE, generation + 1));
            Files.write(SimDomainView.grantPath(sim.directory, 1, generation + 1), new byte[8192]);
            Files.write(SimDomainView.eventPath(sim.directory, 1, generation + 1), new byte[4096]);

            assertThat(back.notify(notifying)).isEqualTo(EventChannels.NOT_CONNECTED);
            back.close(closing);
            assertThat(back.bindInterdomain(1, unbound)).isEqualTo(EventChannels.NO_SUCH_DOMAIN);
            final GrantMapBatch map = new GrantMapBatch(1);
            map.add(1, 20, true);
            assertThat(sim.dom0.grantTable().map(map)).isZero();
            assertThat(map.status(0)).isEqualTo(GrantStatus.BAD_DOMAIN);
            final SimInspector inspector = new SimInspector(sim.system);
            assertThat(inspector.ports(1)).isEmpty();
            assertThat(inspector.grants(1)).isEmpty();
            assertThat(inspector.mappings(1)).isEmpty();
            assertThat(inspector.domains()).hasSize(2);
            assertThat(sim.system.reclaim().total()).isZero();

            system.putLongVolatile(SimSystemDescriptor.slotOffset(1) + SimSystemDescriptor.SLOT_STATE_OFFSET,
                SimSystemDescriptor.stateWord(SimSystemDescriptor.DOMAIN_ALIVE, generation));
        }
    }

    @Test
    void shouldFailMapAndCopyWithEagainWhileTheGranterKeepsThePinLock() throws Exception
    {
        try (SimFixture sim = new SimFixture())
        {
            final int ref = sim.dom1.grantTable().grantAccess(0, sim.dom1.localPages().allocate().frame(), false);
            final GrantMapBatch map = new GrantMapBatch(1);
            map.add(1, ref, false);
            final GrantCopyBatch copy = new GrantCopyBatch(1);
            copy.addFromForeign(1, ref, 0, new UnsafeBuffer(new byte[64]), 0, 64);
            final int[] counts;
            try (HeldLock lock = new HeldLock(sim, ref))
            {
                final long start = System.nanoTime();
                counts = lock.await(() ->
                    new int[] {sim.dom0.grantTable().map(map), sim.dom0.grantTable().copy(copy)});
                assertThat(System.nanoTime() - start).as("bounded wait").isLessThan(TimeUnit.SECONDS.toNanos(5));
            }

            assertThat(counts).containsExactly(0, 0);
            assertThat(map.status(0)).isEqualTo(GrantStatus.EAGAIN);
            assertThat(copy.status(0)).isEqualTo(GrantStatus.EAGAIN);
            assertThat(new SimInspector(sim.system).mappings(0)).as("no maptrack slot leaked").isEmpty();
            map.clear();
            map.add(1, ref, false);
            assertThat(sim.dom0.grantTable().map(map)).as("works once the lock is free").isOne();
            assertThat(sim.dom0.grantTable().unmap(map)).isOne();
            assertThat(sim.dom1.grantTable().tryEndAccess(ref)).isTrue();
        }
    }

    @Test
    void shouldReleaseTheRunsLocksBeforeWaitingForAPinLockAndCopyTheRest() throws Exception
    {
        try (SimFixture sim = new SimFixture())
        {
            final GrantTable front = sim.dom1.grantTable();
            final LocalPage pageA = sim.dom1.localPages().allocate();
            final LocalPage pageC = sim.dom1.localPages().allocate();
            final int refA = front.grantAccess(0, pageA.frame(), false);
            final int refB = front.grantAccess(0, sim.dom1.localPages().allocate().frame(), false);
            final int refC = front.grantAccess(0, pageC.frame(), false);
            final UnsafeBuffer local = new UnsafeBuffer(new byte[64]);
            local.putStringWithoutLengthAscii(0, "abcdefgh");
            final GrantCopyBatch copy = new GrantCopyBatch(4);
            copy.addToForeign(local, 0, 1, refA, 0, 4);
            copy.addToForeign(local, 0, 1, refB, 0, 4);
            copy.addToForeign(local, 4, 1, refA, 4, 4);
            copy.addToForeign(local, 0, 1, refC, 8, 8);
            final SimDomainView granter = sim.system.view(1);
            final int lockA = granter.activeOffset(refA) + SimGrantTableDescriptor.ACTIVE_LOCK_OFFSET;
            final int copied;
            try (HeldLock lock = new HeldLock(sim, refB))
            {
                final CompletableFuture<Integer> running =
                    CompletableFuture.supplyAsync(() -> sim.dom0.grantTable().copy(copy));
                // The copy waits LOCK_TIMEOUT_NANOS (100 ms) for B's lock; meanwhile it must not hold A's.
                Thread.sleep(50);
                assertThat(granter.grants.getIntVolatile(lockA)).as("A's lock while waiting for B's").isZero();
                copied = running.get(10, TimeUnit.SECONDS);
            }

            assertThat(copied).isEqualTo(3);
            assertThat(copy.status(0)).isEqualTo(GrantStatus.OKAY);
            assertThat(copy.status(1)).isEqualTo(GrantStatus.EAGAIN);
            assertThat(copy.status(2)).isEqualTo(GrantStatus.OKAY);
            assertThat(copy.status(3)).isEqualTo(GrantStatus.OKAY);
            assertThat(pageA.buffer().getStringWithoutLengthAscii(0, 8)).isEqualTo("abcdefgh");
            assertThat(pageC.buffer().getStringWithoutLengthAscii(8, 8)).isEqualTo("abcdefgh");
            assertThat(SimGrantProtocol.pinsVolatile(granter.grants, granter.activeOffset(refA))).isZero();
            assertThat(front.tryEndAccess(refA)).isTrue();
            assertThat(front.tryEndAccess(refB)).isTrue();
            assertThat(front.tryEndAccess(refC)).isTrue();
        }
    }

    @Test
    void shouldUnmapAtOnceAndReleaseTheStaleSlotLaterWhileTheGranterKeepsThePinLock() throws Exception
    {
        try (SimFixture sim = new SimFixture())
        {
            final int ref = sim.dom1.grantTable().grantAccess(0, sim.dom1.localPages().allocate().frame(), false);
            final GrantMapBatch map = new GrantMapBatch(1);
            map.add(1, ref, false);
            assertThat(sim.dom0.grantTable().map(map)).isOne();
            final SimGrantMapping mapping = (SimGrantMapping)map.mapping(0);
            final SimGrantTable back = (SimGrantTable)sim.dom0.grantTable();
            try (HeldLock lock = new HeldLock(sim, ref))
            {
                assertThat(lock.await(() -> back.unmap(map))).isOne();

                assertThat(mapping.isMapped()).isFalse();
                assertThat(back.staleSlots()).isOne();
                final SimDomainView own = sim.system.view(0);
                final int target = own.grants.getIntVolatile(
                    own.maptrackOffset(mapping.slot) + SimGrantTableDescriptor.MAPTRACK_TARGET_OFFSET);
                assertThat(target >>> 16).as("maptrack flags").isEqualTo(
                    SimGrantTableDescriptor.MAPTRACK_MAPPED | SimGrantTableDescriptor.MAPTRACK_STALE);
                assertThat(sim.dom1.grantTable().tryEndAccess(ref)).as("the pin still counts").isFalse();
            }

            map.clear();
            assertThat(back.map(map)).as("any later call retries the stale slot").isZero();
            assertThat(back.staleSlots()).isZero();
            assertThat(new SimInspector(sim.system).mappings(0)).isEmpty();
            assertThat(sim.dom1.grantTable().tryEndAccess(ref)).isTrue();
        }
    }

    @Test
    void shouldDestroyAMapperAndReclaimADeadMapperWhileTheGranterKeepsThePinLock() throws Exception
    {
        try (SimFixture sim = new SimFixture())
        {
            final int ref = sim.dom1.grantTable().grantAccess(0, sim.dom1.localPages().allocate().frame(), true);
            final int ref2 = sim.dom1.grantTable().grantAccess(2, sim.dom1.localPages().allocate().frame(), true);
            sim.dom0.createDomain(SimDomainConfig.defaults(2).withPages(16).withGrantEntries(16).withPorts(16)
                .withMaptrackEntries(16));
            final SimPlatform dom2 = sim.system.join(2);
            final GrantMapBatch map2 = new GrantMapBatch(1);
            map2.add(1, ref2, true);
            assertThat(dom2.grantTable().map(map2)).isOne();
            final GrantMapBatch map = new GrantMapBatch(1);
            map.add(1, ref, true);
            assertThat(sim.dom0.grantTable().map(map)).isOne();
            // The mapping process of dom0's slot "died": its pid is one that has exited.
            final Process exited = new ProcessBuilder("true").start();
            assertThat(exited.waitFor(10, TimeUnit.SECONDS)).isTrue();
            final SimDomainView dom0View = sim.system.view(0);
            dom0View.grants.putIntVolatile(dom0View.maptrackOffset(((SimGrantMapping)map.mapping(0)).slot) +
                SimGrantTableDescriptor.MAPTRACK_OWNER_OFFSET, (int)exited.pid());
            final SimHypervisor.ReclaimReport report;
            try (HeldLock lock = new HeldLock(sim, ref, ref2))
            {
                final long start = System.nanoTime();
                lock.await(() ->
                {
                    sim.dom0.destroyDomain(2);
                    return null;
                });
                report = lock.await(sim.system::reclaim);
                assertThat(System.nanoTime() - start).as("bounded").isLessThan(TimeUnit.SECONDS.toNanos(5));
            }
            dom2.close();

            assertThat(sim.system.isAlive(2)).isFalse();
            assertThat(report.mappings()).as("pin kept while locked").isZero();
            assertThat(sim.system.reclaim().mappings()).as("released once the lock is free").isOne();
            assertThat(sim.dom1.grantTable().tryEndAccess(ref)).isTrue();
        }
    }

    @Test
    void shouldRangeCheckTheFrameOfAGrantTheGranterClaimsIsAlreadyPinned()
    {
        try (SimFixture sim = new SimFixture())
        {
            final int ref = sim.dom1.grantTable().grantAccess(0, sim.dom1.localPages().allocate().frame(), false);
            final SimDomainView granter = sim.system.view(1);
            final int active = granter.activeOffset(ref);
            for (final int frame : new int[] {100_000, sim.system.view(1).pages, -1})
            {
                // The granter's own words: READING set, one read-only pin, and a pinned frame of its choosing.
                granter.grants.putIntVolatile(granter.entryOffset(ref), GrantEntryV1Descriptor.header(
                    GrantEntryV1Descriptor.GTF_PERMIT_ACCESS | GrantEntryV1Descriptor.GTF_READING, 0));
                granter.grants.putIntVolatile(
                    active + SimGrantTableDescriptor.ACTIVE_PINS_OFFSET, SimGrantTableDescriptor.PIN_READ_ONLY);
                granter.grants.putIntVolatile(active + SimGrantTableDescriptor.ACTIVE_FRAME_OFFSET, frame);
                final GrantCopyBatch copy = new GrantCopyBatch(2);
                copy.addFromForeign(1, ref, 0, new UnsafeBuffer(new byte[64]), 0, 64);
                copy.addToForeign(new UnsafeBuffer(new byte[64]), 0, 1, ref, 0, 64);
                final GrantMapBatch map = new GrantMapBatch(2);
                map.add(1, ref, true);
                map.add(1, ref, false);

                assertThat(sim.dom0.grantTable().copy(copy)).as("frame=%d", frame).isZero();
                assertThat(sim.dom0.grantTable().map(map)).as("frame=%d", frame).isZero();

                assertThat(copy.status(0)).isEqualTo(GrantStatus.BAD_PAGE);
                assertThat(copy.status(1)).isEqualTo(GrantStatus.BAD_PAGE);
                assertThat(map.status(0)).isEqualTo(GrantStatus.BAD_PAGE);
                assertThat(map.status(1)).isEqualTo(GrantStatus.BAD_PAGE);
                assertThat(SimGrantProtocol.pinsVolatile(granter.grants, active)).as("no pin counted")
                    .isEqualTo(SimGrantTableDescriptor.PIN_READ_ONLY);
                assertThat(new SimInspector(sim.system).mappings(0)).as("no maptrack slot leaked").isEmpty();
            }
        }
    }

    @Test
    void shouldReportACopyFromAMemoryFileTheGranterTruncatedAsGeneralError() throws Exception
    {
        try (SimFixture sim = new SimFixture())
        {
            final int ref = sim.dom1.grantTable().grantAccess(0, sim.dom1.localPages().allocate().frame(), false);
            final GrantCopyBatch copy = new GrantCopyBatch(2);
            copy.addFromForeign(1, ref, 0, new UnsafeBuffer(new byte[64]), 0, 64);
            assertThat(sim.dom0.grantTable().copy(copy)).as("maps the granter's memory").isOne();
            try (FileChannel memory = FileChannel.open(
                SimDomainView.memPath(sim.directory, 1, sim.system.view(1).generation), StandardOpenOption.WRITE))
            {
                memory.truncate(0);
            }
            copy.clear();
            copy.addFromForeign(1, ref, 0, new UnsafeBuffer(new byte[64]), 0, 64);
            copy.addToForeign(new UnsafeBuffer(new byte[64]), 0, 1, ref, 64, 64);

            assertThat(sim.dom0.grantTable().copy(copy)).isZero();

            assertThat(copy.status(0)).isEqualTo(GrantStatus.GENERAL_ERROR);
            assertThat(copy.status(1)).isEqualTo(GrantStatus.GENERAL_ERROR);
            assertThat(sim.dom1.grantTable().tryEndAccess(ref)).as("the copies dropped their pins").isTrue();
        }
    }

    /**
     * The granter writes a pid that stays alive (init) into the pin lock words of some of its refs; closing puts
     * 0 back and lets a still-running operation finish before the fixture unmaps anything.
     */
    private static final class HeldLock implements AutoCloseable
    {
        private final AtomicBuffer grants;
        private final int[] lockOffsets;
        private CompletableFuture<?> pending;

        HeldLock(final SimFixture sim, final int... refs)
        {
            assertThat(SimHypervisor.isProcessAlive(1)).as("pid 1 exists").isTrue();
            final SimDomainView granter = sim.system.view(1);
            this.grants = granter.grants;
            this.lockOffsets = new int[refs.length];
            for (int i = 0; i < refs.length; i++)
            {
                lockOffsets[i] = granter.activeOffset(refs[i]) + SimGrantTableDescriptor.ACTIVE_LOCK_OFFSET;
                grants.putIntVolatile(lockOffsets[i], 1);
            }
        }

        /** Runs a victim operation; fails (instead of hanging) if it does not return within 10 s. */
        <T> T await(final Supplier<T> operation) throws Exception
        {
            final CompletableFuture<T> future = CompletableFuture.supplyAsync(operation);
            pending = future;
            return future.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close()
        {
            for (final int lockOffset : lockOffsets)
            {
                grants.putIntVolatile(lockOffset, 0);
            }
            if (pending != null)
            {
                // Whatever the operation's outcome; only wait for it to stop touching the mappings.
                pending.handle((value, failure) -> value).orTimeout(10, TimeUnit.SECONDS).join();
            }
        }
    }

    @Test
    void shouldNeverUseASlotCountRewrittenAfterItsValidation() throws Exception
    {
        try (SimFixture sim = new SimFixture())
        {
            raceAgainst("slot count race", sim.system.systemBuffer(), SimSystemDescriptor.MAX_DOMAINS_OFFSET, -1, 8,
                () ->
                {
                    try (SimSystem other = SimSystem.open(sim.directory))
                    {
                        assertThat(other.maxDomains()).isEqualTo(8);
                        return true;
                    }
                    catch (final PlatformException rejected)
                    {
                        assertThat(rejected).hasMessageStartingWith("not a pvring simulated system");
                        return false;
                    }
                });
        }
    }

    /**
     * A hostile writer flips a header word between a bad and a good value while the victim validates and uses it
     * for 2 s (and until both outcomes were seen): {@code attempt} returns whether the good value was accepted
     * and checks that nothing else ever is. The good value is put back at the end.
     */
    private static void raceAgainst(
        final String name, final AtomicBuffer words, final int offset, final int bad, final int good,
        final BooleanSupplier attempt) throws InterruptedException
    {
        final AtomicBoolean done = new AtomicBoolean();
        final Thread flipper = new Thread(() ->
        {
            while (!done.get())
            {
                words.putIntVolatile(offset, bad);
                words.putIntVolatile(offset, good);
            }
        });
        flipper.start();
        int accepted = 0;
        int rejected = 0;
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline || accepted == 0 || rejected == 0)
            {
                if (attempt.getAsBoolean())
                {
                    accepted++;
                }
                else
                {
                    rejected++;
                }
            }
        }
        finally
        {
            done.set(true);
            flipper.join();
            words.putIntVolatile(offset, good);
        }
        System.out.printf("%s: accepted=%d rejected=%d%n", name, accepted, rejected);
    }

    /** A fresh process's view (lazy, like a backend opening the system after the domain wrote its header). */
    static void assertThatVictimSeesNoSuchDomain(final Path directory, final int ref)
    {
        try (SimSystem backend = SimSystem.open(directory); SimPlatform dom0 = backend.join(0))
        {
            final GrantMapBatch map = new GrantMapBatch(1);
            map.add(1, ref, true);
            final GrantCopyBatch copy = new GrantCopyBatch(1);
            copy.addFromForeign(1, ref, 0, new UnsafeBuffer(new byte[64]), 0, 64);

            assertThat(dom0.grantTable().map(map)).isZero();
            assertThat(dom0.grantTable().copy(copy)).isZero();
            assertThat(dom0.eventChannels().bindInterdomain(1, 1)).isEqualTo(EventChannels.NO_SUCH_DOMAIN);

            assertThat(map.status(0)).isEqualTo(GrantStatus.BAD_DOMAIN);
            assertThat(copy.status(0)).isEqualTo(GrantStatus.BAD_DOMAIN);
            assertThat(new SimInspector(backend).grants(1)).isEmpty();
        }
    }

    /** The hostile domain's own mapping of one of its files. */
    static SharedMemory hostileMapping(final SimFixture sim, final int domid, final String kind)
    {
        return SharedMemory.open(domainFile(sim, domid, kind), SharedMemory.Access.READ_WRITE);
    }

    static Path domainFile(final SimFixture sim, final int domid, final String kind)
    {
        final int generation = sim.system.view(domid).generation;
        return sim.directory.resolve("dom" + domid + ".gen" + generation + "." + kind);
    }
}
