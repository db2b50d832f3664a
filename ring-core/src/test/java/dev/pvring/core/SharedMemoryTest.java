/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SharedMemoryTest
{
    private Path dir;

    @BeforeEach
    void setUp() throws Exception
    {
        final Path shm = Path.of("/dev/shm");
        dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
            "pvring-shm-test");
    }

    @AfterEach
    void tearDown() throws Exception
    {
        try (var files = Files.list(dir))
        {
            for (final Path p : files.toList())
            {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void shouldShareBytesBetweenTwoMappingsOfOneFile()
    {
        final Path file = dir.resolve("ring");
        try (SharedMemory a = SharedMemory.create(file, 8192);
             SharedMemory b = SharedMemory.open(file, SharedMemory.Access.READ_WRITE))
        {
            assertThat(a.size()).isEqualTo(8192);
            assertThat(b.size()).isEqualTo(8192);
            assertThat(a.address() % SharedMemory.PAGE_SIZE).isZero();
            assertThat(a.buffer().getLong(8184)).isZero();
            a.buffer().putLongRelease(8184, 0x1122334455667788L);
            assertThat(b.buffer().getLongAcquire(8184)).isEqualTo(0x1122334455667788L);
            b.buffer().putInt(0, 42);
            assertThat(a.segment().get(java.lang.foreign.ValueLayout.JAVA_INT, 0)).isEqualTo(42);
        }
    }

    @Test
    void shouldMapAtFileOffset()
    {
        final Path file = dir.resolve("pages");
        try (SharedMemory whole = SharedMemory.create(file, 3 * 4096))
        {
            whole.buffer().putInt(2 * 4096 + 4, 7);
            try (SharedMemory page = SharedMemory.open(file, 2 * 4096, 4096, SharedMemory.Access.READ_ONLY))
            {
                assertThat(page.fileOffset()).isEqualTo(8192);
                assertThat(page.buffer().getIntVolatile(4)).isEqualTo(7);
            }
        }
    }

    @Test
    void shouldCreateOrOpen()
    {
        final Path file = dir.resolve("c");
        try (SharedMemory a = SharedMemory.createOrOpen(file, 4096))
        {
            a.buffer().putInt(16, 99);
        }
        try (SharedMemory b = SharedMemory.createOrOpen(file, 4096))
        {
            assertThat(b.buffer().getInt(16)).isEqualTo(99);
        }
    }

    @Test
    void shouldMapAnonymousZeroFilledMemory()
    {
        try (SharedMemory m = SharedMemory.anonymous(3 * 4096))
        {
            assertThat(m.path()).isNull();
            assertThat(m.address() % 4096).isZero();
            final AtomicBuffer buffer = m.buffer();
            for (int i = 0; i < 3 * 4096; i += 8)
            {
                assertThat(buffer.getLong(i)).isZero();
            }
            buffer.putIntVolatile(4, 5);
            assertThat(buffer.compareAndSetInt(4, 5, 6)).isTrue();
            assertThat(buffer.getIntAcquire(4)).isEqualTo(6);
        }
    }

    @Test
    void shouldNameThePathWhenTheFileIsMissing()
    {
        final Path file = dir.resolve("missing");
        assertThatThrownBy(() -> SharedMemory.open(file, SharedMemory.Access.READ_ONLY))
            .isInstanceOf(SharedMemoryException.class)
            .hasMessageContaining("path=" + file)
            .hasMessageContaining("no such file");
        assertThatThrownBy(() -> SharedMemory.open(file, 0, 4096, SharedMemory.Access.READ_WRITE))
            .isInstanceOf(SharedMemoryException.class)
            .hasMessageContaining("path=" + file)
            .hasMessageContaining("no such file");
    }

    @Test
    void shouldRejectSizesThatAreNotPageMultiples()
    {
        final Path file = dir.resolve("odd");
        assertThatThrownBy(() -> SharedMemory.create(file, 4097))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("size must be a positive multiple of the page size: path=" + file + " size=4097 pageSize=4096");
        assertThatThrownBy(() -> SharedMemory.anonymous(0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("size=0");
        assertThatThrownBy(() -> SharedMemory.open(file, 100, 4096, SharedMemory.Access.READ_ONLY))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("offset=100");
        assertThatThrownBy(() -> SharedMemory.anonymous(1L << 31))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("size too large for one mapping")
            .hasMessageContaining("size=2147483648");
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void shouldRejectAFileSmallerThanRequested() throws Exception
    {
        final Path file = dir.resolve("small");
        Files.write(file, new byte[4096]);
        assertThatThrownBy(() -> SharedMemory.open(file, 0, 8192, SharedMemory.Access.READ_WRITE))
            .isInstanceOf(SharedMemoryException.class)
            .hasMessage("file smaller than requested: path=" + file + " fileSize=4096 offset=0 requested=8192");
        assertThatThrownBy(() -> SharedMemory.createOrOpen(file, 8192))
            .isInstanceOf(SharedMemoryException.class)
            .hasMessageContaining("file smaller than requested: path=" + file + " fileSize=4096 requested=8192");
        final Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> SharedMemory.open(empty, SharedMemory.Access.READ_ONLY))
            .isInstanceOf(SharedMemoryException.class)
            .hasMessage("shared memory file is empty: path=" + empty + " fileSize=0");
    }

    @Test
    void shouldRefuseToCreateOverAnExistingFile() throws Exception
    {
        final Path file = dir.resolve("exists");
        Files.write(file, new byte[4096]);
        assertThatThrownBy(() -> SharedMemory.create(file, 4096))
            .isInstanceOf(SharedMemoryException.class)
            .hasMessage("shared memory file already exists: path=" + file);
    }

    @Test
    void shouldReportPermissionDenied() throws Exception
    {
        final Path file = UnwritableFiles.create(dir);
        assertThatThrownBy(() -> SharedMemory.open(file, 0, 4096, SharedMemory.Access.READ_WRITE))
            .isInstanceOf(SharedMemoryException.class)
            .hasMessageContaining("path=" + file)
            .hasMessageContaining("permission denied");
    }

    @Test
    void shouldThrowInsteadOfCrashingOnWriteToReadOnlyMapping()
    {
        final Path file = dir.resolve("ro");
        try (SharedMemory rw = SharedMemory.create(file, 4096))
        {
            rw.buffer().putInt(0, 1234);
        }
        try (SharedMemory ro = SharedMemory.open(file, SharedMemory.Access.READ_ONLY))
        {
            assertThat(ro.isReadOnly()).isTrue();
            final AtomicBuffer buffer = ro.buffer();
            assertThat(buffer.getIntAcquire(0)).isEqualTo(1234);
            assertThatThrownBy(() -> buffer.putInt(0, 1))
                .isInstanceOf(ReadOnlyMappingException.class)
                .hasMessage("write to a read-only mapping: method=putInt mapping=" + file);
            assertThatThrownBy(() -> buffer.putLongRelease(8, 1))
                .isInstanceOf(ReadOnlyMappingException.class);
            assertThatThrownBy(() -> buffer.compareAndSetInt(0, 1234, 1))
                .isInstanceOf(ReadOnlyMappingException.class);
            assertThatThrownBy(() -> buffer.wrap(new byte[8]))
                .isInstanceOf(ReadOnlyMappingException.class);
            assertThatThrownBy(() -> ro.segment().set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("read-only");
            assertThat(buffer.getInt(0)).isEqualTo(1234);
        }
    }

    @Test
    void shouldFailClearlyAfterClose()
    {
        final SharedMemory m = SharedMemory.anonymous(4096);
        final AtomicBuffer stale = m.buffer();
        m.close();
        m.close();
        assertThat(m.isClosed()).isTrue();
        assertThatThrownBy(m::buffer)
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("shared memory is closed: mapping=anonymous");
        assertThatThrownBy(m::segment).isInstanceOf(IllegalStateException.class);
        assertThat(stale.capacity()).isZero();
        assertThatThrownBy(() -> stale.getInt(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
