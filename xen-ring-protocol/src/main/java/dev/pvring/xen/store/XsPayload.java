/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers for xs_wire payloads: sequences of NUL-terminated strings, possibly followed by binary data. Strings
 * are decoded as ISO-8859-1, which maps every byte to one char and back, so tokens and values round-trip exactly.
 * Never throws on peer bytes.
 */
public final class XsPayload
{
    private static final byte[] EMPTY = new byte[0];

    private XsPayload()
    {
    }

    /**
     * Counts NUL bytes, which is the number of complete strings ({@code xenstore_count_strings}).
     *
     * @param payload bytes.
     * @param length  valid bytes.
     * @return number of NULs in {@code [0, length)}.
     */
    public static int countStrings(final byte[] payload, final int length)
    {
        int count = 0;
        for (int i = 0; i < length; i++)
        {
            if (0 == payload[i])
            {
                count++;
            }
        }
        return count;
    }

    /**
     * Index of the first NUL at or after {@code from}.
     *
     * @param payload bytes.
     * @param from    start index.
     * @param length  valid bytes.
     * @return the index, or -1 if there is none.
     */
    public static int indexOfNul(final byte[] payload, final int from, final int length)
    {
        for (int i = from; i < length; i++)
        {
            if (0 == payload[i])
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * The single argument of a one-string request: the payload must contain exactly one NUL, at its end (C
     * {@code onearg}).
     *
     * @param payload bytes.
     * @param length  valid bytes.
     * @return the string, or {@code null} if the payload is not exactly one terminated string.
     */
    public static String oneArg(final byte[] payload, final int length)
    {
        if (length <= 0 || indexOfNul(payload, 0, length) != length - 1)
        {
            return null;
        }
        return new String(payload, 0, length - 1, StandardCharsets.ISO_8859_1);
    }

    /**
     * Splits the complete (NUL-terminated) strings; trailing bytes without a NUL are ignored.
     *
     * @param payload bytes.
     * @param length  valid bytes.
     * @return the strings in order.
     */
    public static List<String> strings(final byte[] payload, final int length)
    {
        final List<String> result = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < length; i++)
        {
            if (0 == payload[i])
            {
                result.add(new String(payload, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        return result;
    }

    /**
     * Encodes strings each followed by a NUL.
     *
     * @param strings strings (ISO-8859-1).
     * @return the payload bytes.
     */
    public static byte[] encodeStrings(final String... strings)
    {
        int length = 0;
        for (final String s : strings)
        {
            length += s.length() + 1;
        }
        final byte[] bytes = new byte[length];
        int offset = 0;
        for (final String s : strings)
        {
            final byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(b, 0, bytes, offset, b.length);
            offset += b.length + 1;
        }
        return bytes;
    }

    /**
     * Copies a range of a payload.
     *
     * @param payload bytes.
     * @param from    first byte.
     * @param to      end (exclusive).
     * @return the copy (a shared empty array when the range is empty).
     */
    public static byte[] copy(final byte[] payload, final int from, final int to)
    {
        if (to <= from)
        {
            return EMPTY;
        }
        final byte[] result = new byte[to - from];
        System.arraycopy(payload, from, result, 0, result.length);
        return result;
    }

    /**
     * Parses a decimal number the way C {@code atoi} does: optional whitespace and sign, then digits; anything
     * unparsable gives 0. Saturates instead of overflowing.
     *
     * @param s text (peer data).
     * @return the value.
     */
    public static long atoi(final String s)
    {
        int i = 0;
        final int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i)))
        {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-'))
        {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9')
        {
            value = Math.min(value * 10 + (s.charAt(i) - '0'), 1L << 40);
            i++;
        }
        return negative ? -value : value;
    }
}
