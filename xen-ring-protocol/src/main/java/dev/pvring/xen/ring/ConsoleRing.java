/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The Xen PV console ring ({@link ConsoleRingDescriptor}): the guest writes {@code out} and reads {@code in};
 * the backend (xenconsoled, QEMU) does the reverse.
 */
public final class ConsoleRing
{
    private ConsoleRing()
    {
    }

    /**
     * The guest end: reads {@code in}, writes {@code out}.
     *
     * @param buffer mapping of the page.
     * @param base   offset of the interface in the buffer.
     * @return the end.
     */
    public static DuplexByteRing guest(final AtomicBuffer buffer, final int base)
    {
        return new DuplexByteRing(
            new ByteRingReader(buffer, base + ConsoleRingDescriptor.IN_OFFSET, ConsoleRingDescriptor.IN_LENGTH,
                base + ConsoleRingDescriptor.IN_CONS_OFFSET, base + ConsoleRingDescriptor.IN_PROD_OFFSET),
            new ByteRingWriter(buffer, base + ConsoleRingDescriptor.OUT_OFFSET, ConsoleRingDescriptor.OUT_LENGTH,
                base + ConsoleRingDescriptor.OUT_CONS_OFFSET, base + ConsoleRingDescriptor.OUT_PROD_OFFSET));
    }

    /**
     * The backend end: reads {@code out}, writes {@code in}.
     *
     * @param buffer mapping of the page.
     * @param base   offset of the interface in the buffer.
     * @return the end.
     */
    public static DuplexByteRing backend(final AtomicBuffer buffer, final int base)
    {
        return new DuplexByteRing(
            new ByteRingReader(buffer, base + ConsoleRingDescriptor.OUT_OFFSET, ConsoleRingDescriptor.OUT_LENGTH,
                base + ConsoleRingDescriptor.OUT_CONS_OFFSET, base + ConsoleRingDescriptor.OUT_PROD_OFFSET),
            new ByteRingWriter(buffer, base + ConsoleRingDescriptor.IN_OFFSET, ConsoleRingDescriptor.IN_LENGTH,
                base + ConsoleRingDescriptor.IN_CONS_OFFSET, base + ConsoleRingDescriptor.IN_PROD_OFFSET));
    }
}
