/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xenstore for drivers: optional keys and feature flags read with defaults, never an exception on what a peer
 * wrote (missing, unreadable, garbage), against the Java xenstored.
 */
class XenStoreDriverHelpersTest
{
    private static final String FE = "/local/domain/5/device/vif/0";

    @TempDir
    Path dir;

    @Test
    void shouldReadValuesAndDefaultsWithoutExceptions()
    {
        try (Xenstored server = XsTestSupport.start(dir);
            SocketXenStore dom0 = XsTestSupport.dom0(server);
            SocketXenStore domU = XsTestSupport.domU(server, dom0, 5))
        {
            dom0.write(FE + "/x", "");
            dom0.setPermissions(XenStore.NO_TRANSACTION, FE, List.of(XsPermission.parse("n5")));
            // What a frontend (domain 5) writes into its own directory: good values and garbage.
            domU.write(FE + "/ring-ref", "4294967295");
            domU.write(FE + "/event-channel", "17");
            domU.write(FE + "/negative", "-42");
            domU.write(FE + "/feature-rx-copy", "1");
            domU.write(FE + "/feature-sg", "0");
            domU.write(FE + "/feature-gso-tcpv4", "2");
            domU.write(FE + "/spaces", " 12");
            domU.write(FE + "/trailing", "12\n");
            domU.write(FE + "/hex", "0x10");
            domU.write(FE + "/empty", "");
            domU.write(FE + "/minus", "-");
            domU.write(FE + "/int-overflow", "2147483648");
            domU.write(FE + "/long-overflow", "9223372036854775808");
            domU.write(FE + "/long-min", "-9223372036854775808");
            domU.write(FE + "/long-max", "9223372036854775807");
            domU.write(FE + "/many-digits", "00000000000000000000000001");
            domU.write(0, FE + "/binary", new byte[] {'1', 0, '2', (byte)0xFF});
            domU.write(0, FE + "/bad-utf8", new byte[] {'a', (byte)0xC3, (byte)0x28});
            domU.write(FE + "/name", "vif0");

            assertThat(dom0.readInt(FE + "/event-channel", -1)).isEqualTo(17);
            assertThat(dom0.readInt(FE + "/negative", 0)).isEqualTo(-42);
            assertThat(dom0.readInt(FE + "/ring-ref", -1)).as("above the int range").isEqualTo(-1);
            assertThat(dom0.readLong(FE + "/ring-ref", -1)).isEqualTo(0xFFFF_FFFFL);
            assertThat(dom0.readInt(FE + "/missing", 99)).isEqualTo(99);
            for (final String garbage : List.of("spaces", "trailing", "hex", "empty", "minus", "int-overflow",
                "binary", "bad-utf8", "name"))
            {
                assertThat(dom0.readInt(FE + "/" + garbage, 7)).as(garbage).isEqualTo(7);
            }
            assertThat(dom0.readLong(FE + "/int-overflow", 0)).isEqualTo(2147483648L);
            assertThat(dom0.readLong(FE + "/long-overflow", 5)).isEqualTo(5);
            assertThat(dom0.readLong(FE + "/long-min", 5)).isEqualTo(Long.MIN_VALUE);
            assertThat(dom0.readLong(FE + "/long-max", 5)).isEqualTo(Long.MAX_VALUE);
            assertThat(dom0.readLong(FE + "/many-digits", 5)).as("more than 19 digits").isEqualTo(5);

            assertThat(dom0.readFlag(FE + "/feature-rx-copy")).isTrue();
            assertThat(dom0.readFlag(FE + "/feature-sg")).isFalse();
            assertThat(dom0.readFlag(FE + "/feature-gso-tcpv4")).as("non-zero, as Linux reads it").isTrue();
            assertThat(dom0.readFlag(FE + "/feature-missing")).isFalse();
            assertThat(dom0.readFlag(FE + "/name")).isFalse();

            assertThat(dom0.readString(FE + "/name", "none")).isEqualTo("vif0");
            assertThat(dom0.readString(FE + "/missing", "none")).isEqualTo("none");
            assertThat(dom0.readString(FE + "/missing", null)).isNull();
            assertThat(dom0.readString(FE + "/bad-utf8", "none")).startsWith("a").hasSize(3);
            assertThat(dom0.readString(0, FE + "/binary", null).getBytes(StandardCharsets.UTF_8)).startsWith('1', 0);

            // Inside a transaction too.
            final int channel = dom0.transaction(tx -> dom0.readInt(tx, FE + "/event-channel", -1) +
                dom0.readInt(tx, FE + "/nope", 1000));
            assertThat(channel).isEqualTo(1017);
        }
    }

    @Test
    void shouldDefaultOnNodesThePeerMayNotReadAndThrowOnlyOnABrokenConnection()
    {
        try (Xenstored server = XsTestSupport.start(dir);
            SocketXenStore dom0 = XsTestSupport.dom0(server);
            SocketXenStore domU = XsTestSupport.domU(server, dom0, 6))
        {
            dom0.write("/secret/key", "42");
            assertThatThrownBy(() -> domU.read("/secret/key")).isInstanceOf(XenStoreException.class)
                .satisfies(ex -> assertThat(((XenStoreException)ex).is(XsError.EACCES)).isTrue());
            assertThat(domU.readInt("/secret/key", 3)).as("EACCES gives the default").isEqualTo(3);
            assertThat(domU.readFlag("/secret/key")).isFalse();
            assertThat(domU.readString("/secret/key", "d")).isEqualTo("d");
            assertThat(domU.readInt("relative/missing", 4)).isEqualTo(4);

            server.close();
            final XenStoreException broken = org.junit.jupiter.api.Assertions.assertThrows(XenStoreException.class,
                () ->
                {
                    for (int i = 0; i < 100; i++)
                    {
                        dom0.readInt("/secret/key", 0);
                    }
                });
            assertThat(broken.isConnectionBroken()).isTrue();
        }
    }
}
