/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core.internal;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Unchecked plain loads, stores and small copies at a <em>location</em>: a {@code byte[]} and an {@code Unsafe}
 * offset into it, or {@code null} and a native address (Agrona's {@code byteArray()}/{@code addressOffset()}
 * pair). Callers check ranges once, before a batch of accesses; nothing here checks anything. Not API: exported
 * only to pvring's own modules.
 * <p>
 * Each method tests the array for {@code null} and then makes an access whose base C2 knows statically: the
 * constant {@code null} (native) or a non-null {@code byte[]} (heap). An {@code Unsafe} access whose base may be
 * either is compiled as a <em>mixed</em> access, fenced on both sides by compiler barriers after which every field
 * is reloaded: several times the cost of the access. Native accesses use the address-only {@code UnsafeApi}
 * methods and heap accesses the {@code *Unaligned} ones, so none of them records a base type in the profile of the
 * {@code (Object, long)} methods that Agrona's buffers call: C2 speculates on that shared profile, and a pvring
 * copy into a heap buffer would otherwise turn an application's off-heap {@code UnsafeBuffer} accesses into mixed
 * ones (and the other way round).
 */
public final class RawMemory
{
    /**
     * Longest copy {@link #copyRuntimeLength} makes of inline 8-byte moves; longer copies call
     * {@code Unsafe.copyMemory}. Measured on the byte ring (A/B, heap and off-heap private buffers, run-time
     * lengths): at 64 bytes the stub call beat eight 8-byte moves (18.0 -> 14.0 ns per message), at 16 bytes the
     * inline moves were no slower (within noise).
     */
    public static final int RUNTIME_COPY_INLINE_LIMIT = 32;

    /**
     * Whether copies of 16 bytes or more use 16- to 64-byte moves ({@code VectorCopy}): when the JVM resolved the
     * incubating {@code jdk.incubator.vector} module ({@code --add-modules jdk.incubator.vector}) and the system
     * property {@code pvring.wideCopies} is not {@code false}, and this module may call restricted methods (not
     * refused by {@code --illegal-native-access=deny}). Otherwise every copy uses 8-byte and smaller moves.
     * <p>
     * Copies out of a ring ({@link #copyOut}, {@link #copyOutOfNative}, {@link #copyEntriesOut}) read the peer's
     * cache lines with 8-byte loads even then: the peer runs on another core, and a vector load of a line it has
     * just written cost the ring up to two thirds of its throughput when a line transfer was slow (C, Debian's
     * {@code io/ring.h} with the back end's {@code RING_COPY_REQUEST} as compiled (four 16-byte loads), as one
     * 64-byte or two 32-byte loads, or as eight 8-byte loads: 36-47, 34-37, 35-37 and 116-158 Mmsg/s at batch 8;
     * 100-115, 79-95, 88-103 and 120-168 at batch 32; PERFORMANCE.md, Session 16). Vector stores into a ring are
     * kept: with 8-byte loads at the back end, the C front end's request written as one 64-byte store ran at
     * 105-150 Mmsg/s at batch 8, as eight 8-byte stores at 28-35.
     */
    static final boolean WIDE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() &&
        !"false".equals(System.getProperty("pvring.wideCopies")) && VectorCopy.usable();

    private RawMemory()
    {
    }

    /**
     * Whether copies use moves wider than 8 bytes (see {@code WIDE}): for reports and tests.
     *
     * @return true with the Vector API's 16- to 64-byte moves.
     */
    public static boolean wideCopies()
    {
        return WIDE;
    }

    /**
     * Whether {@code buffer} may be written raw through its {@code byteArray()}/{@code addressOffset()}: exactly an
     * {@link UnsafeBuffer}. A {@link ReadOnlyAtomicBuffer} must throw on a write instead of a raw store faulting on
     * its read-only page, and other classes (expandable buffers, subclasses) keep their own accessors.
     *
     * @param buffer the buffer.
     * @return true to write it raw.
     */
    public static boolean isRawWritable(final DirectBuffer buffer)
    {
        return buffer.getClass() == UnsafeBuffer.class;
    }

