/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import dev.pvring.xen.net.front.NetfrontQueue;
import dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor;

/**
 * Netfront against netback in one process over the simulated platform (two domains, real grants, grant copies
 * and event channels): frames of every size both ways, GSO and checksum metadata, batching, TX stop/wake.
 */
class FrontBackTest
{
    record Seen(int length, long crc, int checksum, int gsoType, int gsoSize)
    {
        static Seen of(final NetPacket p)
        {
            final CRC32 crc = new CRC32();
            final byte[] bytes = new byte[p.length()];
            p.buffer().getBytes(NetPacket.DATA_OFFSET, bytes);
            crc.update(bytes);
            return new Seen(p.length(), crc.getValue(), p.checksum(), p.gsoType(), p.gsoSize());
        }
    }

    static void fill(final NetPacket p, final SplittableRandom random, final int length)
    {
        p.reset().length(length);
        for (int i = 0; i < length; i++)
        {
            p.buffer().putByte(NetPacket.DATA_OFFSET + i, (byte)random.nextInt());
        }
    }

    @Test
    void shouldCarryFramesOfEverySizeFromFrontToBackWithTheirMetadata()
    {
        try (NetSim sim = new NetSim(1))
        {
            final NetSim.Pair pair = sim.connect(1, false);
            final NetPacket packet = new NetPacket(sim.arena);
            final SplittableRandom random = new SplittableRandom(42);
            final List<Seen> sent = new ArrayList<>();
            final List<Seen> received = new ArrayList<>();
            final int[] sizes = {14, 60, 1514, 4095, 4096, 4097, 8192, 9000, 32768, 65535};
            int i = 0;
            while (sent.size() < 600)
            {
                final int length = i < sizes.length ? sizes[i] : 14 + random.nextInt(65535 - 14 + 1);
                fill(packet, random, length);
                packet.checksum(i % 3);
                if (i % 4 == 1)
                {
                    packet.gso(NetifExtraInfoDescriptor.GSO_TYPE_TCPV4, 1448);
                }
                final int r = pair.front().send(packet);
                if (r == NetfrontQueue.SENT)
                {
                    sent.add(Seen.of(packet));
                    i++;
                }
                else
                {
                    assertThat(r).isEqualTo(NetfrontQueue.BUSY);
                    pair.front().flush();
                    pair.vif().doWork(p -> received.add(Seen.of(p)), 64);
                    pair.front().collectTxResponses();
                }
            }
            pair.front().flush();
            for (int spin = 0; spin < 100 && received.size() < sent.size(); spin++)
            {
                pair.vif().doWork(p -> received.add(Seen.of(p)), 64);
                pair.front().collectTxResponses();
            }

            assertThat(received).containsExactlyElementsOf(sent);
            assertThat(pair.front().isBroken()).isFalse();
            assertThat(pair.vif().isBroken()).as(pair.vif().brokenReason()).isFalse();
            assertThat(pair.front().txInFlightSlots()).as("every slot answered").isZero();
            assertThat(pair.back().txDropped()).isZero();
            assertThat(pair.front().txNotifications()).as("batched: fewer notifications than packets")
                .isLessThan(sent.size() / 4);
            System.out.printf("front->back: %d packets, %d TX notifications (%.3f per packet), %d response " +
                "notifications%n", sent.size(), pair.front().txNotifications(),
                (double)pair.front().txNotifications() / sent.size(), pair.back().txNotifications());
        }
    }

