/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net.back;

import static dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor.GSO_TYPE_NONE;
import static dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor.GSO_TYPE_TCPV4;
import static dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor.GSO_TYPE_TCPV6;

import java.lang.foreign.Arena;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import dev.pvring.xen.net.NetPacket;
import dev.pvring.xen.net.Netif;
import dev.pvring.xen.net.PacketHandler;
import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.GrantCopyBatch;
import dev.pvring.xen.platform.GrantMapBatch;
import dev.pvring.xen.platform.GrantMapping;
import dev.pvring.xen.platform.GrantStatus;
import dev.pvring.xen.platform.GrantTable;
import dev.pvring.xen.platform.Platform;
import dev.pvring.xen.ring.BackRing;
import dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor;
import dev.pvring.xen.ring.entry.NetifRxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifRxResponseDescriptor;
import dev.pvring.xen.ring.entry.NetifTxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifTxResponseDescriptor;

/**
 * One netback queue: the backend end of a frontend's TX/RX ring pair, served by grant copy only (nothing of the
 * frontend is mapped except the two ring pages).
 * <p>
 * <b>TX</b> (frontend to backend), as Linux's {@code xenvif_tx_build_gops}: each request is copied out of the
 * ring once and only the copy is validated. Linux's decisions are kept exactly: an extra-info chain past
 * {@code req_prod}, an extra of type 0 or at least {@code XEN_NETIF_EXTRA_TYPE_MAX}, a fragment chain past
 * {@code req_prod} or of more than {@link Netif#FATAL_SKB_SLOTS} fragments, a slot crossing its page
 * ({@code offset + size > 4096}), a GSO extra with size 0 or a type other than TCPv4/TCPv6 are <em>fatal</em>: the
 * queue is broken (the vif is disconnected). More than {@link Netif#LEGACY_SLOTS_MAX} fragments, a fragment larger
 * than what remains of {@code first.size}, or a first slot holding fewer than {@link Netif#ETH_HLEN} bytes
 * <em>drop</em> the packet with {@code NETIF_RSP_ERROR}. Data is grant-copied out in batches (many packets per
 * {@link GrantTable#copy}); a zero-length fragment is answered without touching its gref (XSA-448); a failed copy
 * drops that packet with an error. Every slot gets exactly one response, in slot order ({@code NETIF_RSP_NULL}
 * for extras); responses are pushed once per batch.
 * <p>
 * <b>RX</b> (backend to frontend): packets queue in a bounded backlog ({@link #RX_BACKLOG}; beyond it they are
 * dropped and counted, XSA-392) and are delivered only when the frontend has posted as many requests as the
 * packet needs (data slots plus its GSO extra). Data is grant-copied into the frontend's pages and each response
 * goes in the slot of the request it consumed, with {@code more_data}, {@code extra_info}, the checksum flags and a
 * GSO extra.
 * <p>
 * Owns no thread; one thread drives a queue. Nothing from the frontend is thrown on.
 */
public final class NetbackQueue implements AutoCloseable
{
    /** Packets waiting for RX buffers before new ones are dropped. */
    public static final int RX_BACKLOG = 64;
    /** Packets whose data is grant-copied in one batch. */
    public static final int TX_BATCH_PACKETS = 32;
    private static final int MAX_FRAGS = Netif.FATAL_SKB_SLOTS;
    private static final int COPIES_PER_PACKET = 1 + MAX_FRAGS;
    private static final int RING_BYTES = Netif.PAGE_SIZE;

