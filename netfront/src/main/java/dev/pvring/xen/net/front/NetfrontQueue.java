/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net.front;

import static dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor.FLAG_MORE;
import static dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor.GSO_SIZE_OFFSET;
import static dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor.GSO_TYPE_NONE;
import static dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor.GSO_TYPE_OFFSET;
import static dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor.TYPE_GSO;
import static dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor.TYPE_MAX;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.function.IntSupplier;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import dev.pvring.xen.net.NetPacket;
import dev.pvring.xen.net.Netif;
import dev.pvring.xen.net.PacketHandler;
import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.GrantTable;
import dev.pvring.xen.platform.LocalPage;
import dev.pvring.xen.platform.LocalPages;
import dev.pvring.xen.platform.Platform;
import dev.pvring.xen.ring.FrontRing;
import dev.pvring.xen.ring.RingStatus;
import dev.pvring.xen.ring.entry.NetifExtraInfoDescriptor;
import dev.pvring.xen.ring.entry.NetifRxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifRxResponseDescriptor;
import dev.pvring.xen.ring.entry.NetifTxRequestDescriptor;
import dev.pvring.xen.ring.entry.NetifTxResponseDescriptor;

/**
 * One netfront queue: a TX ring and an RX ring (one page each), the pages they carry and one or two event
 * channels, as Linux's {@code netfront_queue}. Independent of the XenBus lifecycle: {@link #allocate} makes
 * everything a frontend publishes ({@link #txRingRef()}, {@link #rxRingRef()}, {@link #txPort()},
 * {@link #rxPort()}), {@link #close()} takes it back.
 * <p>
 * <b>TX</b>: every TX id owns one page granted <em>read-only</em> to the backend once (a granted page pool);
 * {@link #send(NetPacket)} copies the frame into as many pages as it needs, the first slot carrying the total
 * size, {@code more_data} on all but the last, a GSO extra-info slot after the first when the packet is GSO,
 * and the checksum flags. Responses are matched by id; one for an id not in flight, an unknown status or an
 * impossible {@code rsp_prod} marks the queue broken. The queue stops as Linux's does: when fewer than
 * {@link Netif#TX_WAKE_SLOTS} + 1 request slots are free ({@link #isTxStopped()}), and wakes when responses free
 * them. {@link #flush()} pushes every queued packet at once and notifies only when the backend's event index
 * asks for it.
 * <p>
 * <b>RX</b>: every ring slot owns one page granted <em>writable</em> once; the RX id is the slot index (Linux
 * does the same; responses are read by slot, not by id). Buffers are posted in batches of at least
 * {@link Netif#RX_REFILL_MIN}. {@link #receive(PacketHandler, int)} rebuilds multi-slot frames and validates every
 * response as Linux's {@code xennet_get_responses} does: a negative status, {@code offset + status > 4096}, more
 * than {@link Netif#NR_SLOTS_MIN} slots, a frame cut short or an invalid extra drop that frame (counted); an
 * impossible {@code rsp_prod} marks the queue broken.
 * <p>
 * Owns no thread; one thread drives a queue. Nothing the backend writes is trusted or thrown on.
 */
public final class NetfrontQueue implements AutoCloseable
{
    /** {@link #send}: queued; call {@link #flush()} to publish. */
    public static final int SENT = 0;
    /** {@link #send}: the TX queue is stopped (too few free slots); retry after {@link #collectTxResponses()}. */
    public static final int BUSY = -1;
    /** {@link #send}: the queue is broken. */
    public static final int BROKEN = -2;
    /** {@link #send}: the frame is shorter than an Ethernet header or longer than {@link Netif#MAX_TX_SIZE}. */
    public static final int INVALID = -3;

    private static final int RING_BYTES = Netif.PAGE_SIZE;

