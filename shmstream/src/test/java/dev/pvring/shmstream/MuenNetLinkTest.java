/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;

import dev.pvring.core.ParkingEvent;
import dev.pvring.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MuenNetLinkTest
{
    static final int REGION = 1 << 20;

    private SharedMemory aToB;
    private SharedMemory bToA;
    private MuenNetLink a;
    private MuenNetLink b;
    private final ParkingEvent bEvent = new ParkingEvent();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[NetMessageDescriptor.MAX_FRAME_LENGTH]);
    private final UnsafeBuffer received = new UnsafeBuffer(new byte[NetMessageDescriptor.ELEMENT_LENGTH]);

    @BeforeEach
    void setUp()
    {
        aToB = SharedMemory.anonymous(REGION);
        bToA = SharedMemory.anonymous(REGION);
        a = new MuenNetLink(aToB.buffer(), bEvent, bToA.buffer());
        b = new MuenNetLink(bToA.buffer(), null, aToB.buffer());
    }

    @AfterEach
    void tearDown()
    {
        aToB.close();
        bToA.close();
    }

    @Test
    void shouldUseTheMuenNetElementLayoutAndProtocol()
    {
        a.start();
        final AtomicBuffer out = aToB.buffer();
        assertThat(out.getLong(ShmStreamDescriptor.PROTOCOL_OFFSET)).isEqualTo(0x7ade5c549b08e814L);
        assertThat(out.getLong(ShmStreamDescriptor.SIZE_OFFSET)).isEqualTo(1516);
        assertThat(out.getLong(ShmStreamDescriptor.ELEMENTS_OFFSET)).as("the 2019 Muen policy's 1 MiB channel")
            .isEqualTo(691);
        frame.setMemory(0, 60, (byte)0xAB);
        a.send(frame, 0, 60);
        final int slot = ShmStreamDescriptor.DATA_OFFSET;
        assertThat(out.getByte(slot + 59)).isEqualTo((byte)0xAB);
        assertThat(out.getByte(slot + 1514)).isEqualTo((byte)60);
        assertThat(out.getByte(slot + 1515)).isZero();
    }

    @Test
    void shouldCarryFramesBothWays()
    {
        a.start();
        b.start();
        for (int length = NetMessageDescriptor.MIN_FRAME_LENGTH; length <= NetMessageDescriptor.MAX_FRAME_LENGTH;
             length += 101)
        {
            frame.putInt(0, length);
            a.queue(frame, 0, length);
            b.send(frame, 0, length);
            assertThat(b.receive(received, 0)).isEqualTo(ReadResult.SUCCESS);
            assertThat(b.frameLength()).isEqualTo(length);
            assertThat(a.receive(received, 0)).isEqualTo(ReadResult.SUCCESS);
            assertThat(a.frameLength()).isEqualTo(length);
            assertThat(received.getInt(0)).isEqualTo(length);
        }
        assertThat(a.flush()).isTrue();
        assertThat(bEvent.notificationsSent()).as("one for the epoch, one for the batch").isEqualTo(2);
        assertThat(b.receive(received, 0)).isEqualTo(ReadResult.NO_DATA);
        assertThat(a.framesSent()).isEqualTo(15);
        assertThat(b.framesReceived()).isEqualTo(15);
    }

    @Test
    void shouldRejectPayloadLengthsBeyondTheElement()
    {
        a.start();
        final AtomicBuffer out = aToB.buffer();
        final int[] hostileLengths = {0, 1515, 1516, 65535};
        for (final int hostile : hostileLengths)
        {
            final int slot = a.writer().claim();
            out.putShort(slot + NetMessageDescriptor.LENGTH_OFFSET, (short)hostile, ByteOrder.LITTLE_ENDIAN);
            a.writer().commit();
            assertThat(b.receive(received, 0)).as("length=%d", hostile).isEqualTo(ReadResult.INCOMPATIBLE_INTERFACE);
        }
        assertThat(b.malformedFrames()).isEqualTo(4);
        a.send(frame, 0, 1514);
        assertThat(b.receive(received, 0)).isEqualTo(ReadResult.SUCCESS);
        assertThat(b.frameLength()).isEqualTo(1514);
    }

    @Test
    void shouldCountFramesShorterThanAnEthernetHeaderAsMalformed()
    {
        a.start();
        final AtomicBuffer out = aToB.buffer();
        for (int hostile = 1; hostile < NetMessageDescriptor.MIN_FRAME_LENGTH; hostile++)
        {
            // A peer's element whose length field says 1..13 bytes: Linux refuses such a TAP write with EINVAL.
            final int slot = a.writer().claim();
            out.putShort(slot + NetMessageDescriptor.LENGTH_OFFSET, (short)hostile, ByteOrder.LITTLE_ENDIAN);
            a.writer().commit();
            assertThat(b.receive(received, 0)).as("length=%d", hostile).isEqualTo(ReadResult.INCOMPATIBLE_INTERFACE);
        }
        assertThat(b.malformedFrames()).isEqualTo(NetMessageDescriptor.MIN_FRAME_LENGTH - 1);
        assertThat(b.framesReceived()).isZero();
        a.send(frame, 0, NetMessageDescriptor.MIN_FRAME_LENGTH);
        assertThat(b.receive(received, 0)).isEqualTo(ReadResult.SUCCESS);
        assertThat(b.frameLength()).isEqualTo(NetMessageDescriptor.MIN_FRAME_LENGTH);
    }

    @Test
    void shouldTakeTheLengthFromTheLastTwoBytesOfSmallerElements()
    {
        final ShmStreamWriter small = new ShmStreamWriter(aToB.buffer());
        small.initialize(NetMessageDescriptor.PROTOCOL, 1000 + 2, 5);
        final UnsafeBuffer element = new UnsafeBuffer(new byte[1002]);
        element.putShort(1000, (short)1000, ByteOrder.LITTLE_ENDIAN);
        small.write(element, 0, 1002);
        assertThat(b.receive(received, 0)).isEqualTo(ReadResult.SUCCESS);
        assertThat(b.frameLength()).isEqualTo(1000);
        element.putShort(1000, (short)1001, ByteOrder.LITTLE_ENDIAN);
        small.write(element, 0, 1002);
        assertThat(b.receive(received, 0)).isEqualTo(ReadResult.INCOMPATIBLE_INTERFACE);
    }

    @Test
    void shouldRejectFramesThatDoNotFit()
    {
        a.start();
        assertThatThrownBy(() -> a.queue(new UnsafeBuffer(new byte[2000]), 0, 1515))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("frame length out of range: length=1515 min=14 max=1514");
        assertThatThrownBy(() -> a.queue(frame, 0, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("frame length out of range: length=0 min=14 max=1514");
        assertThatThrownBy(() -> a.send(frame, 0, 13))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("frame length out of range: length=13 min=14 max=1514");
    }

    @Test
    void shouldReportPeerRestartsAndSilence()
    {
        assertThat(b.receive(received, 0)).isEqualTo(ReadResult.INACTIVE);
        a.start();
        a.send(frame, 0, 64);
        assertThat(b.hasPendingData()).isTrue();
        assertThat(b.receive(received, 0)).isEqualTo(ReadResult.SUCCESS);
        a.start();
        assertThat(b.receive(received, 0)).isEqualTo(ReadResult.EPOCH_CHANGED);
        a.stop();
        assertThat(b.receive(received, 0)).isEqualTo(ReadResult.INACTIVE);
    }
}
