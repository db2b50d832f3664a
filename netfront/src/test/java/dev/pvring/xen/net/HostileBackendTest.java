/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;

import dev.pvring.xen.net.front.NetfrontQueue;
import dev.pvring.xen.platform.GrantMapBatch;
import dev.pvring.xen.platform.GrantStatus;
import dev.pvring.xen.ring.SharedRingDescriptor;
import dev.pvring.xen.ring.entry.NetifRxResponseDescriptor;

/**
 * A hostile backend against netfront (security catalogue T3): dom0 maps the frontend's rings and writes bad
 * responses by hand. TX responses with an id not in flight, a duplicate id, an unknown status, or an impossible
 * {@code rsp_prod} mark the queue broken; RX responses that are invalid drop that frame as Linux does, an
 * impossible {@code rsp_prod} marks the queue broken. Nothing throws.
 */
class HostileBackendTest
{
    private static final int HDR = SharedRingDescriptor.HEADER_LENGTH;

    /** A netfront queue and dom0's raw view of its rings. */
    static final class Rig implements AutoCloseable
    {
        final NetSim sim = new NetSim(1);
        final NetfrontQueue front = NetfrontQueue.allocate(sim.guest(1), 0, false);
        final GrantMapBatch maps = new GrantMapBatch(2);
        final AtomicBuffer tx;
        final AtomicBuffer rx;
        final NetPacket packet = new NetPacket(sim.arena);
        final List<Integer> received = new ArrayList<>();

        Rig()
        {
            maps.add(1, front.txRingRef(), false);
            maps.add(1, front.rxRingRef(), false);
            sim.dom0.grantTable().map(maps);
            assertThat(maps.status(0)).isEqualTo(GrantStatus.OKAY);
            tx = maps.buffer(0);
            rx = maps.buffer(1);
            front.refillRx();
            packet.length(60);
        }

        int sendOne()
        {
            assertThat(front.send(packet)).isEqualTo(NetfrontQueue.SENT);
            front.flush();
            return tx.getShort(HDR + 8) & 0xFFFF; // the id the frontend used (slot 0)
        }

        void txResponse(final int index, final int id, final int status)
        {
            tx.putShort(HDR + index * 12, (short)id);
            tx.putShort(HDR + index * 12 + 2, (short)status);
        }

        void rxResponse(final int index, final int offset, final int flags, final int status)
        {
            final int at = HDR + index * 8;
            rx.putShort(at + NetifRxResponseDescriptor.ID_OFFSET, rx.getShort(at));
            rx.putShort(at + NetifRxResponseDescriptor.OFFSET_OFFSET, (short)offset);
            rx.putShort(at + NetifRxResponseDescriptor.FLAGS_OFFSET, (short)flags);
            rx.putShort(at + NetifRxResponseDescriptor.STATUS_OFFSET, (short)status);
        }

        int receive()
        {
            return front.receive(p -> received.add(p.length()), 100);
        }

        @Override
        public void close()
        {
            sim.dom0.grantTable().unmap(maps);
            front.close();
            sim.close();
        }
    }

    @Test
    void shouldBreakOnATxResponseForAnIdNotInFlight()
    {
        try (Rig rig = new Rig())
        {
            final int id = rig.sendOne();
            rig.txResponse(0, (id + 1) % 256, Netif.RSP_OKAY);
            rig.tx.putIntRelease(SharedRingDescriptor.RSP_PROD_OFFSET, 1);

            rig.front.collectTxResponses();

            assertThat(rig.front.isBroken()).isTrue();
            assertThat(rig.front.brokenReason()).contains("id not in flight");
            assertThat(rig.front.send(rig.packet)).isEqualTo(NetfrontQueue.BROKEN);
            assertThat(rig.receive()).isZero();
        }
    }

    @Test
    void shouldBreakOnADuplicateTxResponse()
    {
        try (Rig rig = new Rig())
        {
            final int id = rig.sendOne();
            rig.sendOne();
            rig.txResponse(0, id, Netif.RSP_OKAY);
            rig.txResponse(1, id, Netif.RSP_OKAY);
            rig.tx.putIntRelease(SharedRingDescriptor.RSP_PROD_OFFSET, 2);

            rig.front.collectTxResponses();

            assertThat(rig.front.isBroken()).isTrue();
        }
    }

    @Test
    void shouldBreakOnAnUnknownTxStatusAndAcceptKnownOnes()
    {
        try (Rig rig = new Rig())
        {
            final int a = rig.sendOne();
            rig.txResponse(0, a, Netif.RSP_DROPPED);
            rig.tx.putIntRelease(SharedRingDescriptor.RSP_PROD_OFFSET, 1);
            rig.front.collectTxResponses();
            assertThat(rig.front.isBroken()).isFalse();
            assertThat(rig.front.txErrors()).isOne();

            final int b = rig.sendOne();
            rig.txResponse(1, b, 7);
            rig.tx.putIntRelease(SharedRingDescriptor.RSP_PROD_OFFSET, 2);
            rig.front.collectTxResponses();

            assertThat(rig.front.isBroken()).isTrue();
            assertThat(rig.front.brokenReason()).contains("status=7");
        }
    }

    @Test
    void shouldBreakOnAnImpossibleRspProdOnEitherRing()
    {
        try (Rig rig = new Rig())
        {
            rig.sendOne();
            rig.tx.putIntRelease(SharedRingDescriptor.RSP_PROD_OFFSET, 1000);
            rig.front.collectTxResponses();
            assertThat(rig.front.isBroken()).isTrue();
        }
        try (Rig rig = new Rig())
        {
            rig.rx.putIntRelease(SharedRingDescriptor.RSP_PROD_OFFSET, 257);
            assertThat(rig.receive()).isZero();
            assertThat(rig.front.isBroken()).isTrue();
            assertThat(rig.front.brokenReason()).contains("rx rsp_prod overflow");
        }
    }

    @Test
    void shouldDropInvalidRxFramesAsLinuxDoesAndKeepReceiving()
    {
        try (Rig rig = new Rig())
        {
            int i = 0;
            rig.rxResponse(i++, 4000, 0, 200);                                   // offset + size > 4096
            rig.rxResponse(i++, 0, 0, Netif.RSP_ERROR);                          // negative status
            rig.rxResponse(i++, 0, 0, 60);                                       // good
            rig.rxResponse(i++, 0, NetifRxResponseDescriptor.FLAG_EXTRA_INFO, 60); // extra of type 0 follows
            rig.rx.putLong(HDR + i++ * 8, 0L);
            for (int k = 0; k < 19; k++)                                         // 19 slots: too many
            {
                rig.rxResponse(i++, 0, k < 18 ? NetifRxResponseDescriptor.FLAG_MORE_DATA : 0, 100);
            }
            rig.rxResponse(i++, 0, 0, 1514);                                     // good
            rig.rxResponse(i++, 0, NetifRxResponseDescriptor.FLAG_MORE_DATA, 100); // cut short by rsp_prod
            rig.rx.putIntRelease(SharedRingDescriptor.RSP_PROD_OFFSET, i);

            rig.receive();

            assertThat(rig.received).containsExactly(60, 1514);
            assertThat(rig.front.rxErrors()).isEqualTo(5);
            assertThat(rig.front.isBroken()).isFalse();
        }
    }
}
