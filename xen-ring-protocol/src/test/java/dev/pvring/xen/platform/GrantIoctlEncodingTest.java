/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The multi-page {@code /dev/xen} requests the Linux platform sends (one {@code IOCTL_GNTDEV_MAP_GRANT_REF} with
 * count N, one {@code IOCTL_GNTALLOC_ALLOC_GREF} with count N), byte for byte against the same requests built by C
 * with the installed headers ({@code src/test/c/gnt_multi.c}). The Linux platform cannot run here; this pins its
 * ioctl encoding.
 */
class GrantIoctlEncodingTest
{
    private static final int[] REFS = {8, 4095, 0x12345678, 0xFFFFFFFF, 77};

    @Test
    void shouldEncodeAMultiPageMapRequestAsC() throws Exception
    {
        final Map<String, Long> c = CAbiProgram.run("gnt_multi.c");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment arg = arena.allocate(GntdevDescriptor.mapLength(GrantTable.MAX_REGION_PAGES), 8);
            // Garbage from an earlier request must not leak into this one.
            arg.fill((byte)0x5A);

            GntdevDescriptor.encodeMap(arg, 0x7FEF, REFS, REFS.length);

            assertThat((long)GntdevDescriptor.mapLength(REFS.length)).isEqualTo(c.get("map.length"));
            assertBytes(arg, "map", c);
        }
    }

    @Test
    void shouldEncodeASliceOfRefsForTheOneByOneProbe()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment arg = arena.allocate(GntdevDescriptor.mapLength(4), 8);

            GntdevDescriptor.encodeMap(arg, 3, REFS, 2, 1);

            assertThat(arg.get(ValueLayout.JAVA_INT, GntdevDescriptor.MAP_COUNT_OFFSET)).isEqualTo(1);
            assertThat(arg.get(ValueLayout.JAVA_LONG, GntdevDescriptor.MAP_INDEX_OFFSET)).isZero();
            assertThat(arg.get(ValueLayout.JAVA_INT, GntdevDescriptor.MAP_REFS_OFFSET)).isEqualTo(3);
            assertThat(arg.get(ValueLayout.JAVA_INT, GntdevDescriptor.MAP_REFS_OFFSET + 4)).isEqualTo(REFS[2]);
        }
    }

    @Test
    void shouldEncodeAMultiPageAllocRequestAsC() throws Exception
    {
        final Map<String, Long> c = CAbiProgram.run("gnt_multi.c");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment arg = arena.allocate(GntallocDescriptor.allocLength(GrantTable.MAX_REGION_PAGES), 8);
            arg.fill((byte)0x5A);

            GntallocDescriptor.encodeAlloc(arg, 0x1234, false, REFS.length);
            assertThat((long)GntallocDescriptor.allocLength(REFS.length)).isEqualTo(c.get("alloc.length"));
            assertBytes(arg, "alloc", c);

            GntallocDescriptor.encodeAlloc(arg, 0x1234, true, REFS.length);
            assertBytes(arg, "allocro", c);
        }
    }

    private static void assertBytes(final MemorySegment arg, final String name, final Map<String, Long> c)
    {
        final long length = c.get(name + ".length");
        for (int i = 0; i < length; i++)
        {
            assertThat((long)Byte.toUnsignedInt(arg.get(ValueLayout.JAVA_BYTE, i))).as(name + " byte " + i)
                .isEqualTo(c.get(name + "." + i));
        }
    }
}
