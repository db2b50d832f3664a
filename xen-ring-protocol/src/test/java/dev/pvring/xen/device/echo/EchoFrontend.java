/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device.echo;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.BitSet;

import dev.pvring.xen.device.DutyCycle;
import dev.pvring.xen.device.FrontendContext;
import dev.pvring.xen.device.FrontendDriver;
import dev.pvring.xen.device.GrantedPages;
import dev.pvring.xen.device.RingPages;
import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.ring.FrontRing;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The example device's frontend, written against the framework's public API only. The application side is a
 * queue of sequence numbers: each becomes one request carrying a page of data derived from the number, through
 * a pool of pages granted once per connection. Requests in flight when a connection ends go back to the head
 * of the queue and are re-issued on the next connection; every sequence number completes exactly once, which
 * {@link #completed()} and {@link #duplicates()} let a test check.
 */
public final class EchoFrontend implements FrontendDriver<EchoFrontend.Path>
{
    private final int poolPages;
    private final int length;
    private final ArrayDeque<Long> queued = new ArrayDeque<>();
    private final BitSet done = new BitSet();
    private long nextSeq;
    private long completed;
    private long duplicates;
    private long corrupt;
    private long reissued;
    private boolean connected;

    /**
     * Creates the driver.
     *
     * @param poolPages data pages (and requests in flight at most).
     * @param length    bytes per request (1..4096).
     */
    public EchoFrontend(final int poolPages, final int length)
    {
        this.poolPages = poolPages;
        this.length = length;
    }

    /**
     * Queues {@code count} new requests.
     *
     * @param count how many.
     */
    public void submit(final long count)
    {
        for (long i = 0; i < count; i++)
        {
            queued.add(nextSeq++);
        }
    }

    /** @return requests completed (each sequence number once). */
    public long completed()
    {
        return completed;
    }

    /** @return responses for a sequence number already completed (must stay 0). */
    public long duplicates()
    {
        return duplicates;
    }

    /** @return responses whose data did not match (must stay 0). */
    public long corrupt()
    {
        return corrupt;
    }

    /** @return requests taken back from a lost connection and re-issued. */
    public long reissued()
    {
        return reissued;
    }

    /** @return requests submitted so far. */
    public long submitted()
    {
        return nextSeq;
    }

    /** @return whether a connection is up. */
    public boolean isConnected()
    {
        return connected;
    }

    @Override
    public String type()
    {
        return EchoProtocol.TYPE;
    }

    @Override
    public Path connect(final FrontendContext device)
    {
        if (!device.backendFlag("feature-echo"))
        {
            device.fail("backend lacks feature-echo");
            return null;
        }
        final RingPages ring = device.grantRing("ring-ref", "ring-page-order", 0);
        if (null == ring)
        {
            return null;
        }
        final GrantedPages pool = device.grantPages(poolPages, false);
        if (null == pool)
        {
            return null;
        }
        final int port = device.allocatePort("event-channel");
        if (port <= 0)
        {
            return null;
        }
        final FrontRing frontRing = FrontRing.init(ring.buffer(), 0, ring.length(), EchoProtocol.ENTRY);
        return new Path(frontRing, pool, port, device.eventChannels());
    }

    @Override
    public void connected(final Path path)
    {
        connected = true;
        path.live = true;
    }

    @Override
    public void disconnect(final Path path, final boolean backendLost)
    {
        connected = false;
        path.live = false;
        // Take back every request in flight, oldest first, to the head of the queue.
        for (int id = path.inFlight.length - 1; id >= 0; id--)
        {
            final long seq = path.inFlight[id];
            if (seq >= 0)
            {
                path.inFlight[id] = -1;
                queued.addFirst(seq);
                reissued++;
            }
        }
    }

    private static byte pattern(final long seq, final int i)
    {
        return (byte)(seq * 31 + i);
    }

    /** One connection's data path. */
    public final class Path implements DutyCycle
    {
        final FrontRing ring;
        final GrantedPages pool;
        final int port;
        final EventChannels events;
        final long[] inFlight;
        final int[] free;
        int freeCount;
        boolean live;
        private final UnsafeBuffer response = new UnsafeBuffer(new byte[EchoProtocol.ENTRY]);

        Path(final FrontRing ring, final GrantedPages pool, final int port, final EventChannels events)
        {
            this.ring = ring;
            this.pool = pool;
            this.port = port;
            this.events = events;
            this.inFlight = new long[pool.count()];
            this.free = new int[pool.count()];
            for (int i = 0; i < pool.count(); i++)
            {
                inFlight[i] = -1;
                free[freeCount++] = pool.count() - 1 - i;
            }
        }

        @Override
        public int doWork()
        {
            if (!live || ring.isBroken())
            {
                return 0;
            }
            int work = consume();
            work += produce();
            if (0 == work && ring.finalCheckForResponses())
            {
                work = 1;
            }
            return work;
        }

        private int consume()
        {
            final int available = ring.unconsumedResponses();
            for (int i = 0; i < available; i++)
            {
                if (!ring.copyResponse(response, 0, EchoProtocol.ENTRY))
                {
                    break;
                }
                final int id = response.getInt(EchoProtocol.ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
                final int status = response.getInt(EchoProtocol.STATUS_OFFSET, ByteOrder.LITTLE_ENDIAN);
                if (id < 0 || id >= inFlight.length || inFlight[id] < 0)
                {
                    corrupt++;
                    continue;
                }
                final long seq = inFlight[id];
                inFlight[id] = -1;
                free[freeCount++] = id;
                if (status != length || !verify(pool.buffer(id), seq))
                {
                    corrupt++;
                }
                if (done.get((int)seq))
                {
                    duplicates++;
                }
                else
                {
                    done.set((int)seq);
                    completed++;
                }
            }
            return available;
        }

        private int produce()
        {
            int issued = 0;
            while (freeCount > 0 && !queued.isEmpty())
            {
                final int slot = ring.claimRequest();
                if (slot < 0)
                {
                    break;
                }
                final int id = free[--freeCount];
                final long seq = queued.poll();
                final AtomicBuffer page = pool.buffer(id);
                for (int i = 0; i < length; i++)
                {
                    page.putByte(i, pattern(seq, i));
                }
                inFlight[id] = seq;
                final AtomicBuffer b = ring.buffer();
                b.putInt(slot + EchoProtocol.ID_OFFSET, id, ByteOrder.LITTLE_ENDIAN);
                b.putInt(slot + EchoProtocol.GREF_OFFSET, pool.ref(id), ByteOrder.LITTLE_ENDIAN);
                b.putShort(slot + EchoProtocol.DATA_OFFSET_OFFSET, (short)0, ByteOrder.LITTLE_ENDIAN);
                b.putShort(slot + EchoProtocol.LENGTH_OFFSET, (short)length, ByteOrder.LITTLE_ENDIAN);
                issued++;
            }
            if (issued > 0 && ring.pushRequestsAndCheckNotify())
            {
                events.notify(port);
            }
            return issued;
        }

        private boolean verify(final AtomicBuffer page, final long seq)
        {
            for (int i = 0; i < length; i++)
            {
                if (page.getByte(i) != (byte)(pattern(seq, i) ^ EchoProtocol.XOR))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