    /**
     * Whether {@code buffer} may be read raw: an {@link UnsafeBuffer} or a {@link ReadOnlyAtomicBuffer} (which
     * overrides only writes).
     *
     * @param buffer the buffer.
     * @return true to read it raw.
     */
    public static boolean isRawReadable(final DirectBuffer buffer)
    {
        final Class<?> type = buffer.getClass();
        return type == UnsafeBuffer.class || type == ReadOnlyAtomicBuffer.class;
    }

    /**
     * Copies {@code length} bytes in blocks of 64, then at most one of 32, 16, 8, 4, 2 and 1 (as a C struct
     * copy); every source byte is read once.
     *
     * @param srcArray   source array, or null for native memory.
     * @param srcAddress source offset in the array, or native address.
     * @param dstArray   destination array, or null for native memory.
     * @param dstAddress destination offset in the array, or native address.
     * @param length     bytes, at least 0.
     */
    public static void copy(
        final byte[] srcArray, final long srcAddress, final byte[] dstArray, final long dstAddress, final int length)
    {
        copy(srcArray, srcAddress, dstArray, dstAddress, length, false, false);
    }

    private static void copy(
        final byte[] srcArray, final long srcAddress, final byte[] dstArray, final long dstAddress, final int length,
        final boolean inEntryLoop, final boolean fromPeer)
    {
        if (srcArray == null)
        {
            if (dstArray == null)
            {
                nativeToNative(srcAddress, dstAddress, length, inEntryLoop, fromPeer);
            }
            else
            {
                nativeToArray(srcAddress, dstArray, dstAddress, length, inEntryLoop, fromPeer);
            }
        }
        else if (dstArray == null)
        {
            arrayToNative(srcArray, srcAddress, dstAddress, length, inEntryLoop, fromPeer);
        }
        else
        {
            arrayToArray(srcArray, srcAddress, dstArray, dstAddress, length, inEntryLoop, fromPeer);
        }
    }

    /**
     * Copies {@code length} bytes from an unchecked location into {@code dst}, checking only the destination range:
     * {@code RING_COPY_*} out of a ring slot whose range the caller checked once. Every source byte is read once.
     * An {@link UnsafeBuffer} destination is written raw; any other buffer through its own accessors (an
     * expandable buffer grows, a read-only one throws).
     *
     * @param srcArray   source array, or null for native memory.
     * @param srcAddress source offset in the array, or native address.
     * @param dst        destination.
     * @param dstIndex   destination offset.
     * @param length     bytes, 0 to 256 (longer copies are correct, only not tuned).
     * @throws IndexOutOfBoundsException if the destination range is outside {@code dst}.
     */
    public static void copyOut(
        final byte[] srcArray, final long srcAddress, final MutableDirectBuffer dst, final int dstIndex,
        final int length)
    {
        if (isRawWritable(dst))
        {
            dst.boundsCheck(dstIndex, length);
            copy(srcArray, srcAddress, dst.byteArray(), dst.addressOffset() + dstIndex, length, false, true);
            return;
        }
        int i = 0;
        for (; i <= length - 8; i += 8)
        {
            dst.putLong(dstIndex + i, getLong(srcArray, srcAddress + i));
        }
        for (; i < length; i++)
        {
            dst.putByte(dstIndex + i, getByte(srcArray, srcAddress + i));
        }
    }

    /**
     * Copies {@code length} bytes from {@code src} to an unchecked location, checking only the source range: a
     * request or response built in a private buffer into a ring slot whose range the caller checked.
     *
     * @param src        source.
     * @param srcIndex   source offset.
     * @param dstArray   destination array, or null for native memory.
     * @param dstAddress destination offset in the array, or native address.
     * @param length     bytes, at least 0.
     * @throws IndexOutOfBoundsException if the source range is outside {@code src}.
     */
    public static void copyIn(
        final DirectBuffer src, final int srcIndex, final byte[] dstArray, final long dstAddress, final int length)
    {
        if (isRawReadable(src))
        {
            src.boundsCheck(srcIndex, length);
            copy(src.byteArray(), src.addressOffset() + srcIndex, dstArray, dstAddress, length, false, false);
            return;
        }
        int i = 0;
        for (; i <= length - 8; i += 8)
        {
            putLong(dstArray, dstAddress + i, src.getLong(srcIndex + i));
        }
        for (; i < length; i++)
        {
            putByte(dstArray, dstAddress + i, src.getByte(srcIndex + i));
        }
    }

