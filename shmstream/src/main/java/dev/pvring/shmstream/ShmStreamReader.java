/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import dev.pvring.core.internal.RawMemory;
import static dev.pvring.shmstream.ShmStreamDescriptor.NULL_EPOCH;
import static dev.pvring.shmstream.ShmStreamDescriptor.TRANSPORT_MARKER;

import java.lang.invoke.VarHandle;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One reader of a Muen SHMStream v2 channel. Its state {epoch, protocol, size, elements, RC} is private, so any
 * number of readers may read one channel independently, each over its own (typically read-only) mapping; the
 * reader never writes to the channel.
 * <p>
 * {@link #read} returns exactly one {@link ReadResult}, in the precedence of the Ada reference
 * ({@code Muchannel.Readers.Read}): Inactive, Incompatible_Interface, Epoch_Changed, No_Data, Overrun_Detected,
 * Success. Differences from the reference, all in the direction of safety or information:
 * <ul>
 *     <li>Synchronization validates the marker, the protocol, {@code 1 <= Size <= maxElementSize},
 *     {@code Elements >= 1} and {@code 64 + Size * Elements <= regionSize} (no overflow), so a hostile header can
 *     never make the reader touch memory outside the region or the caller's buffer.</li>
 *     <li>A reader that was synchronized to one epoch and finds another reports {@link ReadResult#EPOCH_CHANGED}
 *     once (RC restarts at 0); the Ada reader rejoins silently. A reader joining its first epoch, or one after
 *     Inactive, Incompatible_Interface or Epoch_Changed, reads on in the same call, as Ada does. So a reader
 *     never passes from one epoch's data to another's without one of those three results in between.</li>
 *     <li>An overrun is detected before the copy when {@code WC - RC > Elements}, and after it when
 *     {@code WSC - RC > Elements} (u64); both recover as the {@link OverrunRecovery} chosen at construction says
 *     ({@code RC := WC} by default, as Ada; {@link OverrunRecovery#RECENT} resumes half a ring behind WC so a
 *     reader lapped continuously still makes progress) and count the elements skipped.</li>
 *     <li>{@code RC > WC} (their u64 difference taken as signed, so a counter wrap at 2^64 is no error) is a
 *     protocol error: {@link ReadResult#INCOMPATIBLE_INTERFACE} until a new epoch (or
 *     {@link #drain()}/{@link #reset()}).</li>
 * </ul>
 * No call throws on anything the writer stores, loops, blocks or allocates. Only misuse by the caller (a
 * destination too small) throws. Not thread safe: one reader per thread.
 * <p>
 * <b>Limitation: a truncated file.</b> Over a file mapping, a writer that shrinks the file (e.g.
 * {@code ftruncate}) makes every access to the vanished pages fault ({@code SIGBUS}), which the JVM reports as a
 * {@link InternalError} thrown in the reading thread, possibly a few instructions after the faulting access (so
 * not necessarily from this call). No check before the access can close that window. Long-running readers catch
 * {@code InternalError} around their loop and treat the channel as broken (as {@code pvring shmstream recv} and
 * {@code pvring muennet} do). Sealing the file against shrinking ({@code memfd} with {@code F_SEAL_SHRINK}) would
 * prevent it, but needs the descriptor passed between processes, which file-based channels between independent
 * processes do not do.
 */
public final class ShmStreamReader
{
    private final AtomicBuffer buffer;
    private final int regionSize;
    private final long expectedProtocol;
    private final int maxElementSize;
    private final OverrunRecovery recovery;
    private final boolean raw;

    private long epoch = NULL_EPOCH;
    private long protocol;
    private int size;
    private long elements;
    private long rc;
    private int position;
    private boolean protocolError;
    private long incompatibleEpoch = NULL_EPOCH;

    private long lastSkipped;
    private long elementsRead;
    private long elementsSkipped;
    private long overruns;
    private long epochChanges;
    private long protocolErrors;

    /**
     * A reader that recovers from an overrun with {@code RC := WC} ({@link OverrunRecovery#NEWEST}, as Ada).
     *
     * @param buffer         the whole channel region (a read-only mapping is enough), 8-byte aligned.
     * @param protocol       the non-zero protocol id this reader understands.
     * @param maxElementSize the largest element the caller's buffers hold; channels with bigger elements are
     *                       {@link ReadResult#INCOMPATIBLE_INTERFACE}.
     */
    public ShmStreamReader(final AtomicBuffer buffer, final long protocol, final int maxElementSize)
    {
        this(buffer, protocol, maxElementSize, OverrunRecovery.NEWEST);
    }

    /**
     * @param buffer         the whole channel region (a read-only mapping is enough), 8-byte aligned.
     * @param protocol       the non-zero protocol id this reader understands.
     * @param maxElementSize the largest element the caller's buffers hold; channels with bigger elements are
     *                       {@link ReadResult#INCOMPATIBLE_INTERFACE}.
     * @param recovery       where to resume after an overrun.
     */
    public ShmStreamReader(
        final AtomicBuffer buffer, final long protocol, final int maxElementSize, final OverrunRecovery recovery)
    {
        if (recovery == null)
        {
            throw new IllegalArgumentException("recovery must be given: recovery=null");
        }
        this.recovery = recovery;
        this.regionSize = ShmStreamDescriptor.checkRegion(buffer);
        if (protocol == 0)
        {
            throw new IllegalArgumentException("protocol must be non-zero: protocol=0");
        }
        if (maxElementSize < 1)
        {
            throw new IllegalArgumentException("max element size must be positive: maxElementSize=" + maxElementSize);
        }
        this.buffer = buffer;
        this.raw = RawMemory.isRawReadable(buffer);
        this.expectedProtocol = protocol;
        this.maxElementSize = maxElementSize;
    }

    /**
     * Reads the next element into {@code dst} at {@code dstOffset}. On {@link ReadResult#SUCCESS} the element's
     * {@link #elementSize()} bytes are there; on any other result the bytes at {@code dst} are unspecified (a
     * discarded speculative copy may have been written) and must be ignored.
     *
     * @param dst       destination with room for {@code maxElementSize} bytes at {@code dstOffset}.
     * @param dstOffset offset in {@code dst}.
     * @return the result.
     */
    public ReadResult read(final MutableDirectBuffer dst, final int dstOffset)
    {
        if (dstOffset < 0 || dstOffset > dst.capacity() - maxElementSize)
        {
            throw destinationTooSmall(dst, dstOffset);
        }

        if (!raw)
        {
            return readThroughAccessors(dst, dstOffset);
        }
        // One capacity check per call, then raw header loads and copy with a base the JIT knows (see RawMemory).
        final AtomicBuffer buffer = this.buffer;
        ShmStreamDescriptor.checkCapacity(buffer, regionSize);
        final byte[] array = buffer.byteArray();
        final long base = buffer.addressOffset();

        // Acquire: the header fields the writer stored before publishing this epoch are visible.
        final long channelEpoch = ShmStreamDescriptor.epochAcquire(array, base);
        if (channelEpoch == NULL_EPOCH)
        {
            epoch = NULL_EPOCH;
            return ReadResult.INACTIVE;
        }
        if (channelEpoch != epoch)
        {
            final ReadResult joined = join(channelEpoch);
            if (joined != null)
            {
                return joined;
            }
        }
        if (protocolError)
        {
            return confirm(ReadResult.INCOMPATIBLE_INTERFACE, array, base);
        }

        // Acquire: the data of every element below WC is visible, and so is every later header store.
        final long wc = ShmStreamDescriptor.wcAcquire(array, base);
        final long rc = this.rc;
        final long n = elements;
        // Counters are u64 and only ever 1..Elements apart in a valid state, so their modular difference,
        // taken as signed, orders them even across a wrap at 2^64.
        final long available = wc - rc;
        if (available <= 0 || available > n)
        {
            return confirm(unreadable(available, rc, wc), array, base);
        }

        // In the region: position < elements and 64 + size * elements <= regionSize (validated at synchronize).
        final int slot = ShmStreamDescriptor.DATA_OFFSET + position * size;
        copyElement(array, base, slot, dst, dstOffset);
        // LoadLoad: the WSC and Epoch loads below happen after the copy; if the copy saw any byte of a later
        // write to this slot, WSC shows that write's start (the writer fenced WSC before the data).
        VarHandle.acquireFence();
        final long wsc = ShmStreamDescriptor.wscOpaque(array, base);
        if (Long.compareUnsigned(wsc - rc, n) > 0)
        {
            return confirm(overrun(rc, ShmStreamDescriptor.wcAcquire(array, base)), array, base);
        }
        advance(rc, n);
        return confirm(ReadResult.SUCCESS, array, base);
    }

    /** The speculative copy of one element; dst's range was checked for maxElementSize >= size. */
    private void copyElement(
        final byte[] array, final long base, final int slot, final MutableDirectBuffer dst, final int dstOffset)
    {
        if (RawMemory.isRawWritable(dst))
        {
            RawMemory.copyRuntimeLength(array, base + slot, dst.byteArray(), dst.addressOffset() + dstOffset, size);
        }
        else
        {
            buffer.getBytes(slot, dst, dstOffset, size);
        }
    }

    /**
     * Nothing to copy at RC: no data (WC = RC), a protocol error (WC behind RC) or an overrun (the slot of RC was
     * overwritten by a completed write, so there is no need to copy it).
     */
    private ReadResult unreadable(final long available, final long rc, final long wc)
    {
        if (available == 0)
        {
            return ReadResult.NO_DATA;
        }
        if (available < 0)
        {
            protocolError = true;
            protocolErrors++;
            return ReadResult.INCOMPATIBLE_INTERFACE;
        }
        return overrun(rc, wc);
    }

    /** RC := RC + 1 after a good copy. */
    private void advance(final long rc, final long n)
    {
        final long next = rc + 1;
        this.rc = next;
        position = position + 1 == n || next == 0 ? 0 : position + 1;
        elementsRead++;
    }

    /**
     * {@link #read} over a region that is neither an {@link UnsafeBuffer} nor a read-only view of one (e.g. a test
     * double): every access through
     * the buffer's own accessors, in the same order.
     */
    private ReadResult readThroughAccessors(final MutableDirectBuffer dst, final int dstOffset)
    {
        // Acquire: the header fields the writer stored before publishing this epoch are visible.
        final long channelEpoch = ShmStreamDescriptor.epochAcquire(buffer);
        if (channelEpoch == NULL_EPOCH)
        {
            epoch = NULL_EPOCH;
            return ReadResult.INACTIVE;
        }
        if (channelEpoch != epoch)
        {
            final boolean wasSynchronized = epoch != NULL_EPOCH;
            final ReadResult failure = synchronize(channelEpoch);
            if (failure != null)
            {
                return failure;
            }
            if (wasSynchronized)
            {
                epochChanges++;
                return ReadResult.EPOCH_CHANGED;
            }
        }
        if (protocolError)
        {
            return confirm(ReadResult.INCOMPATIBLE_INTERFACE, buffer);
        }

        // Acquire: the data of every element below WC is visible, and so is every later header store.
        final long wc = ShmStreamDescriptor.wcAcquire(buffer);
        final long rc = this.rc;
        final long n = elements;
        // Counters are u64 and only ever 1..Elements apart in a valid state, so their modular difference,
        // taken as signed, orders them even across a wrap at 2^64.
        final long available = wc - rc;
        if (available == 0)
        {
            return confirm(ReadResult.NO_DATA, buffer);
        }
        if (available < 0)
        {
            protocolError = true;
            protocolErrors++;
            return confirm(ReadResult.INCOMPATIBLE_INTERFACE, buffer);
        }
        if (available > n)
        {
            // The slot of RC was overwritten by a completed write: no need to copy it.
            return confirm(overrun(rc, wc), buffer);
        }

        final int slot = ShmStreamDescriptor.DATA_OFFSET + position * size;
        buffer.getBytes(slot, dst, dstOffset, size);
        // LoadLoad: the WSC and Epoch loads below happen after the copy; if the copy saw any byte of a later
        // write to this slot, WSC shows that write's start (the writer fenced WSC before the data).
        VarHandle.acquireFence();
        final long wsc = ShmStreamDescriptor.wscOpaque(buffer);
        if (Long.compareUnsigned(wsc - rc, n) > 0)
        {
            return confirm(overrun(rc, ShmStreamDescriptor.wcAcquire(buffer)), buffer);
        }
        final long next = rc + 1;
        this.rc = next;
        position = position + 1 == n || next == 0 ? 0 : position + 1;
        elementsRead++;
        return confirm(ReadResult.SUCCESS, buffer);
    }


    private IllegalArgumentException destinationTooSmall(final MutableDirectBuffer dst, final int dstOffset)
    {
        return new IllegalArgumentException("destination too small: capacity=" + dst.capacity() + " dstOffset=" +
            dstOffset + " maxElementSize=" + maxElementSize);
    }

    /**
     * The channel shows an epoch this reader does not follow: synchronize to it.
     *
     * @return null to read on in the same call (first epoch joined), else the result to return.
     */
    private ReadResult join(final long channelEpoch)
    {
        final boolean wasSynchronized = epoch != NULL_EPOCH;
        final ReadResult failure = synchronize(channelEpoch);
        if (failure != null)
        {
            return failure;
        }
        if (wasSynchronized)
        {
            epochChanges++;
            return ReadResult.EPOCH_CHANGED;
        }
        return null;
    }

    private ReadResult overrun(final long rc, final long wc)
    {
        long resume = wc;
        if (recovery == OverrunRecovery.RECENT)
        {
            // Half a ring behind WC (rounded up, so a one-slot ring resumes at the last element): those slots hold
            // complete elements unless the writer has moved on since, which the next read's WSC check detects.
            resume = wc - (elements - (elements >>> 1));
        }
        // Never backwards: RC only grows (u64, signed difference as everywhere else).
        if (resume - rc < 0)
        {
            resume = rc;
        }
        lastSkipped = resume - rc;
        elementsSkipped += lastSkipped;
        overruns++;
        moveTo(resume);
        return ReadResult.OVERRUN_DETECTED;
    }

    /**
     * After every attempt: if the epoch changed behind our back, discard the result (Ada step 6). The next read
     * rejoins the current epoch; this call already reported the change.
     */
    private ReadResult confirm(final ReadResult result, final byte[] array, final long base)
    {
        // Ordered after the loads of this attempt by the acquire load of WC or the acquire fence after the copy.
        return confirmEpoch(result, ShmStreamDescriptor.epochOpaque(array, base));
    }

    private ReadResult confirm(final ReadResult result, final AtomicBuffer buffer)
    {
        // Ordered after the loads of this attempt by the acquire load of WC or the acquire fence after the copy.
        return confirmEpoch(result, ShmStreamDescriptor.epochOpaque(buffer));
    }

    private ReadResult confirmEpoch(final ReadResult result, final long now)
    {
        if (now != epoch)
        {
            epoch = NULL_EPOCH;
            epochChanges++;
            return ReadResult.EPOCH_CHANGED;
        }
        return result;
    }

    /**
     * Copies the header of {@code channelEpoch} once, validates the copy and adopts it.
     *
     * @return null when synchronized and the epoch held still, else Incompatible_Interface or Epoch_Changed.
     */
    private ReadResult synchronize(final long channelEpoch)
    {
        final long transport = ShmStreamDescriptor.transportOpaque(buffer);
        final long headerProtocol = ShmStreamDescriptor.protocolOpaque(buffer);
        final long headerSize = ShmStreamDescriptor.sizeOpaque(buffer);
        final long headerElements = ShmStreamDescriptor.elementsOpaque(buffer);
        // LoadLoad: the epoch re-check below is ordered after the field loads.
        VarHandle.acquireFence();
        final boolean epochHeld = ShmStreamDescriptor.epochOpaque(buffer) == channelEpoch;
        final boolean valid = transport == TRANSPORT_MARKER && headerProtocol == expectedProtocol &&
            ShmStreamDescriptor.isValidGeometry(headerSize, headerElements, maxElementSize, regionSize);

        epoch = NULL_EPOCH;
        protocolError = false;
        rc = 0;
        position = 0;
        if (!epochHeld)
        {
            // The fields may mix two epochs: their validity means nothing. Resynchronize next time.
            epochChanges++;
            return ReadResult.EPOCH_CHANGED;
        }
        if (!valid)
        {
            protocol = 0;
            size = 0;
            elements = 0;
            incompatibleEpoch = channelEpoch;
            return ReadResult.INCOMPATIBLE_INTERFACE;
        }
        epoch = channelEpoch;
        protocol = headerProtocol;
        size = (int)headerSize;
        elements = headerElements;
        incompatibleEpoch = NULL_EPOCH;
        return null;
    }

    /**
     * Whether a {@link #read} would find something: the channel is active and either holds unread elements of
     * the epoch this reader follows, or has a new epoch to join (not one already found incompatible). Never
     * synchronizes and never reads element data. Ada's {@code Has_Pending_Data} reports false for an epoch the
     * reader has not joined yet; this one reports true, so a polling loop can rely on it alone.
     *
     * @return true if a read would do more than return No_Data or Inactive.
     */
    public boolean hasPendingData()
    {
        final long channelEpoch = ShmStreamDescriptor.epochAcquire(buffer);
        if (channelEpoch == NULL_EPOCH)
        {
            return false;
        }
        if (channelEpoch != epoch)
        {
            return channelEpoch != incompatibleEpoch;
        }
        return !protocolError && ShmStreamDescriptor.wcAcquire(buffer) - rc > 0;
    }

    /**
     * Skips everything pending: RC := WC (when synchronized). Clears a protocol error of the current epoch.
     */
    public void drain()
    {
        if (epoch != NULL_EPOCH)
        {
            moveTo(ShmStreamDescriptor.wcAcquire(buffer));
        }
        protocolError = false;
    }

    /**
     * Restarts at the first element of the epoch: RC := 0. Clears a protocol error of the current epoch.
     */
    public void reset()
    {
        rc = 0;
        position = 0;
        protocolError = false;
    }

    private void moveTo(final long newRc)
    {
        rc = newRc;
        position = (int)Long.remainderUnsigned(newRc, elements);
    }

    /**
     * Whether the reader follows an epoch (its last read joined one and it has not changed since).
     *
     * @return true if synchronized.
     */
    public boolean isSynchronized()
    {
        return epoch != NULL_EPOCH;
    }

    /**
     * The epoch this reader follows.
     *
     * @return the epoch, 0 when not synchronized.
     */
    public long epoch()
    {
        return epoch;
    }

    /**
     * The protocol id this reader accepts.
     *
     * @return the expected protocol.
     */
    public long expectedProtocol()
    {
        return expectedProtocol;
    }

    /**
     * Where this reader resumes after an overrun.
     *
     * @return the recovery chosen at construction.
     */
    public OverrunRecovery overrunRecovery()
    {
        return recovery;
    }

    /**
     * The largest element size this reader accepts.
     *
     * @return bytes.
     */
    public int maxElementSize()
    {
        return maxElementSize;
    }

    /**
     * Bytes per element of the epoch followed (copied out on {@link ReadResult#SUCCESS}).
     *
     * @return the element size, 0 when not synchronized.
     */
    public int elementSize()
    {
        return size;
    }

    /**
     * Slots in the ring of the epoch followed.
     *
     * @return Elements, 0 when not synchronized.
     */
    public long elements()
    {
        return elements;
    }

    /**
     * The private read counter: index of the next element to read in this epoch.
     *
     * @return RC (u64).
     */
    public long readCount()
    {
        return rc;
    }

    /**
     * Whether this epoch's writer broke the protocol (RC &gt; WC).
     *
     * @return true until a new epoch, {@link #drain()} or {@link #reset()}.
     */
    public boolean hasProtocolError()
    {
        return protocolError;
    }

    /**
     * Elements skipped by the last {@link ReadResult#OVERRUN_DETECTED}.
     *
     * @return how far RC moved at that overrun (WC - RC with {@link OverrunRecovery#NEWEST}).
     */
    public long lastSkipped()
    {
        return lastSkipped;
    }

    /**
     * Elements read with {@link ReadResult#SUCCESS} by this reader.
     *
     * @return elements read.
     */
    public long elementsRead()
    {
        return elementsRead;
    }

    /**
     * Elements skipped by overruns in total.
     *
     * @return elements skipped.
     */
    public long elementsSkipped()
    {
        return elementsSkipped;
    }

    /**
     * {@link ReadResult#OVERRUN_DETECTED} results so far.
     *
     * @return overruns.
     */
    public long overruns()
    {
        return overruns;
    }

    /**
     * {@link ReadResult#EPOCH_CHANGED} results so far.
     *
     * @return epoch changes.
     */
    public long epochChanges()
    {
        return epochChanges;
    }

    /**
     * Protocol errors (RC &gt; WC) so far.
     *
     * @return protocol errors.
     */
    public long protocolErrors()
    {
        return protocolErrors;
    }

    @Override
    public String toString()
    {
        return "ShmStreamReader{epoch=" + Long.toHexString(epoch) + ", protocol=" + Long.toHexString(protocol) +
            ", size=" + size + ", elements=" + elements + ", rc=" + rc + ", read=" + elementsRead +
            ", skipped=" + elementsSkipped + ", overruns=" + overruns + ", epochChanges=" + epochChanges +
            ", protocolErrors=" + protocolErrors + "}";
    }
}
