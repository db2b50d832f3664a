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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.pvring.xen.net.back.MulticastFilter;
import dev.pvring.xen.net.back.NetbackCtrl;
import dev.pvring.xen.net.back.NetbackQueue;
import dev.pvring.xen.net.back.NetbackVif;
import dev.pvring.xen.net.front.NetfrontQueue;
import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.GrantTable;
import dev.pvring.xen.platform.LocalPage;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.ring.FrontRing;
import dev.pvring.xen.ring.SharedRingDescriptor;
import dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor;
import dev.pvring.xen.ring.entry.NetifRxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifTxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifTxResponseDescriptor;

/**
 * Hostile frontend against netback (security catalogue T1, T2, T8, T10). A raw frontend in dom1 writes random and
 * adversarial TX ring contents (wrong ids, bogus grefs, offsets crossing pages, 17-22 slot chains, chains past
 * {@code req_prod}, {@code req_prod} far past the ring, GSO size 0 or bad type, unknown extras, multicast extras)
 * and control-ring garbage; every published slot is one mutation. After each round the backend's decision is
 * compared with an independent model of Linux's {@code xenvif_tx_build_gops} rules: drop-with-error responses,
 * disconnect (vif broken, then reconnected to go on), or delivery of exactly the granted bytes. Throughout, a second
 * vif (dom2, a real netfront) keeps passing traffic through the same backend process, and every grant copy the
 * backend asks for stays inside one page.
 * <p>
 * Bounded in CI ({@value #CI_MUTATIONS} mutations, a few seconds). Full mode: {@code -Dpvring.netfuzz.mutations=10000000}
 * (e.g. {@code mvn -pl netfront -am verify -Dtest=NetbackFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dpvring.netfuzz.mutations=10000000}); {@code -Dpvring.netfuzz.seed=N} replays a run.
 */
class NetbackFuzzTest
{
    static final long CI_MUTATIONS = 30_000;
    private static final int DATA_PAGES = 8;
    private static final int BOGUS_REF = 4000;

    /** The raw frontend: ring pages, data pages with known bytes, event channels; no driver logic at all. */
    static final class RawFront
    {
        final SimPlatform platform;
        final LocalPage txPage;
        final LocalPage rxPage;
        final LocalPage ctrlPage;
        final int txRef;
        final int rxRef;
        final int ctrlRef;
        final int[] dataRefs = new int[DATA_PAGES];
        final LocalPage[] dataPages = new LocalPage[DATA_PAGES];
        FrontRing tx;
        FrontRing ctrl;
        int port;
        int ctrlPort;

        RawFront(final SimPlatform platform, final SplittableRandom random)
        {
            this.platform = platform;
            final GrantTable g = platform.grantTable();
            txPage = platform.localPages().allocate();
            rxPage = platform.localPages().allocate();
            ctrlPage = platform.localPages().allocate();
            txRef = g.grantAccess(0, txPage.frame(), false);
            rxRef = g.grantAccess(0, rxPage.frame(), false);
            ctrlRef = g.grantAccess(0, ctrlPage.frame(), false);
            for (int i = 0; i < DATA_PAGES; i++)
            {
                dataPages[i] = platform.localPages().allocate();
                for (int b = 0; b < GrantTable.PAGE_SIZE; b++)
                {
                    dataPages[i].buffer().putByte(b, (byte)random.nextInt());
                }
                dataRefs[i] = g.grantAccess(0, dataPages[i].frame(), true);
            }
            reset();
        }

        void reset()
        {
            final EventChannels events = platform.eventChannels();
            if (port > 0)
            {
                events.close(port);
                events.close(ctrlPort);
            }
            tx = FrontRing.init(txPage.buffer(), 0, GrantTable.PAGE_SIZE, NetifTxRequestDescriptor.ENTRY_LENGTH);
            FrontRing.init(rxPage.buffer(), 0, GrantTable.PAGE_SIZE, NetifRxRequestDescriptor.ENTRY_LENGTH);
            ctrl = FrontRing.init(ctrlPage.buffer(), 0, GrantTable.PAGE_SIZE, NetifCtrlRequestDescriptor.ENTRY_LENGTH);
            port = events.allocateUnbound(0);
            ctrlPort = events.allocateUnbound(0);
        }