    /**
     * {@link #copyOut} from native memory (a ring in shared memory): the source kind is a constant, so the only
     * test left at the call site is the destination's kind.
     *
     * @param srcAddress native source address.
     * @param dst        destination.
     * @param dstIndex   destination offset.
     * @param length     bytes, 0 to 256.
     * @throws IndexOutOfBoundsException if the destination range is outside {@code dst}.
     */
    public static void copyOutOfNative(
        final long srcAddress, final MutableDirectBuffer dst, final int dstIndex, final int length)
    {
        if (isRawWritable(dst))
        {
            dst.boundsCheck(dstIndex, length);
            final byte[] dstArray = dst.byteArray();
            final long dstAddress = dst.addressOffset() + dstIndex;
            if (dstArray == null)
            {
                nativeToNative(srcAddress, dstAddress, length, false, true);
            }
            else
            {
                nativeToArray(srcAddress, dstArray, dstAddress, length, false, true);
            }
            return;
        }
        copyOut(null, srcAddress, dst, dstIndex, length);
    }

    /**
     * {@link #copyIn} to native memory (a ring in shared memory): the destination kind is a constant.
     *
     * @param src        source.
     * @param srcIndex   source offset.
     * @param dstAddress native destination address.
     * @param length     bytes, at least 0.
     * @throws IndexOutOfBoundsException if the source range is outside {@code src}.
     */
    public static void copyIntoNative(
        final DirectBuffer src, final int srcIndex, final long dstAddress, final int length)
    {
        if (isRawReadable(src))
        {
            src.boundsCheck(srcIndex, length);
            final byte[] srcArray = src.byteArray();
            final long srcAddress = src.addressOffset() + srcIndex;
            if (srcArray == null)
            {
                nativeToNative(srcAddress, dstAddress, length, false, false);
            }
            else
            {
                arrayToNative(srcArray, srcAddress, dstAddress, length, false, false);
            }
            return;
        }
        copyIn(src, srcIndex, null, dstAddress, length);
    }

    /**
     * Copies {@code count} ring entries out, entry {@code k} from slot {@code (firstIndex + k) & mask} (at
     * {@code slotAddress + slot * entrySize}) to {@code dst} at {@code dstOffset + k * stride}; the destination range
     * is checked once for the batch, the slots not at all (the caller checked the ring at attach).
     *
     * @param ringArray   the ring's array, or null for native memory.
     * @param slotAddress location of slot 0.
     * @param mask        ring size - 1.
     * @param entrySize   bytes per slot.
     * @param firstIndex  free-running index of the first entry.
     * @param count       entries, 0 to the ring size.
     * @param dst         destination.
     * @param dstOffset   where entry 0 goes.
     * @param stride      bytes between entries in {@code dst}, at least {@code length}.
     * @param length      bytes per entry, at most {@code entrySize}.
     * @throws IndexOutOfBoundsException if the destination range is outside {@code dst}.
     */
    public static void copyEntriesOut(
        final byte[] ringArray, final long slotAddress, final int mask, final int entrySize, final int firstIndex,
        final int count, final MutableDirectBuffer dst, final int dstOffset, final int stride, final int length)
    {
        if (count <= 0)
        {
            return;
        }
        final long end = dstOffset + (long)(count - 1) * stride + length;
        if (dstOffset < 0 || end > dst.capacity())
        {
            throw new IndexOutOfBoundsException("copies outside the buffer: dstOffset=" + dstOffset + " count=" +
                count + " stride=" + stride + " length=" + length + " capacity=" + dst.capacity());
        }
        if (!isRawWritable(dst))
        {
            for (int k = 0; k < count; k++)
            {
                copyOut(ringArray, slotAddress + (long)((firstIndex + k) & mask) * entrySize, dst,
                    dstOffset + k * stride, length);
            }
            return;
        }
        final byte[] dstArray = dst.byteArray();
        final long dstBase = dst.addressOffset() + dstOffset;
        for (int k = 0; k < count; k++)
        {
            copy(ringArray, slotAddress + (long)((firstIndex + k) & mask) * entrySize, dstArray,
                dstBase + (long)k * stride, length, true, true);
        }
    }

