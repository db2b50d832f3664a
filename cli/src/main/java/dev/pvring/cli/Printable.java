/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

/**
 * Makes a string a peer controls safe to print on a terminal: every character outside printable ASCII (control
 * bytes such as ESC, which would let a hostile domain drive the user's terminal, DEL, and anything non-ASCII) and
 * the backslash are written as escapes ({@code \x1b}, {@code \\}, {@code \ufffd}).
 */
public final class Printable
{
    private Printable()
    {
    }

    /**
     * Escapes a peer-controlled string for printing.
     *
     * @param text the string (null prints as {@code -}).
     * @return printable ASCII only.
     */
    public static String escape(final String text)
    {
        if (text == null)
        {
            return "-";
        }
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            final boolean plain = c >= 0x20 && c < 0x7F && c != '\\';
            if (plain && escaped == null)
            {
                continue;
            }
            if (escaped == null)
            {
                escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (plain)
            {
                escaped.append(c);
            }
            else if (c == '\\')
            {
                escaped.append("\\\\");
            }
            else if (c < 0x100)
            {
                escaped.append(String.format("\\x%02x", (int)c));
            }
            else
            {
                escaped.append(String.format("\\u%04x", (int)c));
            }
        }
        return escaped == null ? text : escaped.toString();
    }
}
