/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.ring;

import dev.pvring.xen.ring.entry.BlkifAbi;
import dev.pvring.xen.ring.entry.NetifRxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifTxRequestDescriptor;

/**
 * The layouts {@code pvring inspect} knows: io/ring.h rings by entry size, and the two byte-ring pages.
 */
enum RingLayout
{
    /** An io/ring.h ring of unknown entry type (give {@code --entry-size} to size it). */
    SRING("sring", 0),
    /** netif TX ring (12-byte entries). */
    NETIF_TX("netif-tx", NetifTxRequestDescriptor.ENTRY_LENGTH),
    /** netif RX ring (8-byte entries). */
    NETIF_RX("netif-rx", NetifRxRequestDescriptor.ENTRY_LENGTH),
    /** blkif ring, x86_64 ABI (112-byte entries). */
    BLKIF("blkif", BlkifAbi.X86_64.requestLength),
    /** blkif ring, x86_32 ABI (108-byte entries). */
    BLKIF_32("blkif-32", BlkifAbi.X86_32.requestLength),
    /** xencons_interface page. */
    CONSOLE("console", 0),
    /** xenstore_domain_interface page. */
    XENSTORE("xenstore", 0);

    final String label;
    final int entrySize;

    RingLayout(final String label, final int entrySize)
    {
        this.label = label;
        this.entrySize = entrySize;
    }

    static RingLayout parse(final String label)
    {
        for (final RingLayout layout : values())
        {
            if (layout.label.equalsIgnoreCase(label) || layout.name().equalsIgnoreCase(label))
            {
                return layout;
            }
        }
        throw new IllegalArgumentException("unknown layout: layout=" + label +
            " (known: sring, netif-tx, netif-rx, blkif, blkif-32, console, xenstore)");
    }
}