    private final EventChannels events;
    private final int txRingRef;
    private final int rxRingRef;
    private final int txPort;
    private final int rxPort;
    private final FrontRing tx;
    private final FrontRing rx;
    private final int size;
    private final AtomicBuffer[] txPages;
    private final int[] txRefs;
    private final int[] txFreeIds;
    private int txFreeCount;
    private final boolean[] txInFlight;
    private final AtomicBuffer[] rxPages;
    private final int[] rxRefs;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);
    private final NetPacket rxPacket;
    /** Owns {@link #rxPacket}; closed by {@link #close()}. */
    private final Arena arena = Arena.ofShared();
    /** Gives back grants, pages and ports this queue allocated itself; returns the grants still mapped. */
    private final IntSupplier release;

    private boolean broken;
    private String brokenReason = "";
    private boolean closed;

    private long txPackets;
    private long txBytes;
    private long txErrors;
    private long txNotifications;
    private long rxPackets;
    private long rxBytes;
    private long rxErrors;
    private long rxNotifications;
    private long leakedGrants;

    private NetfrontQueue(
        final EventChannels events, final AtomicBuffer txRing, final int txRingRef, final AtomicBuffer rxRing,
        final int rxRingRef, final AtomicBuffer[] txPages, final int[] txRefs, final AtomicBuffer[] rxPages,
        final int[] rxRefs, final int txPort, final int rxPort, final IntSupplier release)
    {
        this.events = events;
        this.txRingRef = txRingRef;
        this.rxRingRef = rxRingRef;
        this.tx = FrontRing.init(txRing, 0, RING_BYTES, NetifTxRequestDescriptor.ENTRY_LENGTH);
        this.rx = FrontRing.init(rxRing, 0, RING_BYTES, NetifRxRequestDescriptor.ENTRY_LENGTH);
        this.size = tx.size();
        if (txPages.length != size || txRefs.length != size || rxPages.length != rx.size() || rxRefs.length != size)
        {
            throw new IllegalArgumentException("one TX and one RX page per ring slot: slots=" + size + " txPages=" +
                txPages.length + " rxPages=" + rxPages.length);
        }
        this.txPages = txPages.clone();
        this.txRefs = txRefs.clone();
        this.rxPages = rxPages.clone();
        this.rxRefs = rxRefs.clone();
        this.txFreeIds = new int[size];
        this.txInFlight = new boolean[size];
        for (int id = 0; id < size; id++)
        {
            txFreeIds[txFreeCount++] = size - 1 - id;
        }
        this.txPort = txPort;
        this.rxPort = rxPort;
        this.release = release;
        this.rxPacket = new NetPacket(arena);
        postRx();
    }

    /**
     * A queue over rings, pages and ports someone else granted and allocated (the device framework): the TX ring
     * and RX ring pages (one page each, initialised here), one read-only granted page per TX slot, one writable
     * granted page per RX slot. {@link #close()} then gives nothing back; the owner does.
     *
     * @param events    the platform's event channels.
     * @param txRing    TX ring page.
     * @param txRingRef its grant ref.
     * @param rxRing    RX ring page.
     * @param rxRingRef its grant ref.
     * @param txPages   256 pages granted read-only to the backend.
     * @param txRefs    their refs.
     * @param rxPages   256 pages granted writable to the backend.
     * @param rxRefs    their refs.
     * @param txPort    port for TX (or both).
     * @param rxPort    port for RX (same as {@code txPort} unless split).
     * @return the queue, every RX buffer posted (not yet pushed).
     */
    public static NetfrontQueue over(
        final EventChannels events, final AtomicBuffer txRing, final int txRingRef, final AtomicBuffer rxRing,
        final int rxRingRef, final AtomicBuffer[] txPages, final int[] txRefs, final AtomicBuffer[] rxPages,
        final int[] rxRefs, final int txPort, final int rxPort)
    {
        return new NetfrontQueue(events, txRing, txRingRef, rxRing, rxRingRef, txPages, txRefs, rxPages, rxRefs,
            txPort, rxPort, () -> 0);
    }

    /**
     * Allocates a queue's rings, pages, grants and event channel(s) for {@code backendDomid} and posts every RX
     * buffer (not yet pushed: the backend is not connected; {@link #refillRx()} pushes). {@link #close()} gives
     * everything back.
     *
     * @param platform           the frontend's platform.
     * @param backendDomid       the backend domain (every grant and port is for it only).
     * @param splitEventChannels one port for TX and one for RX (the backend offers
     *                           {@code feature-split-event-channels}).
     * @return the queue.
     * @throws IllegalStateException if the platform runs out of pages, grants or ports (everything taken so far is
     *                               given back).
     */
    public static NetfrontQueue allocate(final Platform platform, final int backendDomid, final boolean splitEventChannels)
    {
        final Allocation a = new Allocation(platform, backendDomid);
        try
        {
            final int n = Netif.RING_ENTRIES_ONE_PAGE;
            final LocalPage txRing = a.page(false);
            final int txRingRef = a.lastRef;
            final LocalPage rxRing = a.page(false);
            final int rxRingRef = a.lastRef;
            final AtomicBuffer[] txPages = new AtomicBuffer[n];
            final int[] txRefs = new int[n];
            final AtomicBuffer[] rxPages = new AtomicBuffer[n];
            final int[] rxRefs = new int[n];
            for (int i = 0; i < n; i++)
            {
                txPages[i] = a.page(true).buffer();
                txRefs[i] = a.lastRef;
            }
            for (int i = 0; i < n; i++)
            {
                rxPages[i] = a.page(false).buffer();
                rxRefs[i] = a.lastRef;
            }
            final int txPort = a.port();
            final int rxPort = splitEventChannels ? a.port() : txPort;
            return new NetfrontQueue(platform.eventChannels(), txRing.buffer(), txRingRef, rxRing.buffer(), rxRingRef,
                txPages, txRefs, rxPages, rxRefs, txPort, rxPort, a::release);
        }
        catch (final RuntimeException ex)
        {
            a.release();
            throw ex;
        }
    }

    /** What {@link #allocate} took, so a failure or {@link #close()} gives it all back. */
    private static final class Allocation
    {
        private final GrantTable grants;
        private final EventChannels events;
        private final LocalPages localPages;
        private final int backendDomid;
        private final ArrayList<LocalPage> pages = new ArrayList<>();
        private final ArrayList<Integer> refs = new ArrayList<>();
        private final ArrayList<Integer> ports = new ArrayList<>();
        private int lastRef;

        Allocation(final Platform platform, final int backendDomid)
        {
            this.grants = platform.grantTable();
            this.events = platform.eventChannels();
            this.localPages = platform.localPages();
            this.backendDomid = backendDomid;
        }

        LocalPage page(final boolean readOnly)
        {
            final LocalPage page = localPages.allocate();
            final int ref = grants.grantAccess(backendDomid, page.frame(), readOnly);
            if (ref < 0)
            {
                localPages.free(page);
                throw new IllegalStateException("no free grant entry: status=" + ref + " granted=" + refs.size());
            }
            pages.add(page);
            refs.add(ref);
            lastRef = ref;
            return page;
        }

        int port()
        {
            final int port = events.allocateUnbound(backendDomid);
            if (port <= 0)
            {
                throw new IllegalStateException("cannot allocate an event channel: " + EventChannels.describe(port));
            }
            ports.add(port);
            return port;
        }

        /** Closes the ports and ends every grant; a page still mapped by the backend is never freed. */
        int release()
        {
            int leaked = 0;
            for (final int port : ports)
            {
                events.close(port);
            }
            for (int i = 0; i < refs.size(); i++)
            {
                if (grants.tryEndAccess(refs.get(i)))
                {
                    localPages.free(pages.get(i));
                }
                else
                {
                    leaked++;
                }
            }
            ports.clear();
            refs.clear();
            pages.clear();
            return leaked;
        }
    }

    /**
     * {@code tx-ring-ref}.
     *
     * @return grant ref of the TX ring page.
     */
    public int txRingRef()
    {
        return txRingRef;
    }

    /**
     * {@code rx-ring-ref}.
     *
     * @return grant ref of the RX ring page.
     */
    public int rxRingRef()
    {
        return rxRingRef;
    }

    /**
     * {@code event-channel} (or {@code event-channel-tx} when split).
     *
     * @return local port the backend binds.
     */
    public int txPort()
    {
        return txPort;
    }

    /**
     * {@code event-channel-rx} when split, else the same as {@link #txPort()}.
     *
     * @return local port.
     */
    public int rxPort()
    {
        return rxPort;
    }

    /**
     * Whether TX and RX have their own event channels.
     *
     * @return true if split.
     */
    public boolean isSplit()
    {
        return txPort != rxPort;
    }

    // ---------------------------------------------------------------------------------------------------- TX

    /**
     * Whether the TX queue is stopped as Linux stops it: {@code req_prod_pvt - rsp_cons >= size - 19}.
     *
     * @return true if {@link #send} would answer {@link #BUSY}.
     */
    public boolean isTxStopped()
    {
        return size - tx.freeRequests() >= size - Netif.TX_WAKE_SLOTS;
    }

    /**
     * Queues one packet on the TX ring (copied into granted pages; the packet may be reused at once). Nothing is
     * visible to the backend until {@link #flush()}.
     *
     * @param packet frame and metadata.
     * @return {@link #SENT}, {@link #BUSY}, {@link #BROKEN} or {@link #INVALID}.
     */
    public int send(final NetPacket packet)
    {
        if (broken || closed)
        {
            return BROKEN;
        }
        final int length = packet.length();
        if (length < Netif.ETH_HLEN || length > Netif.MAX_TX_SIZE)
        {
            txErrors++;
            return INVALID;
        }
        final boolean gso = packet.gsoType() != GSO_TYPE_NONE;
        final int dataSlots = (length + Netif.PAGE_SIZE - 1) / Netif.PAGE_SIZE;
        if (isTxStopped() || tx.freeRequests() < dataSlots + (gso ? 1 : 0) || txFreeCount < dataSlots)
        {
            return BUSY;
        }
        int copied = 0;
        for (int k = 0; k < dataSlots; k++)
        {
            final int chunk = Math.min(Netif.PAGE_SIZE, length - copied);
            final int id = txFreeIds[--txFreeCount];
            txInFlight[id] = true;
            txPages[id].putBytes(0, packet.buffer(), NetPacket.DATA_OFFSET + copied, chunk);
            int flags = k + 1 < dataSlots ? NetifTxRequestDescriptor.FLAG_MORE_DATA : 0;
            if (k == 0)
            {
                flags |= gso ? NetifTxRequestDescriptor.FLAG_EXTRA_INFO : 0;
                flags |= packet.checksum() == NetPacket.CHECKSUM_PARTIAL ?
                    NetifTxRequestDescriptor.FLAG_CSUM_BLANK | NetifTxRequestDescriptor.FLAG_DATA_VALIDATED :
                    packet.checksum() == NetPacket.CHECKSUM_VALIDATED ? NetifTxRequestDescriptor.FLAG_DATA_VALIDATED : 0;
            }
            final int slot = tx.claimRequest();
            if (slot < 0)
            {
                markBroken("tx ring refused a claim: " + RingStatus.toString(slot));
                return BROKEN;
            }
            tx.putInt(slot + NetifTxRequestDescriptor.GREF_OFFSET, txRefs[id]);
            tx.putShort(slot + NetifTxRequestDescriptor.OFFSET_OFFSET, (short)0);
            tx.putShort(slot + NetifTxRequestDescriptor.FLAGS_OFFSET, (short)flags);
            tx.putShort(slot + NetifTxRequestDescriptor.ID_OFFSET, (short)id);
            tx.putShort(slot + NetifTxRequestDescriptor.SIZE_OFFSET, (short)(k == 0 ? length : chunk));
            copied += chunk;
            if (k == 0 && gso)
            {
                final int extra = tx.claimRequest();
                if (extra < 0)
                {
                    markBroken("tx ring refused a claim: " + RingStatus.toString(extra));
                    return BROKEN;
                }
                tx.putLong(extra, 0L);
                tx.putInt(extra + 8, 0);
                tx.putByte(extra + NetifExtraInfoDescriptor.TYPE_OFFSET, (byte)TYPE_GSO);
                tx.putShort(extra + GSO_SIZE_OFFSET, (short)packet.gsoSize());
                tx.putByte(extra + GSO_TYPE_OFFSET, (byte)packet.gsoType());
            }
        }
        txPackets++;
        txBytes += length;
        return SENT;
    }

    /**
     * Publishes every queued TX request with one {@code req_prod} store and notifies the backend if its event
     * index asks for it.
     *
     * @return true if a notification was sent.
     */
    public boolean flush()
    {
        if (broken || closed || tx.unpublishedRequests() == 0)
        {
            return false;
        }
        if (tx.pushRequestsAndCheckNotify())
        {
            events.notify(txPort);
            txNotifications++;
            return true;
        }
        return false;
    }

    /**
     * Consumes TX responses: frees the ids they name (matched by id, never by slot) and re-arms the response
     * event. A response naming an id not in flight, an unknown status or an impossible {@code rsp_prod} marks
     * the queue broken.
     *
     * @return responses consumed.
     */
    public int collectTxResponses()
    {
        int work = 0;
        do
        {
            if (broken || closed)
            {
                return work;
            }
            tx.unconsumedResponses();
            if (tx.isBroken())
            {
                markBroken("tx rsp_prod overflow: " + tx.fault());
                return work;
            }
            while (tx.copyResponse(scratch, 0, NetifTxResponseDescriptor.LENGTH))
            {
                work++;
                final int id = scratch.getShort(NetifTxResponseDescriptor.ID_OFFSET) & 0xFFFF;
                final int status = scratch.getShort(NetifTxResponseDescriptor.STATUS_OFFSET);
                if (status == Netif.RSP_NULL)
                {
                    continue;
                }
                if (id >= size || !txInFlight[id])
                {
                    markBroken("tx response for an id not in flight: id=" + id);
                    return work;
                }
                if (status != Netif.RSP_OKAY && status != Netif.RSP_ERROR && status != Netif.RSP_DROPPED)
                {
                    markBroken("tx response with an unknown status: id=" + id + " status=" + status);
                    return work;
                }
                if (status != Netif.RSP_OKAY)
                {
                    txErrors++;
                }
                txInFlight[id] = false;
                txFreeIds[txFreeCount++] = id;
            }
        }
        while (tx.finalCheckForResponses());
        return work;
    }

    /**
     * TX slots in flight (requests without a response yet).
     *
     * @return in-flight slots.
     */
    public int txInFlightSlots()
    {
        return size - tx.freeRequests();
    }

    // ---------------------------------------------------------------------------------------------------- RX

    private void postRx()
    {
        while (rx.freeRequests() > 0)
        {
            final int slot = rx.claimRequest();
            if (slot < 0)
            {
                return;
            }
            final int id = (rx.reqProdPvt() - 1) & (rxPages.length - 1);
            rx.putShort(slot + NetifRxRequestDescriptor.ID_OFFSET, (short)id);
            rx.putShort(slot + NetifRxRequestDescriptor.PAD_OFFSET, (short)0);
            rx.putInt(slot + NetifRxRequestDescriptor.GREF_OFFSET, rxRefs[id]);
        }
    }

    /**
     * Posts a fresh buffer in every free RX slot if at least {@link Netif#RX_REFILL_MIN} are free (or any were
     * posted but not pushed), pushes and notifies if the backend asked ({@code feature-rx-notify}).
     *
     * @return true if a notification was sent.
     */
    public boolean refillRx()
    {
        if (broken || closed)
        {
            return false;
        }
        if (rx.freeRequests() >= Netif.RX_REFILL_MIN)
        {
            postRx();
        }
        if (rx.unpublishedRequests() == 0)
        {
            return false;
        }
        if (rx.pushRequestsAndCheckNotify())
        {
            events.notify(rxPort);
            rxNotifications++;
            return true;
        }
        return false;
    }

    /**
     * Consumes RX responses, rebuilds frames and hands each valid one to {@code handler}, then refills.
     *
     * @param handler receives each frame (valid during the call).
     * @param limit   most frames to deliver.
     * @return frames delivered.
     */
    public int receive(final PacketHandler handler, final int limit)
    {
        int delivered = 0;
        final int mask = rxPages.length - 1;
        while (delivered < limit && !broken && !closed)
        {
            int available = rx.unconsumedResponses();
            if (rx.isBroken())
            {
                markBroken("rx rsp_prod overflow: " + rx.fault());
                break;
            }
            if (available == 0)
            {
                if (!rx.finalCheckForResponses())
                {
                    break;
                }
                continue;
            }
            while (available > 0 && delivered < limit)
            {
                final NetPacket packet = rxPacket.reset();
                boolean error = false;
                int slots = 0;
                int flags;
                boolean extrasPending;
                int index = rx.rspCons();
                rx.copyResponse(scratch, 0, NetifRxResponseDescriptor.LENGTH);
                available--;
                slots++;
                flags = scratch.getShort(NetifRxResponseDescriptor.FLAGS_OFFSET) & 0xFFFF;
                error |= !appendFragment(packet, index & mask);
                if ((flags & NetifRxResponseDescriptor.FLAG_CSUM_BLANK) != 0)
                {
                    packet.checksum(NetPacket.CHECKSUM_PARTIAL);
                }
                else if ((flags & NetifRxResponseDescriptor.FLAG_DATA_VALIDATED) != 0)
                {
                    packet.checksum(NetPacket.CHECKSUM_VALIDATED);
                }
                extrasPending = (flags & NetifRxResponseDescriptor.FLAG_EXTRA_INFO) != 0;
                while (extrasPending)
                {
                    if (available == 0)
                    {
                        error = true; // "Missing extra info"
                        break;
                    }
                    rx.copyResponse(scratch, 0, NetifExtraInfoDescriptor.LENGTH);
                    available--;
                    final int type = scratch.getByte(NetifExtraInfoDescriptor.TYPE_OFFSET) & 0xFF;
                    final int extraFlags = scratch.getByte(NetifExtraInfoDescriptor.FLAGS_OFFSET) & 0xFF;
                    if (type == 0 || type >= TYPE_MAX)
                    {
                        error = true; // "Invalid extra type"
                    }
                    else if (type == TYPE_GSO)
                    {
                        packet.gso(scratch.getByte(GSO_TYPE_OFFSET) & 0xFF, scratch.getShort(GSO_SIZE_OFFSET) & 0xFFFF);
                    }
                    extrasPending = (extraFlags & FLAG_MORE) != 0;
                }
                while ((flags & NetifRxResponseDescriptor.FLAG_MORE_DATA) != 0)
                {
                    if (available == 0)
                    {
                        error = true; // "Need more slots"
                        break;
                    }
                    index = rx.rspCons();
                    rx.copyResponse(scratch, 0, NetifRxResponseDescriptor.LENGTH);
                    available--;
                    slots++;
                    flags = scratch.getShort(NetifRxResponseDescriptor.FLAGS_OFFSET) & 0xFFFF;
                    if (!error)
                    {
                        error = !appendFragment(packet, index & mask);
                    }
                }
                if (slots > Netif.NR_SLOTS_MIN)
                {
                    error = true; // "Too many slots"
                }
                if (error)
                {
                    rxErrors++;
                    continue;
                }
                rxPackets++;
                rxBytes += packet.length();
                delivered++;
                handler.onPacket(packet);
            }
        }
        refillRx();
        return delivered;
    }

    /** Validates the response in {@link #scratch} and appends its bytes from the page of slot {@code id}. */
    private boolean appendFragment(final NetPacket packet, final int id)
    {
        final int status = scratch.getShort(NetifRxResponseDescriptor.STATUS_OFFSET);
        final int offset = scratch.getShort(NetifRxResponseDescriptor.OFFSET_OFFSET) & 0xFFFF;
        if (status < 0 || offset + status > Netif.PAGE_SIZE || packet.length() + status > NetPacket.MAX_FRAME)
        {
            return false;
        }
        packet.buffer().putBytes(NetPacket.DATA_OFFSET + packet.length(), rxPages[id], offset, status);
        packet.length(packet.length() + status);
        return true;
    }

    // ------------------------------------------------------------------------------------------------ common

    /**
     * Runs TX completion, RX and refill once.
     *
     * @param handler receives RX frames.
     * @param limit   most RX frames.
     * @return work done (responses and frames).
     */
    public int doWork(final PacketHandler handler, final int limit)
    {
        return collectTxResponses() + receive(handler, limit);
    }

    private void markBroken(final String reason)
    {
        if (!broken)
        {
            broken = true;
            brokenReason = reason;
        }
    }

    /**
     * Whether the backend broke the protocol; a broken queue sends and receives nothing more.
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

    /** @return TX packets queued. */
    public long txPackets()
    {
        return txPackets;
    }

    /** @return TX bytes queued. */
    public long txBytes()
    {
        return txBytes;
    }

    /** @return TX packets refused as invalid plus error/dropped responses. */
    public long txErrors()
    {
        return txErrors;
    }

    /** @return notifications sent for TX. */
    public long txNotifications()
    {
        return txNotifications;
    }

    /** @return RX frames delivered. */
    public long rxPackets()
    {
        return rxPackets;
    }

    /** @return RX bytes delivered. */
    public long rxBytes()
    {
        return rxBytes;
    }

    /** @return RX frames dropped because a response was invalid. */
    public long rxErrors()
    {
        return rxErrors;
    }

    /** @return notifications sent for RX refills. */
    public long rxNotifications()
    {
        return rxNotifications;
    }

    /** @return grants the backend still mapped at close (their pages are never reused). */
    public long leakedGrants()
    {
        return leakedGrants;
    }

    /**
     * Stops the queue. A queue from {@link #allocate} also closes its event channels and ends every grant; a page
     * whose grant cannot end (the backend still maps it) is never freed or reused (counted in
     * {@link #leakedGrants()}). A queue from {@link #over} leaves that to the owner. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        leakedGrants = release.getAsInt();
        arena.close();
    }

    @Override
    public String toString()
    {
        return "NetfrontQueue{txRingRef=" + txRingRef + ", rxRingRef=" + rxRingRef + ", txPort=" + txPort +
            ", rxPort=" + rxPort + ", broken=" + broken + "}";
    }
}
