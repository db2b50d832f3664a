/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ReadOnlyAtomicBufferTest
{
    private static final Set<String> MUTATOR_PREFIXES =
        Set.of("put", "set", "compareAnd", "getAndAdd", "getAndSet", "add", "wrap");

    @Test
    void shouldOverrideEveryMutatorOfUnsafeBuffer() throws Exception
    {
        final List<String> missing = new ArrayList<>();
        int mutators = 0;
        for (final Method m : UnsafeBuffer.class.getMethods())
        {
            if (Modifier.isStatic(m.getModifiers()) || !isMutator(m.getName()))
            {
                continue;
            }
            mutators++;
            final Method own = ReadOnlyAtomicBuffer.class.getMethod(m.getName(), m.getParameterTypes());
            if (own.getDeclaringClass() != ReadOnlyAtomicBuffer.class)
            {
                missing.add(m.toString());
            }
        }
        assertThat(mutators).isGreaterThan(60);
        assertThat(missing).as("mutators a read-only view must refuse").isEmpty();
    }

    private static boolean isMutator(final String name)
    {
        if ("wrapAdjustment".equals(name) || "addressOffset".equals(name))
        {
            return false;
        }
        for (final String prefix : MUTATOR_PREFIXES)
        {
            if (name.startsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }
}
