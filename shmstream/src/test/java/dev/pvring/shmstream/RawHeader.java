/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import org.agrona.concurrent.AtomicBuffer;

/**
 * A test writer that stores arbitrary header values, as a hostile or buggy peer would.
 */
final class RawHeader
{
    private final AtomicBuffer buffer;

    RawHeader(final AtomicBuffer buffer)
    {
        this.buffer = buffer;
    }

    RawHeader transport(final long value)
    {
        buffer.putLongVolatile(ShmStreamDescriptor.TRANSPORT_OFFSET, value);
        return this;
    }

    RawHeader epoch(final long value)
    {
        buffer.putLongVolatile(ShmStreamDescriptor.EPOCH_OFFSET, value);
        return this;
    }

    RawHeader protocol(final long value)
    {
        buffer.putLongVolatile(ShmStreamDescriptor.PROTOCOL_OFFSET, value);
        return this;
    }

    RawHeader size(final long value)
    {
        buffer.putLongVolatile(ShmStreamDescriptor.SIZE_OFFSET, value);
        return this;
    }

    RawHeader elements(final long value)
    {
        buffer.putLongVolatile(ShmStreamDescriptor.ELEMENTS_OFFSET, value);
        return this;
    }

    RawHeader wsc(final long value)
    {
        buffer.putLongVolatile(ShmStreamDescriptor.WSC_OFFSET, value);
        return this;
    }

    RawHeader wc(final long value)
    {
        buffer.putLongVolatile(ShmStreamDescriptor.WC_OFFSET, value);
        return this;
    }

    RawHeader counters(final long value)
    {
        return wsc(value).wc(value);
    }

    long wc()
    {
        return buffer.getLongVolatile(ShmStreamDescriptor.WC_OFFSET);
    }
}
