/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core.internal;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Child JVM of {@link RawMemoryNativeAccessTest}: prints {@code wide=<RawMemory.wideCopies()> copied=<ok>} after
 * copying 64 and 100 bytes native to native, native to heap, heap to native and heap to heap.
 */
public final class WideCopyProbe
{
    private WideCopyProbe()
    {
    }

    /**
     * Runs the copies.
     *
     * @param args none.
     */
    public static void main(final String[] args)
    {
        boolean copied = true;
        for (final int length : new int[] {64, 100})
        {
            final UnsafeBuffer nativeSrc = new UnsafeBuffer(ByteBuffer.allocateDirect(length));
            final UnsafeBuffer heapSrc = new UnsafeBuffer(new byte[length]);
            for (int i = 0; i < length; i++)
            {
                nativeSrc.putByte(i, (byte)(i + 1));
                heapSrc.putByte(i, (byte)(i + 1));
            }
            final UnsafeBuffer[] sources = {nativeSrc, heapSrc};
            for (final UnsafeBuffer src : sources)
            {
                final UnsafeBuffer[] destinations = {
                    new UnsafeBuffer(ByteBuffer.allocateDirect(length)), new UnsafeBuffer(new byte[length])};
                for (final UnsafeBuffer dst : destinations)
                {
                    RawMemory.copy(src.byteArray(), src.addressOffset(), dst.byteArray(), dst.addressOffset(), length);
                    for (int i = 0; i < length; i++)
                    {
                        copied &= dst.getByte(i) == (byte)(i + 1);
                    }
                }
            }
        }
        System.out.println("wide=" + RawMemory.wideCopies() + " copied=" + copied);
    }
}
