/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Immutable permission list of a node (entry 0 = owner and default access), shared between nodes that inherit
 * it. Access is computed as C xenstored's {@code perm_for_conn}: privileged callers and the owner (or the owner's
 * controlling target domain) get everything; otherwise the first entry naming the caller, else the default.
 */
final class XsAcl
{
    static final XsAcl DOM0_NONE = new XsAcl(new int[] {0}, new int[] {0});

    private final int[] domids;
    private final int[] bits;

    private XsAcl(final int[] domids, final int[] bits)
    {
        this.domids = domids;
        this.bits = bits;
    }

    static XsAcl of(final List<XsPermission> permissions)
    {
        final int[] domids = new int[permissions.size()];
        final int[] bits = new int[permissions.size()];
        for (int i = 0; i < domids.length; i++)
        {
            domids[i] = permissions.get(i).domid();
            bits[i] = permissions.get(i).access().bits();
        }
        return new XsAcl(domids, bits);
    }

    int owner()
    {
        return domids[0];
    }

    int size()
    {
        return domids.length;
    }

    /**
     * Access bits for a caller.
     *
     * @param domid      caller's domain.
     * @param target     domain the caller acts for ({@code SET_TARGET}), or -1.
     * @param privileged whether the caller is dom0.
     * @return {@link XsAccess#READ_BIT}, {@link XsAccess#WRITE_BIT}, {@link XsAccess#OWNER_BIT} combination.
     */
    int accessFor(final int domid, final int target, final boolean privileged)
    {
        if (privileged || domids[0] == domid || (target >= 0 && domids[0] == target))
        {
            return XsAccess.READ_BIT | XsAccess.WRITE_BIT | XsAccess.OWNER_BIT;
        }
        for (int i = 1; i < domids.length; i++)
        {
            if (domids[i] == domid || (target >= 0 && domids[i] == target))
            {
                return bits[i];
            }
        }
        return bits[0];
    }

    XsAcl withOwner(final int domid)
    {
        if (domids[0] == domid)
        {
            return this;
        }
        final int[] d = domids.clone();
        d[0] = domid;
        return new XsAcl(d, bits);
    }

    /**
     * This list without the non-owner entries of a domain (stale entries of a released domain).
     *
     * @param domid released domain.
     * @return a new list, or {@code this} if no entry names it.
     */
    XsAcl without(final int domid)
    {
        int keep = 1;
        for (int i = 1; i < domids.length; i++)
        {
            if (domids[i] != domid)
            {
                keep++;
            }
        }
        if (keep == domids.length)
        {
            return this;
        }
        final int[] d = new int[keep];
        final int[] b = new int[keep];
        d[0] = domids[0];
        b[0] = bits[0];
        for (int i = 1, j = 1; i < domids.length; i++)
        {
            if (domids[i] != domid)
            {
                d[j] = domids[i];
                b[j] = bits[i];
                j++;
            }
        }
        return new XsAcl(d, b);
    }

    byte[] encode()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < domids.length; i++)
        {
            sb.append(letter(bits[i])).append(domids[i]).append('\0');
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static char letter(final int bits)
    {
        for (final XsAccess access : XsAccess.values())
        {
            if (access.bits() == bits)
            {
                return access.letter();
            }
        }
        return 'n';
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof XsAcl other && Arrays.equals(domids, other.domids) && Arrays.equals(bits, other.bits);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(domids) * 31 + Arrays.hashCode(bits);
    }
}
