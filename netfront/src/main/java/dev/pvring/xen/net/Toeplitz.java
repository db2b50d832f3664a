/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

/**
 * The Toeplitz hash ({@code XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ}, as Linux's {@code xen_netif_toeplitz_hash}
 * and Microsoft's RSS): for every set bit of the input, XOR in the 32-bit window of the key starting at that bit.
 * Key bytes past the key's end are zero.
 */
public final class Toeplitz
{
    private Toeplitz()
    {
    }

    /**
     * Hashes {@code length} bytes of {@code data} with {@code key}.
     *
     * @param key       key bytes.
     * @param keyLength bytes of the key in use.
     * @param data      input.
     * @param length    input bytes.
     * @return the 32-bit hash.
     */
    public static int hash(final byte[] key, final int keyLength, final byte[] data, final int length)
    {
        long prefix = 0;
        for (int i = 0; i < 8; i++)
        {
            prefix = (prefix << 8) | (i < keyLength ? key[i] & 0xFF : 0);
        }
        int hash = 0;
        int next = 8;
        for (int i = 0; i < length; i++)
        {
            final int b = data[i] & 0xFF;
            for (int bit = 7; bit >= 0; bit--)
            {
                if ((b & (1 << bit)) != 0)
                {
                    hash ^= (int)(prefix >>> 32);
                }
                prefix <<= 1;
            }
            prefix |= next < keyLength ? key[next] & 0xFF : 0;
            next++;
        }
        return hash;
    }
}
