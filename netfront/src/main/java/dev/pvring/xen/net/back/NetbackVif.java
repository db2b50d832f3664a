/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net.back;

import dev.pvring.xen.net.NetPacket;
import dev.pvring.xen.net.NetifCtrlRequestDescriptor;
import dev.pvring.xen.net.PacketHandler;
import dev.pvring.xen.net.PacketHeaders;
import dev.pvring.xen.net.Toeplitz;

/**
 * The backend side of one vif: its queues, its optional control ring and its multicast filter. Packets for the
 * frontend go to the queue a hash picks ({@link #selectQueue}): the Toeplitz hash with the frontend's key and
 * mapping table when it configured one through the control ring, else a Toeplitz hash with a fixed key modulo the
 * queue count (one flow always uses one queue). If any queue (or the control ring's indices) breaks the
 * protocol, the whole vif is marked broken and served no more; other vifs are unaffected. Not thread safe.
 */
public final class NetbackVif implements AutoCloseable
{
    private static final byte[] DEFAULT_KEY = {
        0x6d, 0x5a, 0x56, (byte)0xda, 0x25, 0x5b, 0x0e, (byte)0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, (byte)0xa3,
        (byte)0x8f, (byte)0xb0, (byte)0xd0, (byte)0xca, 0x2b, (byte)0xcb, (byte)0xae, 0x7b, 0x30, (byte)0xb4, 0x77,
        (byte)0xcb, 0x2d, (byte)0xa3, (byte)0x80, 0x30, (byte)0xf2, 0x0c, 0x6a, 0x42, (byte)0xb7, 0x3b, (byte)0xbe,
        (byte)0xac, 0x01, (byte)0xfa};

    private final int frontDomid;
    private final int devid;
    private final NetbackQueue[] queues;
    private final MulticastFilter multicast;
    private NetbackCtrl ctrl;
    private final PacketHeaders headers = new PacketHeaders();
    private final byte[] flow = new byte[40];
    private boolean broken;
    private String brokenReason = "";

    /**
     * Groups connected queues.
     *
     * @param frontDomid frontend domain.
     * @param devid      device id.
     * @param queues     connected queues (at least one).
     * @param multicast  the filter the queues were connected with.
     */
    public NetbackVif(final int frontDomid, final int devid, final NetbackQueue[] queues, final MulticastFilter multicast)
    {
        if (queues.length == 0)
        {
            throw new IllegalArgumentException("a vif needs at least one queue: queues=0");
        }
        this.frontDomid = frontDomid;
        this.devid = devid;
        this.queues = queues.clone();
        this.multicast = multicast;
    }

    /**
     * Attaches the control ring (when the frontend asked for one).
     *
     * @param ctrl connected control ring.
     */
    public void ctrl(final NetbackCtrl ctrl)
    {
        this.ctrl = ctrl;
    }

    /** @return frontend domain. */
    public int frontDomid()
    {
        return frontDomid;
    }

    /** @return device id. */
    public int devid()
    {
        return devid;
    }

    /** @return the queues. */
    public int queueCount()
    {
        return queues.length;
    }

    /**
     * One queue.
     *
     * @param index queue index.
     * @return the queue.
     */
    public NetbackQueue queue(final int index)
    {
        return queues[index];
    }

    /** @return the multicast filter. */
    public MulticastFilter multicast()
    {
        return multicast;
    }

    /** @return the control ring, or {@code null}. */
    public NetbackCtrl ctrl()
    {
        return ctrl;
    }

