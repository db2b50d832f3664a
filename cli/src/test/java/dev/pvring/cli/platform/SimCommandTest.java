/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.UUID;

import dev.pvring.cli.Pvring;
import dev.pvring.xen.platform.GrantMapBatch;
import dev.pvring.xen.platform.LocalPage;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimCommandTest
{
    private final Path directory = Path.of("/dev/shm/pvring-test", "cli-" + UUID.randomUUID());
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void tearDown()
    {
        if (SimSystem.exists(directory))
        {
            SimSystem.delete(directory);
        }
    }

    private int run(final String... args)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Pvring.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void shouldCreateAddAndListDomains()
    {
        assertThat(run("sim", "create", directory.toString(), "--max-domains", "4", "--pages", "32")).isZero();
        assertThat(out.toString()).isEqualTo(
            "created simulated system " + directory + " with 4 domain slots and dom0\n");
        assertThat(run("sim", "add-domain", directory.toString(), "2", "--name", "guest", "--pages", "16",
            "--grants", "32", "--ports", "16")).isZero();
        assertThat(out.toString()).startsWith("created domain 2 (guest): 16 pages, 32 grant entries, 16 ports\n");

        assertThat(run("sim", "ls", directory.toString())).isZero();

        final String pid = Long.toString(ProcessHandle.current().pid());
        assertThat(out.toString()).isEqualTo(
            "system " + directory + ": 4 domain slots, 2 domains\n\n" +
            "DOMID  NAME             STATE     GEN    PAGES USED  GRANTS   PORTS  MAPPINGS  CREATOR\n" +
            "0      Domain-0         alive       1          0/32       0       0         0  pid " + pid + "\n" +
            "2      guest            alive       1          0/16       0       0         0  pid " + pid + "\n");
    }

    @Test
    void shouldShowGrantsPortsAndMappingsWithTheirOwners()
    {
        run("sim", "create", directory.toString(), "--max-domains", "4", "--pages", "32");
        run("sim", "add-domain", directory.toString(), "1", "--pages", "16");
        try (SimSystem system = SimSystem.open(directory);
            SimPlatform dom0 = system.join(0);
            SimPlatform dom1 = system.join(1))
        {
            final LocalPage page = dom1.localPages().allocate();
            final int ref = dom1.grantTable().grantAccess(0, page.frame(), true);
            final GrantMapBatch batch = new GrantMapBatch(1);
            batch.add(1, ref, true);
            dom0.grantTable().map(batch);
            final int backPort = dom0.eventChannels().allocateUnbound(1);
            final int frontPort = dom1.eventChannels().bindInterdomain(0, backPort);
            dom1.eventChannels().notify(frontPort);
            dom0.eventChannels().allocateUnbound(1);
            dom0.eventChannels().mask(backPort);

            assertThat(run("sim", "ls", directory.toString(), "--domain", "1")).isZero();
            final String pid = Long.toString(ProcessHandle.current().pid());
            assertThat(out.toString()).contains(
                "domain 1\n" +
                "  grants:\n" +
                "  REF    DOMID  FLAGS                    FRAME   MAPS RO/RW   OWNER\n" +
                "  8      0      permit,readonly,reading  0       1/0          pid " + pid + "\n" +
                "  ports:\n" +
                "  PORT   STATE        REMOTE     PENDING  MASKED  EVENTS   WAITERS  OWNER\n" +
                "  1      interdomain  0:1        no       no      0        0        pid " + pid + "\n");
            assertThat(out.toString()).doesNotContain("domain 0\n");

            assertThat(run("sim", "ls", directory.toString())).isZero();
            assertThat(out.toString()).contains(
                "domain 0\n" +
                "  ports:\n" +
                "  PORT   STATE        REMOTE     PENDING  MASKED  EVENTS   WAITERS  OWNER\n" +
                "  1      interdomain  1:1        yes      yes     1        0        pid " + pid + "\n" +
                "  2      unbound      for 1      no       no      0        0        pid " + pid + "\n" +
                "  foreign mappings:\n" +
                "  SLOT   GRANTER  REF    ACCESS  STATE    OWNER\n" +
                "  0      1        8      ro      mapped   pid " + pid + "\n");
            dom0.grantTable().unmap(batch);
        }
    }

    @Test
    void shouldReclaimAndRemove()
    {
        run("sim", "create", directory.toString(), "--max-domains", "2", "--pages", "8");

        assertThat(run("sim", "reclaim", directory.toString())).isZero();
        assertThat(out.toString()).isEqualTo("reclaimed: 0 ports, 0 mappings, 0 grants, 0 pages, 0 locks\n");
        assertThat(run("sim", "destroy-domain", directory.toString(), "1")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("pvring sim destroy-domain: no such domain: domid=1\n");
        assertThat(run("sim", "rm", directory.toString())).isZero();
        assertThat(out.toString()).isEqualTo("deleted simulated system " + directory + "\n");
        assertThat(directory).doesNotExist();
    }

    @Test
    void shouldExplainAMissingSystemOrBadInput()
    {
        assertThat(run("sim", "ls", directory.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("pvring sim ls: no simulated system: directory=" + directory +
            " (create it with 'pvring sim create NAME' or SimSystem.create)\n");
        assertThat(run("sim", "ls", "bad name")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pvring sim ls: system name must be letters, digits, '.', '_' or '-' " +
            "and not start with '.': name=bad name\nTry 'pvring sim ls --help' for more information.\n");
        assertThat(run("sim", "create", directory.toString(), "--max-domains", "0")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pvring sim create: max domains out of range: maxDomains=0 min=1 " +
            "max=4096\nTry 'pvring sim create --help' for more information.\n");
        run("sim", "create", directory.toString());
        assertThat(run("sim", "ls", directory.toString(), "--domain", "5")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pvring sim ls: no such domain: domid=5\n" +
            "Try 'pvring sim ls --help' for more information.\n");
    }
}
