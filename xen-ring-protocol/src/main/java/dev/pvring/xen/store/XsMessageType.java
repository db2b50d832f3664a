/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

/**
 * xs_wire message types, {@code enum xsd_sockmsg_type} of {@code xen/io/xs_wire.h}. Code 20 (the removed
 * {@code XS_RESTRICT}) and everything from 23 ({@code XS_TYPE_COUNT}) up are not types: {@link #fromCode(int)}
 * returns {@code null} for them.
 */
public enum XsMessageType
{
    /** {@code XS_CONTROL} (formerly {@code XS_DEBUG}): daemon-specific command, dom0 only. */
    CONTROL(0),
    /** {@code XS_DIRECTORY}: children of a node. */
    DIRECTORY(1),
    /** {@code XS_READ}: value of a node. */
    READ(2),
    /** {@code XS_GET_PERMS}: permissions of a node. */
    GET_PERMS(3),
    /** {@code XS_WATCH}: add a watch. */
    WATCH(4),
    /** {@code XS_UNWATCH}: remove a watch. */
    UNWATCH(5),
    /** {@code XS_TRANSACTION_START}. */
    TRANSACTION_START(6),
    /** {@code XS_TRANSACTION_END}: {@code T} commits, {@code F} aborts. */
    TRANSACTION_END(7),
    /** {@code XS_INTRODUCE}: dom0 tells xenstored about a domain. */
    INTRODUCE(8),
    /** {@code XS_RELEASE}: dom0 tells xenstored a domain is gone. */
    RELEASE(9),
    /** {@code XS_GET_DOMAIN_PATH}: {@code /local/domain/<domid>}. */
    GET_DOMAIN_PATH(10),
    /** {@code XS_WRITE}: set a value, creating missing parents. */
    WRITE(11),
    /** {@code XS_MKDIR}: create a node if missing. */
    MKDIR(12),
    /** {@code XS_RM}: remove a subtree. */
    RM(13),
    /** {@code XS_SET_PERMS}. */
    SET_PERMS(14),
    /** {@code XS_WATCH_EVENT}: asynchronous event, req_id and tx_id 0. */
    WATCH_EVENT(15),
    /** {@code XS_ERROR}: error reply carrying an errno name. */
    ERROR(16),
    /** {@code XS_IS_DOMAIN_INTRODUCED}. */
    IS_DOMAIN_INTRODUCED(17),
    /** {@code XS_RESUME}. */
    RESUME(18),
    /** {@code XS_SET_TARGET}. */
    SET_TARGET(19),
    /** {@code XS_RESET_WATCHES}: drop all watches and transactions of the caller. */
    RESET_WATCHES(21),
    /** {@code XS_DIRECTORY_PART}: a part of a long children list. */
    DIRECTORY_PART(22);

    /** {@code XS_TYPE_COUNT}: first code that is not a type. */
    public static final int TYPE_COUNT = 23;

    private static final XsMessageType[] BY_CODE = new XsMessageType[TYPE_COUNT];

    static
    {
        for (final XsMessageType type : values())
        {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    XsMessageType(final int code)
    {
        this.code = code;
    }

    /**
     * The wire value.
     *
     * @return the {@code type} field value.
     */
    public int code()
    {
        return code;
    }

    /**
     * Looks a wire value up.
     *
     * @param code raw {@code type} field (peer data).
     * @return the type, or {@code null} if the code is not a known type.
     */
    public static XsMessageType fromCode(final int code)
    {
        return code >= 0 && code < TYPE_COUNT ? BY_CODE[code] : null;
    }
}