    @Test
    void shouldCarryFramesFromBackToFrontIntoPostedBuffers()
    {
        try (NetSim sim = new NetSim(1))
        {
            final NetSim.Pair pair = sim.connect(1, true);
            final NetPacket packet = new NetPacket(sim.arena);
            final SplittableRandom random = new SplittableRandom(7);
            final List<Seen> sent = new ArrayList<>();
            final List<Seen> received = new ArrayList<>();
            int i = 0;
            int refused = 0;
            while (sent.size() < 500)
            {
                final int length = i == 0 ? 18 * 4096 : 14 + random.nextInt(i % 10 == 0 ? 65535 : 1600);
                fill(packet, random, length);
                packet.checksum(i % 3);
                if (i % 5 == 2)
                {
                    packet.gso(NetifExtraInfoDescriptor.GSO_TYPE_TCPV6, 1440);
                }
                if (pair.vif().deliver(packet))
                {
                    sent.add(Seen.of(packet));
                    i++;
                }
                else
                {
                    refused++;
                    pair.vif().doWork(p -> { }, 64);
                    pair.front().receive(p -> received.add(Seen.of(p)), 1000);
                }
            }
            for (int spin = 0; spin < 100 && received.size() < sent.size(); spin++)
            {
                pair.vif().doWork(p -> { }, 64);
                pair.front().receive(p -> received.add(Seen.of(p)), 1000);
            }

            assertThat(received).containsExactlyElementsOf(sent);
            assertThat(pair.front().rxErrors()).isZero();
            assertThat(refused).as("the bounded backlog filled up at least once").isPositive();
            assertThat(pair.back().rxDropped()).as("only refused packets count as dropped").isEqualTo(refused);
            assertThat(pair.back().rxNotifications()).as("batched").isLessThan(sent.size() / 2);
            System.out.printf("back->front: %d packets, %d RX notifications (%.3f per packet), %d refill " +
                "notifications%n", sent.size(), pair.back().rxNotifications(),
                (double)pair.back().rxNotifications() / sent.size(), pair.front().rxNotifications());
            assertThat(pair.front().isSplit()).isTrue();
        }
    }

    @Test
    void shouldStopTheTxQueueAsLinuxDoesAndWakeItWhenResponsesFreeSlots()
    {
        try (NetSim sim = new NetSim(1))
        {
            final NetSim.Pair pair = sim.connect(1, false);
            final NetPacket packet = new NetPacket(sim.arena);
            fill(packet, new SplittableRandom(1), 60);
            int queued = 0;
            while (pair.front().send(packet) == NetfrontQueue.SENT)
            {
                queued++;
            }

            assertThat(pair.front().isTxStopped()).isTrue();
            assertThat(queued).as("stops at 256 - 18 - 1 in flight").isEqualTo(256 - 19);
            assertThat(pair.front().send(packet)).isEqualTo(NetfrontQueue.BUSY);

            pair.front().flush();
            final int[] got = {0};
            pair.vif().doWork(p -> got[0]++, 1000);
            pair.front().collectTxResponses();

            assertThat(got[0]).isEqualTo(queued);
            assertThat(pair.front().isTxStopped()).isFalse();
            assertThat(pair.front().send(packet)).isEqualTo(NetfrontQueue.SENT);
        }
    }

    @Test
    void shouldServeTwoVifsWithTrafficBetweenThem()
    {
        try (NetSim sim = new NetSim(2))
        {
            final NetSim.Pair a = sim.connect(1, false);
            final NetSim.Pair b = sim.connect(2, true);
            final NetPacket packet = new NetPacket(sim.arena);
            final SplittableRandom random = new SplittableRandom(3);
            final List<Seen> sent = new ArrayList<>();
            final List<Seen> received = new ArrayList<>();
            for (int i = 0; i < 300; i++)
            {
                fill(packet, random, 60 + random.nextInt(3000));
                while (a.front().send(packet) != NetfrontQueue.SENT)
                {
                    a.front().flush();
                    a.vif().doWork(b.vif()::deliver, 64);
                    b.vif().doWork(p -> { }, 64);
                    a.front().collectTxResponses();
                    b.front().receive(p -> received.add(Seen.of(p)), 1000);
                }
                sent.add(Seen.of(packet));
            }
            a.front().flush();
            for (int spin = 0; spin < 200 && received.size() < sent.size(); spin++)
            {
                a.vif().doWork(b.vif()::deliver, 64);
                b.vif().doWork(p -> { }, 64);
                a.front().collectTxResponses();
                b.front().receive(p -> received.add(Seen.of(p)), 1000);
            }

            assertThat(received).containsExactlyElementsOf(sent);
        }
    }
}