    /**
     * Acquire load: later loads and stores stay after it.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address (4-byte aligned).
     * @return the value.
     */
    public static int getIntAcquire(final byte[] array, final long address)
    {
        return array == null ? UnsafeApi.getIntAcquire(null, address) : UnsafeApi.getIntAcquire(array, address);
    }

    /**
     * Volatile load (sequentially consistent with {@link #putIntVolatile}).
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address (4-byte aligned).
     * @return the value.
     */
    public static int getIntVolatile(final byte[] array, final long address)
    {
        return array == null ? UnsafeApi.getIntVolatile(null, address) : UnsafeApi.getIntVolatile(array, address);
    }

    /**
     * Volatile store: earlier loads and stores complete before it, and later loads wait until it is globally
     * visible (a full fence on x86).
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address (4-byte aligned).
     * @param value   value.
     */
    public static void putIntVolatile(final byte[] array, final long address, final int value)
    {
        if (array == null)
        {
            UnsafeApi.putIntVolatile(null, address, value);
        }
        else
        {
            UnsafeApi.putIntVolatile(array, address, value);
        }
    }

    /**
     * Acquire load: later loads and stores stay after it.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address (8-byte aligned).
     * @return the value.
     */
    public static long getLongAcquire(final byte[] array, final long address)
    {
        return array == null ? UnsafeApi.getLongAcquire(null, address) : UnsafeApi.getLongAcquire(array, address);
    }

    /**
     * Opaque load (single-copy atomic, unordered).
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address (8-byte aligned).
     * @return the value.
     */
    public static long getLongOpaque(final byte[] array, final long address)
    {
        return array == null ? UnsafeApi.getLongOpaque(null, address) : UnsafeApi.getLongOpaque(array, address);
    }

    /**
     * Release store: earlier loads and stores complete before it.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address (4-byte aligned).
     * @param value   value.
     */
    public static void putIntRelease(final byte[] array, final long address, final int value)
    {
        if (array == null)
        {
            UnsafeApi.putIntRelease(null, address, value);
        }
        else
        {
            UnsafeApi.putIntRelease(array, address, value);
        }
    }

    /**
     * Release store: earlier loads and stores complete before it.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address (8-byte aligned).
     * @param value   value.
     */
    public static void putLongRelease(final byte[] array, final long address, final long value)
    {
        if (array == null)
        {
            UnsafeApi.putLongRelease(null, address, value);
        }
        else
        {
            UnsafeApi.putLongRelease(array, address, value);
        }
    }

    /**
     * Opaque store (single-copy atomic, unordered).
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address (8-byte aligned).
     * @param value   value.
     */
    public static void putLongOpaque(final byte[] array, final long address, final long value)
    {
        if (array == null)
        {
            UnsafeApi.putLongOpaque(null, address, value);
        }
        else
        {
            UnsafeApi.putLongOpaque(array, address, value);
        }
    }

    /**
     * {@link #copy} for a length known only at run time (a byte ring's or an SHMStream's message): up to
     * {@link #RUNTIME_COPY_INLINE_LIMIT} bytes inline, longer through {@code Unsafe.copyMemory}.
     *
     * @param srcArray   source array, or null for native memory.
     * @param srcAddress source offset in the array, or native address.
     * @param dstArray   destination array, or null for native memory.
     * @param dstAddress destination offset in the array, or native address.
     * @param length     bytes, at least 0.
     */
    public static void copyRuntimeLength(
        final byte[] srcArray, final long srcAddress, final byte[] dstArray, final long dstAddress, final int length)
    {
        if (length > RUNTIME_COPY_INLINE_LIMIT)
        {
            UnsafeApi.copyMemory(srcArray, srcAddress, dstArray, dstAddress, length);
            return;
        }
        copy(srcArray, srcAddress, dstArray, dstAddress, length);
    }

