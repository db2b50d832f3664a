/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ByteRingTest
{
    private final UnsafeBuffer page = new UnsafeBuffer(new byte[4096]);

    @Test
    void shouldCarryConsoleOutputWithPartialWritesAndWrap()
    {
        page.putInt(ConsoleRingDescriptor.OUT_PROD_OFFSET, 0xFFFF_FF00);
        page.putInt(ConsoleRingDescriptor.OUT_CONS_OFFSET, 0xFFFF_FF00);
        final DuplexByteRing guest = ConsoleRing.guest(page, 0);
        final DuplexByteRing backend = ConsoleRing.backend(page, 0);
        final UnsafeBuffer src = new UnsafeBuffer(new byte[3000]);
        for (int i = 0; i < 3000; i++)
        {
            src.putByte(i, (byte)i);
        }
        assertThat(guest.write(src, 0, 3000)).as("only 2048 fit").isEqualTo(2048);
        assertThat(guest.write(src, 2048, 952)).isZero();
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[3000]);
        assertThat(backend.read(dst, 0, 1000)).isEqualTo(1000);
        assertThat(guest.write(src, 2048, 952)).isEqualTo(952);
        assertThat(backend.read(dst, 1000, 5000)).isEqualTo(2000);
        for (int i = 0; i < 3000; i++)
        {
            assertThat(dst.getByte(i)).isEqualTo((byte)i);
        }
        assertThat(Integer.toUnsignedLong(guest.writer().prod())).as("crossed 2^32").isEqualTo(3000 - 256);
        assertThat(page.getInt(ConsoleRingDescriptor.OUT_CONS_OFFSET)).isEqualTo(3000 - 256);
        assertThat(backend.read(dst, 0, 10)).isZero();
    }

    @Test
    void shouldCarryKeyboardInputToTheGuest()
    {
        final DuplexByteRing guest = ConsoleRing.guest(page, 0);
        final DuplexByteRing backend = ConsoleRing.backend(page, 0);
        final byte[] text = "ls -l\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(backend.write(new UnsafeBuffer(text), 0, text.length)).isEqualTo(6);
        assertThat(page.getInt(ConsoleRingDescriptor.IN_PROD_OFFSET)).isEqualTo(6);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[16]);
        assertThat(guest.read(dst, 0, 16)).isEqualTo(6);
        assertThat(dst.getStringWithoutLengthAscii(0, 6)).isEqualTo("ls -l\n");
        assertThat(page.getInt(ConsoleRingDescriptor.IN_CONS_OFFSET)).isEqualTo(6);
    }

    @Test
    void shouldCarryXenstoreRequestsAndReplies()
    {
        final DuplexByteRing guest = XenstoreRing.guest(page, 0);
        final DuplexByteRing server = XenstoreRing.server(page, 0);
        final UnsafeBuffer msg = new UnsafeBuffer(new byte[1500]);
        assertThat(guest.write(msg, 0, 1500)).isEqualTo(1024);
        assertThat(page.getInt(XenstoreRingDescriptor.REQ_PROD_OFFSET)).isEqualTo(1024);
        assertThat(server.reader().available()).isEqualTo(1024);
        assertThat(server.write(msg, 0, 10)).isEqualTo(10);
        assertThat(page.getInt(XenstoreRingDescriptor.RSP_PROD_OFFSET)).isEqualTo(10);
        assertThat(guest.reader().available()).isEqualTo(10);
    }

    @Test
    void shouldBreakOnIllegalIndicesInsteadOfReadingOutOfBounds()
    {
        // T18: prod - cons > size (hvc_xen's "Illegal ring page indices") is reported, never obeyed
        final DuplexByteRing backend = ConsoleRing.backend(page, 0);
        page.putInt(ConsoleRingDescriptor.OUT_PROD_OFFSET, 2049);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[4096]);
        assertThat(backend.read(dst, 0, 4096)).isEqualTo(RingStatus.BROKEN);
        assertThat(backend.reader().fault()).isEqualTo(RingFault.BYTE_RING_INDEX_OVERFLOW);
        final DuplexByteRing guest = ConsoleRing.guest(page, 0);
        page.putInt(ConsoleRingDescriptor.OUT_CONS_OFFSET, -5);
        assertThat(guest.write(dst, 0, 1)).isEqualTo(RingStatus.BROKEN);
        assertThat(guest.writer().fault()).isEqualTo(RingFault.BYTE_RING_INDEX_OVERFLOW);
    }

    @Test
    void shouldRejectMisuse()
    {
        assertThatThrownBy(() -> new ByteRingReader(page, 0, 1000, 3072, 3076))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("ring size must be a positive power of two: size=1000");
        assertThatThrownBy(() -> new ByteRingWriter(page, 4000, 1024, 3072, 3076))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("dataOffset=4000 size=1024");
        final DuplexByteRing guest = ConsoleRing.guest(page, 0);
        assertThatThrownBy(() -> guest.write(page, 0, -1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("length must not be negative: length=-1");
    }
}
