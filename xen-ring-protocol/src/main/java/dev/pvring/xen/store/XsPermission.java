/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.util.ArrayList;
import java.util.List;

/**
 * One xenstore permission entry: a domain and its access, written {@code <letter><domid>} on the wire
 * ({@code r5}, {@code n0}). In a node's list the first entry names the owner, and its access is the default for
 * domains without an entry of their own; the owner and dom0 always have full access.
 *
 * @param domid  domain id, 0..65535.
 * @param access access letter.
 */
public record XsPermission(int domid, XsAccess access)
{
    /** Largest domain id accepted in a permission string. */
    public static final int MAX_DOMID = 0xFFFF;

    /**
     * Checks the fields.
     *
     * @param domid  domain id, 0..65535.
     * @param access access letter.
     */
    public XsPermission
    {
        if (domid < 0 || domid > MAX_DOMID)
        {
            throw new IllegalArgumentException("domid must be 0..65535: domid=" + domid);
        }
        if (null == access)
        {
            throw new IllegalArgumentException("access must not be null: access=null");
        }
    }

    /**
     * Parses {@code <letter><domid>}.
     *
     * @param text permission string (peer data).
     * @return the entry, or {@code null} if malformed (unknown letter, no digits, non-digits, domid above 65535).
     */
    public static XsPermission parse(final String text)
    {
        if (text.length() < 2 || text.length() > 7)
        {
            return null;
        }
        final XsAccess access = XsAccess.fromLetter(text.charAt(0));
        if (null == access)
        {
            return null;
        }
        int domid = 0;
        for (int i = 1; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return null;
            }
            domid = domid * 10 + (c - '0');
        }
        return domid > MAX_DOMID ? null : new XsPermission(domid, access);
    }

    /**
     * Parses a list of permission strings.
     *
     * @param texts permission strings (peer data).
     * @return the entries, or {@code null} if any is malformed or the list is empty.
     */
    public static List<XsPermission> parseAll(final List<String> texts)
    {
        if (texts.isEmpty())
        {
            return null;
        }
        final List<XsPermission> result = new ArrayList<>(texts.size());
        for (final String text : texts)
        {
            final XsPermission permission = parse(text);
            if (null == permission)
            {
                return null;
            }
            result.add(permission);
        }
        return result;
    }

    /**
     * The wire form.
     *
     * @return {@code <letter><domid>}.
     */
    @Override
    public String toString()
    {
        return String.valueOf(access.letter()) + domid;
    }
}