    /**
     * Whether {@code [index, index + length)} leaves {@code [0, limit)} or {@code length} is negative: one unsigned
     * compare bounds both ends (a negative index is 2^31 or more unsigned), and at a call site with a constant length
     * in a loop C2 hoists the test of the length.
     *
     * @param index  first byte.
     * @param length bytes.
     * @param limit  end of the allowed range.
     * @return true if the range is not inside.
     */
    public static boolean isOutside(final int index, final int length, final int limit)
    {
        final int lastStart = limit - length;
        return (length | lastStart) < 0 || Integer.compareUnsigned(index, lastStart) > 0;
    }

    /**
     * Checks that {@code [index, index + length)} lies in {@code buffer}.
     *
     * @param buffer the buffer.
     * @param index  first byte.
     * @param length bytes.
     * @throws IndexOutOfBoundsException if it does not.
     */
    public static void checkRange(final DirectBuffer buffer, final int index, final int length)
    {
        if (isOutside(index, length, buffer.capacity()))
        {
            throw new IndexOutOfBoundsException(
                "range outside the buffer: index=" + index + " length=" + length + " capacity=" + buffer.capacity());
        }
    }

    /**
     * Plain 8-byte load in native byte order.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address.
     * @return the value.
     */
    public static long getLong(final byte[] array, final long address)
    {
        return array == null ? UnsafeApi.getLong(address) : UnsafeApi.getLongUnaligned(array, address);
    }

    /**
     * Plain 1-byte load.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address.
     * @return the value.
     */
    public static byte getByte(final byte[] array, final long address)
    {
        return array == null ? UnsafeApi.getByte(address) : UnsafeApi.getByte(array, address);
    }

    /**
     * Plain 8-byte store in native byte order.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address.
     * @param value   value.
     */
    public static void putLong(final byte[] array, final long address, final long value)
    {
        if (array == null)
        {
            UnsafeApi.putLong(address, value);
        }
        else
        {
            UnsafeApi.putLongUnaligned(array, address, value);
        }
    }

    /**
     * Plain 4-byte store in native byte order.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address.
     * @param value   value.
     */
    public static void putInt(final byte[] array, final long address, final int value)
    {
        if (array == null)
        {
            UnsafeApi.putInt(address, value);
        }
        else
        {
            UnsafeApi.putIntUnaligned(array, address, value);
        }
    }

    /**
     * Plain 2-byte store in native byte order.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address.
     * @param value   value.
     */
    public static void putShort(final byte[] array, final long address, final short value)
    {
        if (array == null)
        {
            UnsafeApi.putShort(address, value);
        }
        else
        {
            UnsafeApi.putShortUnaligned(array, address, value);
        }
    }

    /**
     * Plain 1-byte store.
     *
     * @param array   array, or null for native memory.
     * @param address offset in the array, or native address.
     * @param value   value.
     */
    public static void putByte(final byte[] array, final long address, final byte value)
    {
        if (array == null)
        {
            UnsafeApi.putByte(address, value);
        }
        else
        {
            UnsafeApi.putByte(array, address, value);
        }
    }

    // The four copies below move 64-byte blocks, then at most one block each of 32, 16 and 8 bytes and of 4, 2 and 1
    // (tail*), chosen by the bits of the length. The first 64-byte block is outside any loop, so a run-time length
    // under 128 bytes (a blkif request's 112, a SmallCopy) runs no loop, only a few predictable branches, where a
    // loop per width cost each loop's pre-, main- and post-loop set-up (about 60 instructions for eight 8-byte
    // moves; blkif requests: 17-22 -> 8-13 ns per message, one thread); a constant length folds to the moves alone.
    // In copyEntriesOut's loop over ring entries (inEntryLoop) every 64-byte block is in the loop: a loop-free copy
    // there let the JIT unroll the entry loop into compiled code above its limit for inlining an already compiled
    // method (InlineSmallCode), and the batch calls then called copyEntriesOut instead of inlining it (REQ64 batch
    // 32: 4.7 -> 5.4 ns). No two moves overlap, so a later load of an aligned field of the copy is forwarded from
    // one store.

