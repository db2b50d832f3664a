/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device.echo;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

import dev.pvring.xen.device.BackendContext;
import dev.pvring.xen.device.BackendDriver;
import dev.pvring.xen.device.DutyCycle;
import dev.pvring.xen.device.FeatureWriter;
import dev.pvring.xen.device.RingPages;
import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.GrantCopyBatch;
import dev.pvring.xen.platform.GrantStatus;
import dev.pvring.xen.platform.GrantTable;
import dev.pvring.xen.ring.BackRing;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The example device's backend, written against the framework's public API only: three callbacks and a duty
 * cycle.
 */
public final class EchoBackend implements BackendDriver<EchoBackend.Path>
{
    /** Requests answered by every connection of this driver. */
    final AtomicLong answered = new AtomicLong();

    @Override
    public String type()
    {
        return EchoProtocol.TYPE;
    }

    @Override
    public void features(final BackendContext device, final FeatureWriter features)
    {
        features.flag("feature-echo", true);
        features.number("max-ring-page-order", 0);
    }

    @Override
    public Path connect(final BackendContext device)
    {
        final RingPages ring = device.mapRing("ring-ref", "ring-page-order", 0);
        if (null == ring)
        {
            return null;
        }
        final int port = device.bindPort("event-channel");
        if (port <= 0)
        {
            return null;
        }
        final BackRing backRing = BackRing.attach(ring.buffer(), 0, ring.length(), EchoProtocol.ENTRY);
        return new Path(backRing, port, device.eventChannels(), device.grantTable(), device.frontendDomid(), answered);
    }

    @Override
    public void disconnect(final Path path)
    {
        path.stopped = true;
    }

    /** One connection's data path. */
    public static final class Path implements DutyCycle
    {
        private final BackRing ring;
        private final int port;
        private final EventChannels events;
        private final GrantTable grants;
        private final int frontendDomid;
        private final AtomicLong answered;
        private final UnsafeBuffer request = new UnsafeBuffer(new byte[EchoProtocol.ENTRY]);
        private final UnsafeBuffer data = new UnsafeBuffer(new byte[GrantTable.PAGE_SIZE]);
        private final GrantCopyBatch copy = new GrantCopyBatch(1);
        boolean stopped;

        Path(
            final BackRing ring,
            final int port,
            final EventChannels events,
            final GrantTable grants,
            final int frontendDomid,
            final AtomicLong answered)
        {
            this.ring = ring;
            this.port = port;
            this.events = events;
            this.grants = grants;
            this.frontendDomid = frontendDomid;
            this.answered = answered;
        }

        @Override
        public int doWork()
        {
            if (stopped || ring.isBroken())
            {
                return 0;
            }
            final int available = ring.unconsumedRequests();
            if (0 == available)
            {
                return ring.finalCheckForRequests() ? 1 : 0;
            }
            for (int i = 0; i < available; i++)
            {
                if (!ring.copyRequest(request, 0, EchoProtocol.ENTRY))
                {
                    break;
                }
                // Copied once; validated on the copy (the frontend may rewrite the slot meanwhile).
                final int id = request.getInt(EchoProtocol.ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
                final int gref = request.getInt(EchoProtocol.GREF_OFFSET, ByteOrder.LITTLE_ENDIAN);
                final int offset = request.getShort(EchoProtocol.DATA_OFFSET_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                final int length = request.getShort(EchoProtocol.LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                final int status = echo(gref, offset, length);
                final int slot = ring.claimResponse();
                if (slot < 0)
                {
                    return 0;
                }
                ring.buffer().putInt(slot + EchoProtocol.ID_OFFSET, id, ByteOrder.LITTLE_ENDIAN);
                ring.buffer().putInt(slot + EchoProtocol.STATUS_OFFSET, status, ByteOrder.LITTLE_ENDIAN);
            }
            answered.addAndGet(available);
            if (ring.pushResponsesAndCheckNotify())
            {
                events.notify(port);
            }
            return available;
        }

        private int echo(final int gref, final int offset, final int length)
        {
            if (length == 0 || offset + length > GrantTable.PAGE_SIZE)
            {
                return EchoProtocol.STATUS_ERROR;
            }
            copy.clear();
            copy.addFromForeign(frontendDomid, gref, offset, data, 0, length);
            grants.copy(copy);
            if (GrantStatus.OKAY != copy.status(0))
            {
                return EchoProtocol.STATUS_ERROR;
            }
            for (int i = 0; i < length; i++)
            {
                data.putByte(i, (byte)(data.getByte(i) ^ EchoProtocol.XOR));
            }
            copy.clear();
            copy.addToForeign(data, 0, frontendDomid, gref, offset, length);
            grants.copy(copy);
            return GrantStatus.OKAY == copy.status(0) ? length : EchoProtocol.STATUS_ERROR;
        }
    }
}