        int pageOf(final int gref)
        {
            for (int i = 0; i < DATA_PAGES; i++)
            {
                if (dataRefs[i] == gref)
                {
                    return i;
                }
            }
            return -1;
        }
    }

    /** One ring slot as written (12 bytes). */
    record Slot(byte[] bytes)
    {
        UnsafeBuffer view()
        {
            return new UnsafeBuffer(bytes);
        }
    }

    /** What Linux decides for the published slots: responses (id, status) and packets, or a disconnect. */
    static final class Expected
    {
        final List<int[]> responses = new ArrayList<>();
        final List<long[]> packets = new ArrayList<>();
        boolean fatal;
        int dropped;
    }

    /**
     * The model: Linux's netback rules applied to copies of the published slots, written independently of
     * {@code NetbackQueue} (straight-line over a list; no batching, no ring).
     */
    static Expected model(final List<Slot> slots, final RawFront front, final MulticastFilter multicast)
    {
        final Expected e = new Expected();
        int i = 0;
        while (i < slots.size())
        {
            final int avail = slots.size() - i;
            final UnsafeBuffer first = slots.get(i).view();
            final int firstId = first.getShort(8) & 0xFFFF;
            final int firstFlags = first.getShort(6) & 0xFFFF;
            final int firstGref = first.getInt(0);
            final int firstOff = first.getShort(4) & 0xFFFF;
            int rem = first.getShort(10) & 0xFFFF;
            final int total = rem;
            int used = 1;
            int extras = 0;
            int gsoType = -1;
            int gsoSize = 0;
            long mcastAdd = -1;
            long mcastDel = -1;
            if ((firstFlags & FLAG_EXTRA_INFO) != 0)
            {
                boolean more;
                do
                {
                    if (used >= avail)
                    {
                        e.fatal = true;
                        return e;
                    }
                    final UnsafeBuffer x = slots.get(i + used).view();
                    used++;
                    extras++;
                    final int type = x.getByte(0) & 0xFF;
                    if (type == 0 || type >= 5)
                    {
                        e.fatal = true;
                        return e;
                    }
                    if (type == 1)
                    {
                        gsoSize = x.getShort(2) & 0xFFFF;
                        gsoType = x.getByte(4) & 0xFF;
                    }
                    if (type == 2)
                    {
                        mcastAdd = MulticastFilter.mac(x, 2);
                    }
                    else if (type == 3)
                    {
                        mcastDel = MulticastFilter.mac(x, 2);
                    }
                    more = (x.getByte(1) & 1) != 0;
                }
                while (more);
            }
            if (mcastAdd >= 0 || mcastDel >= 0)
            {
                final boolean added = mcastAdd >= 0 ? multicast.add(mcastAdd) : multicast.remove(mcastDel);
                e.responses.add(new int[] {firstId, added ? Netif.RSP_OKAY : Netif.RSP_ERROR});
                for (int x = 0; x < extras; x++)
                {
                    e.responses.add(new int[] {-1, Netif.RSP_NULL});
                }
                i += used;
                continue;
            }
            final List<int[]> frags = new ArrayList<>();
            boolean drop = false;
            if ((firstFlags & FLAG_MORE_DATA) != 0)
            {
                boolean more;
                do
                {
                    final int k = frags.size();
                    if (k >= avail - used || k >= 20)
                    {
                        e.fatal = true;
                        return e;
                    }
                    drop |= k >= 18;
                    final UnsafeBuffer f = slots.get(i + used + k).view();
                    final int size = f.getShort(10) & 0xFFFF;
                    final int off = f.getShort(4) & 0xFFFF;
                    drop |= size > rem;
                    rem = (rem - size) & 0xFFFF;
                    frags.add(new int[] {f.getShort(8) & 0xFFFF, f.getInt(0), off, size});
                    if (off + size > 4096)
                    {
                        e.fatal = true;
                        return e;
                    }
                    more = (f.getShort(6) & FLAG_MORE_DATA) != 0;
                }
                while (more);
            }
            used += frags.size();
            int status = 0;
            if (drop || rem < 14)
            {
                status = Netif.RSP_ERROR;
            }
            else if (firstOff + rem > 4096)
            {
                e.fatal = true;
                return e;
            }
            else if (gsoType >= 0 && (gsoSize == 0 || (gsoType != 1 && gsoType != 2)))
            {
                e.fatal = true;
                return e;
            }
            else
            {
                final CRC32 crc = new CRC32();
                boolean copyFails = front.pageOf(firstGref) < 0;
                if (!copyFails)
                {
                    crc.update(bytes(front, firstGref, firstOff, rem));
                }
                for (final int[] f : frags)
                {
                    if (f[3] != 0)
                    {
                        copyFails |= front.pageOf(f[1]) < 0;
                        if (!copyFails)
                        {
                            crc.update(bytes(front, f[1], f[2], f[3]));
                        }
                    }
                }
                if (copyFails)
                {
                    status = Netif.RSP_ERROR;
                }
                else
                {
                    e.packets.add(new long[] {total, crc.getValue()});
                }
            }
            if (status != 0)
            {
                e.dropped++;
            }
            e.responses.add(new int[] {firstId, status});
            for (int x = 0; x < extras; x++)
            {
                e.responses.add(new int[] {-1, Netif.RSP_NULL});
            }
            for (final int[] f : frags)
            {
                e.responses.add(new int[] {f[0], status});
            }
            i += used;
        }
        return e;
    }