    private static void nativeToNative(
        final long src, final long dst, final int length, final boolean inEntryLoop, final boolean fromPeer)
    {
        if (length <= 0)
        {
            return;
        }
        int i = 0;
        if (length >= 64)
        {
            if (!inEntryLoop)
            {
                blockNativeToNative(src, dst, 64, fromPeer);
                i = 64;
            }
            for (; i <= length - 64; i += 64)
            {
                blockNativeToNative(src + i, dst + i, 64, fromPeer);
            }
        }
        if ((length & 32) != 0)
        {
            blockNativeToNative(src + i, dst + i, 32, fromPeer);
            i += 32;
        }
        if ((length & 16) != 0)
        {
            blockNativeToNative(src + i, dst + i, 16, fromPeer);
            i += 16;
        }
        if ((length & 8) != 0)
        {
            UnsafeApi.putLong(dst + i, UnsafeApi.getLong(src + i));
            i += 8;
        }
        if ((length & 7) != 0)
        {
            tailNativeToNative(src + i, dst + i, length);
        }
    }

    /** The last 4, 2 and 1 bytes of a copy of {@code length} bytes (its low three bits), from offset 0. */
    private static void tailNativeToNative(final long src, final long dst, final int length)
    {
        int i = 0;
        if ((length & 4) != 0)
        {
            UnsafeApi.putInt(dst + i, UnsafeApi.getInt(src + i));
            i += 4;
        }
        if ((length & 2) != 0)
        {
            UnsafeApi.putShort(dst + i, UnsafeApi.getShort(src + i));
            i += 2;
        }
        if ((length & 1) != 0)
        {
            UnsafeApi.putByte(dst + i, UnsafeApi.getByte(src + i));
        }
    }

    private static void nativeToArray(
        final long src, final byte[] dst, final long dstOffset, final int length, final boolean inEntryLoop,
        final boolean fromPeer)
    {
        if (length <= 0)
        {
            return;
        }
        int i = 0;
        if (length >= 64)
        {
            if (!inEntryLoop)
            {
                blockNativeToArray(src, dst, dstOffset, 64, fromPeer);
                i = 64;
            }
            for (; i <= length - 64; i += 64)
            {
                blockNativeToArray(src + i, dst, dstOffset + i, 64, fromPeer);
            }
        }
        if ((length & 32) != 0)
        {
            blockNativeToArray(src + i, dst, dstOffset + i, 32, fromPeer);
            i += 32;
        }
        if ((length & 16) != 0)
        {
            blockNativeToArray(src + i, dst, dstOffset + i, 16, fromPeer);
            i += 16;
        }
        if ((length & 8) != 0)
        {
            UnsafeApi.putLongUnaligned(dst, dstOffset + i, UnsafeApi.getLong(src + i));
            i += 8;
        }
        if ((length & 7) != 0)
        {
            tailNativeToArray(src + i, dst, dstOffset + i, length);
        }
    }

    /** The last 4, 2 and 1 bytes of a copy of {@code length} bytes (its low three bits), from offset 0. */
    private static void tailNativeToArray(final long src, final byte[] dst, final long dstOffset, final int length)
    {
        int i = 0;
        if ((length & 4) != 0)
        {
            UnsafeApi.putIntUnaligned(dst, dstOffset + i, UnsafeApi.getInt(src + i));
            i += 4;
        }
        if ((length & 2) != 0)
        {
            UnsafeApi.putShortUnaligned(dst, dstOffset + i, UnsafeApi.getShort(src + i));
            i += 2;
        }
        if ((length & 1) != 0)
        {
            UnsafeApi.putByte(dst, dstOffset + i, UnsafeApi.getByte(src + i));
        }
    }