    /**
     * The queue a packet for the frontend goes to.
     *
     * @param packet frame.
     * @return queue index.
     */
    public int selectQueue(final NetPacket packet)
    {
        if (queues.length == 1)
        {
            return 0;
        }
        if (!headers.parse(packet.buffer(), NetPacket.DATA_OFFSET, packet.length()))
        {
            return 0;
        }
        final NetbackCtrl c = ctrl;
        int hash;
        if (c != null && c.algorithm() == NetifCtrlRequestDescriptor.HASH_ALGORITHM_TOEPLITZ)
        {
            final int f = c.hashFlags();
            final boolean v4 = headers.ipVersion() == 4;
            final boolean tcp = headers.l4Protocol() == PacketHeaders.IPPROTO_TCP;
            final int withPorts = v4 ? NetifCtrlRequestDescriptor.HASH_TYPE_IPV4_TCP :
                NetifCtrlRequestDescriptor.HASH_TYPE_IPV6_TCP;
            final int addrOnly = v4 ? NetifCtrlRequestDescriptor.HASH_TYPE_IPV4 : NetifCtrlRequestDescriptor.HASH_TYPE_IPV6;
            if (tcp && (f & withPorts) != 0)
            {
                hash = Toeplitz.hash(c.key(), NetbackCtrl.MAX_KEY, flow, headers.flowInput(flow, true));
            }
            else if ((f & addrOnly) != 0)
            {
                hash = Toeplitz.hash(c.key(), NetbackCtrl.MAX_KEY, flow, headers.flowInput(flow, false));
            }
            else
            {
                return 0;
            }
            if (c.mappingSize() > 0)
            {
                final int q = c.mapping(Integer.remainderUnsigned(hash, c.mappingSize()));
                return q < queues.length ? q : 0;
            }
        }
        else
        {
            hash = Toeplitz.hash(DEFAULT_KEY, DEFAULT_KEY.length, flow, headers.flowInput(flow, true));
        }
        return Integer.remainderUnsigned(hash, queues.length);
    }

    /**
     * Queues a packet for the frontend on the queue its hash picks.
     *
     * @param packet frame and metadata (copied).
     * @return true if queued, false if dropped (backlog full, vif broken).
     */
    public boolean deliver(final NetPacket packet)
    {
        if (broken)
        {
            return false;
        }
        return queues[selectQueue(packet)].enqueueRx(packet);
    }

    /**
     * Like {@link #deliver} but tells a full backlog (retry later, as a stopped Linux queue makes the kernel
     * hold the packet) from a drop.
     *
     * @param packet frame and metadata (copied when queued).
     * @return 1 queued, 0 the chosen queue's backlog is full, -1 dropped.
     */
    public int offer(final NetPacket packet)
    {
        if (broken)
        {
            return -1;
        }
        final NetbackQueue q = queues[selectQueue(packet)];
        if (q.rxBacklog() == NetbackQueue.RX_BACKLOG)
        {
            return 0;
        }
        return q.enqueueRx(packet) ? 1 : -1;
    }

    /**
     * Serves every queue's TX and RX and the control ring once.
     *
     * @param handler receives the frontend's packets.
     * @param budget  most TX packets per queue.
     * @return work done.
     */
    public int doWork(final PacketHandler handler, final int budget)
    {
        if (broken)
        {
            return 0;
        }
        int work = 0;
        if (ctrl != null)
        {
            work += ctrl.doWork();
            if (ctrl.isBroken())
            {
                markBroken("control ring req_prod overflow");
                return work;
            }
        }
        for (final NetbackQueue q : queues)
        {
            work += q.doTx(handler, budget);
            work += q.doRx();
            if (q.isBroken())
            {
                markBroken(q.brokenReason());
                return work;
            }
        }
        return work;
    }

    /**
     * Marks the vif (and every queue) broken.
     *
     * @param reason why, with {@code name=value} details.
     */
    public void markBroken(final String reason)
    {
        if (!broken)
        {
            broken = true;
            brokenReason = reason;
            for (final NetbackQueue q : queues)
            {
                q.markBroken(reason);
            }
        }
    }

    /** @return whether the frontend broke the protocol (the vif is to be disconnected). */
    public boolean isBroken()
    {
        return broken;
    }

    /** @return why the vif is broken (empty if not). */
    public String brokenReason()
    {
        return brokenReason;
    }

    /**
     * Closes the control ring and every queue. Idempotent per part.
     */
    @Override
    public void close()
    {
        if (ctrl != null)
        {
            ctrl.close();
            ctrl = null;
        }
        for (final NetbackQueue q : queues)
        {
            q.close();
        }
    }

    @Override
    public String toString()
    {
        return "NetbackVif{frontDomid=" + frontDomid + ", devid=" + devid + ", queues=" + queues.length +
            ", broken=" + broken + "}";
    }
}
