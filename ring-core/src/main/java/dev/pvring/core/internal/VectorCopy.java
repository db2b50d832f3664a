/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The wide moves of {@link RawMemory}'s copies: 64-, 32- and 16-byte loads and stores through the incubating Vector
 * API, the only way C2 emits a move wider than 8 bytes for a copy of a few dozen bytes (gcc copies a 64-byte
 * struct in four 16-byte moves at {@code -O2}; C2's scalar code needs eight 8-byte moves). Loaded only when the
 * JVM resolved {@code jdk.incubator.vector} ({@link RawMemory#WIDE}); referring to this class otherwise would fail
 * to link.
 * <p>
 * Each method copies one block of 16, 32 or 64 bytes, a constant at every call site (RawMemory splits a copy into
 * blocks by the bits of its length and moves its 32- and 64-byte blocks here: a 112-byte {@code blkif_request} is
 * 64 + 32 here, then two 8-byte moves): one vector of the block's width, or two or four of the machine's widest
 * when that is narrower. Widths above the machine's preferred
 * vector size are never used (they would run as boxed Java code, not as instructions). Every source byte is read
 * once.
 * Native memory is reached through one segment spanning the address space, at absolute addresses: the caller
 * checked the ranges, as for every {@code RawMemory} access.
 */
final class VectorCopy
{
    /** Bytes in the machine's widest vector the Vector API compiles (16, 32 or 64 on x86-64). */
    static final int MAX_WIDTH = ByteVector.SPECIES_PREFERRED.vectorByteSize();
    /** Narrowest vector used: the machine's widest must be at least this (16-byte moves then make up 32 and 64). */
    static final int MIN_WIDTH = 16;

    private static final VectorSpecies<Byte> BYTES_64 = ByteVector.SPECIES_512;
    private static final VectorSpecies<Byte> BYTES_32 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Byte> BYTES_16 = ByteVector.SPECIES_128;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Native memory as one segment: address = offset; null when this module may not call restricted methods. */
    private static final MemorySegment NATIVE = nativeMemory();
    private static final long ARRAY_BASE = org.agrona.UnsafeApi.arrayBaseOffset(byte[].class);

    /**
     * Clears the top two bits of an address, which no user-space address has (x86-64 and AArch64 hand out at most
     * 57 bits). The mask changes no address the caller passes; it lets C2 see the offset lies inside {@link #NATIVE},
     * so it drops the segment's own bound compare (a 64-bit constant, a compare and a branch per move).
     */
    private static final long ADDRESS_BITS = (1L << 62) - 1;

    private VectorCopy()
    {
    }

    private static long at(final long address)
    {
        return address & ADDRESS_BITS;
    }

    /**
     * Whether the native-memory moves may run: {@code MemorySegment.reinterpret} is a restricted method, refused
     * under {@code --illegal-native-access=deny} unless {@code --enable-native-access} names this module; and the
     * machine has vectors of at least 16 bytes.
     *
     * @return true if every copy here may be used.
     */
    static boolean usable()
    {
        return NATIVE != null && MAX_WIDTH >= MIN_WIDTH;
    }

    private static MemorySegment nativeMemory()
    {
        try
        {
            return MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
        }
        catch (final IllegalCallerException denied)
        {
            return null; // once, at class initialisation: RawMemory keeps its 8-byte moves
        }
    }

    static void nativeToNative(final long src, final long dst, final int width)
    {
        if (width == 64 && MAX_WIDTH >= 64)
        {
            ByteVector.fromMemorySegment(BYTES_64, NATIVE, at(src), ORDER).intoMemorySegment(NATIVE, at(dst), ORDER);
        }
        else if (width >= 32 && MAX_WIDTH >= 32)
        {
            for (int k = 0; k < width; k += 32)
            {
                ByteVector.fromMemorySegment(BYTES_32, NATIVE, at(src + k), ORDER)
                    .intoMemorySegment(NATIVE, at(dst + k), ORDER);
            }
        }
        else
        {
            for (int k = 0; k < width; k += 16)
            {
                ByteVector.fromMemorySegment(BYTES_16, NATIVE, at(src + k), ORDER)
                    .intoMemorySegment(NATIVE, at(dst + k), ORDER);
            }
        }
    }

    /**
     * Stores with {@code intoArray}, never through {@code MemorySegment.ofArray(dst)}: that heap segment costs nothing
     * only while C2 scalar-replaces it, and a cross-thread fork whose compile left part of {@code intoMemorySegment}
     * out of line allocated a segment and its session per copy (2.7 GB/s, a young GC every 150 ms; JFR, 2 forks of 6).
     */
    static void nativeToArray(final long src, final byte[] dst, final long dstOffset, final int width)
    {
        final int dstIndex = (int)(dstOffset - ARRAY_BASE);
        if (width == 64 && MAX_WIDTH >= 64)
        {
            ByteVector.fromMemorySegment(BYTES_64, NATIVE, at(src), ORDER).intoArray(dst, dstIndex);
        }
        else if (width >= 32 && MAX_WIDTH >= 32)
        {
            for (int k = 0; k < width; k += 32)
            {
                ByteVector.fromMemorySegment(BYTES_32, NATIVE, at(src + k), ORDER).intoArray(dst, dstIndex + k);
            }
        }
        else
        {
            for (int k = 0; k < width; k += 16)
            {
                ByteVector.fromMemorySegment(BYTES_16, NATIVE, at(src + k), ORDER).intoArray(dst, dstIndex + k);
            }
        }
    }

    static void arrayToNative(final byte[] src, final long srcOffset, final long dst, final int width)
    {
        final int srcIndex = (int)(srcOffset - ARRAY_BASE);
        if (width == 64 && MAX_WIDTH >= 64)
        {
            ByteVector.fromArray(BYTES_64, src, srcIndex).intoMemorySegment(NATIVE, at(dst), ORDER);
        }
        else if (width >= 32 && MAX_WIDTH >= 32)
        {
            for (int k = 0; k < width; k += 32)
            {
                ByteVector.fromArray(BYTES_32, src, srcIndex + k).intoMemorySegment(NATIVE, at(dst + k), ORDER);
            }
        }
        else
        {
            for (int k = 0; k < width; k += 16)
            {
                ByteVector.fromArray(BYTES_16, src, srcIndex + k).intoMemorySegment(NATIVE, at(dst + k), ORDER);
            }
        }
    }

    static void arrayToArray(
        final byte[] src, final long srcOffset, final byte[] dst, final long dstOffset, final int width)
    {
        final int srcIndex = (int)(srcOffset - ARRAY_BASE);
        final int dstIndex = (int)(dstOffset - ARRAY_BASE);
        if (width == 64 && MAX_WIDTH >= 64)
        {
            ByteVector.fromArray(BYTES_64, src, srcIndex).intoArray(dst, dstIndex);
        }
        else if (width >= 32 && MAX_WIDTH >= 32)
        {
            for (int k = 0; k < width; k += 32)
            {
                ByteVector.fromArray(BYTES_32, src, srcIndex + k).intoArray(dst, dstIndex + k);
            }
        }
        else
        {
            for (int k = 0; k < width; k += 16)
            {
                ByteVector.fromArray(BYTES_16, src, srcIndex + k).intoArray(dst, dstIndex + k);
            }
        }
    }
}
