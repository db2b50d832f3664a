/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

/**
 * Access letter of a xenstore permission entry ({@code XS_PERM_*}).
 */
public enum XsAccess
{
    /** {@code n}: no access. */
    NONE('n', 0),
    /** {@code r}: read. */
    READ('r', 1),
    /** {@code w}: write. */
    WRITE('w', 2),
    /** {@code b}: read and write. */
    BOTH('b', 3);

    /** Bit for read access. */
    public static final int READ_BIT = 1;
    /** Bit for write access. */
    public static final int WRITE_BIT = 2;
    /** Bit for ownership (owners and dom0 get it, never granted by a letter). */
    public static final int OWNER_BIT = 4;

    private final char letter;
    private final int bits;

    XsAccess(final char letter, final int bits)
    {
        this.letter = letter;
        this.bits = bits;
    }

    /**
     * The wire letter.
     *
     * @return {@code n}, {@code r}, {@code w} or {@code b}.
     */
    public char letter()
    {
        return letter;
    }

    /**
     * Access bits ({@link #READ_BIT}, {@link #WRITE_BIT}).
     *
     * @return bit set.
     */
    public int bits()
    {
        return bits;
    }

    /**
     * Looks a letter up.
     *
     * @param letter wire letter (peer data).
     * @return the access, or {@code null} if the letter is not {@code n r w b}.
     */
    public static XsAccess fromLetter(final char letter)
    {
        for (final XsAccess access : values())
        {
            if (access.letter == letter)
            {
                return access;
            }
        }
        return null;
    }
}
