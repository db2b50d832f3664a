/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SharedFileTest
{
    private Path dir;
    private Path file;

    @BeforeEach
    void setUp() throws Exception
    {
        final Path shm = Path.of("/dev/shm");
        dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
            "pvring-file-test");
        file = dir.resolve("memory");
        SharedMemory.create(file, 4 * SharedMemory.PAGE_SIZE).close();
    }

    @AfterEach
    void tearDown() throws Exception
    {
        try (var files = Files.list(dir))
        {
            for (final Path p : files.toList())
            {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void shouldMapWindowsThatShareBytesWithTheWholeFile()
    {
        try (SharedMemory whole = SharedMemory.open(file, SharedMemory.Access.READ_WRITE);
             SharedFile shared = SharedFile.open(file, SharedMemory.Access.READ_WRITE);
             SharedMemory page2 = shared.map(2L * SharedMemory.PAGE_SIZE, SharedMemory.PAGE_SIZE,
                 SharedMemory.Access.READ_WRITE);
             SharedMemory pages01 = shared.map(0, 2L * SharedMemory.PAGE_SIZE, SharedMemory.Access.READ_WRITE))
        {
            assertThat(shared.size()).isEqualTo(4L * SharedMemory.PAGE_SIZE);
            assertThat(page2.size()).isEqualTo(SharedMemory.PAGE_SIZE);
            assertThat(page2.address() % SharedMemory.PAGE_SIZE).isZero();
            page2.buffer().putLongRelease(8, 0x0102030405060708L);
            assertThat(whole.buffer().getLongAcquire(2 * SharedMemory.PAGE_SIZE + 8)).isEqualTo(0x0102030405060708L);
            whole.buffer().putInt(SharedMemory.PAGE_SIZE + 4, 77);
            assertThat(pages01.buffer().getIntVolatile(SharedMemory.PAGE_SIZE + 4)).isEqualTo(77);
            assertThat(page2.toString()).contains(file + "@" + 2 * SharedMemory.PAGE_SIZE);
        }
    }

    @Test
    void shouldMapReadOnlyWindowsReadOnly()
    {
        try (SharedMemory whole = SharedMemory.open(file, SharedMemory.Access.READ_WRITE);
             SharedFile shared = SharedFile.open(file, SharedMemory.Access.READ_WRITE);
             SharedMemory window = shared.map(SharedMemory.PAGE_SIZE, SharedMemory.PAGE_SIZE,
                 SharedMemory.Access.READ_ONLY))
        {
            whole.buffer().putInt(SharedMemory.PAGE_SIZE, 1234);
            assertThat(window.buffer().getInt(0)).isEqualTo(1234);
            assertThatThrownBy(() -> window.buffer().putInt(0, 1)).isInstanceOf(ReadOnlyMappingException.class);
            assertThat(window.segment().isReadOnly()).isTrue();
            assertThat(whole.buffer().getInt(SharedMemory.PAGE_SIZE)).isEqualTo(1234);
        }
    }

    @Test
    void shouldRejectBadWindowsWithTheNumbers()
    {
        try (SharedFile shared = SharedFile.open(file, SharedMemory.Access.READ_WRITE))
        {
            assertThatThrownBy(() -> shared.map(100, SharedMemory.PAGE_SIZE, SharedMemory.Access.READ_WRITE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset=100");
            assertThatThrownBy(() -> shared.map(0, 0, SharedMemory.Access.READ_WRITE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size=0");
            assertThatThrownBy(() -> shared.map(3L * SharedMemory.PAGE_SIZE, 2L * SharedMemory.PAGE_SIZE,
                SharedMemory.Access.READ_WRITE))
                .isInstanceOf(SharedMemoryException.class)
                .hasMessageContaining("file smaller than requested")
                .hasMessageContaining("fileSize=16384")
                .hasMessageContaining("offset=12288");
        }
        try (SharedFile readOnly = SharedFile.open(file, SharedMemory.Access.READ_ONLY))
        {
            assertThatThrownBy(() -> readOnly.map(0, SharedMemory.PAGE_SIZE, SharedMemory.Access.READ_WRITE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("opened read-only");
            try (SharedMemory window = readOnly.map(0, SharedMemory.PAGE_SIZE, SharedMemory.Access.READ_ONLY))
            {
                assertThat(window.buffer().getLong(0)).isZero();
            }
        }
    }

    @Test
    void shouldNameTheFileWhenItCannotBeOpened() throws Exception
    {
        final Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> SharedFile.open(missing, SharedMemory.Access.READ_WRITE))
            .isInstanceOf(SharedMemoryException.class)
            .hasMessageContaining("path=" + missing)
            .hasMessageContaining("no such file or directory");
        final Path directory = Files.createDirectory(dir.resolve("directory"));
        try
        {
            assertThatThrownBy(() -> SharedFile.open(directory, SharedMemory.Access.READ_ONLY))
                .isInstanceOf(SharedMemoryException.class)
                .hasMessageContaining("path=" + directory);
        }
        finally
        {
            Files.delete(directory);
        }
    }

    @Test
    void shouldReportPermissionDenied() throws Exception
    {
        final Path locked = UnwritableFiles.create(dir);
        assertThatThrownBy(() -> SharedFile.open(locked, SharedMemory.Access.READ_WRITE))
            .isInstanceOf(SharedMemoryException.class)
            .hasMessageContaining("path=" + locked)
            .hasMessageContaining("permission denied");
    }

    @Test
    void shouldKeepWindowsAfterTheFileClosesAndUnmapEachOnClose()
    {
        final SharedFile shared = SharedFile.open(file, SharedMemory.Access.READ_WRITE);
        final SharedMemory window = shared.map(0, SharedMemory.PAGE_SIZE, SharedMemory.Access.READ_WRITE);
        shared.close();
        shared.close();
        assertThatThrownBy(() -> shared.map(0, SharedMemory.PAGE_SIZE, SharedMemory.Access.READ_WRITE))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closed")
            .hasMessageContaining("path=" + file);
        window.buffer().putInt(0, 99);
        try (SharedMemory whole = SharedMemory.open(file, SharedMemory.Access.READ_ONLY))
        {
            assertThat(whole.segment().get(ValueLayout.JAVA_INT, 0)).isEqualTo(99);
        }
        final var buffer = window.buffer();
        window.close();
        assertThat(window.isClosed()).isTrue();
        assertThatThrownBy(window::buffer).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> buffer.getInt(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldMapAndUnmapManyWindowsWithoutLeakingDescriptorsOrMappings() throws Exception
    {
        try (SharedFile shared = SharedFile.open(file, SharedMemory.Access.READ_WRITE))
        {
            for (int i = 0; i < 20_000; i++)
            {
                try (SharedMemory window = shared.map((i & 3) * (long)SharedMemory.PAGE_SIZE, SharedMemory.PAGE_SIZE,
                    SharedMemory.Access.READ_WRITE))
                {
                    window.buffer().putInt(0, i);
                }
            }
            assertThat(mappingsOf(file)).as("windows left mapped").isZero();
            assertThat(descriptorsOf(file)).as("descriptors while open").isEqualTo(1);
        }
        assertThat(descriptorsOf(file)).as("descriptors after close").isZero();
    }

    private static long descriptorsOf(final Path path) throws Exception
    {
        long count = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd")))
        {
            for (final Path fd : fds.toList())
            {
                try
                {
                    count += Files.readSymbolicLink(fd).equals(path) ? 1 : 0;
                }
                catch (final java.io.IOException gone)
                {
                    // closed while listing (the listing's own descriptor): not ours
                }
            }
        }
        return count;
    }

    private static long mappingsOf(final Path path) throws Exception
    {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(path.toString())).count();
    }
}
