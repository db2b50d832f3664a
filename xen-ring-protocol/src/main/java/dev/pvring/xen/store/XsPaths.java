/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

/**
 * Xenstore path rules as C xenstored applies them ({@code canonicalize}/{@code is_valid_nodename}): characters
 * {@code A-Z a-z 0-9 - / _ @}; no trailing {@code /} except the root; no {@code //}; a path not starting with
 * {@code /} or {@code @} is relative to the caller's {@code /local/domain/<domid>}; {@code @name} is a special
 * path, allowed only where the request permits it (watches, permissions); the part after
 * {@code /local/domain/<domid>/} (or the whole path elsewhere) is at most {@value XsMessageDescriptor#REL_PATH_MAX}
 * bytes, and no path exceeds {@value XsMessageDescriptor#ABS_PATH_MAX}. Never throws on peer input.
 */
public final class XsPaths
{
    /** The root node. */
    public static final String ROOT = "/";
    /** Special watch path fired when a domain is introduced. */
    public static final String INTRODUCE_DOMAIN = "@introduceDomain";
    /** Special watch path fired when a domain is released. */
    public static final String RELEASE_DOMAIN = "@releaseDomain";

    private static final String LOCAL_DOMAIN = "/local/domain/";

    private XsPaths()
    {
    }

    /**
     * Canonicalises a path sent by a client.
     *
     * @param path          the path as sent (may be {@code null} when the payload was malformed).
     * @param implicitPath  the caller's home, e.g. {@code /local/domain/3}, for relative paths.
     * @param allowSpecial  whether {@code @name} paths are acceptable.
     * @return the absolute path, or {@code null} if it is invalid (the request then fails with {@code EINVAL}).
     */
    public static String canonicalize(final String path, final String implicitPath, final boolean allowSpecial)
    {
        if (null == path || !validChars(path) || (!path.isEmpty() && path.charAt(0) == '@' && !allowSpecial))
        {
            return null;
        }
        final boolean absolute = !path.isEmpty() && (path.charAt(0) == '/' || path.charAt(0) == '@');
        if (!absolute && implicitPath.length() + 1 + path.length() > XsMessageDescriptor.ABS_PATH_MAX)
        {
            return null;
        }
        final String name = absolute ? path : implicitPath + "/" + path;
        if ((name.endsWith("/") && !ROOT.equals(name)) || name.contains("//"))
        {
            return null;
        }
        if (name.length() > XsMessageDescriptor.ABS_PATH_MAX ||
            name.length() - localDomainPrefixLength(name) > XsMessageDescriptor.REL_PATH_MAX)
        {
            return null;
        }
        return name;
    }

    /**
     * Whether every character is one C xenstored accepts.
     *
     * @param path text.
     * @return true if only {@code A-Z a-z 0-9 - / _ @} occur.
     */
    public static boolean validChars(final String path)
    {
        for (int i = 0; i < path.length(); i++)
        {
            final char c = path.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '/' || c == '_' || c == '@';
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Length of a leading {@code /local/domain/<1-5 digits>/}, or 0 (C: {@code sscanf("/local/domain/%5u/%n")}).
     *
     * @param name absolute path.
     * @return prefix length.
     */
    static int localDomainPrefixLength(final String name)
    {
        if (!name.startsWith(LOCAL_DOMAIN))
        {
            return 0;
        }
        int i = LOCAL_DOMAIN.length();
        final int start = i;
        while (i < name.length() && i - start < 5 && Character.isDigit(name.charAt(i)))
        {
            i++;
        }
        if (i == start || i >= name.length() || name.charAt(i) != '/')
        {
            return 0;
        }
        return i + 1;
    }

    /**
     * Whether {@code child} is {@code parent} or below it ({@code /} is the parent of every non-special path).
     *
     * @param child  absolute path.
     * @param parent absolute path.
     * @return true if child equals parent or starts with {@code parent + "/"}.
     */
    public static boolean isChild(final String child, final String parent)
    {
        if (ROOT.equals(parent))
        {
            return true;
        }
        return child.startsWith(parent) && (child.length() == parent.length() || child.charAt(parent.length()) == '/');
    }

    /**
     * Parent of a path; the parent of {@code /x} and of a special path is {@code /}.
     *
     * @param path absolute path other than the root.
     * @return the parent path.
     */
    public static String parent(final String path)
    {
        final int slash = path.lastIndexOf('/');
        return slash <= 0 ? ROOT : path.substring(0, slash);
    }

    /**
     * Last component of a path.
     *
     * @param path absolute path other than the root.
     * @return the name after the last {@code /}.
     */
    public static String basename(final String path)
    {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * Child path of a directory.
     *
     * @param dir  absolute path.
     * @param name child name.
     * @return {@code dir + "/" + name}, without doubling the root's slash.
     */
    public static String child(final String dir, final String name)
    {
        return ROOT.equals(dir) ? "/" + name : dir + "/" + name;
    }

    /**
     * The home of a domain.
     *
     * @param domid domain id.
     * @return {@code /local/domain/<domid>}.
     */
    public static String domainPath(final long domid)
    {
        return LOCAL_DOMAIN + domid;
    }
}
