/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.ring;

import dev.pvring.xen.ring.SharedRingDescriptor;
import picocli.CommandLine.Option;

/**
 * Options shared by the ring load tools: where the ring is and how its entries look.
 */
final class RingOptions
{
    @Option(names = "--entry-size", required = true, paramLabel = "BYTES",
        description = "sizeof(union NAME_sring_entry): bytes per ring slot.")
    int entrySize;

    @Option(names = "--pages", defaultValue = "1", paramLabel = "P",
        description = "Pages of the shared ring (1, 2, 4, 8 or 16; default ${DEFAULT-VALUE}).")
    int pages;

    @Option(names = "--offset", defaultValue = "0", paramLabel = "BYTES",
        description = "Offset of the ring in FILE (default ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--request-size", paramLabel = "BYTES", description = "Request bytes (default: entry size).")
    Integer requestSize;

    @Option(names = "--response-size", paramLabel = "BYTES", description = "Response bytes (default: entry size).")
    Integer responseSize;

    int ringBytes()
    {
        if (pages < 1 || pages > 16 || Integer.bitCount(pages) != 1)
        {
            throw new IllegalArgumentException("pages must be 1, 2, 4, 8 or 16: pages=" + pages);
        }
        return pages * SharedRingDescriptor.PAGE_SIZE;
    }

    int requestSize()
    {
        return checkSize("request-size", requestSize == null ? entrySize : requestSize);
    }

    int responseSize()
    {
        return checkSize("response-size", responseSize == null ? entrySize : responseSize);
    }

    private int checkSize(final String name, final int size)
    {
        if (entrySize <= 0)
        {
            throw new IllegalArgumentException("entry-size must be positive: entry-size=" + entrySize);
        }
        if (size <= 0 || size > entrySize)
        {
            throw new IllegalArgumentException(
                name + " must be between 1 and the entry size: " + name + "=" + size + " entry-size=" + entrySize);
        }
        return size;
    }

    long mappedBytes()
    {
        final long end = (long)offset + ringBytes();
        return (end + SharedRingDescriptor.PAGE_SIZE - 1) / SharedRingDescriptor.PAGE_SIZE * SharedRingDescriptor.PAGE_SIZE;
    }
}
