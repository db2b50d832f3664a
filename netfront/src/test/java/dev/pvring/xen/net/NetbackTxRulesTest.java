/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

import static dev.pvring.xen.ring.entry.NetifTxRequestDescriptor.FLAG_EXTRA_INFO;
import static dev.pvring.xen.ring.entry.NetifTxRequestDescriptor.FLAG_MORE_DATA;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pvring.xen.net.back.NetbackVif;
import dev.pvring.xen.ring.entry.NetifTxResponseDescriptor;

/**
 * Linux netback's TX decisions, one hand-written case each (security catalogue T8), independent of the fuzzer's
 * model: how many fragments are accepted, dropped or fatal; runt first slots; page crossings; GSO size 0; unknown
 * extras; zero-length fragments that never touch their gref (XSA-448).
 */
class NetbackTxRulesTest
{
    /** Publishes slots from a raw frontend and returns the backend's statuses, or null if it disconnected. */
    static List<Integer> serve(final List<byte[]> slots, final List<Integer> delivered)
    {
        try (NetSim sim = new NetSim(1))
        {
            final CheckingPlatform dom0 = new CheckingPlatform(sim.dom0);
            final NetbackFuzzTest.RawFront front = new NetbackFuzzTest.RawFront(sim.guest(1), new SplittableRandom(1));
            final NetbackVif vif = NetbackFuzzTest.connect(dom0, front, sim);
            for (final byte[] s : slots)
            {
                front.tx.buffer().putBytes(front.tx.claimRequest(), s);
            }
            front.tx.pushRequests();
            vif.doWork(p -> delivered.add(p.length()), 1000);
            final boolean broken = vif.isBroken();
            vif.close();
            assertThat(dom0.outOfPageCopies).isZero();
            if (broken)
            {
                return null;
            }
            final List<Integer> statuses = new ArrayList<>();
            final UnsafeBuffer rsp = new UnsafeBuffer(new byte[12]);
            front.tx.unconsumedResponses();
            while (front.tx.copyResponse(rsp, 0, NetifTxResponseDescriptor.LENGTH))
            {
                statuses.add((int)rsp.getShort(NetifTxResponseDescriptor.STATUS_OFFSET));
            }
            return statuses;
        }
    }

    static byte[] request(final int gref, final int offset, final int flags, final int id, final int size)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[12]);
        b.putInt(0, gref);
        b.putShort(4, (short)offset);
        b.putShort(6, (short)flags);
        b.putShort(8, (short)id);
        b.putShort(10, (short)size);
        return b.byteArray();
    }

    static byte[] gso(final int size, final int type)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[12]);
        b.putByte(0, (byte)1);
        b.putShort(2, (short)size);
        b.putByte(4, (byte)type);
        return b.byteArray();
    }

    /** First slot of 100 bytes plus {@code frags} fragments of 10 bytes, every gref valid. */
    static List<byte[]> packet(final int ref, final int frags)
    {
        final List<byte[]> slots = new ArrayList<>();
        slots.add(request(ref, 0, frags > 0 ? FLAG_MORE_DATA : 0, 0, 100 + 10 * frags));
        for (int k = 0; k < frags; k++)
        {
            slots.add(request(ref, 200 + k * 10, k + 1 < frags ? FLAG_MORE_DATA : 0, k + 1, 10));
        }
        return slots;
    }

    @ParameterizedTest(name = "{0} fragments after the first: {1}")
    @CsvSource({"0,deliver", "16,deliver", "17,deliver", "18,deliver", "19,drop", "20,drop", "21,disconnect"})
    void shouldAcceptDropOrDisconnectByFragmentCountAsLinuxDoes(final int frags, final String decision)
    {
        final List<Integer> delivered = new ArrayList<>();
        final List<Integer> statuses = serve(packet(11, frags), delivered);
        // The raw frontend's first data page is grant ref 11 (8, 9, 10 are its ring pages).
        switch (decision)
        {
            case "deliver" ->
            {
                assertThat(statuses).hasSize(1 + frags).containsOnly(Netif.RSP_OKAY);
                assertThat(delivered).containsExactly(100 + 10 * frags);
            }
            case "drop" ->
            {
                assertThat(statuses).hasSize(1 + frags).containsOnly(Netif.RSP_ERROR);
                assertThat(delivered).isEmpty();
            }
            default -> assertThat(statuses).isNull();
        }
    }

    @Test
    void shouldDropARuntAndDisconnectOnPageCrossingsGsoSizeZeroAndUnknownExtras()
    {
        final int ref = 11;
        final List<Integer> none = new ArrayList<>();
        assertThat(serve(List.of(request(ref, 0, 0, 1, 13)), none)).containsExactly(Netif.RSP_ERROR);
        assertThat(serve(List.of(request(ref, 4000, 0, 1, 100)), none)).as("first slot crosses").isNull();
        assertThat(serve(List.of(request(ref, 0, FLAG_MORE_DATA, 1, 200), request(ref, 4090, 0, 2, 100)), none))
            .as("fragment crosses").isNull();
        assertThat(serve(List.of(request(ref, 0, FLAG_EXTRA_INFO, 1, 100), gso(0, 1)), none)).as("GSO size 0")
            .isNull();
        assertThat(serve(List.of(request(ref, 0, FLAG_EXTRA_INFO, 1, 100), gso(1448, 3)), none)).as("GSO type")
            .isNull();
        final byte[] unknown = new byte[12];
        unknown[0] = 5;
        assertThat(serve(List.of(request(ref, 0, FLAG_EXTRA_INFO, 1, 100), unknown), none)).as("extra type 5")
            .isNull();
        assertThat(serve(List.of(request(ref, 0, FLAG_MORE_DATA, 1, 100)), none)).as("chain past req_prod").isNull();
        assertThat(serve(List.of(request(ref, 0, FLAG_MORE_DATA, 1, 100), request(ref, 0, 0, 2, 200)), none))
            .as("fragment larger than the rest: dropped").containsExactly(Netif.RSP_ERROR, Netif.RSP_ERROR);
        assertThat(none).isEmpty();
    }

    @Test
    void shouldAnswerZeroLengthFragmentsWithoutTouchingTheirGref()
    {
        final List<Integer> delivered = new ArrayList<>();
        final List<Integer> statuses = serve(List.of(
            request(11, 0, FLAG_MORE_DATA | FLAG_EXTRA_INFO, 1, 100), gso(1448, 1),
            request(4000, 0, FLAG_MORE_DATA, 2, 0),
            request(11, 0, 0, 3, 40)), delivered);

        assertThat(statuses).containsExactly(Netif.RSP_OKAY, Netif.RSP_NULL, Netif.RSP_OKAY, Netif.RSP_OKAY);
        assertThat(delivered).containsExactly(100);
    }
}
