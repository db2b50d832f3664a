/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;

import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The example memory region of the SHMStream v2 document's appendix, byte for byte: Size 2, Elements 8,
 * WSC 10, WC 9, packet 10 half-written into slot 1, packets 3 to 9 readable.
 */
class ShmStreamGoldenBytesTest
{
    static final long PROTOCOL = 0xBEEF_BEEF_BEEFL;
    static final String APPENDIX =
        "6D 9B 9A B7 B6 12 73 48" + // "SHMStream20=" marker
        "01 00 00 00 00 00 00 00" + // epoch 1
        "EF BE EF BE EF BE 00 00" + // 0xBEEFBEEFBEEF protocol
        "02 00 00 00 00 00 00 00" + // two bytes per packet
        "08 00 00 00 00 00 00 00" + // the buffer contains eight packets
        "00 00 00 00 00 00 00 00" + // reserved, zero
        "0a 00 00 00 00 00 00 00" + // ten packets written or to be written
        "09 00 00 00 00 00 00 00" + // nine packets written
        "09 09 0a 02 03 03 04 04" + // second packet is overwritten
        "05 05 06 06 07 07 08 08";  // packet three to nine are readable

    @Test
    void shouldReproduceTheSpecAppendixExampleByteForByte()
    {
        try (SharedMemory memory = SharedMemory.anonymous(SharedMemory.PAGE_SIZE))
        {
            final UnsafeBuffer region = new UnsafeBuffer(memory.buffer(), 0, 80);
            final ShmStreamWriter writer = new ShmStreamWriter(region);
            writer.initialize(PROTOCOL, 2, 1);
            assertThat(writer.elements()).isEqualTo(8);

            final ShmStreamReader upToDate = new ShmStreamReader(region, PROTOCOL, 2);
            final ShmStreamReader oneBehind = new ShmStreamReader(region, PROTOCOL, 2);
            final UnsafeBuffer element = new UnsafeBuffer(new byte[2]);

            writePacket(writer, 1);
            writePacket(writer, 2);
            assertThat(upToDate.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
            assertThat(upToDate.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
            assertThat(oneBehind.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
            for (int packet = 3; packet <= 9; packet++)
            {
                writePacket(writer, packet);
            }
            final int slot = writer.claim();
            region.putByte(slot, (byte)0x0a); // packet 10, half-written

            final byte[] actual = new byte[80];
            region.getBytes(0, actual);
            assertThat(HexFormat.ofDelimiter(" ").formatHex(actual))
                .isEqualTo(HexFormat.ofDelimiter(" ").formatHex(HexFormat.of().parseHex(APPENDIX.replace(" ", ""))));

            for (int packet = 3; packet <= 9; packet++)
            {
                assertThat(upToDate.read(element, 0)).as("packet %d", packet).isEqualTo(ReadResult.SUCCESS);
                assertThat(element.getByte(0)).isEqualTo((byte)packet);
                assertThat(element.getByte(1)).isEqualTo((byte)packet);
            }
            assertThat(upToDate.read(element, 0)).isEqualTo(ReadResult.NO_DATA);

            assertThat(oneBehind.read(element, 0)).as("packet 2 is torn by packet 10")
                .isEqualTo(ReadResult.OVERRUN_DETECTED);
            assertThat(oneBehind.lastSkipped()).isEqualTo(8);
            assertThat(oneBehind.readCount()).isEqualTo(9);
            assertThat(oneBehind.read(element, 0)).isEqualTo(ReadResult.NO_DATA);

            final ShmStreamReader late = new ShmStreamReader(region, PROTOCOL, 2);
            assertThat(late.read(element, 0)).isEqualTo(ReadResult.OVERRUN_DETECTED);
            assertThat(late.lastSkipped()).isEqualTo(9);

            writer.commit();
            assertThat(upToDate.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
            assertThat(element.getByte(0)).isEqualTo((byte)0x0a);
            assertThat(late.read(element, 0)).isEqualTo(ReadResult.SUCCESS);
        }
    }

    private static void writePacket(final ShmStreamWriter writer, final int packet)
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[] {(byte)packet, (byte)packet});
        writer.write(bytes, 0, 2);
    }
}
