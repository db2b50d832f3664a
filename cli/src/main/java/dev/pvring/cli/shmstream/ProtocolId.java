/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

/**
 * An SHMStream protocol id: a non-zero u64, written in hex. Not a {@link Number}: ids at or above 2^63 (Muen's
 * debuglog {@code f00789094b6f70cf}, for one) are negative as Java longs, and checks for negative numeric options
 * must not see them as numbers.
 *
 * @param value the id (u64 in a long).
 */
record ProtocolId(long value)
{
    @Override
    public String toString()
    {
        return String.format("%016x", value);
    }
}
