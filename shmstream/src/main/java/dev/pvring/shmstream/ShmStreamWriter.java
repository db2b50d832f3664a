/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import dev.pvring.core.internal.RawMemory;
import static dev.pvring.shmstream.ShmStreamDescriptor.DATA_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.ELEMENTS_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.EPOCH_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.HEADER_LENGTH;
import static dev.pvring.shmstream.ShmStreamDescriptor.NULL_EPOCH;
import static dev.pvring.shmstream.ShmStreamDescriptor.PROTOCOL_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.RESERVED_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.SIZE_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.TRANSPORT_MARKER;
import static dev.pvring.shmstream.ShmStreamDescriptor.TRANSPORT_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.WC_OFFSET;
import static dev.pvring.shmstream.ShmStreamDescriptor.WSC_OFFSET;

import java.lang.invoke.VarHandle;
import java.security.SecureRandom;

import dev.pvring.core.Notifier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The single writer of a Muen SHMStream v2 channel (see {@link ShmStreamDescriptor}). It never blocks and never
 * looks at a reader: when readers fall more than {@code Elements} behind they detect an overrun.
 * <p>
 * Three ways to write an element:
 * <ul>
 *     <li>{@link #write}: copy, publish, raise the event (if any): Linux muennet's per-write event.</li>
 *     <li>{@link #queue}: copy and publish without an event; {@link #flush()} raises the event once for
 *     everything queued since the last flush (Solo5's {@code solo5_net_queue}/{@code solo5_net_flush}).</li>
 *     <li>{@link #claim()}, fill the slot in {@link #buffer()} in place, {@link #commit()}: no staging copy;
 *     a commit counts as queued, so follow it with {@link #flush()} if readers wait on the event.</li>
 * </ul>
 * Every element is published on its own (readers see it before the flush); the event is only a doorbell for
 * readers that sleep, and is optional: readers may poll instead.
 * <p>
 * The writer keeps WC in a private field (the region is its own; readers map it read-only). Not thread safe:
 * one writer per channel. Memory ordering per write: WSC := WC + 1, release fence, element data, then WC with
 * release, so a reader that copies an element and then sees {@code WSC <= RC + Elements} got it untorn.
 * <p>
 * Over a plain {@link UnsafeBuffer} region (exactly that class), the per-element paths ({@link #queue},
 * {@link #claim()}, {@link #commit()}) check the region's capacity once per call and then store the header words
 * raw, with a base the JIT knows (null off heap, a {@code byte[]} on heap; see {@code RawMemory}); {@link #queue}
 * copies an {@link UnsafeBuffer} source (or a read-only view of one) the same way after one check of its range, and
 * any other source through its accessors. Other regions (a read-only view, test doubles) keep their accessors.
 * <p>
 * If another process truncates the channel file under the mapping, writes fault ({@code SIGBUS}, reported by the
 * JVM as {@link InternalError}); see the limitation in {@link ShmStreamReader}.
 */
public final class ShmStreamWriter
{
    private final AtomicBuffer buffer;
    private final int regionSize;
    private final Notifier event;
    private final boolean raw;
    private SecureRandom epochSource;
    private long epoch = NULL_EPOCH;
    private long protocol;
    private int size;
    private int elements;
    private long wc;
    private int position;
    private int claimedOffset = -1;
    private long pending;
    private long elementsWritten;
    private long flushes;
    private long events;

    /**
     * A writer whose readers poll (no event).
     *
     * @param buffer the whole channel region, writable, 8-byte aligned.
     */
    public ShmStreamWriter(final AtomicBuffer buffer)
    {
        this(buffer, null);
    }

    /**
     * A writer that rings {@code event} on {@link #write}, {@link #flush()}, initialization and deactivation.
     *
     * @param buffer the whole channel region, writable, 8-byte aligned.
     * @param event  the doorbell readers may wait on (e.g. a {@link dev.pvring.core.FutexEvent} in a separate
     *               shared file), or {@code null} for polling readers.
     */
    public ShmStreamWriter(final AtomicBuffer buffer, final Notifier event)
    {
        this.regionSize = ShmStreamDescriptor.checkRegion(buffer);
        this.buffer = buffer;
        this.event = event;
        this.raw = RawMemory.isRawWritable(buffer);
    }

    /**
     * Initializes the channel with a fresh random non-zero epoch that differs from the one in the header.
     *
     * @param protocol    non-zero payload format id.
     * @param elementSize bytes per element; {@code Elements = floor((regionSize - 64) / elementSize)}.
     * @return the epoch chosen.
     */
    public long initialize(final long protocol, final int elementSize)
    {
        if (epochSource == null)
        {
            epochSource = new SecureRandom();
        }
        final long previous = ShmStreamDescriptor.epochOpaque(buffer);
        long fresh;
        do
        {
            fresh = epochSource.nextLong();
        }
        while (fresh == NULL_EPOCH || fresh == previous || fresh == epoch);
        initialize(protocol, elementSize, fresh);
        return fresh;
    }

    /**
     * Initializes (or re-initializes) the channel: Epoch := 0, clear the data, write the header fields, then
     * publish {@code newEpoch} with release ordering. Readers resynchronize on the new epoch. The caller must
     * pick an epoch no reader has seen on this channel before (readers detect a restart only by the change).
     *
     * @param protocol    non-zero payload format id.
     * @param elementSize bytes per element; {@code Elements = floor((regionSize - 64) / elementSize)}.
     * @param newEpoch    non-zero epoch.
     */
    public void initialize(final long protocol, final int elementSize, final long newEpoch)
    {
        if (protocol == 0)
        {
            throw new IllegalArgumentException("protocol must be non-zero: protocol=0");
        }
        if (newEpoch == NULL_EPOCH)
        {
            throw new IllegalArgumentException("epoch must be non-zero: epoch=0");
        }
        final int newElements = ShmStreamDescriptor.elementsFor(regionSize, elementSize);

        buffer.putLongOpaque(EPOCH_OFFSET, NULL_EPOCH);
        // StoreStore: a reader that sees any of the stores below also sees Epoch = 0 (or a later epoch),
        // so it discards whatever it read of the old epoch.
        VarHandle.releaseFence();
        buffer.setMemory(DATA_OFFSET, regionSize - HEADER_LENGTH, (byte)0);
        buffer.putLongOpaque(TRANSPORT_OFFSET, TRANSPORT_MARKER);
        buffer.putLongOpaque(PROTOCOL_OFFSET, protocol);
        buffer.putLongOpaque(SIZE_OFFSET, elementSize);
        buffer.putLongOpaque(ELEMENTS_OFFSET, newElements);
        buffer.putLongOpaque(RESERVED_OFFSET, 0);
        buffer.putLongOpaque(WSC_OFFSET, 0);
        buffer.putLongOpaque(WC_OFFSET, 0);
        // Release: a reader that sees newEpoch (acquire) sees every field above.
        ShmStreamDescriptor.epochRelease(buffer, newEpoch);

        this.epoch = newEpoch;
        this.protocol = protocol;
        this.size = elementSize;
        this.elements = newElements;
        this.wc = 0;
        this.position = 0;
        this.claimedOffset = -1;
        this.pending = 0;
        ring();
    }

    /**
     * Ends the epoch (Epoch := 0, release): readers report {@link ReadResult#INACTIVE}. Idempotent.
     */
    public void deactivate()
    {
        // Release: everything written before is complete when a reader sees the channel inactive.
        ShmStreamDescriptor.epochRelease(buffer, NULL_EPOCH);
        final boolean wasActive = epoch != NULL_EPOCH;
        epoch = NULL_EPOCH;
        claimedOffset = -1;
        pending = 0;
        if (wasActive)
        {
            ring();
        }
    }

    /**
     * Writes one element, publishes it and raises the event: {@link #queue} then {@link #flush()}.
     *
     * @param src    element bytes.
     * @param offset start in {@code src}.
     * @param length bytes, at most {@link #elementSize()}; a shorter element is zero-padded.
     */
    public void write(final DirectBuffer src, final int offset, final int length)
    {
        queue(src, offset, length);
        flush();
    }

    /**
     * Writes one element and publishes it (WC release) without raising the event.
     *
     * @param src    element bytes.
     * @param offset start in {@code src}.
     * @param length bytes, at most {@link #elementSize()}; a shorter element is zero-padded.
     */
    public void queue(final DirectBuffer src, final int offset, final int length)
    {
        if (length < 0 || length > size)
        {
            checkActive();
            throw new IllegalArgumentException(
                "element length out of range: length=" + length + " elementSize=" + size);
        }
        checkActive();
        checkNotClaimed();
        if (raw && RawMemory.isRawReadable(src))
        {
            queueRaw(src, offset, length);
            return;
        }
        final int slot = startWrite();
        buffer.putBytes(slot, src, offset, length);
        if (length < size)
        {
            buffer.setMemory(slot + length, size - length, (byte)0);
        }
        publish();
    }

    /**
     * {@link #queue} with both checks up front (the source range, the region's capacity; misuse throws before the
     * channel is touched), then raw stores and copy with the region's location in registers.
     */
    private void queueRaw(final DirectBuffer src, final int offset, final int length)
    {
        RawMemory.checkRange(src, offset, length);
        final AtomicBuffer buffer = this.buffer;
        ShmStreamDescriptor.checkCapacity(buffer, regionSize);
        final byte[] array = buffer.byteArray();
        final long base = buffer.addressOffset();
        final long next = wc + 1;
        ShmStreamDescriptor.wscPutOpaque(array, base, next);
        // StoreStore: a reader whose copy sees any byte written to the slot afterwards also sees the new WSC
        // when it re-checks WSC, so it reports the overrun instead of a torn element.
        VarHandle.releaseFence();
        // The slot lies in the region: position < elements, 64 + elements * size <= regionSize <= capacity.
        final int slot = DATA_OFFSET + position * size;
        RawMemory.copyRuntimeLength(src.byteArray(), src.addressOffset() + offset, array, base + slot, length);
        if (length < size)
        {
            buffer.setMemory(slot + length, size - length, (byte)0);
        }
        // Release: the element's bytes are visible to a reader that sees WC = next.
        ShmStreamDescriptor.wcRelease(array, base, next);
        wc = next;
        position = position + 1 == elements ? 0 : position + 1;
        pending++;
        elementsWritten++;
    }

    /**
     * WSC := WC + 1 (invalidates the oldest element, in the slot about to be written).
     *
     * @return offset of the slot.
     */
    private int startWrite()
    {
        if (raw)
        {
            // One capacity check, then a raw store with a base the JIT knows (see RawMemory).
            ShmStreamDescriptor.checkCapacity(buffer, regionSize);
            ShmStreamDescriptor.wscPutOpaque(buffer.byteArray(), buffer.addressOffset(), wc + 1);
        }
        else
        {
            buffer.putLongOpaque(WSC_OFFSET, wc + 1);
        }
        // StoreStore: a reader whose copy sees any byte written to the slot afterwards also sees the new WSC
        // when it re-checks WSC, so it reports the overrun instead of a torn element.
        VarHandle.releaseFence();
        return DATA_OFFSET + position * size;
    }

    /**
     * WC := WC + 1 with release: publishes the element written since {@link #startWrite}.
     */
    private void publish()
    {
        final long next = wc + 1;
        // Release: the element's bytes are visible to a reader that sees WC = next.
        if (raw)
        {
            ShmStreamDescriptor.checkCapacity(buffer, regionSize);
            ShmStreamDescriptor.wcRelease(buffer.byteArray(), buffer.addressOffset(), next);
        }
        else
        {
            ShmStreamDescriptor.wcRelease(buffer, next);
        }
        wc = next;
        position = position + 1 == elements ? 0 : position + 1;
        pending++;
        elementsWritten++;
    }

    private void checkNotClaimed()
    {
        if (claimedOffset >= 0)
        {
            throw new IllegalStateException("an element is already claimed: offset=" + claimedOffset);
        }
    }

    /**
     * Claims the next slot for in-place writing: WSC := WC + 1, which invalidates the oldest element in that
     * slot. Fill exactly {@link #elementSize()} bytes at the returned offset of {@link #buffer()}, then call
     * {@link #commit()}.
     *
     * @return offset of the slot in {@link #buffer()}.
     */
    public int claim()
    {
        checkActive();
        checkNotClaimed();
        claimedOffset = startWrite();
        return claimedOffset;
    }

    /**
     * Publishes the claimed element (WC := WC + 1, release) without raising the event.
     */
    public void commit()
    {
        if (claimedOffset < 0)
        {
            throw new IllegalStateException("no element claimed: epoch=" + epoch + " wc=" + wc);
        }
        publish();
        claimedOffset = -1;
    }

    /**
     * Raises the event once if anything was queued or committed since the last flush.
     *
     * @return true if the event was raised (false with nothing pending or without an event).
     */
    public boolean flush()
    {
        if (pending == 0)
        {
            return false;
        }
        pending = 0;
        flushes++;
        return ring();
    }

    private boolean ring()
    {
        if (event == null)
        {
            return false;
        }
        events++;
        event.notifyPeer();
        return true;
    }

    private void checkActive()
    {
        if (epoch == NULL_EPOCH)
        {
            throw new IllegalStateException("channel is not initialized: epoch=0");
        }
    }

    /**
     * The channel region (for filling a claimed slot in place).
     *
     * @return the buffer given at construction.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * Whether the channel has a non-zero epoch set by this writer.
     *
     * @return true between {@link #initialize} and {@link #deactivate()}.
     */
    public boolean isActive()
    {
        return epoch != NULL_EPOCH;
    }

    /**
     * The current epoch.
     *
     * @return the epoch, 0 when inactive.
     */
    public long epoch()
    {
        return epoch;
    }

    /**
     * The protocol id of the current epoch.
     *
     * @return the protocol id.
     */
    public long protocol()
    {
        return protocol;
    }

    /**
     * Bytes per element of the current epoch.
     *
     * @return the element size.
     */
    public int elementSize()
    {
        return size;
    }

    /**
     * Slots in the ring of the current epoch.
     *
     * @return Elements.
     */
    public int elements()
    {
        return elements;
    }

    /**
     * Elements written in the current epoch (the value of WC).
     *
     * @return WC.
     */
    public long writeCount()
    {
        return wc;
    }

    /**
     * Elements queued or committed since the last flush.
     *
     * @return pending elements.
     */
    public long pending()
    {
        return pending;
    }

    /**
     * Elements written by this writer over all epochs.
     *
     * @return elements written.
     */
    public long elementsWritten()
    {
        return elementsWritten;
    }

    /**
     * Flushes that found something pending.
     *
     * @return flushes.
     */
    public long flushes()
    {
        return flushes;
    }

    /**
     * Events raised (flushes, writes, initializations and deactivations with an event configured).
     *
     * @return events.
     */
    public long events()
    {
        return events;
    }

    @Override
    public String toString()
    {
        return "ShmStreamWriter{epoch=" + Long.toHexString(epoch) + ", protocol=" + Long.toHexString(protocol) +
            ", size=" + size + ", elements=" + elements + ", wc=" + wc + ", pending=" + pending +
            ", events=" + events + "}";
    }
}