    private static void arrayToNative(
        final byte[] src, final long srcOffset, final long dst, final int length, final boolean inEntryLoop,
        final boolean fromPeer)
    {
        if (length <= 0)
        {
            return;
        }
        int i = 0;
        if (length >= 64)
        {
            if (!inEntryLoop)
            {
                blockArrayToNative(src, srcOffset, dst, 64, fromPeer);
                i = 64;
            }
            for (; i <= length - 64; i += 64)
            {
                blockArrayToNative(src, srcOffset + i, dst + i, 64, fromPeer);
            }
        }
        if ((length & 32) != 0)
        {
            blockArrayToNative(src, srcOffset + i, dst + i, 32, fromPeer);
            i += 32;
        }
        if ((length & 16) != 0)
        {
            blockArrayToNative(src, srcOffset + i, dst + i, 16, fromPeer);
            i += 16;
        }
        if ((length & 8) != 0)
        {
            UnsafeApi.putLong(dst + i, UnsafeApi.getLongUnaligned(src, srcOffset + i));
            i += 8;
        }
        if ((length & 7) != 0)
        {
            tailArrayToNative(src, srcOffset + i, dst + i, length);
        }
    }

    /** The last 4, 2 and 1 bytes of a copy of {@code length} bytes (its low three bits), from offset 0. */
    private static void tailArrayToNative(final byte[] src, final long srcOffset, final long dst, final int length)
    {
        int i = 0;
        if ((length & 4) != 0)
        {
            UnsafeApi.putInt(dst + i, UnsafeApi.getIntUnaligned(src, srcOffset + i));
            i += 4;
        }
        if ((length & 2) != 0)
        {
            UnsafeApi.putShort(dst + i, UnsafeApi.getShortUnaligned(src, srcOffset + i));
            i += 2;
        }
        if ((length & 1) != 0)
        {
            UnsafeApi.putByte(dst + i, UnsafeApi.getByte(src, srcOffset + i));
        }
    }

    private static void arrayToArray(
        final byte[] src, final long srcOffset, final byte[] dst, final long dstOffset, final int length,
        final boolean inEntryLoop, final boolean fromPeer)
    {
        if (length <= 0)
        {
            return;
        }
        int i = 0;
        if (length >= 64)
        {
            if (!inEntryLoop)
            {
                blockArrayToArray(src, srcOffset, dst, dstOffset, 64, fromPeer);
                i = 64;
            }
            for (; i <= length - 64; i += 64)
            {
                blockArrayToArray(src, srcOffset + i, dst, dstOffset + i, 64, fromPeer);
            }
        }
        if ((length & 32) != 0)
        {
            blockArrayToArray(src, srcOffset + i, dst, dstOffset + i, 32, fromPeer);
            i += 32;
        }
        if ((length & 16) != 0)
        {
            blockArrayToArray(src, srcOffset + i, dst, dstOffset + i, 16, fromPeer);
            i += 16;
        }
        if ((length & 8) != 0)
        {
            UnsafeApi.putLongUnaligned(dst, dstOffset + i, UnsafeApi.getLongUnaligned(src, srcOffset + i));
            i += 8;
        }
        if ((length & 7) != 0)
        {
            tailArrayToArray(src, srcOffset + i, dst, dstOffset + i, length);
        }
    }

    /** The last 4, 2 and 1 bytes of a copy of {@code length} bytes (its low three bits), from offset 0. */
    private static void tailArrayToArray(
        final byte[] src, final long srcOffset, final byte[] dst, final long dstOffset, final int length)
    {
        int i = 0;
        if ((length & 4) != 0)
        {
            UnsafeApi.putIntUnaligned(dst, dstOffset + i, UnsafeApi.getIntUnaligned(src, srcOffset + i));
            i += 4;
        }
        if ((length & 2) != 0)
        {
            UnsafeApi.putShortUnaligned(dst, dstOffset + i, UnsafeApi.getShortUnaligned(src, srcOffset + i));
            i += 2;
        }
        if ((length & 1) != 0)
        {
            UnsafeApi.putByte(dst, dstOffset + i, UnsafeApi.getByte(src, srcOffset + i));
        }
    }