    static byte[] bytes(final RawFront front, final int gref, final int off, final int len)
    {
        final byte[] b = new byte[len];
        front.dataPages[front.pageOf(gref)].buffer().getBytes(off, b);
        return b;
    }

    /** Generates the slots of one packet, usually plausible, often subtly wrong. */
    static void packet(final SplittableRandom r, final RawFront front, final List<Slot> out)
    {
        final int shape = r.nextInt(100);
        final int frags = shape < 45 ? 0 : shape < 90 ? 1 + r.nextInt(16) : 17 + r.nextInt(6);
        final int[] sizes = new int[frags];
        int sum = 0;
        for (int k = 0; k < frags; k++)
        {
            sizes[k] = r.nextInt(10) == 0 ? 0 : r.nextInt(10) == 0 ? 4096 : r.nextInt(1, 1500);
            sum += sizes[k];
        }
        final int firstChunk = r.nextInt(20) == 0 ? r.nextInt(14) : r.nextInt(14, 1600);
        int firstSize = sum + firstChunk;
        if (r.nextInt(15) == 0)
        {
            firstSize = r.nextInt(65536); // inconsistent with the fragments
        }
        final int extrasCount = r.nextInt(5) == 0 ? 1 + r.nextInt(2) : 0;
        int flags = frags > 0 ? FLAG_MORE_DATA : 0;
        flags |= extrasCount > 0 ? FLAG_EXTRA_INFO : 0;
        flags |= r.nextInt(4);
        out.add(request(r, front, r.nextInt(20) == 0 ? 4000 + r.nextInt(200) : r.nextInt(64), flags, firstSize & 0xFFFF,
            firstChunk));
        for (int x = 0; x < extrasCount; x++)
        {
            final byte[] b = new byte[12];
            final UnsafeBuffer v = new UnsafeBuffer(b);
            final int pick = r.nextInt(20);
            final int type = pick < 14 ? NetifExtraInfoDescriptor.TYPE_GSO : pick < 16 ? 2 : pick < 18 ? 3 :
                pick < 19 ? 4 : r.nextInt(3) == 0 ? 0 : 5 + r.nextInt(251);
            v.putByte(0, (byte)type);
            v.putByte(1, (byte)(x + 1 < extrasCount ? 1 : r.nextInt(30) == 0 ? 1 : 0));
            if (type == NetifExtraInfoDescriptor.TYPE_GSO)
            {
                v.putShort(2, (short)(r.nextInt(25) == 0 ? 0 : 536 + r.nextInt(9000)));
                v.putByte(4, (byte)(r.nextInt(25) == 0 ? r.nextInt(256) : 1 + r.nextInt(2)));
            }
            else
            {
                for (int k = 2; k < 8; k++)
                {
                    v.putByte(k, (byte)r.nextInt());
                }
            }
            out.add(new Slot(b));
        }
        for (int k = 0; k < frags; k++)
        {
            int f = k + 1 < frags ? FLAG_MORE_DATA : 0;
            if (r.nextInt(150) == 0)
            {
                f ^= FLAG_MORE_DATA; // cut the chain short or run it on into the next packet
            }
            out.add(request(r, front, r.nextInt(256), f, sizes[k], sizes[k]));
        }
    }

