/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class SimSystemTest
{
    @Test
    void shouldCreateASystemWithDom0AndReopenIt() throws Exception
    {
        final Path directory = SimFixture.newDirectory();
        try (SimSystem created = SimSystem.create(directory))
        {
            assertThat(SimSystem.exists(directory)).isTrue();
            assertThat(created.maxDomains()).isEqualTo(SimSystem.DEFAULT_MAX_DOMAINS);
            try (SimSystem opened = SimSystem.open(directory))
            {
                final SimInspector.DomainInfo dom0 = new SimInspector(opened).domains().get(0);
                assertThat(dom0.domid()).isZero();
                assertThat(dom0.name()).isEqualTo("Domain-0");
                assertThat(dom0.state()).isEqualTo("alive");
                assertThat(dom0.pages()).isEqualTo(SimDomainConfig.DEFAULT_PAGES);
                assertThat(dom0.creatorPid()).isEqualTo((int)ProcessHandle.current().pid());
            }
            assertThat(Files.list(directory).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("system", "dom0.gen1.mem", "dom0.gen1.grant", "dom0.gen1.evtchn");
        }
        finally
        {
            SimSystem.delete(directory);
        }
        assertThat(directory).doesNotExist();
    }

    @Test
    void shouldExplainAMissingOrDuplicateSystem()
    {
        final Path directory = SimFixture.newDirectory();
        assertThatThrownBy(() -> SimSystem.open(directory))
            .isInstanceOf(PlatformException.class)
            .hasMessage("no simulated system: directory=" + directory +
                " (create it with 'pvring sim create NAME' or SimSystem.create)");
        assertThatThrownBy(() -> SimSystem.delete(directory))
            .isInstanceOf(PlatformException.class)
            .hasMessage("no simulated system: directory=" + directory);
        try (SimSystem ignored = SimSystem.create(directory))
        {
            assertThatThrownBy(() -> SimSystem.create(directory))
                .isInstanceOf(PlatformException.class)
                .hasMessage("simulated system already exists: directory=" + directory);
        }
        finally
        {
            SimSystem.delete(directory);
        }
    }

    @Test
    void shouldRejectAFileThatIsNotASystem() throws Exception
    {
        final Path directory = SimFixture.newDirectory();
        Files.createDirectories(directory);
        Files.write(directory.resolve("system"), new byte[4096]);
        try
        {
            assertThatThrownBy(() -> SimSystem.open(directory))
                .isInstanceOf(PlatformException.class)
                .hasMessage(
                    "not a pvring simulated system: file=" + directory.resolve("system") + " magic=0x0 version=0");
        }
        finally
        {
            SimSystem.delete(directory);
        }
    }

    @Test
    void shouldResolveNamesUnderTheRoot()
    {
        assertThat(SimSystem.directoryOf("demo")).isEqualTo(Path.of("/dev/shm/pvring-sim/demo"));
        assertThat(SimSystem.directoryOf("/tmp/x/demo")).isEqualTo(Path.of("/tmp/x/demo"));
        assertThatThrownBy(() -> SimSystem.directoryOf(".."))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("system name must be letters, digits, '.', '_' or '-' and not start with '.': name=..");
        assertThatThrownBy(() -> SimSystem.directoryOf("a b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLetOnlyDom0CreateAndDestroyDomains()
    {
        try (SimFixture sim = new SimFixture())
        {
            assertThatThrownBy(() -> sim.dom1.createDomain(SimDomainConfig.defaults(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("only dom0 may create domains: domid=1");
            assertThatThrownBy(() -> sim.dom1.destroyDomain(0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("only dom0 may destroy domains: domid=1");
            assertThatThrownBy(() -> sim.dom0.createDomain(SimDomainConfig.defaults(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("domain already exists: domid=1 state=alive");
            assertThatThrownBy(() -> sim.dom0.createDomain(SimDomainConfig.defaults(8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("domid out of range: domid=8 maxDomains=8");
            assertThatThrownBy(() -> sim.dom0.destroyDomain(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot destroy domain: domid=0 (dom0 or out of range)");
            assertThatThrownBy(() -> sim.dom0.destroyDomain(3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no such domain: domid=3");
            assertThatThrownBy(() -> sim.system.join(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no such domain: domid=3 system=" + sim.directory);
        }
    }

    @Test
    void shouldValidateDomainSizes()
    {
        assertThatThrownBy(() -> SimDomainConfig.defaults(1).withPages(0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("pages out of range: pages=0 min=1 max=524287");
        assertThatThrownBy(() -> SimDomainConfig.defaults(1).withGrantEntries(8))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("grant entries out of range: entries=8 min=9 max=1048576");
        assertThatThrownBy(() -> SimDomainConfig.defaults(1).withPorts(1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("ports out of range: ports=1 min=2 max=131072");
        assertThatThrownBy(() -> SimDomainConfig.defaults(1).withMaptrackEntries(0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("maptrack entries out of range: maptrack=0 min=1 max=1048576");
        assertThatThrownBy(() -> SimDomainConfig.defaults(1).withName("x".repeat(32)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("domain name must be 1-31 ASCII characters: name=xxx");
        assertThatThrownBy(() -> SimDomainConfig.defaults(-1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("domid out of range: domid=-1 max=4095");
    }

    @Test
    void shouldDestroyADomainAndTellItsPeers()
    {
        try (SimFixture sim = new SimFixture())
        {
            final EventChannels back = sim.dom0.eventChannels();
            final int backPort = back.allocateUnbound(1);
            final int frontPort = sim.dom1.eventChannels().bindInterdomain(0, backPort);
            final LocalPage page = sim.dom1.localPages().allocate();
            page.buffer().putInt(0, 99);
            final int ref = sim.dom1.grantTable().grantAccess(0, page.frame(), true);
            final GrantMapBatch batch = new GrantMapBatch(1);
            batch.add(1, ref, true);
            sim.dom0.grantTable().map(batch);
            final LocalPage backPage = sim.dom0.localPages().allocate();
            final int backRef = sim.dom0.grantTable().grantAccess(1, backPage.frame(), true);
            final GrantMapBatch frontBatch = new GrantMapBatch(1);
            frontBatch.add(0, backRef, true);
            sim.dom1.grantTable().map(frontBatch);
            assertThat(sim.dom0.grantTable().tryEndAccess(backRef)).isFalse();

            sim.dom0.destroyDomain(1);

            assertThat(sim.system.isAlive(1)).isFalse();
            assertThat(back.wait(backPort, 0)).isEqualTo(EventChannels.PEER_CLOSED);
            assertThat(batch.buffer(0).getInt(0)).as("a zombie's page stays mapped").isEqualTo(99);
            assertThat(sim.dom0.grantTable().tryEndAccess(backRef)).as("the dead domain's mapping was released")
                .isTrue();
            sim.dom0.grantTable().unmap(batch);
            assertThat(sim.directory.resolve("dom1.gen1.mem")).doesNotExist();
            assertThat(frontPort).isPositive();

            sim.dom0.createDomain(SimDomainConfig.defaults(1).withPages(8));
            assertThat(new SimInspector(sim.system).domains().get(1).generation()).isEqualTo(2);
            try (SimPlatform again = sim.system.join(1))
            {
                assertThat(again.localPages().freePages()).isEqualTo(8);
            }
        }
    }

    @Test
    void shouldAllocateZeroedPagesAndRefuseToFreeAGrantedOne()
    {
        try (SimFixture sim = new SimFixture())
        {
            final LocalPages pages = sim.dom1.localPages();
            final LocalPage page = pages.allocate();
            page.buffer().setMemory(0, GrantTable.PAGE_SIZE, (byte)0x5A);
            final int ref = sim.dom1.grantTable().grantAccess(0, page.frame(), true);

            assertThatThrownBy(() -> pages.free(page))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("page is still granted: frame=" + page.frame() + " grants=1 (end access first; if ending " +
                    "failed, the peer still maps it and the page must not be reused)");
            assertThat(sim.dom1.grantTable().tryEndAccess(ref)).isTrue();
            pages.free(page);
            assertThat(page.buffer().capacity()).as("detached").isZero();
            assertThatThrownBy(() -> pages.free(page))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("page is already free: frame=" + page.frame() + " domid=1");
            LocalPage again = pages.allocate();
            while (again.frame() != page.frame())
            {
                again = pages.allocate();
            }
            assertThat(again.buffer().getLong(0)).isZero();
            assertThat(again.buffer().getLong(4088)).isZero();
            final LocalPage outside = new LocalPage(64, new org.agrona.concurrent.UnsafeBuffer(new byte[4096]));
            assertThatThrownBy(() -> pages.free(outside))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("page does not belong to this domain: frame=64 pages=64 domid=1");
        }
    }

    @Test
    void shouldRunOutOfPagesWithNull()
    {
        try (SimFixture sim = new SimFixture())
        {
            final LocalPages pages = sim.dom1.localPages();
            for (int i = 0; i < 64; i++)
            {
                assertThat(pages.allocate()).isNotNull();
            }
            assertThat(pages.freePages()).isZero();
            assertThat(pages.allocate()).isNull();
        }
    }

    @Test
    void shouldValidateLocalPages()
    {
        assertThatThrownBy(() -> new LocalPage(-1, new org.agrona.concurrent.UnsafeBuffer(new byte[4096])))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("frame must not be negative: frame=-1");
        assertThatThrownBy(() -> new LocalPage(0, new org.agrona.concurrent.UnsafeBuffer(new byte[100])))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("page buffer must hold exactly one page: capacity=100 pageSize=4096");
    }
}
