/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An {@link org.agrona.concurrent.AtomicBuffer} over a read-only mapping: every read works (plain, acquire,
 * volatile, opaque), every write throws {@link ReadOnlyMappingException} naming the mapping, instead of
 * the JVM dying with SIGSEGV on a {@code PROT_READ} page.
 * <p>
 * Generated from Agrona's mutator list; {@code ReadOnlyAtomicBufferTest} fails if an Agrona upgrade adds a
 * mutator that is not overridden here.
 */
@SuppressWarnings({"deprecation", "removal"})
public final class ReadOnlyAtomicBuffer extends UnsafeBuffer
{
    private final String description;
    private final boolean constructed;

    /**
     * Views {@code length} bytes at {@code address}, which must stay mapped while the view is used.
     *
     * @param address     start of the mapping.
     * @param length      bytes.
     * @param description named in exceptions, e.g. the file path.
     */
    public ReadOnlyAtomicBuffer(final long address, final int length, final String description)
    {
        super(address, length);
        this.description = description;
        this.constructed = true;
    }

    /**
     * What this buffer maps, as given at construction.
     *
     * @return the description (e.g. the path).
     */
    public String description()
    {
        return description;
    }

    void detach()
    {
        super.wrap(new byte[0]);
    }

    private ReadOnlyMappingException readOnly(final String method)
    {
        return new ReadOnlyMappingException("write to a read-only mapping: method=" + method + " mapping=" + description);
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public boolean compareAndSetInt(final int a0, final int a1, final int a2)
    {
        throw readOnly("compareAndSetInt");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public boolean compareAndSetLong(final int a0, final long a1, final long a2)
    {
        throw readOnly("compareAndSetLong");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int addIntOpaque(final int a0, final int a1)
    {
        throw readOnly("addIntOpaque");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int addIntOrdered(final int a0, final int a1)
    {
        throw readOnly("addIntOrdered");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int addIntRelease(final int a0, final int a1)
    {
        throw readOnly("addIntRelease");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int compareAndExchangeInt(final int a0, final int a1, final int a2)
    {
        throw readOnly("compareAndExchangeInt");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int getAndAddInt(final int a0, final int a1)
    {
        throw readOnly("getAndAddInt");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int getAndSetInt(final int a0, final int a1)
    {
        throw readOnly("getAndSetInt");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putIntAscii(final int a0, final int a1)
    {
        throw readOnly("putIntAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putLongAscii(final int a0, final long a1)
    {
        throw readOnly("putLongAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putNaturalIntAscii(final int a0, final int a1)
    {
        throw readOnly("putNaturalIntAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putNaturalIntAsciiFromEnd(final int a0, final int a1)
    {
        throw readOnly("putNaturalIntAsciiFromEnd");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putNaturalLongAscii(final int a0, final long a1)
    {
        throw readOnly("putNaturalLongAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringAscii(final int a0, final CharSequence a1)
    {
        throw readOnly("putStringAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringAscii(final int a0, final CharSequence a1, final ByteOrder a2)
    {
        throw readOnly("putStringAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringAscii(final int a0, final String a1)
    {
        throw readOnly("putStringAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringAscii(final int a0, final String a1, final ByteOrder a2)
    {
        throw readOnly("putStringAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringUtf8(final int a0, final String a1)
    {
        throw readOnly("putStringUtf8");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringUtf8(final int a0, final String a1, final int a2)
    {
        throw readOnly("putStringUtf8");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringUtf8(final int a0, final String a1, final ByteOrder a2)
    {
        throw readOnly("putStringUtf8");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringUtf8(final int a0, final String a1, final ByteOrder a2, final int a3)
    {
        throw readOnly("putStringUtf8");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringWithoutLengthAscii(final int a0, final CharSequence a1)
    {
        throw readOnly("putStringWithoutLengthAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringWithoutLengthAscii(final int a0, final CharSequence a1, final int a2, final int a3)
    {
        throw readOnly("putStringWithoutLengthAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringWithoutLengthAscii(final int a0, final String a1)
    {
        throw readOnly("putStringWithoutLengthAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringWithoutLengthAscii(final int a0, final String a1, final int a2, final int a3)
    {
        throw readOnly("putStringWithoutLengthAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public int putStringWithoutLengthUtf8(final int a0, final String a1)
    {
        throw readOnly("putStringWithoutLengthUtf8");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public long addLongOpaque(final int a0, final long a1)
    {
        throw readOnly("addLongOpaque");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public long addLongOrdered(final int a0, final long a1)
    {
        throw readOnly("addLongOrdered");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public long addLongRelease(final int a0, final long a1)
    {
        throw readOnly("addLongRelease");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public long compareAndExchangeLong(final int a0, final long a1, final long a2)
    {
        throw readOnly("compareAndExchangeLong");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public long getAndAddLong(final int a0, final long a1)
    {
        throw readOnly("getAndAddLong");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public long getAndSetLong(final int a0, final long a1)
    {
        throw readOnly("getAndSetLong");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putByte(final int a0, final byte a1)
    {
        throw readOnly("putByte");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putByteVolatile(final int a0, final byte a1)
    {
        throw readOnly("putByteVolatile");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putBytes(final int a0, final byte[] a1)
    {
        throw readOnly("putBytes");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putBytes(final int a0, final byte[] a1, final int a2, final int a3)
    {
        throw readOnly("putBytes");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putBytes(final int a0, final ByteBuffer a1, final int a2)
    {
        throw readOnly("putBytes");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putBytes(final int a0, final ByteBuffer a1, final int a2, final int a3)
    {
        throw readOnly("putBytes");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putBytes(final int a0, final DirectBuffer a1, final int a2, final int a3)
    {
        throw readOnly("putBytes");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putChar(final int a0, final char a1)
    {
        throw readOnly("putChar");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putChar(final int a0, final char a1, final ByteOrder a2)
    {
        throw readOnly("putChar");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putCharVolatile(final int a0, final char a1)
    {
        throw readOnly("putCharVolatile");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putDouble(final int a0, final double a1)
    {
        throw readOnly("putDouble");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putDouble(final int a0, final double a1, final ByteOrder a2)
    {
        throw readOnly("putDouble");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putFloat(final int a0, final float a1)
    {
        throw readOnly("putFloat");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putFloat(final int a0, final float a1, final ByteOrder a2)
    {
        throw readOnly("putFloat");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putInt(final int a0, final int a1)
    {
        throw readOnly("putInt");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putInt(final int a0, final int a1, final ByteOrder a2)
    {
        throw readOnly("putInt");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putIntOpaque(final int a0, final int a1)
    {
        throw readOnly("putIntOpaque");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putIntOrdered(final int a0, final int a1)
    {
        throw readOnly("putIntOrdered");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putIntRelease(final int a0, final int a1)
    {
        throw readOnly("putIntRelease");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putIntVolatile(final int a0, final int a1)
    {
        throw readOnly("putIntVolatile");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putLong(final int a0, final long a1)
    {
        throw readOnly("putLong");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putLong(final int a0, final long a1, final ByteOrder a2)
    {
        throw readOnly("putLong");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putLongOpaque(final int a0, final long a1)
    {
        throw readOnly("putLongOpaque");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putLongOrdered(final int a0, final long a1)
    {
        throw readOnly("putLongOrdered");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putLongRelease(final int a0, final long a1)
    {
        throw readOnly("putLongRelease");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putLongVolatile(final int a0, final long a1)
    {
        throw readOnly("putLongVolatile");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putNaturalPaddedIntAscii(final int a0, final int a1, final int a2)
    {
        throw readOnly("putNaturalPaddedIntAscii");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putShort(final int a0, final short a1)
    {
        throw readOnly("putShort");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putShort(final int a0, final short a1, final ByteOrder a2)
    {
        throw readOnly("putShort");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void putShortVolatile(final int a0, final short a1)
    {
        throw readOnly("putShortVolatile");
    }

    /** Always throws: the mapping is read-only. */
    @Override
    public void setMemory(final int a0, final int a1, final byte a2)
    {
        throw readOnly("setMemory");
    }

    /** {@inheritDoc} Only allowed while the view is constructed. */
    @Override
    public void wrap(final byte[] a0)
    {
        if (constructed)
        {
            throw readOnly("wrap");
        }
        super.wrap(a0);
    }

    /** {@inheritDoc} Only allowed while the view is constructed. */
    @Override
    public void wrap(final byte[] a0, final int a1, final int a2)
    {
        if (constructed)
        {
            throw readOnly("wrap");
        }
        super.wrap(a0, a1, a2);
    }

    /** {@inheritDoc} Only allowed while the view is constructed. */
    @Override
    public void wrap(final ByteBuffer a0)
    {
        if (constructed)
        {
            throw readOnly("wrap");
        }
        super.wrap(a0);
    }

    /** {@inheritDoc} Only allowed while the view is constructed. */
    @Override
    public void wrap(final ByteBuffer a0, final int a1, final int a2)
    {
        if (constructed)
        {
            throw readOnly("wrap");
        }
        super.wrap(a0, a1, a2);
    }

    /** {@inheritDoc} Only allowed while the view is constructed. */
    @Override
    public void wrap(final long a0, final int a1)
    {
        if (constructed)
        {
            throw readOnly("wrap");
        }
        super.wrap(a0, a1);
    }

    /** {@inheritDoc} Only allowed while the view is constructed. */
    @Override
    public void wrap(final DirectBuffer a0)
    {
        if (constructed)
        {
            throw readOnly("wrap");
        }
        super.wrap(a0);
    }

    /** {@inheritDoc} Only allowed while the view is constructed. */
    @Override
    public void wrap(final DirectBuffer a0, final int a1, final int a2)
    {
        if (constructed)
        {
            throw readOnly("wrap");
        }
        super.wrap(a0, a1, a2);
    }
}
