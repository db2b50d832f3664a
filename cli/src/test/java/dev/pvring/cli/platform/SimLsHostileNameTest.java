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
import dev.pvring.core.SharedMemory;
import dev.pvring.xen.platform.SimSystem;
import dev.pvring.xen.platform.SimSystemDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A domain writes terminal escape sequences into its own name in the shared system file: {@code pvring sim ls}
 * prints them escaped, never raw.
 */
class SimLsHostileNameTest
{
    private final Path directory = Path.of("/dev/shm/pvring-test", "cli-i9-hostile-" + UUID.randomUUID());

    @AfterEach
    void tearDown()
    {
        if (SimSystem.exists(directory))
        {
            SimSystem.delete(directory);
        }
    }

    @Test
    void shouldEscapeAHostileDomainName()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        assertThat(Pvring.execute(new PrintWriter(out), new PrintWriter(err), "sim", "create", directory.toString(),
            "--max-domains", "4", "--pages", "8")).isZero();
        assertThat(Pvring.execute(new PrintWriter(out), new PrintWriter(err), "sim", "add-domain",
            directory.toString(), "1", "--name", "guest", "--pages", "8")).isZero();
        // clear screen, set the window title, bell, a backslash, an 8-bit CSI
        final byte[] hostile = {0x1b, '[', '2', 'J', 0x1b, ']', '0', ';', 'x', 0x07, '\\', (byte)0x9b, '7', 'm', 0};
        try (SharedMemory system = SharedMemory.open(directory.resolve(SimSystem.SYSTEM_FILE),
            SharedMemory.Access.READ_WRITE))
        {
            system.buffer().putBytes(SimSystemDescriptor.slotOffset(1) + SimSystemDescriptor.SLOT_NAME_OFFSET, hostile);
        }

        out.getBuffer().setLength(0);
        assertThat(Pvring.execute(new PrintWriter(out, true), new PrintWriter(err, true), "sim", "ls",
            directory.toString())).as(err.toString()).isZero();

        final String listing = out.toString();
        assertThat(listing.chars().filter(c -> c != '\n' && (c < 0x20 || c >= 0x7f))).as(listing).isEmpty();
        assertThat(listing).contains("1      \\x1b[2J\\x1b]0;x\\x07\\\\\\ufffd7m alive");
    }
}
