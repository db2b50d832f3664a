/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

/**
 * Per-operation grant results, the {@code GNTST_*} codes of Xen's {@code grant_table.h} (same values), used
 * for everything a peer can cause: a bad or revoked grant ref, a copy crossing its page, an unknown domain.
 * A driver reports these (for instance as an error response) and never throws on them.
 */
public final class GrantStatus
{
    /** {@code GNTST_okay}: the operation succeeded. */
    public static final int OKAY = 0;
    /** {@code GNTST_general_error}: an unexpected failure (e.g. the granting domain's memory could not be mapped). */
    public static final int GENERAL_ERROR = -1;
    /** {@code GNTST_bad_domain}: the domain does not exist (or was destroyed). */
    public static final int BAD_DOMAIN = -2;
    /** {@code GNTST_bad_gntref}: the ref is out of range, was never granted, or was revoked. */
    public static final int BAD_GNTREF = -3;
    /** {@code GNTST_bad_handle}: the mapping handle is unknown. */
    public static final int BAD_HANDLE = -4;
    /** {@code GNTST_bad_virt_addr}. */
    public static final int BAD_VIRT_ADDR = -5;
    /** {@code GNTST_bad_dev_addr}. */
    public static final int BAD_DEV_ADDR = -6;
    /** {@code GNTST_no_device_space}. */
    public static final int NO_DEVICE_SPACE = -7;
    /**
     * {@code GNTST_permission_denied}: the ref is granted to another domain, or a write mapping or copy was
     * asked for a read-only grant.
     */
    public static final int PERMISSION_DENIED = -8;
    /** {@code GNTST_bad_page}: the granted frame does not exist in the granting domain. */
    public static final int BAD_PAGE = -9;
    /** {@code GNTST_bad_copy_arg}: a copy segment's offset and length leave its 4 KiB page. */
    public static final int BAD_COPY_ARG = -10;
    /** {@code GNTST_address_too_big}. */
    public static final int ADDRESS_TOO_BIG = -11;
    /**
     * {@code GNTST_eagain}: not done, try again (on the simulated platform: another live process held the ref's
     * pin lock for longer than the lock timeout).
     */
    public static final int EAGAIN = -12;
    /** {@code GNTST_no_space}: out of mapping handles (or a pin counter would overflow). */
    public static final int NO_SPACE = -13;
    /** Not a Xen code: the entry of a batch has not been processed yet. */
    public static final int NOT_DONE = Integer.MIN_VALUE;

    private static final String[] NAMES = {
        "GNTST_okay", "GNTST_general_error", "GNTST_bad_domain", "GNTST_bad_gntref", "GNTST_bad_handle",
        "GNTST_bad_virt_addr", "GNTST_bad_dev_addr", "GNTST_no_device_space", "GNTST_permission_denied",
        "GNTST_bad_page", "GNTST_bad_copy_arg", "GNTST_address_too_big", "GNTST_eagain", "GNTST_no_space"};

    private GrantStatus()
    {
    }

    /**
     * The Xen name of a status, for logs and messages (no allocation for known codes).
     *
     * @param status a {@code GNTST_*} value.
     * @return e.g. {@code "GNTST_bad_gntref"}, {@code "not done"}, or {@code "GNTST_unknown(-99)"}.
     */
    public static String name(final int status)
    {
        if (status <= 0 && status > -NAMES.length)
        {
            return NAMES[-status];
        }
        if (status == NOT_DONE)
        {
            return "not done";
        }
        return "GNTST_unknown(" + status + ")";
    }
}