    // One block of width 16, 32 or 64 bytes (a constant at every call site): with wide copies one or two vector moves
    // for 32 and 64, else 8-byte moves in a constant-count loop that the JIT unrolls completely. A 16-byte block is
    // two 8-byte moves either way: each vector load and store carries a bounds check, and blkif's 16-byte responses
    // copied out in a batch cost 14-16 ns per message that way against 17-20 with one 16-byte vector (Session 9).
    // fromPeer (a copy out of a ring, see WIDE) is a constant at every call site too: 8-byte moves, no vector load.

    private static void blockNativeToNative(
        final long src, final long dst, final int width, final boolean fromPeer)
    {
        if (WIDE && width > 16 && !fromPeer)
        {
            VectorCopy.nativeToNative(src, dst, width);
            return;
        }
        if (width == 64)
        {
            loadsFirst64(src, null, dst);
            return;
        }
        for (int k = 0; k < width; k += 8)
        {
            UnsafeApi.putLong(dst + k, UnsafeApi.getLong(src + k));
        }
    }

    private static void blockNativeToArray(
        final long src, final byte[] dst, final long dstOffset, final int width, final boolean fromPeer)
    {
        if (WIDE && width > 16 && !fromPeer)
        {
            VectorCopy.nativeToArray(src, dst, dstOffset, width);
            return;
        }
        if (width == 64)
        {
            loadsFirst64(src, dst, dstOffset);
            return;
        }
        for (int k = 0; k < width; k += 8)
        {
            UnsafeApi.putLongUnaligned(dst, dstOffset + k, UnsafeApi.getLong(src + k));
        }
    }

    /**
     * A 64-byte block from native memory in 8-byte moves, every load before the first store: a store cannot delay a
     * later load of the block whose address matches it modulo 4096 (the two addresses are unrelated, so that happens
     * in some processes only). {@code dstArray} is a constant null or a checked array at both call sites.
     */
    private static void loadsFirst64(final long src, final byte[] dstArray, final long dst)
    {
        final long w0 = UnsafeApi.getLong(src);
        final long w1 = UnsafeApi.getLong(src + 8);
        final long w2 = UnsafeApi.getLong(src + 16);
        final long w3 = UnsafeApi.getLong(src + 24);
        final long w4 = UnsafeApi.getLong(src + 32);
        final long w5 = UnsafeApi.getLong(src + 40);
        final long w6 = UnsafeApi.getLong(src + 48);
        final long w7 = UnsafeApi.getLong(src + 56);
        putLong(dstArray, dst, w0);
        putLong(dstArray, dst + 8, w1);
        putLong(dstArray, dst + 16, w2);
        putLong(dstArray, dst + 24, w3);
        putLong(dstArray, dst + 32, w4);
        putLong(dstArray, dst + 40, w5);
        putLong(dstArray, dst + 48, w6);
        putLong(dstArray, dst + 56, w7);
    }

    private static void blockArrayToNative(
        final byte[] src, final long srcOffset, final long dst, final int width, final boolean fromPeer)
    {
        if (WIDE && width > 16 && !fromPeer)
        {
            VectorCopy.arrayToNative(src, srcOffset, dst, width);
            return;
        }
        for (int k = 0; k < width; k += 8)
        {
            UnsafeApi.putLong(dst + k, UnsafeApi.getLongUnaligned(src, srcOffset + k));
        }
    }

    private static void blockArrayToArray(
        final byte[] src, final long srcOffset, final byte[] dst, final long dstOffset, final int width,
        final boolean fromPeer)
    {
        if (WIDE && width > 16 && !fromPeer)
        {
            VectorCopy.arrayToArray(src, srcOffset, dst, dstOffset, width);
            return;
        }
        for (int k = 0; k < width; k += 8)
        {
            UnsafeApi.putLongUnaligned(dst, dstOffset + k, UnsafeApi.getLongUnaligned(src, srcOffset + k));
        }
    }
}
