/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static dev.pvring.shmstream.ShmStreamDescriptor.DATA_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.ELEMENTS_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.EPOCH_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.PROTOCOL_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.SIZE_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.TRANSPORT_MARKER;
import static dev.pvring.shmstream.ShmStreamDescriptor.TRANSPORT_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.WC_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.WSC_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.when;

import dev.pvring.core.ParkingEvent;
import dev.pvring.core.SharedMemory;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

class ShmStreamWriterTest
{
    static final long PROTOCOL = 0xf00789094b6f70cfL;

    private SharedMemory memory;
    private final ParkingEvent event = new ParkingEvent();
    private ShmStreamWriter writer;
    private final UnsafeBuffer src = new UnsafeBuffer(new byte[64]);

    @BeforeEach
    void setUp()
    {
        memory = SharedMemory.anonymous(SharedMemory.PAGE_SIZE);
        writer = new ShmStreamWriter(memory.buffer(), event);
    }

    @AfterEach
    void tearDown()
    {
        memory.close();
    }

    @Test
    void shouldWriteTheHeaderAndComputeElementsFromTheRegionSize()
    {
        writer.initialize(PROTOCOL, 1516, 0x1234);
        final AtomicBuffer b = memory.buffer();
        assertThat(b.getLong(TRANSPORT_OFFSET)).isEqualTo(TRANSPORT_MARKER);
        assertThat(b.getByte(0)).isEqualTo((byte)0x6D);
        assertThat(b.getByte(7)).isEqualTo((byte)0x48);
        assertThat(b.getLong(EPOCH_OFFSET)).isEqualTo(0x1234);
        assertThat(b.getLong(PROTOCOL_OFFSET)).isEqualTo(PROTOCOL);
        assertThat(b.getLong(SIZE_OFFSET)).isEqualTo(1516);
        assertThat(b.getLong(ELEMENTS_OFFSET)).isEqualTo((4096 - 64) / 1516).isEqualTo(2);
        assertThat(b.getLong(ShmStreamDescriptor.RESERVED_OFFSET)).isZero();
        assertThat(b.getLong(WSC_OFFSET)).isZero();
        assertThat(b.getLong(WC_OFFSET)).isZero();
        assertThat(writer.elements()).isEqualTo(2);
    }

    @Test
    void shouldClearTheDataAndCountersOnReinitialization()
    {
        writer.initialize(PROTOCOL, 8, 1);
        src.putLong(0, -1L);
        writer.write(src, 0, 8);
        writer.initialize(PROTOCOL, 8, 2);
        assertThat(memory.buffer().getLong(DATA_OFFSET)).isZero();
        assertThat(memory.buffer().getLong(WC_OFFSET)).isZero();
        assertThat(writer.writeCount()).isZero();
    }

    @Test
    void shouldZeroPadShortElementsAndAdvanceBothCounters()
    {
        writer.initialize(PROTOCOL, 16, 1);
        src.setMemory(0, 16, (byte)0x77);
        writer.write(src, 0, 16);
        writer.write(src, 0, 3);
        final AtomicBuffer b = memory.buffer();
        assertThat(b.getByte(DATA_OFFSET + 16 + 2)).isEqualTo((byte)0x77);
        assertThat(b.getByte(DATA_OFFSET + 16 + 3)).isZero();
        assertThat(b.getLong(DATA_OFFSET + 16 + 8)).isZero();
        assertThat(b.getLong(WSC_OFFSET)).isEqualTo(2);
        assertThat(b.getLong(WC_OFFSET)).isEqualTo(2);
    }

    @Test
    void shouldPublishInTheNormativeOrder()
    {
        final AtomicBuffer b = mock(AtomicBuffer.class);
        when(b.capacity()).thenReturn(64 + 4 * 8);
        final ShmStreamWriter w = new ShmStreamWriter(b);
        w.initialize(PROTOCOL, 8, 9);
        final InOrder init = inOrder(b);
        init.verify(b).putLongOpaque(EPOCH_OFFSET, 0);
        init.verify(b).setMemory(DATA_OFFSET, 32, (byte)0);
        init.verify(b).putLongOpaque(TRANSPORT_OFFSET, TRANSPORT_MARKER);
        init.verify(b).putLongOpaque(WC_OFFSET, 0);
        init.verify(b).putLongRelease(EPOCH_OFFSET, 9);

        final DirectBuffer data = new UnsafeBuffer(new byte[8]);
        w.queue(data, 0, 8);
        w.queue(data, 0, 8);
        final InOrder write = inOrder(b);
        write.verify(b).putLongOpaque(WSC_OFFSET, 1);
        write.verify(b).putBytes(DATA_OFFSET, data, 0, 8);
        write.verify(b).putLongRelease(WC_OFFSET, 1);
        write.verify(b).putLongOpaque(WSC_OFFSET, 2);
        write.verify(b).putBytes(DATA_OFFSET + 8, data, 0, 8);
        write.verify(b).putLongRelease(WC_OFFSET, 2);
        write.verify(b, never()).putLongRelease(eq(EPOCH_OFFSET), anyLong());

        w.deactivate();
        inOrder(b).verify(b).putLongRelease(EPOCH_OFFSET, 0);
        org.mockito.Mockito.verify(b, never()).putBytes(anyInt(), any(DirectBuffer.class), anyInt(), eq(9));
    }