    static Slot request(
        final SplittableRandom r, final RawFront front, final int id, final int flags, final int size, final int span)
    {
        final byte[] b = new byte[12];
        final UnsafeBuffer v = new UnsafeBuffer(b);
        v.putInt(0, r.nextInt(12) == 0 ? (r.nextBoolean() ? BOGUS_REF : r.nextInt()) : front.dataRefs[r.nextInt(DATA_PAGES)]);
        final int maxOff = Math.max(0, 4096 - span);
        final int off = r.nextInt(60) == 0 ? r.nextInt(4096) : r.nextInt(maxOff + 1);
        v.putShort(4, (short)off);
        v.putShort(6, (short)flags);
        v.putShort(8, (short)id);
        v.putShort(10, (short)size);
        return new Slot(b);
    }

    /** A backend vif for the raw frontend, behind the page-bounds checker. */
    static NetbackVif connect(final CheckingPlatform dom0, final RawFront front, final NetSim sim)
    {
        final StringBuilder why = new StringBuilder();
        final MulticastFilter filter = new MulticastFilter();
        final NetbackQueue q = NetbackQueue.connect(dom0, 1, front.txRef, front.rxRef, front.port, front.port,
            filter, why);
        assertThat(q).as(why.toString()).isNotNull();
        final NetbackVif vif = new NetbackVif(1, 0, new NetbackQueue[] {q}, filter);
        final NetbackCtrl ctrl = NetbackCtrl.connect(dom0, 1, 1, front.ctrlRef, front.ctrlPort, why);
        assertThat(ctrl).as(why.toString()).isNotNull();
        vif.ctrl(ctrl);
        return vif;
    }

    /** The healthy sibling: a real netfront on dom2 whose vif loops its packets back to it. */
    static final class Sibling
    {
        final NetSim.Pair pair;
        final NetPacket packet;
        long sent;
        long received;

        Sibling(final NetSim sim)
        {
            pair = sim.connect(2, false);
            packet = new NetPacket(sim.arena);
            packet.length(200);
            for (int i = 0; i < 200; i++)
            {
                packet.buffer().putByte(NetPacket.DATA_OFFSET + i, (byte)i);
            }
        }

