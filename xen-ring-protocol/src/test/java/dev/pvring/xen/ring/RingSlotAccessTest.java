/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import dev.pvring.core.SharedMemory;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The slot accessors of {@link FrontRing}/{@link BackRing} (raw copies into and out of slots, field writers) on
 * every combination of ring memory (native shared memory, heap) and private buffer (heap, direct, expandable).
 */
class RingSlotAccessTest
{
    private static final int RING_BYTES = 4096;
    private static final int ENTRY = 24; // not a multiple of 8: the copies have a tail

    static Stream<Arguments> kinds()
    {
        final IntFunction<MutableDirectBuffer> heap = n -> new UnsafeBuffer(new byte[n]);
        final IntFunction<MutableDirectBuffer> direct = n -> new UnsafeBuffer(ByteBuffer.allocateDirect(n));
        final IntFunction<MutableDirectBuffer> expandable = n -> new ExpandableArrayBuffer(n);
        return Stream.of(true, false).flatMap(nativeRing -> Stream.of(
            Arguments.of(nativeRing, "heap", heap),
            Arguments.of(nativeRing, "direct", direct),
            Arguments.of(nativeRing, "expandable", expandable)));
    }

    @ParameterizedTest(name = "native ring={0}, private={1}")
    @MethodSource("kinds")
    void shouldMoveEntriesThroughSlotsBothWaysAcrossTheWrap(
        final boolean nativeRing, final String kind, final IntFunction<MutableDirectBuffer> privateBuffer)
    {
        final SharedMemory memory = nativeRing ? SharedMemory.anonymous(RING_BYTES) : null;
        final AtomicBuffer ring = nativeRing ? memory.buffer() : new UnsafeBuffer(new byte[RING_BYTES]);
        try
        {
            final FrontRing front = FrontRing.init(ring, 0, RING_BYTES, ENTRY, -5);
            final BackRing back = BackRing.attach(ring, 0, RING_BYTES, ENTRY, -5);
            final MutableDirectBuffer request = privateBuffer.apply(ENTRY);
            final MutableDirectBuffer copy = privateBuffer.apply(ENTRY);
            final MutableDirectBuffer copies = privateBuffer.apply(4 * ENTRY);
            final MutableDirectBuffer response = privateBuffer.apply(ENTRY);
            for (int round = 0; round < 3 * front.size(); round += 3)
            {
                for (int k = 0; k < 3; k++)
                {
                    for (int b = 0; b < ENTRY; b++)
                    {
                        request.putByte(b, (byte)(round + k + b));
                    }
                    final int slot = front.claimRequest();
                    front.putRequest(slot, request, 0, ENTRY);
                    front.putLong(slot + 8, round + k);
                    front.putInt(slot + 16, -(round + k));
                    front.putShort(slot + 20, (short)k);
                    front.putByte(slot + 23, (byte)0x7e);
                }
                front.pushRequests();
                assertThat(back.unconsumedRequests()).isEqualTo(3);
                assertThat(back.copyRequest(copy, 0, ENTRY)).isTrue();
                assertThat(back.copyRequests(copies, 0, ENTRY, ENTRY, 4)).isEqualTo(2);
                for (int k = 0; k < 3; k++)
                {
                    final MutableDirectBuffer got = k == 0 ? copy : copies;
                    final int at = k == 0 ? 0 : (k - 1) * ENTRY;
                    for (int b = 0; b < 8; b++)
                    {
                        assertThat(got.getByte(at + b)).isEqualTo((byte)(round + k + b));
                    }
                    assertThat(got.getLong(at + 8)).isEqualTo(round + k);
                    assertThat(got.getInt(at + 16)).isEqualTo(-(round + k));
                    assertThat(got.getShort(at + 20)).isEqualTo((short)k);
                    assertThat(got.getByte(at + 22)).isEqualTo((byte)(round + k + 22));
                    assertThat(got.getByte(at + 23)).isEqualTo((byte)0x7e);
                    response.putLong(0, 1000L + round + k);
                    response.putLong(8, 0);
                    response.putLong(16, 0);
                    back.putResponse(back.claimResponse(), response, 0, ENTRY);
                }
                back.pushResponses();
                assertThat(front.unconsumedResponses()).isEqualTo(3);
                for (int k = 0; k < 3; k++)
                {
                    assertThat(front.copyResponse(copy, 0, 8)).isTrue();
                    assertThat(copy.getLong(0)).isEqualTo(1000L + round + k);
                }
                assertThat(front.copyResponse(copy, 0, 8)).isFalse();
            }
            assertThat(front.rspCons()).isEqualTo(-5 + 3 * front.size());
        }
        finally
        {
            if (memory != null)
            {
                memory.close();
            }
        }
    }

