/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SharedFile#mapPages}: scattered file pages in one contiguous region, read-only enforced by the kernel, and
 * nothing left mapped when a page cannot be mapped.
 */
class SharedFileMapPagesTest
{
    private static final int PAGE = SharedMemory.PAGE_SIZE;

    private Path dir;
    private Path file;

    @BeforeEach
    void setUp() throws Exception
    {
        final Path shm = Path.of("/dev/shm");
        dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
            "pvring-mappages-test");
        file = dir.resolve("memory");
        try (SharedMemory whole = SharedMemory.create(file, 8L * PAGE))
        {
            for (int page = 0; page < 8; page++)
            {
                whole.buffer().putInt(page * PAGE, 100 + page);
            }
        }
    }

    @AfterEach
    void tearDown() throws Exception
    {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @Test
    void shouldMapScatteredPagesContiguouslyInTheGivenOrder() throws IOException
    {
        final long[] offsets = {6L * PAGE, 1L * PAGE, 3L * PAGE, 6L * PAGE};
        try (SharedFile shared = SharedFile.open(file, SharedMemory.Access.READ_WRITE);
            SharedMemory whole = SharedMemory.open(file, SharedMemory.Access.READ_WRITE))
        {
            final SharedMemory region = shared.mapPages(offsets, 4, SharedMemory.Access.READ_WRITE);

            assertThat(region.size()).isEqualTo(4L * PAGE);
            assertThat(region.buffer().getInt(0)).isEqualTo(106);
            assertThat(region.buffer().getInt(PAGE)).isEqualTo(101);
            assertThat(region.buffer().getInt(2 * PAGE)).isEqualTo(103);
            region.buffer().putInt(3 * PAGE + 8, 55);
            assertThat(region.buffer().getInt(8)).as("the same file page twice shares bytes").isEqualTo(55);
            assertThat(whole.buffer().getInt(6 * PAGE + 8)).isEqualTo(55);
            final long address = region.address();
            region.close();
            assertThat(mapsLinesIn(address, 4L * PAGE)).as("one munmap removed every page").isZero();
        }
    }

    @Test
    void shouldMapReadOnlyPagesWithoutWritePermission() throws IOException
    {
        try (SharedFile shared = SharedFile.open(file, SharedMemory.Access.READ_WRITE);
            SharedMemory region = shared.mapPages(new long[] {0, 2L * PAGE}, 2, SharedMemory.Access.READ_ONLY))
        {
            assertThat(region.buffer()).isInstanceOf(ReadOnlyAtomicBuffer.class);
            assertThat(region.buffer().getInt(PAGE)).isEqualTo(102);
            assertThatThrownBy(() -> region.buffer().putInt(0, 1)).isInstanceOf(ReadOnlyMappingException.class);
            for (final String line : Files.readAllLines(Path.of("/proc/self/maps")))
            {
                if (overlaps(line, region.address(), 2L * PAGE))
                {
                    assertThat(line.split(" ")[1]).isEqualTo("r--s");
                }
            }
            assertThat(mapsLinesIn(region.address(), 2L * PAGE)).isPositive();
        }
    }

    @Test
    void shouldRefuseBadPagesAndLeaveNothingMapped() throws IOException
    {
        try (SharedFile shared = SharedFile.open(file, SharedMemory.Access.READ_WRITE))
        {
            final long before = Files.readAllLines(Path.of("/proc/self/maps")).size();
            assertThatThrownBy(() -> shared.mapPages(new long[] {0, PAGE, 8L * PAGE}, 3,
                SharedMemory.Access.READ_WRITE)).isInstanceOf(SharedMemoryException.class)
                .hasMessageContaining("page=2");
            assertThatThrownBy(() -> shared.mapPages(new long[] {0, 100}, 2, SharedMemory.Access.READ_WRITE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page=1");
            assertThatThrownBy(() -> shared.mapPages(new long[] {0}, 2, SharedMemory.Access.READ_WRITE))
                .isInstanceOf(IllegalArgumentException.class);
            assertThat((long)Files.readAllLines(Path.of("/proc/self/maps")).size())
                .as("no reservation left behind").isLessThanOrEqualTo(before + 2);
        }
        try (SharedFile readOnly = SharedFile.open(file, SharedMemory.Access.READ_ONLY))
        {
            assertThatThrownBy(() -> readOnly.mapPages(new long[] {0}, 1, SharedMemory.Access.READ_WRITE))
                .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static long mapsLinesIn(final long address, final long length) throws IOException
    {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> overlaps(l, address, length))
            .count();
    }

    private static boolean overlaps(final String line, final long address, final long length)
    {
        final int dash = line.indexOf('-');
        final long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
        final long end = Long.parseUnsignedLong(line.substring(dash + 1, line.indexOf(' ')), 16);
        return Long.compareUnsigned(start, address + length) < 0 && Long.compareUnsigned(end, address) > 0;
    }
}
