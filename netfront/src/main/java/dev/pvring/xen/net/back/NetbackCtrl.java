/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.net.back;

import static dev.pvring.xen.net.NetifCtrlRequestDescriptor.HASH_ALGORITHM_NONE;
import static dev.pvring.xen.net.NetifCtrlRequestDescriptor.HASH_ALGORITHM_TOEPLITZ;
import static dev.pvring.xen.net.NetifCtrlRequestDescriptor.HASH_TYPE_ALL;
import static dev.pvring.xen.net.NetifCtrlResponseDescriptor.STATUS_BUFFER_OVERFLOW;
import static dev.pvring.xen.net.NetifCtrlResponseDescriptor.STATUS_INVALID_PARAMETER;
import static dev.pvring.xen.net.NetifCtrlResponseDescriptor.STATUS_NOT_SUPPORTED;
import static dev.pvring.xen.net.NetifCtrlResponseDescriptor.STATUS_SUCCESS;

import java.nio.ByteOrder;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import dev.pvring.xen.net.Netif;
import dev.pvring.xen.net.NetifCtrlRequestDescriptor;
import dev.pvring.xen.net.NetifCtrlResponseDescriptor;
import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.GrantCopyBatch;
import dev.pvring.xen.platform.GrantMapBatch;
import dev.pvring.xen.platform.GrantMapping;
import dev.pvring.xen.platform.GrantStatus;
import dev.pvring.xen.platform.GrantTable;
import dev.pvring.xen.platform.Platform;
import dev.pvring.xen.ring.BackRing;

/**
 * The backend end of a vif's control ring ({@code ctrl-ring-ref}, {@code event-channel-ctrl}) and the hash
 * configuration it sets, as Linux's {@code xenvif_ctrl_action}: hash flags, key (at most {@link #MAX_KEY} bytes,
 * read by grant copy), mapping table size (at most {@link #MAX_MAPPING}) and contents, algorithm. Every request is
 * copied once and validated (XSA-270: {@code off + len} must not wrap or pass the table, every entry must name an
 * existing queue); anything else is answered {@code NOT_SUPPORTED}. Nothing the frontend sends breaks the vif: a
 * garbage request just gets an error status. Not thread safe.
 */
public final class NetbackCtrl implements AutoCloseable
{
    /** Linux's {@code XEN_NETBK_MAX_HASH_KEY_SIZE}. */
    public static final int MAX_KEY = 40;
    /** Linux's {@code XEN_NETBK_MAX_HASH_MAPPING_SIZE}. */
    public static final int MAX_MAPPING = 128;