    @ParameterizedTest(name = "native ring={0}, private={1}")
    @MethodSource("kinds")
    void shouldRefuseWritesOutsideTheSlotArea(
        final boolean nativeRing, final String kind, final IntFunction<MutableDirectBuffer> privateBuffer)
    {
        final SharedMemory memory = nativeRing ? SharedMemory.anonymous(2 * RING_BYTES) : null;
        final AtomicBuffer ring = nativeRing ? memory.buffer() : new UnsafeBuffer(new byte[2 * RING_BYTES]);
        try
        {
            final FrontRing front = FrontRing.init(ring, 0, RING_BYTES, ENTRY);
            final BackRing back = BackRing.attach(ring, 0, RING_BYTES, ENTRY, 0);
            final int slotsEnd = SharedRingDescriptor.HEADER_LENGTH + front.size() * ENTRY;
            final MutableDirectBuffer src = privateBuffer.apply(ENTRY);
            ring.putLong(slotsEnd, 0x1122334455667788L);
            // the header (indices) and whatever follows the slots are not slot memory
            assertThatThrownBy(() -> front.putLong(SharedRingDescriptor.REQ_PROD_OFFSET, 1))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("offset=0 length=8");
            assertThatThrownBy(() -> back.putInt(SharedRingDescriptor.RSP_EVENT_OFFSET, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> front.putLong(slotsEnd - 7, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> back.putShort(slotsEnd - 1, (short)1))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> front.putByte(-1, (byte)1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> front.putByte(Integer.MIN_VALUE, (byte)1))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> front.putRequest(slotsEnd - ENTRY + 1, src, 0, ENTRY))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> back.putResponse(64, src, 1, ENTRY)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> back.putResponse(64, src, 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
            // one unsigned compare bounds both ends: lengths past the slot area and extreme values still throw
            final int slotsLength = slotsEnd - SharedRingDescriptor.HEADER_LENGTH;
            final MutableDirectBuffer large = privateBuffer.apply(slotsLength + ENTRY);
            assertThatThrownBy(() -> front.putRequest(SharedRingDescriptor.HEADER_LENGTH, large, 0, slotsLength + 1))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("length=" + (slotsLength + 1));
            assertThatThrownBy(() -> front.putRequest(SharedRingDescriptor.HEADER_LENGTH, src, 0, Integer.MIN_VALUE))
                .isInstanceOf(IndexOutOfBoundsException.class);
            back.putResponse(slotsEnd, src, 0, 0); // an empty range may end where the slots end, as in Java's checks
            assertThatThrownBy(() -> back.putResponse(slotsEnd + 1, src, 0, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> front.putByte(Integer.MAX_VALUE, (byte)1))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> front.putLong(SharedRingDescriptor.HEADER_LENGTH + Integer.MIN_VALUE, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
            // the last byte of the slot area is writable; nothing after it was touched
            front.putByte(slotsEnd - 1, (byte)1);
            front.putRequest(slotsEnd - ENTRY, src, 0, ENTRY);
            assertThat(ring.getLong(slotsEnd)).isEqualTo(0x1122334455667788L);
            assertThat(ring.getInt(SharedRingDescriptor.REQ_PROD_OFFSET)).isZero();
            // a copy that does not fit the private buffer is refused before anything moves (an expandable one grows)
            front.claimRequest();
            front.pushRequests();
            back.unconsumedRequests();
            final MutableDirectBuffer small = privateBuffer.apply(8);
            if (kind.equals("expandable"))
            {
                assertThat(back.copyRequest(small, 4, ENTRY)).isTrue();
                assertThat(small.capacity()).isGreaterThanOrEqualTo(4 + ENTRY);
            }
            else
            {
                assertThatThrownBy(() -> back.copyRequest(small, 4, ENTRY)).isInstanceOf(IndexOutOfBoundsException.class);
                assertThat(back.reqCons()).as("nothing consumed").isZero();
            }
        }
        finally
        {
            if (memory != null)
            {
                memory.close();
            }
        }
    }

    @ParameterizedTest(name = "native ring={0}, private={1}")
    @MethodSource("kinds")
    void shouldWriteIndexedEntriesAsTheOffsetWritersDoAndRefuseFieldsOutsideTheEntry(
        final boolean nativeRing, final String kind, final IntFunction<MutableDirectBuffer> privateBuffer)
    {
        final SharedMemory memory = nativeRing ? SharedMemory.anonymous(4 * RING_BYTES) : null;
        final AtomicBuffer ring = nativeRing ? memory.buffer() : new UnsafeBuffer(new byte[4 * RING_BYTES]);
        try
        {
            // two rings in one buffer: the indexed writers of the first at every index, the offset writers of the
            // second at the same slots; the pages must end up byte for byte the same
            final FrontRing indexed = FrontRing.init(ring, 0, RING_BYTES, ENTRY);
            final FrontRing offsets = FrontRing.init(ring, RING_BYTES, RING_BYTES, ENTRY);
            final BackRing back = BackRing.attach(ring, 0, RING_BYTES, ENTRY, 0);
            final MutableDirectBuffer entry = privateBuffer.apply(ENTRY);
            final int size = indexed.size();
            ring.setMemory(2 * RING_BYTES, RING_BYTES, (byte)0x5a); // a neighbour, never written
            for (final int index : new int[] {0, 1, size - 1, size, size + 3, -1, -size, Integer.MAX_VALUE,
                Integer.MIN_VALUE})
            {
                for (int b = 0; b < ENTRY; b++)
                {
                    entry.putByte(b, (byte)(index * 7 + b));
                }
                indexed.putEntry(index, entry, 0, ENTRY);
                indexed.putEntryLong(index, 0, index * 31L);
                indexed.putEntryInt(index, 8, ~index);
                indexed.putEntryShort(index, 12, (short)index);
                indexed.putEntryByte(index, ENTRY - 1, (byte)-3);
                final int slot = offsets.slotOffset(index);
                offsets.putRequest(slot, entry, 0, ENTRY);
                offsets.putLong(slot, index * 31L);
                offsets.putInt(slot + 8, ~index);
                offsets.putShort(slot + 12, (short)index);
                offsets.putByte(slot + ENTRY - 1, (byte)-3);
                assertThat(ring.getLong(indexed.slotOffset(index))).isEqualTo(index * 31L);
            }
            for (int b = SharedRingDescriptor.HEADER_LENGTH; b < RING_BYTES; b++)
            {
                assertThat(ring.getByte(b)).as("byte %d", b).isEqualTo(ring.getByte(RING_BYTES + b));
            }
            // a copy shorter than the entry writes only its bytes
            entry.putLong(0, -1L);
            back.putEntry(5, entry, 0, 3);
            assertThat(ring.getByte(back.slotOffset(5) + 2)).isEqualTo((byte)-1);
            assertThat(ring.getByte(back.slotOffset(5) + 3)).isEqualTo(ring.getByte(RING_BYTES + back.slotOffset(5) + 3));
            // fields and lengths are checked against the entry, whatever the index
            final int last = ENTRY - 8;
            back.putEntryLong(7, last, 1);
            assertThatThrownBy(() -> back.putEntryLong(7, last + 1, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("outside the entry: field=" + (last + 1) + " length=8 entrySize=" + ENTRY);
            assertThatThrownBy(() -> back.putEntryInt(0, ENTRY - 3, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> back.putEntryShort(0, -1, (short)1))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> back.putEntryByte(size - 1, ENTRY, (byte)1))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> back.putEntryByte(0, Integer.MIN_VALUE, (byte)1))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> back.putEntryLong(0, Integer.MAX_VALUE, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
            final MutableDirectBuffer large = privateBuffer.apply(2 * ENTRY);
            assertThatThrownBy(() -> indexed.putEntry(0, large, 0, ENTRY + 1))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("length=" + (ENTRY + 1));
            assertThatThrownBy(() -> indexed.putEntry(0, large, 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> indexed.putEntry(0, large, 0, Integer.MIN_VALUE))
                .isInstanceOf(IndexOutOfBoundsException.class);
            if (!kind.equals("expandable"))
            {
                assertThatThrownBy(() -> indexed.putEntry(0, entry, 1, ENTRY))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            }
            // the header (as init left it, like the other ring's) and the neighbour were never written
            for (int b = 0; b < SharedRingDescriptor.HEADER_LENGTH; b++)
            {
                assertThat(ring.getByte(b)).as("header byte %d", b).isEqualTo(ring.getByte(RING_BYTES + b));
            }
            for (int b = 2 * RING_BYTES; b < 3 * RING_BYTES; b++)
            {
                assertThat(ring.getByte(b)).as("byte %d", b).isEqualTo((byte)0x5a);
            }
        }
        finally
        {
            if (memory != null)
            {
                memory.close();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void shouldRefuseReadOnlyMappingsForRingsAndCopyIntoThemThroughTheirThrowingAccessors()
    {
        try (SharedMemory memory = SharedMemory.anonymous(RING_BYTES))
        {
            final dev.pvring.core.ReadOnlyAtomicBuffer readOnly =
                new dev.pvring.core.ReadOnlyAtomicBuffer(memory.address(), RING_BYTES, "test mapping");
            assertThatThrownBy(() -> BackRing.attach(readOnly, 0, RING_BYTES, ENTRY, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writable");
            assertThatThrownBy(() -> FrontRing.attach(readOnly, 0, RING_BYTES, ENTRY, 0))
                .isInstanceOf(IllegalArgumentException.class);
            final FrontRing front = FrontRing.init(memory.buffer(), 0, RING_BYTES, ENTRY);
            final BackRing back = BackRing.attach(memory.buffer(), 0, RING_BYTES, ENTRY, 0);
            front.putLong(front.claimRequest(), 7);
            front.pushRequests();
            back.unconsumedRequests();
            // a read-only private buffer refuses the copy with its own exception (no raw store on a read-only page)
            assertThatThrownBy(() -> back.copyRequest(readOnly, 0, ENTRY))
                .isInstanceOf(dev.pvring.core.ReadOnlyMappingException.class);
        }
    }

    @ParameterizedTest(name = "native ring={0}, private={1}")
    @MethodSource("kinds")
    void shouldThrowInsteadOfTouchingMemoryOnceTheBufferIsDetached(
        final boolean nativeRing, final String kind, final IntFunction<MutableDirectBuffer> privateBuffer)
    {
        final SharedMemory memory = nativeRing ? SharedMemory.anonymous(RING_BYTES) : null;
        final AtomicBuffer ring = nativeRing ? memory.buffer() : new UnsafeBuffer(new byte[RING_BYTES]);
        final FrontRing front = FrontRing.init(ring, 0, RING_BYTES, ENTRY);
        final BackRing back = BackRing.attach(ring, 0, RING_BYTES, ENTRY, 0);
        final MutableDirectBuffer buffer = privateBuffer.apply(ENTRY);
        final int slot = front.claimRequest();
        front.pushRequests();
        back.unconsumedRequests();
        if (memory != null)
        {
            memory.close(); // unmaps and detaches the buffer, as the platforms do at unmap
        }
        else
        {
            ring.wrap(new byte[0]);
        }
        assertThatThrownBy(() -> front.putLong(slot, 1)).isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessageContaining("capacity=0");
        assertThatThrownBy(() -> front.putRequest(slot, buffer, 0, ENTRY)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> back.copyRequest(buffer, 0, ENTRY)).isInstanceOf(IndexOutOfBoundsException.class);
        // the shared indices too: every push, every read of the peer's index and every final check
        for (final ThrowingCallable indexAccess : List.<ThrowingCallable>of(
            front::pushRequests, front::pushRequestsAndCheckNotify, front::unconsumedResponses,
            front::finalCheckForResponses, back::unconsumedRequests, back::pushResponses,
            back::pushResponsesAndCheckNotify, back::finalCheckForRequests))
        {
            assertThatThrownBy(indexAccess).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("capacity=0");
        }
    }
}