    private final GrantTable grants;
    private final EventChannels events;
    private final int frontDomid;
    /** Gives back what {@link #connect} took (ports, mappings); nothing for {@link #over}. */
    private final Runnable release;
    private final BackRing tx;
    private final BackRing rx;
    private final int txPort;
    private final int rxPort;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);
    private final GrantCopyBatch txCopies = new GrantCopyBatch(TX_BATCH_PACKETS * COPIES_PER_PACKET);
    private final GrantCopyBatch rxCopies = new GrantCopyBatch(Netif.RING_ENTRIES_ONE_PAGE);

    // Pending TX packets of the current batch (parallel arrays, no allocation per packet).
    private final NetPacket[] txPackets = new NetPacket[TX_BATCH_PACKETS];
    private final int[] txFirstId = new int[TX_BATCH_PACKETS];
    private final int[] txExtraCount = new int[TX_BATCH_PACKETS];
    private final int[] txFragCount = new int[TX_BATCH_PACKETS];
    private final int[][] txFragIds = new int[TX_BATCH_PACKETS][MAX_FRAGS + 1];
    private final int[] txStatus = new int[TX_BATCH_PACKETS];
    private final boolean[] txDeliver = new boolean[TX_BATCH_PACKETS];
    private final int[] txCopyFirst = new int[TX_BATCH_PACKETS];
    private final int[] txCopyCount = new int[TX_BATCH_PACKETS];
    private int txPending;

    // Per-packet scratch for the TX parse (copies of the ring slots).
    private final int[] fragGref = new int[MAX_FRAGS + 1];
    private final int[] fragOffset = new int[MAX_FRAGS + 1];
    private final int[] fragSize = new int[MAX_FRAGS + 1];

    private final NetPacket[] rxBacklog = new NetPacket[RX_BACKLOG];
    private int rxHead;
    private int rxCount;
    private final int[] rxRespId = new int[Netif.RING_ENTRIES_ONE_PAGE];
    private final int[] rxRespCopy = new int[Netif.RING_ENTRIES_ONE_PAGE];
    private final int[] rxRespFlags = new int[Netif.RING_ENTRIES_ONE_PAGE];
    private final int[] rxRespLen = new int[Netif.RING_ENTRIES_ONE_PAGE];
    private final int[] rxRespExtraGso = new int[Netif.RING_ENTRIES_ONE_PAGE];

    private final MulticastFilter multicast;
    /** Owns the private packet buffers (allocated on first use, freed by {@link #close()}). */
    private final Arena arena = Arena.ofShared();
    private boolean broken;
    private String brokenReason = "";
    private boolean closed;

    private long txPacketsIn;
    private long txBytesIn;
    private long txDropped;
    private long txNotifications;
    private long rxPacketsOut;
    private long rxBytesOut;
    private long rxDropped;
    private long rxNotifications;
    private long copyFailures;

    private NetbackQueue(
        final GrantTable grants, final EventChannels events, final int frontDomid, final AtomicBuffer txRing,
        final AtomicBuffer rxRing, final int txPort, final int rxPort, final MulticastFilter multicast,
        final Runnable release)
    {
        this.grants = grants;
        this.events = events;
        this.frontDomid = frontDomid;
        this.tx = BackRing.attach(txRing, 0, RING_BYTES, NetifTxRequestDescriptor.ENTRY_LENGTH);
        this.rx = BackRing.attach(rxRing, 0, RING_BYTES, NetifRxRequestDescriptor.ENTRY_LENGTH);
        this.txPort = txPort;
        this.rxPort = rxPort;
        this.multicast = multicast;
        this.release = release;
    }

    /**
     * A queue over ring pages someone else mapped and ports someone else bound (the device framework);
     * {@link #close()} then gives nothing back.
     *
     * @param grants     the backend's grant table (for copies).
     * @param events     the backend's event channels.
     * @param frontDomid frontend domain.
     * @param txRing     mapped TX ring page.
     * @param rxRing     mapped RX ring page.
     * @param txPort     local port for TX (or both).
     * @param rxPort     local port for RX.
     * @param multicast  the vif's multicast filter.
     * @return the queue.
     */
    public static NetbackQueue over(
        final GrantTable grants, final EventChannels events, final int frontDomid, final AtomicBuffer txRing,
        final AtomicBuffer rxRing, final int txPort, final int rxPort, final MulticastFilter multicast)
    {
        return new NetbackQueue(grants, events, frontDomid, txRing, rxRing, txPort, rxPort, multicast, () -> { });
    }

    /**
     * Connects to a frontend queue: maps its two ring pages and binds its event channel(s). Every number comes
     * from the frontend (xenstore), so failures are reported as {@code null} with the reason in {@code why}.
     *
     * @param platform     the backend's platform.
     * @param frontDomid   frontend domain.
     * @param txRingRef    {@code tx-ring-ref}.
     * @param rxRingRef    {@code rx-ring-ref}.
     * @param txRemotePort {@code event-channel} or {@code event-channel-tx}.
     * @param rxRemotePort {@code event-channel-rx}, or the same as {@code txRemotePort}.
     * @param multicast    the vif's multicast filter ({@code MCAST_ADD/DEL} extras).
     * @param why          receives the failure reason.
     * @return the queue, or {@code null}.
     */
    public static NetbackQueue connect(
        final Platform platform, final int frontDomid, final int txRingRef, final int rxRingRef,
        final int txRemotePort, final int rxRemotePort, final MulticastFilter multicast,
        final StringBuilder why)
    {
        final GrantTable grants = platform.grantTable();
        final EventChannels events = platform.eventChannels();
        final GrantMapBatch batch = new GrantMapBatch(2);
        batch.add(frontDomid, txRingRef, false);
        batch.add(frontDomid, rxRingRef, false);
        grants.map(batch);
        if (batch.status(0) != GrantStatus.OKAY || batch.status(1) != GrantStatus.OKAY)
        {
            why.append("cannot map the rings: tx-ring-ref=").append(txRingRef).append(' ')
                .append(GrantStatus.name(batch.status(0))).append(" rx-ring-ref=").append(rxRingRef).append(' ')
                .append(GrantStatus.name(batch.status(1)));
            grants.unmap(batch);
            return null;
        }
        final int txPort = events.bindInterdomain(frontDomid, txRemotePort);
        final int rxPort = txRemotePort == rxRemotePort ? txPort : events.bindInterdomain(frontDomid, rxRemotePort);
        if (txPort <= 0 || rxPort <= 0)
        {
            why.append("cannot bind the event channels: tx=").append(EventChannels.describe(txPort)).append(" rx=")
                .append(EventChannels.describe(rxPort));
            if (txPort > 0)
            {
                events.close(txPort);
            }
            if (rxPort > 0 && rxPort != txPort)
            {
                events.close(rxPort);
            }
            grants.unmap(batch);
            return null;
        }
        final GrantMapping txMapping = batch.mapping(0);
        final GrantMapping rxMapping = batch.mapping(1);
        return new NetbackQueue(grants, events, frontDomid, txMapping.buffer(), rxMapping.buffer(), txPort, rxPort,
            multicast, () ->
            {
                events.close(txPort);
                if (rxPort != txPort)
                {
                    events.close(rxPort);
                }
                grants.unmap(txMapping);
                grants.unmap(rxMapping);
            });
    }

    /**
     * Local port bound to the frontend's TX (or only) channel.
     *
     * @return port.
     */
    public int txPort()
    {
        return txPort;
    }

    /**
     * Local port bound to the frontend's RX channel (same as {@link #txPort()} unless split).
     *
     * @return port.
     */
    public int rxPort()
    {
        return rxPort;
    }

    // ---------------------------------------------------------------------------------------------------- TX

    /**
     * Serves the TX ring: consumes, validates and grant-copies packets in batches, answers every slot, hands the
     * good packets to {@code handler}, and re-arms the request event when the ring is empty.
     *
     * @param handler receives each packet (valid during the call).
     * @param budget  most packets to take.
     * @return packets consumed (delivered or dropped).
     */
    public int doTx(final PacketHandler handler, final int budget)
    {
        int done = 0;
        while (!broken && !closed && done < budget)
        {
            txPending = 0;
            txCopies.clear();
            int available = tx.unconsumedRequests();
            if (tx.isBroken())
            {
                fatal("tx req_prod overflow: " + tx.fault());
                return done;
            }
            if (available == 0)
            {
                if (tx.finalCheckForRequests())
                {
                    continue;
                }
                break;
            }
            while (available > 0 && txPending < TX_BATCH_PACKETS && done < budget &&
                txCopies.capacity() - txCopies.size() >= COPIES_PER_PACKET)
            {
                final int used = buildOne(available);
                if (used < 0)
                {
                    return done; // fatal: the queue is broken
                }
                available -= used;
                done++;
            }
            if (txCopies.size() > 0)
            {
                grants.copy(txCopies);
            }
            completeTx(handler);
        }
        return done;
    }

    /**
     * Copies and validates the slots of one packet, adding its grant copies or its error to the batch.
     *
     * @return slots consumed, or -1 if the frontend did something fatal.
     */
    private int buildOne(final int available)
    {
        final AtomicBuffer s = scratch;
        int work = available;
        tx.copyRequest(s, 0, NetifTxRequestDescriptor.LENGTH);
        work--;
        final int firstGref = s.getInt(NetifTxRequestDescriptor.GREF_OFFSET);
        final int firstOffset = s.getShort(NetifTxRequestDescriptor.OFFSET_OFFSET) & 0xFFFF;
        final int firstFlags = s.getShort(NetifTxRequestDescriptor.FLAGS_OFFSET) & 0xFFFF;
        final int firstId = s.getShort(NetifTxRequestDescriptor.ID_OFFSET) & 0xFFFF;
        int firstSize = s.getShort(NetifTxRequestDescriptor.SIZE_OFFSET) & 0xFFFF;
        final int totalSize = firstSize;

        int extraCount = 0;
        int gsoType = -1;
        int gsoSize = 0;
        long mcastAdd = -1;
        long mcastDel = -1;
        if ((firstFlags & NetifTxRequestDescriptor.FLAG_EXTRA_INFO) != 0)
        {
            boolean more;
            do
            {
                if (work-- <= 0)
                {
                    fatal("missing extra info: id=" + firstId);
                    return -1;
                }
                tx.copyRequest(s, 0, NetifExtraInfoDescriptor.LENGTH);
                extraCount++;
                final int type = s.getByte(NetifExtraInfoDescriptor.TYPE_OFFSET) & 0xFF;
                if (type == 0 || type >= NetifExtraInfoDescriptor.TYPE_MAX)
                {
                    fatal("invalid extra type: type=" + type + " id=" + firstId);
                    return -1;
                }
                if (type == NetifExtraInfoDescriptor.TYPE_GSO)
                {
                    gsoSize = s.getShort(NetifExtraInfoDescriptor.GSO_SIZE_OFFSET) & 0xFFFF;
                    gsoType = s.getByte(NetifExtraInfoDescriptor.GSO_TYPE_OFFSET) & 0xFF;
                }
                else if (type == NetifExtraInfoDescriptor.TYPE_MCAST_ADD)
                {
                    mcastAdd = MulticastFilter.mac(s, NetifExtraInfoDescriptor.MCAST_ADDR_OFFSET);
                }
                else if (type == NetifExtraInfoDescriptor.TYPE_MCAST_DEL)
                {
                    mcastDel = MulticastFilter.mac(s, NetifExtraInfoDescriptor.MCAST_ADDR_OFFSET);
                }
                more = (s.getByte(NetifExtraInfoDescriptor.FLAGS_OFFSET) & NetifExtraInfoDescriptor.FLAG_MORE) != 0;
            }
            while (more);
        }
        final int p = txPending;
        txFirstId[p] = firstId;
        txExtraCount[p] = extraCount;
        txFragCount[p] = 0;
        txDeliver[p] = false;
        txCopyFirst[p] = txCopies.size();
        txCopyCount[p] = 0;
        final int consumedSoFar = 1 + extraCount;
        if (mcastAdd >= 0 || mcastDel >= 0)
        {
            // Linux: a multicast-control "packet" (ADD checked first) is answered at once and carries no data (its
            // fragments, if any, are left in the ring as the next requests).
            final boolean ok = mcastAdd >= 0 ? multicast.add(mcastAdd) : multicast.remove(mcastDel);
            txStatus[p] = ok ? Netif.RSP_OKAY : Netif.RSP_ERROR;
            txPending++;
            return consumedSoFar;
        }

        // xenvif_count_requests
        int frags = 0;
        int dropReason = 0;
        if ((firstFlags & NetifTxRequestDescriptor.FLAG_MORE_DATA) != 0)
        {
            boolean more;
            do
            {
                if (frags >= work)
                {
                    fatal("fragment chain past req_prod: slots=" + frags + " available=" + work + " id=" + firstId);
                    return -1;
                }
                if (frags >= Netif.FATAL_SKB_SLOTS)
                {
                    fatal("malicious frontend using too many slots: slots=" + frags + " id=" + firstId);
                    return -1;
                }
                if (dropReason == 0 && frags >= Netif.LEGACY_SLOTS_MAX)
                {
                    dropReason = 1;
                }
                tx.copyRequest(s, 0, NetifTxRequestDescriptor.LENGTH);
                final int gref = s.getInt(NetifTxRequestDescriptor.GREF_OFFSET);
                final int offset = s.getShort(NetifTxRequestDescriptor.OFFSET_OFFSET) & 0xFFFF;
                final int flags = s.getShort(NetifTxRequestDescriptor.FLAGS_OFFSET) & 0xFFFF;
                final int id = s.getShort(NetifTxRequestDescriptor.ID_OFFSET) & 0xFFFF;
                final int size = s.getShort(NetifTxRequestDescriptor.SIZE_OFFSET) & 0xFFFF;
                if (dropReason == 0 && size > firstSize)
                {
                    dropReason = 2;
                }
                firstSize = (firstSize - size) & 0xFFFF;
                txFragIds[p][frags] = id;
                fragGref[frags] = gref;
                fragOffset[frags] = offset;
                fragSize[frags] = size;
                frags++;
                if (offset + size > Netif.PAGE_SIZE)
                {
                    fatal("fragment crosses its page: offset=" + offset + " size=" + size + " id=" + id);
                    return -1;
                }
                more = (flags & NetifTxRequestDescriptor.FLAG_MORE_DATA) != 0;
            }
            while (more);
        }
        txFragCount[p] = frags;
        final int consumed = consumedSoFar + frags;
        if (dropReason != 0)
        {
            return drop(p, consumed);
        }
        if (firstSize < Netif.ETH_HLEN)
        {
            return drop(p, consumed);
        }
        if (firstOffset + firstSize > Netif.PAGE_SIZE)
        {
            fatal("first slot crosses its page: offset=" + firstOffset + " size=" + firstSize + " id=" + firstId);
            return -1;
        }
        if (gsoType >= 0)
        {
            if (gsoSize == 0)
            {
                fatal("GSO size must not be zero: id=" + firstId);
                return -1;
            }
            if (gsoType != GSO_TYPE_TCPV4 && gsoType != GSO_TYPE_TCPV6)
            {
                fatal("bad GSO type: type=" + gsoType + " id=" + firstId);
                return -1;
            }
        }
        if (txPackets[p] == null)
        {
            txPackets[p] = new NetPacket(arena);
        }
        final NetPacket packet = txPackets[p].reset();
        packet.length(totalSize);
        packet.checksum((firstFlags & NetifTxRequestDescriptor.FLAG_CSUM_BLANK) != 0 ? NetPacket.CHECKSUM_PARTIAL :
            (firstFlags & NetifTxRequestDescriptor.FLAG_DATA_VALIDATED) != 0 ? NetPacket.CHECKSUM_VALIDATED :
            NetPacket.CHECKSUM_NONE);
        packet.gso(gsoType < 0 ? GSO_TYPE_NONE : gsoType, gsoType < 0 ? 0 : gsoSize);
        txCopies.addFromForeign(frontDomid, firstGref, firstOffset, packet.buffer(), NetPacket.DATA_OFFSET, firstSize);
        int at = NetPacket.DATA_OFFSET + firstSize;
        int copies = 1;
        for (int f = 0; f < frags; f++)
        {
            if (fragSize[f] != 0) // XSA-448: a zero-length fragment never touches its gref
            {
                txCopies.addFromForeign(frontDomid, fragGref[f], fragOffset[f], packet.buffer(), at, fragSize[f]);
                copies++;
                at += fragSize[f];
            }
        }
        txCopyCount[p] = copies;
        txStatus[p] = Netif.RSP_OKAY;
        txDeliver[p] = true;
        txPending++;
        return consumed;
    }

    private int drop(final int p, final int consumed)
    {
        txStatus[p] = Netif.RSP_ERROR;
        txPending++;
        return consumed;
    }

    private void completeTx(final PacketHandler handler)
    {
        for (int p = 0; p < txPending; p++)
        {
            if (txDeliver[p])
            {
                for (int c = txCopyFirst[p], end = c + txCopyCount[p]; c < end; c++)
                {
                    if (txCopies.status(c) != GrantStatus.OKAY)
                    {
                        copyFailures++;
                        txStatus[p] = Netif.RSP_ERROR;
                        txDeliver[p] = false;
                        break;
                    }
                }
            }
            respondTx(txFirstId[p], txStatus[p]);
            for (int e = 0; e < txExtraCount[p]; e++)
            {
                respondTx(0, Netif.RSP_NULL);
            }
            for (int f = 0; f < txFragCount[p]; f++)
            {
                respondTx(txFragIds[p][f], txStatus[p]);
            }
        }
        if (txPending > 0 && tx.pushResponsesAndCheckNotify())
        {
            events.notify(txPort);
            txNotifications++;
        }
        txCopies.clear();
        for (int p = 0; p < txPending; p++)
        {
            if (txDeliver[p])
            {
                txPacketsIn++;
                txBytesIn += txPackets[p].length();
                handler.onPacket(txPackets[p]);
            }
            else
            {
                txDropped++;
            }
        }
        txPending = 0;
    }

    private void respondTx(final int id, final int status)
    {
        final int slot = tx.claimResponse();
        if (slot < 0)
        {
            return;
        }
        tx.putShort(slot + NetifTxResponseDescriptor.ID_OFFSET, (short)id);
        tx.putShort(slot + NetifTxResponseDescriptor.STATUS_OFFSET, (short)status);
    }

    // ---------------------------------------------------------------------------------------------------- RX

    /**
     * Queues a copy of {@code packet} for the frontend; dropped (and counted) when the backlog is full, the queue
     * is broken, or the frame cannot fit the frontend's slot limit.
     *
     * @param packet frame and metadata.
     * @return true if queued.
     */
    public boolean enqueueRx(final NetPacket packet)
    {
        if (broken || closed || rxCount == RX_BACKLOG || packet.length() == 0 ||
            dataSlots(packet.length()) > Netif.NR_SLOTS_MIN)
        {
            rxDropped++;
            return false;
        }
        final int at = (rxHead + rxCount) % RX_BACKLOG;
        if (rxBacklog[at] == null)
        {
            rxBacklog[at] = new NetPacket(arena);
        }
        rxBacklog[at].copyFrom(packet);
        rxCount++;
        return true;
    }

    private static int dataSlots(final int length)
    {
        return (length + Netif.PAGE_SIZE - 1) / Netif.PAGE_SIZE;
    }

    /**
     * Delivers backlog packets into the frontend's posted buffers (as many as fit), pushes the responses and
     * notifies per the event index. When the frontend has too few buffers, asks to be woken when enough are
     * posted.
     *
     * @return packets delivered.
     */
    public int doRx()
    {
        int delivered = 0;
        while (!broken && !closed && rxCount > 0)
        {
            int available = rx.unconsumedRequests();
            if (rx.isBroken())
            {
                fatal("rx req_prod overflow: " + rx.fault());
                return delivered;
            }
            rxCopies.clear();
            int responses = 0;
            int batchPackets = 0;
            while (rxCount > 0)
            {
                final NetPacket packet = rxBacklog[rxHead];
                final boolean gso = packet.gsoType() != GSO_TYPE_NONE;
                final int slots = dataSlots(packet.length());
                final int need = slots + (gso ? 1 : 0);
                if (available < need)
                {
                    break;
                }
                int copied = 0;
                for (int k = 0; k < slots; k++)
                {
                    rx.copyRequest(scratch, 0, NetifRxRequestDescriptor.LENGTH);
                    final int id = scratch.getShort(NetifRxRequestDescriptor.ID_OFFSET) & 0xFFFF;
                    final int gref = scratch.getInt(NetifRxRequestDescriptor.GREF_OFFSET);
                    final int chunk = Math.min(Netif.PAGE_SIZE, packet.length() - copied);
                    rxRespId[responses] = id;
                    rxRespLen[responses] = chunk;
                    rxRespCopy[responses] = rxCopies.addToForeign(packet.buffer(), NetPacket.DATA_OFFSET + copied,
                        frontDomid, gref, 0, chunk);
                    rxRespExtraGso[responses] = -1;
                    int flags = k + 1 < slots ? NetifRxResponseDescriptor.FLAG_MORE_DATA : 0;
                    if (k == 0)
                    {
                        flags |= gso ? NetifRxResponseDescriptor.FLAG_EXTRA_INFO : 0;
                        flags |= packet.checksum() == NetPacket.CHECKSUM_PARTIAL ?
                            NetifRxResponseDescriptor.FLAG_CSUM_BLANK | NetifRxResponseDescriptor.FLAG_DATA_VALIDATED :
                            packet.checksum() == NetPacket.CHECKSUM_VALIDATED ?
                            NetifRxResponseDescriptor.FLAG_DATA_VALIDATED : 0;
                    }
                    rxRespFlags[responses] = flags;
                    responses++;
                    copied += chunk;
                    if (k == 0 && gso)
                    {
                        rx.copyRequest(scratch, 0, NetifRxRequestDescriptor.LENGTH);
                        rxRespExtraGso[responses] = (packet.gsoType() << 16) | packet.gsoSize();
                        rxRespCopy[responses] = -1;
                        responses++;
                    }
                }
                available -= need;
                rxPacketsOut++;
                rxBytesOut += packet.length();
                rxHead = (rxHead + 1) % RX_BACKLOG;
                rxCount--;
                batchPackets++;
                if (responses + Netif.NR_SLOTS_MIN + 1 > rxRespId.length)
                {
                    break;
                }
            }
            if (batchPackets == 0)
            {
                // Too few buffers for the next packet (XSA-392: compare with the slots it needs, not with 1): ask to
                // be woken once enough are posted, and go on only if they already are.
                final int need = dataSlots(rxBacklog[rxHead].length()) + (rxBacklog[rxHead].gsoType() != 0 ? 1 : 0);
                rx.finalCheckForRequests(Math.max(1, need - available));
                if (rx.isBroken() || rx.unconsumedRequests() < need)
                {
                    break;
                }
                continue;
            }
            if (rxCopies.size() > 0)
            {
                grants.copy(rxCopies);
            }
            for (int r = 0; r < responses; r++)
            {
                final int slot = rx.claimResponse();
                if (slot < 0)
                {
                    break;
                }
                if (rxRespExtraGso[r] >= 0)
                {
                    rx.putLong(slot, 0L);
                    rx.putByte(slot + NetifExtraInfoDescriptor.TYPE_OFFSET, (byte)NetifExtraInfoDescriptor.TYPE_GSO);
                    rx.putShort(slot + NetifExtraInfoDescriptor.GSO_SIZE_OFFSET, (short)(rxRespExtraGso[r] & 0xFFFF));
                    rx.putByte(slot + NetifExtraInfoDescriptor.GSO_TYPE_OFFSET, (byte)(rxRespExtraGso[r] >>> 16));
                    continue;
                }
                int status = rxRespLen[r];
                if (rxCopies.status(rxRespCopy[r]) != GrantStatus.OKAY)
                {
                    copyFailures++;
                    status = Netif.RSP_ERROR;
                }
                rx.putShort(slot + NetifRxResponseDescriptor.ID_OFFSET, (short)rxRespId[r]);
                rx.putShort(slot + NetifRxResponseDescriptor.OFFSET_OFFSET, (short)0);
                rx.putShort(slot + NetifRxResponseDescriptor.FLAGS_OFFSET, (short)rxRespFlags[r]);
                rx.putShort(slot + NetifRxResponseDescriptor.STATUS_OFFSET, (short)status);
            }
            rxCopies.clear();
            delivered += batchPackets;
            if (rx.pushResponsesAndCheckNotify())
            {
                events.notify(rxPort);
                rxNotifications++;
            }
        }
        return delivered;
    }

    /**
     * Packets waiting for frontend buffers.
     *
     * @return backlog length.
     */
    public int rxBacklog()
    {
        return rxCount;
    }

    // ------------------------------------------------------------------------------------------------ common

    private void fatal(final String reason)
    {
        if (!broken)
        {
            broken = true;
            brokenReason = reason;
            rxDropped += rxCount;
            rxCount = 0;
        }
    }

    /**
     * Whether the frontend did something Linux treats as fatal; a broken queue is served no more.
     *
     * @return true if broken.
     */
    public boolean isBroken()
    {
        return broken;
    }

    /**
     * Why the queue is broken (empty if not).
     *
     * @return reason with {@code name=value} details.
     */
    public String brokenReason()
    {
        return brokenReason;
    }

    /**
     * Marks the queue broken from outside (another queue of the same vif failed).
     *
     * @param reason why.
     */
    public void markBroken(final String reason)
    {
        fatal(reason);
    }

    /** @return TX packets delivered to the handler. */
    public long txPackets()
    {
        return txPacketsIn;
    }

    /** @return TX bytes delivered to the handler. */
    public long txBytes()
    {
        return txBytesIn;
    }

    /** @return TX packets dropped with an error response. */
    public long txDropped()
    {
        return txDropped;
    }

    /** @return notifications sent for TX responses. */
    public long txNotifications()
    {
        return txNotifications;
    }

    /** @return RX packets delivered to the frontend. */
    public long rxPackets()
    {
        return rxPacketsOut;
    }

    /** @return RX bytes delivered to the frontend. */
    public long rxBytes()
    {
        return rxBytesOut;
    }

    /** @return RX packets dropped (backlog full, too large, broken). */
    public long rxDropped()
    {
        return rxDropped;
    }

    /** @return notifications sent for RX responses. */
    public long rxNotifications()
    {
        return rxNotifications;
    }

    /** @return grant copies that failed (bogus grefs from the frontend). */
    public long copyFailures()
    {
        return copyFailures;
    }

    /**
     * Stops the queue; one from {@link #connect} also unbinds its event channels and unmaps its rings. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        release.run();
        java.util.Arrays.fill(txPackets, null);
        java.util.Arrays.fill(rxBacklog, null);
        arena.close();
    }

    @Override
    public String toString()
    {
        return "NetbackQueue{frontDomid=" + frontDomid + ", txPort=" + txPort + ", rxPort=" + rxPort + ", broken=" +
            broken + "}";
    }
}