    private final GrantTable grants;
    private final EventChannels events;
    private final int frontDomid;
    private final int numQueues;
    private final Runnable release;
    private final BackRing ring;
    private final int port;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);
    private final UnsafeBuffer copyBuffer = new UnsafeBuffer(new byte[Netif.PAGE_SIZE]);
    private final GrantCopyBatch copy = new GrantCopyBatch(1);

    private int algorithm = HASH_ALGORITHM_NONE;
    private int flags;
    private final byte[] key = new byte[MAX_KEY];
    private final int[] table = new int[MAX_MAPPING];
    private int tableSize;
    private boolean broken;
    private long requests;
    private long rejected;

    private NetbackCtrl(
        final GrantTable grants, final EventChannels events, final int frontDomid, final int numQueues,
        final AtomicBuffer ringPage, final int port, final Runnable release)
    {
        this.grants = grants;
        this.events = events;
        this.frontDomid = frontDomid;
        this.numQueues = numQueues;
        this.ring = BackRing.attach(ringPage, 0, Netif.PAGE_SIZE, NetifCtrlRequestDescriptor.ENTRY_LENGTH);
        this.port = port;
        this.release = release;
    }

    /**
     * A control ring over a page someone else mapped and a port someone else bound (the device framework).
     *
     * @param grants     backend grant table (for copies of keys and tables).
     * @param events     backend event channels.
     * @param frontDomid frontend domain.
     * @param numQueues  the vif's queue count.
     * @param ringPage   mapped control ring page.
     * @param port       local port bound to {@code event-channel-ctrl}.
     * @return the control ring.
     */
    public static NetbackCtrl over(
        final GrantTable grants, final EventChannels events, final int frontDomid, final int numQueues,
        final AtomicBuffer ringPage, final int port)
    {
        return new NetbackCtrl(grants, events, frontDomid, numQueues, ringPage, port, () -> { });
    }

    /**
     * Maps the control ring and binds its event channel.
     *
     * @param platform   backend platform.
     * @param frontDomid frontend domain.
     * @param numQueues  the vif's queue count (mapping entries must be below it).
     * @param ringRef    {@code ctrl-ring-ref}.
     * @param remotePort {@code event-channel-ctrl}.
     * @param why        receives the failure reason.
     * @return the control ring, or {@code null}.
     */
    public static NetbackCtrl connect(
        final Platform platform, final int frontDomid, final int numQueues, final int ringRef, final int remotePort,
        final StringBuilder why)
    {
        final GrantMapBatch batch = new GrantMapBatch(1);
        batch.add(frontDomid, ringRef, false);
        platform.grantTable().map(batch);
        if (batch.status(0) != GrantStatus.OKAY)
        {
            why.append("cannot map the control ring: ctrl-ring-ref=").append(ringRef).append(' ')
                .append(GrantStatus.name(batch.status(0)));
            return null;
        }
        final int port = platform.eventChannels().bindInterdomain(frontDomid, remotePort);
        if (port <= 0)
        {
            why.append("cannot bind event-channel-ctrl: ").append(EventChannels.describe(port));
            platform.grantTable().unmap(batch);
            return null;
        }
        final GrantMapping mapping = batch.mapping(0);
        final GrantTable grants = platform.grantTable();
        final EventChannels events = platform.eventChannels();
        return new NetbackCtrl(grants, events, frontDomid, numQueues, mapping.buffer(), port, () ->
        {
            events.close(port);
            grants.unmap(mapping);
        });
    }

    /**
     * Serves every pending control request.
     *
     * @return requests answered.
     */
    public int doWork()
    {
        int work = 0;
        while (!broken)
        {
            final int available = ring.unconsumedRequests();
            if (ring.isBroken())
            {
                broken = true;
                break;
            }
            if (available == 0)
            {
                if (ring.finalCheckForRequests())
                {
                    continue;
                }
                break;
            }
            for (int i = 0; i < available; i++)
            {
                ring.copyRequest(scratch, 0, NetifCtrlRequestDescriptor.LENGTH);
                final int id = scratch.getShort(NetifCtrlRequestDescriptor.ID_OFFSET) & 0xFFFF;
                final int type = scratch.getShort(NetifCtrlRequestDescriptor.TYPE_OFFSET) & 0xFFFF;
                final int d0 = scratch.getInt(NetifCtrlRequestDescriptor.DATA0_OFFSET);
                final int d1 = scratch.getInt(NetifCtrlRequestDescriptor.DATA1_OFFSET);
                final int d2 = scratch.getInt(NetifCtrlRequestDescriptor.DATA2_OFFSET);
                resultData = 0;
                final int status = handle(type, d0, d1, d2);
                if (status != STATUS_SUCCESS)
                {
                    rejected++;
                }
                requests++;
                final int slot = ring.claimResponse();
                if (slot < 0)
                {
                    break;
                }
                final AtomicBuffer b = ring.buffer();
                b.putShort(slot + NetifCtrlResponseDescriptor.ID_OFFSET, (short)id);
                b.putShort(slot + NetifCtrlResponseDescriptor.TYPE_OFFSET, (short)type);
                b.putInt(slot + NetifCtrlResponseDescriptor.STATUS_OFFSET, status);
                b.putInt(slot + NetifCtrlResponseDescriptor.DATA_OFFSET, resultData);
                b.putInt(slot + NetifCtrlResponseDescriptor.LENGTH, 0);
                work++;
            }
            if (ring.pushResponsesAndCheckNotify())
            {
                events.notify(port);
            }
        }
        return work;
    }

    private int resultData;

    private int handle(final int type, final int d0, final int d1, final int d2)
    {
        switch (type)
        {
            case NetifCtrlRequestDescriptor.TYPE_SET_HASH_ALGORITHM:
                if (d0 != HASH_ALGORITHM_NONE && d0 != HASH_ALGORITHM_TOEPLITZ)
                {
                    return STATUS_INVALID_PARAMETER;
                }
                algorithm = d0;
                return STATUS_SUCCESS;
            case NetifCtrlRequestDescriptor.TYPE_GET_HASH_FLAGS:
                resultData = HASH_TYPE_ALL;
                return STATUS_SUCCESS;
            case NetifCtrlRequestDescriptor.TYPE_SET_HASH_FLAGS:
                if ((d0 & ~HASH_TYPE_ALL) != 0)
                {
                    return STATUS_INVALID_PARAMETER;
                }
                flags = d0;
                return STATUS_SUCCESS;
            case NetifCtrlRequestDescriptor.TYPE_SET_HASH_KEY:
                return setKey(d0, d1);
            case NetifCtrlRequestDescriptor.TYPE_GET_HASH_MAPPING_SIZE:
                resultData = MAX_MAPPING;
                return STATUS_SUCCESS;
            case NetifCtrlRequestDescriptor.TYPE_SET_HASH_MAPPING_SIZE:
                if (Integer.compareUnsigned(d0, MAX_MAPPING) > 0)
                {
                    return STATUS_INVALID_PARAMETER;
                }
                tableSize = d0;
                java.util.Arrays.fill(table, 0);
                return STATUS_SUCCESS;
            case NetifCtrlRequestDescriptor.TYPE_SET_HASH_MAPPING:
                return setMapping(d0, d1, d2);
            default:
                return STATUS_NOT_SUPPORTED;
        }
    }

    private int setKey(final int gref, final int length)
    {
        if (Integer.compareUnsigned(length, MAX_KEY) > 0)
        {
            return STATUS_BUFFER_OVERFLOW;
        }
        if (length > 0)
        {
            copy.clear();
            copy.addFromForeign(frontDomid, gref, 0, copyBuffer, 0, length);
            grants.copy(copy);
            if (copy.status(0) != GrantStatus.OKAY)
            {
                return STATUS_INVALID_PARAMETER;
            }
        }
        java.util.Arrays.fill(key, (byte)0);
        copyBuffer.getBytes(0, key, 0, length);
        return STATUS_SUCCESS;
    }

    private int setMapping(final int gref, final int length, final int offset)
    {
        final long len = Integer.toUnsignedLong(length);
        final long off = Integer.toUnsignedLong(offset);
        if (off + len > tableSize || len > Netif.PAGE_SIZE / 4)
        {
            return STATUS_INVALID_PARAMETER;
        }
        if (len == 0)
        {
            return STATUS_SUCCESS;
        }
        copy.clear();
        copy.addFromForeign(frontDomid, gref, 0, copyBuffer, 0, (int)len * 4);
        grants.copy(copy);
        if (copy.status(0) != GrantStatus.OKAY)
        {
            return STATUS_INVALID_PARAMETER;
        }
        for (int i = 0; i < len; i++)
        {
            if (Integer.compareUnsigned(copyBuffer.getInt(i * 4, ByteOrder.LITTLE_ENDIAN), numQueues) >= 0)
            {
                return STATUS_INVALID_PARAMETER;
            }
        }
        for (int i = 0; i < len; i++)
        {
            table[(int)off + i] = copyBuffer.getInt(i * 4, ByteOrder.LITTLE_ENDIAN);
        }
        return STATUS_SUCCESS;
    }

    /** @return the hash algorithm in use ({@code XEN_NETIF_CTRL_HASH_ALGORITHM_*}). */
    public int algorithm()
    {
        return algorithm;
    }

    /** @return the hash type bits in use. */
    public int hashFlags()
    {
        return flags;
    }

    /** @return the key (40 bytes; unset bytes are zero). */
    public byte[] key()
    {
        return key;
    }

    /** @return mapping table entries in use (0: hash modulo the queue count). */
    public int mappingSize()
    {
        return tableSize;
    }

    /**
     * The queue a table entry names.
     *
     * @param index entry below {@link #mappingSize()}.
     * @return queue index.
     */
    public int mapping(final int index)
    {
        return table[index];
    }

    /** @return whether the control ring's indices were impossible (the ring is no longer served). */
    public boolean isBroken()
    {
        return broken;
    }

    /** @return requests answered. */
    public long requests()
    {
        return requests;
    }

    /** @return requests answered with an error status. */
    public long rejected()
    {
        return rejected;
    }

    /** @return the local port bound to {@code event-channel-ctrl}. */
    public int port()
    {
        return port;
    }

    /**
     * Stops serving; one from {@link #connect} also unbinds its port and unmaps its page.
     */
    @Override
    public void close()
    {
        if (!released)
        {
            released = true;
            broken = true;
            release.run();
        }
    }

    private boolean released;
}
