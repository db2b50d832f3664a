/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.util.EnumMap;
import java.util.Map;

/**
 * Internal, stackless signal that a request fails with an errno name; caught by the dispatcher and turned into
 * an {@code XS_ERROR} reply. One shared instance per error: no allocation on the error path.
 */
final class XsFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;
    private static final Map<XsError, XsFailure> INSTANCES = new EnumMap<>(XsError.class);

    static
    {
        for (final XsError error : XsError.values())
        {
            INSTANCES.put(error, new XsFailure(error));
        }
    }

    private final transient XsError error;

    private XsFailure(final XsError error)
    {
        super(error.name(), null, false, false);
        this.error = error;
    }

    static XsFailure of(final XsError error)
    {
        return INSTANCES.get(error);
    }

    XsError error()
    {
        return error;
    }
}