    @Test
    void shouldRaiseTheEventOncePerFlushOfQueuedElements()
    {
        writer.initialize(PROTOCOL, 8, 1);
        final long afterInit = event.notificationsSent();
        assertThat(afterInit).as("readers waiting on the event learn of the new epoch").isEqualTo(1);
        for (int i = 0; i < 32; i++)
        {
            writer.queue(src, 0, 8);
        }
        assertThat(event.notificationsSent()).isEqualTo(afterInit);
        assertThat(writer.pending()).isEqualTo(32);
        assertThat(writer.flush()).isTrue();
        assertThat(writer.flush()).as("nothing queued since").isFalse();
        assertThat(event.notificationsSent()).isEqualTo(afterInit + 1);
        writer.write(src, 0, 8);
        assertThat(event.notificationsSent()).isEqualTo(afterInit + 2);
        assertThat(writer.flushes()).isEqualTo(2);
        assertThat(writer.elementsWritten()).isEqualTo(33);
        writer.deactivate();
        assertThat(event.notificationsSent()).isEqualTo(afterInit + 3);
        assertThat(writer.events()).isEqualTo(afterInit + 3);
    }

    @Test
    void shouldFlushWithoutAnEventForPollingReaders()
    {
        final ShmStreamWriter polled = new ShmStreamWriter(memory.buffer());
        polled.initialize(PROTOCOL, 8, 1);
        polled.queue(src, 0, 8);
        assertThat(polled.flush()).isFalse();
        assertThat(polled.pending()).isZero();
        assertThat(polled.events()).isZero();
    }

    @Test
    void shouldFillAClaimedSlotInPlace()
    {
        writer.initialize(PROTOCOL, 8, 1);
        final ShmStreamReader reader = new ShmStreamReader(memory.buffer(), PROTOCOL, 8);
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[8]);
        for (int i = 0; i < 1000; i++)
        {
            final int slot = writer.claim();
            writer.buffer().putLong(slot, i * 31L);
            assertThat(reader.read(dst, 0)).isEqualTo(ReadResult.NO_DATA);
            writer.commit();
            assertThat(reader.read(dst, 0)).isEqualTo(ReadResult.SUCCESS);
            assertThat(dst.getLong(0)).isEqualTo(i * 31L);
        }
        assertThat(writer.flush()).isTrue();
    }

    @Test
    void shouldRejectMisuseWithNameValueMessages()
    {
        assertThatThrownBy(() -> writer.write(src, 0, 8))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("channel is not initialized: epoch=0");
        assertThatThrownBy(writer::commit)
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("no element claimed: epoch=0 wc=0");
        assertThatThrownBy(() -> writer.initialize(0, 8, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("protocol must be non-zero: protocol=0");
        assertThatThrownBy(() -> writer.initialize(PROTOCOL, 8, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("epoch must be non-zero: epoch=0");
        assertThatThrownBy(() -> writer.initialize(PROTOCOL, 0, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("element size must be positive: elementSize=0");
        assertThatThrownBy(() -> writer.initialize(PROTOCOL, 4033, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("region too small for one element: regionSize=4096 elementSize=4033 headerLength=64");
        writer.initialize(PROTOCOL, 8, 1);
        assertThatThrownBy(() -> writer.write(src, 0, 9))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("element length out of range: length=9 elementSize=8");
        writer.claim();
        assertThatThrownBy(writer::claim)
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("an element is already claimed: offset=64");
        assertThatThrownBy(() -> new ShmStreamWriter(new UnsafeBuffer(memory.buffer(), 4, 128)))
            .isInstanceOf(IllegalStateException.class);
    }
}