        void step()
        {
            if (pair.front().send(packet) == NetfrontQueue.SENT)
            {
                sent++;
            }
            pair.front().flush();
            pair.vif().doWork(pair.vif()::deliver, 64);
            pair.front().collectTxResponses();
            pair.front().receive(p -> received++, 1000);
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.HOURS) // the full mode takes about half an hour; each round is bounded below
    void shouldDecideEveryHostileTxRingAsLinuxDoesWhileASiblingVifKeepsWorking()
    {
        final long mutations = Long.getLong("pvring.netfuzz.mutations", CI_MUTATIONS);
        final long seed = Long.getLong("pvring.netfuzz.seed", System.nanoTime());
        final SplittableRandom r = new SplittableRandom(seed);
        try (NetSim sim = new NetSim(2))
        {
            final CheckingPlatform dom0 = new CheckingPlatform(sim.dom0);
            final RawFront front = new RawFront(sim.guest(1), r);
            final Sibling sibling = new Sibling(sim);
            NetbackVif vif = connect(dom0, front, sim);
            MulticastFilter modelFilter = new MulticastFilter();
            final UnsafeBuffer rsp = new UnsafeBuffer(new byte[12]);
            final List<long[]> delivered = new ArrayList<>();
            long done = 0;
            long rounds = 0;
            long fatal = 0;
            long drops = 0;
            long ok = 0;
            long ctrlRequests = 0;
            while (done < mutations)
            {
                rounds++;
                final String context = "seed=" + seed + " round=" + rounds;
                final int kind = r.nextInt(100);
                boolean expectFatal;
                Expected expected = null;
                if (kind < 3)
                {
                    // req_prod far past the ring (or behind req_cons): RING_REQUEST_PROD_OVERFLOW.
                    final int cons = front.tx.reqProdPvt();
                    final int[] bad = {cons + 257, cons + 256 + r.nextInt(1 << 20), cons - 1, 0x7fffffff,
                        cons + (1 << 31)};
                    front.tx.buffer().putIntRelease(SharedRingDescriptor.REQ_PROD_OFFSET, bad[r.nextInt(bad.length)]);
                    done++;
                    expectFatal = true;
                }
                else
                {
                    final List<Slot> slots = new ArrayList<>();
                    final int packets = 1 + r.nextInt(4);
                    for (int p = 0; p < packets && slots.size() < 150; p++)
                    {
                        packet(r, front, slots);
                    }
                    if (r.nextInt(30) == 0)
                    {
                        slots.subList(r.nextInt(slots.size()), slots.size()).clear(); // publish part of a packet
                    }
                    for (final Slot s : slots)
                    {
                        final int at = front.tx.claimRequest();
                        front.tx.buffer().putBytes(at, s.bytes());
                    }
                    front.tx.pushRequests();
                    done += slots.size();
                    expected = model(slots, front, modelFilter);
                    expectFatal = expected.fatal;
                    if (kind < 13)
                    {
                        ctrlRequests += ctrlGarbage(r, front);
                    }
                }
                delivered.clear();
                final long started = System.nanoTime();
                vif.doWork(p -> delivered.add(new long[] {p.length(), crc(p)}), 1_000);
                sibling.step();
                assertThat(System.nanoTime() - started).as(context + " no hang: one round of work")
                    .isLessThan(TimeUnit.SECONDS.toNanos(10));

                if (expectFatal)
                {
                    assertThat(vif.isBroken()).as(context + " expected a disconnect").isTrue();
                    fatal++;
                    vif.close();
                    front.reset();
                    vif = connect(dom0, front, sim);
                    modelFilter = new MulticastFilter();
                    continue;
                }
                assertThat(vif.isBroken()).as(context + " unexpected disconnect: " + vif.brokenReason()).isFalse();
                final List<int[]> got = new ArrayList<>();
                front.tx.unconsumedResponses();
                while (front.tx.copyResponse(rsp, 0, NetifTxResponseDescriptor.LENGTH))
                {
                    got.add(new int[] {rsp.getShort(0) & 0xFFFF, rsp.getShort(2)});
                }
                assertThat(got).as(context + " one response per slot").hasSameSizeAs(expected.responses);
                for (int i = 0; i < got.size(); i++)
                {
                    final int[] want = expected.responses.get(i);
                    assertThat(got.get(i)[1]).as(context + " status of response " + i).isEqualTo(want[1]);
                    if (want[0] >= 0)
                    {
                        assertThat(got.get(i)[0]).as(context + " id of response " + i).isEqualTo(want[0]);
                    }
                }
                assertThat(delivered).as(context + " delivered packets")
                    .usingElementComparator((a, b) -> a[0] == b[0] && a[1] == b[1] ? 0 : 1)
                    .containsExactlyElementsOf(expected.packets);
                drops += expected.dropped;
                ok += expected.packets.size();
                checkCtrlResponses(front, context);
            }
            vif.close();

            assertThat(dom0.outOfPageCopies).as("grant copies crossing a page").isZero();
            assertThat(dom0.copySegments).isPositive();
            assertThat(fatal).as("disconnects").isPositive();
            assertThat(drops).as("drops").isPositive();
            assertThat(ok).as("delivered").isPositive();
            assertThat(ctrlRequests).isPositive();
            assertThat(sibling.pair.vif().isBroken()).isFalse();
            assertThat(sibling.received).as("the sibling vif kept passing traffic").isEqualTo(sibling.sent)
                .isGreaterThanOrEqualTo(rounds - 1);
            System.out.printf("netback fuzz: seed=%d mutations=%d rounds=%d disconnects=%d drops=%d delivered=%d " +
                "ctrl=%d copies=%d sibling=%d%n", seed, done, rounds, fatal, drops, ok, ctrlRequests,
                dom0.copySegments, sibling.received);
        }
    }

    static long crc(final NetPacket p)
    {
        final CRC32 crc = new CRC32();
        final byte[] b = new byte[p.length()];
        p.buffer().getBytes(NetPacket.DATA_OFFSET, b);
        crc.update(b);
        return crc.getValue();
    }

