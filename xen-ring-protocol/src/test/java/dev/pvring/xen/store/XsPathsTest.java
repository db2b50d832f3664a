/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XsPathsTest
{
    private static final String HOME = "/local/domain/3";

    @Test
    void shouldCanonicaliseAsXenstored()
    {
        assertThat(XsPaths.canonicalize("/", HOME, false)).isEqualTo("/");
        assertThat(XsPaths.canonicalize("/a/b-c_d@e/9", HOME, false)).isEqualTo("/a/b-c_d@e/9");
        assertThat(XsPaths.canonicalize("device/vif", HOME, false)).isEqualTo("/local/domain/3/device/vif");
        assertThat(XsPaths.canonicalize("@releaseDomain", HOME, true)).isEqualTo("@releaseDomain");
    }

    @Test
    void shouldRejectWhatXenstoredRejects()
    {
        assertThat(XsPaths.canonicalize(null, HOME, false)).isNull();
        assertThat(XsPaths.canonicalize("", HOME, false)).isNull();
        assertThat(XsPaths.canonicalize("/a/", HOME, false)).isNull();
        assertThat(XsPaths.canonicalize("/a//b", HOME, false)).isNull();
        assertThat(XsPaths.canonicalize("/a b", HOME, false)).isNull();
        assertThat(XsPaths.canonicalize("/a.b", HOME, false)).isNull();
        assertThat(XsPaths.canonicalize("/a\u00e9", HOME, false)).isNull();
        assertThat(XsPaths.canonicalize("@releaseDomain", HOME, false)).isNull();
    }

    @Test
    void shouldLimitPathBelowDomainHomeTo2048()
    {
        final String prefix = "/local/domain/3/";
        final String ok = prefix + "x".repeat(2048);
        assertThat(XsPaths.canonicalize(ok, HOME, false)).isEqualTo(ok);
        assertThat(XsPaths.canonicalize(ok + "x", HOME, false)).isNull();
        assertThat(XsPaths.canonicalize("x".repeat(2048), HOME, false)).hasSize(2064);
        assertThat(XsPaths.canonicalize("x".repeat(2049), HOME, false)).isNull();
        final String outside = "/" + "y".repeat(2047);
        assertThat(XsPaths.canonicalize(outside, HOME, false)).isEqualTo(outside);
        assertThat(XsPaths.canonicalize(outside + "y", HOME, false)).isNull();
        assertThat(XsPaths.canonicalize("x".repeat(5000), HOME, false)).isNull();
    }

    @Test
    void shouldComputeParentsAndChildren()
    {
        assertThat(XsPaths.parent("/a/b")).isEqualTo("/a");
        assertThat(XsPaths.parent("/a")).isEqualTo("/");
        assertThat(XsPaths.parent("@releaseDomain")).isEqualTo("/");
        assertThat(XsPaths.basename("/a/b")).isEqualTo("b");
        assertThat(XsPaths.child("/", "a")).isEqualTo("/a");
        assertThat(XsPaths.isChild("/a/b", "/a")).isTrue();
        assertThat(XsPaths.isChild("/ab", "/a")).isFalse();
        assertThat(XsPaths.isChild("/a", "/")).isTrue();
        assertThat(XsPaths.domainPath(7)).isEqualTo("/local/domain/7");
    }
}