    /** Random and edge-case control requests; returns how many were written. */
    static int ctrlGarbage(final SplittableRandom r, final RawFront front)
    {
        final int n = 1 + r.nextInt(5);
        final AtomicBuffer b = front.ctrl.buffer();
        for (int i = 0; i < n; i++)
        {
            final int at = front.ctrl.claimRequest();
            b.putShort(at, (short)r.nextInt());
            final int type = r.nextInt(3) == 0 ? r.nextInt(65536) : r.nextInt(12);
            b.putShort(at + 2, (short)type);
            final int[] interesting = {0, 1, 2, 40, 41, 128, 129, 1024, 1025, -1, 0x7fffffff,
                front.dataRefs[0], BOGUS_REF};
            for (int k = 0; k < 3; k++)
            {
                b.putInt(at + 4 + 4 * k, r.nextBoolean() ? r.nextInt() : interesting[r.nextInt(interesting.length)]);
            }
        }
        front.ctrl.pushRequests();
        return n;
    }

    static void checkCtrlResponses(final RawFront front, final String context)
    {
        final UnsafeBuffer c = new UnsafeBuffer(new byte[16]);
        front.ctrl.unconsumedResponses();
        assertThat(front.ctrl.isBroken()).as(context).isFalse();
        while (front.ctrl.copyResponse(c, 0, 12))
        {
            assertThat(c.getInt(NetifCtrlResponseDescriptor.STATUS_OFFSET)).as(context + " ctrl status").isBetween(0, 3);
        }
        assertThat(front.ctrl.unpublishedRequests()).isZero();
        assertThat(front.ctrl.freeRequests()).as(context + " every ctrl request answered").isEqualTo(front.ctrl.size());
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldNeitherCrashNorHangWhileTheFrontendRewritesSlotsUnderTheBackend() throws Exception
    {
        final SplittableRandom r = new SplittableRandom(99);
        try (NetSim sim = new NetSim(2))
        {
            final CheckingPlatform dom0 = new CheckingPlatform(sim.dom0);
            final RawFront front = new RawFront(sim.guest(1), r);
            final Sibling sibling = new Sibling(sim);
            final NetbackVif[] vif = {connect(dom0, front, sim)};
            // Publish a full ring of plausible packets, then let a thread flip slot bytes while the backend reads.
            final AtomicBoolean stop = new AtomicBoolean();
            final Thread mutator = new Thread(() ->
            {
                final SplittableRandom m = new SplittableRandom(5);
                final AtomicBuffer b = front.txPage.buffer();
                while (!stop.get())
                {
                    b.putByteVolatile(SharedRingDescriptor.HEADER_LENGTH + m.nextInt(256 * 12), (byte)m.nextInt());
                }
            });
            mutator.start();
            long rounds = 0;
            long reconnects = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            try
            {
                while (System.nanoTime() < deadline)
                {
                    rounds++;
                    final List<Slot> slots = new ArrayList<>();
                    while (slots.size() < 100)
                    {
                        packet(r, front, slots);
                    }
                    for (final Slot s : slots)
                    {
                        final int at = front.tx.claimRequest();
                        if (at < 0)
                        {
                            break;
                        }
                        front.tx.buffer().putBytes(at, s.bytes());
                    }
                    front.tx.pushRequests();
                    vif[0].doWork(p -> { }, 1_000);
                    sibling.step();
                    front.tx.unconsumedResponses();
                    while (front.tx.copyResponse(new UnsafeBuffer(new byte[12]), 0, 4))
                    {
                        // drain
                    }
                    if (vif[0].isBroken() || front.tx.freeRequests() < 120)
                    {
                        reconnects++;
                        vif[0].close();
                        front.reset();
                        vif[0] = connect(dom0, front, sim);
                    }
                }
            }
            finally
            {
                stop.set(true);
                mutator.join();
            }
            vif[0].close();

            assertThat(rounds).isPositive();
            assertThat(dom0.outOfPageCopies).isZero();
            assertThat(sibling.pair.vif().isBroken()).isFalse();
            assertThat(sibling.received).isEqualTo(sibling.sent).isPositive();
            System.out.printf("netback rewrite race: rounds=%d reconnects=%d sibling=%d%n", rounds, reconnects,
                sibling.received);
        }
    }
}
