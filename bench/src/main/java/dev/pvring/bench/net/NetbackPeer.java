/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.net;

import static dev.pvring.bench.net.NetPeerDescriptor.BAD_OFFSET;
import static dev.pvring.bench.net.NetPeerDescriptor.BYTES_OFFSET;
import static dev.pvring.bench.net.NetPeerDescriptor.CONTROL_OFFSET;
import static dev.pvring.bench.net.NetPeerDescriptor.DROPS_OFFSET;
import static dev.pvring.bench.net.NetPeerDescriptor.FAILED;
import static dev.pvring.bench.net.NetPeerDescriptor.NOTIFICATIONS_OFFSET;
import static dev.pvring.bench.net.NetPeerDescriptor.PACKETS_OFFSET;
import static dev.pvring.bench.net.NetPeerDescriptor.READY;
import static dev.pvring.bench.net.NetPeerDescriptor.SEQUENCE_OFFSET;
import static dev.pvring.bench.net.NetPeerDescriptor.STOPPED;
import static dev.pvring.bench.net.NetPeerDescriptor.STOP_REQUESTED;

import java.lang.foreign.Arena;
import java.nio.file.Path;

import org.agrona.concurrent.AtomicBuffer;

import dev.pvring.core.SharedMemory;
import dev.pvring.xen.net.NetPacket;
import dev.pvring.xen.net.PacketHandler;
import dev.pvring.xen.net.back.MulticastFilter;
import dev.pvring.xen.net.back.NetbackQueue;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimSystem;

/**
 * The netback side of {@link NetRingBenchmark}, run in its own JVM as dom0: connects to the frontend queue the
 * benchmark allocated in dom1 and, until asked to stop, either consumes the TX ring (checking every frame's
 * length and sequence number) or fills the RX ring with numbered frames (only from a non-full backlog, so no
 * frame is refused). Polls (yielding every 64th empty poll unless {@code spin}); never blocks. Publishes its counters in the shared page ({@link NetPeerDescriptor}).
 */
public final class NetbackPeer
{
    private static final int TX_BUDGET = 64;

    private NetbackPeer()
    {
    }

    /**
     * Usage: {@code NetbackPeer SYSTEM_DIR COUNTERS_FILE TX_RING_REF RX_RING_REF TX_PORT RX_PORT tx|rx FRAME_BYTES
     * yield|spin}.
     *
     * @param args see usage.
     */
    public static void main(final String[] args)
    {
        final Path directory = Path.of(args[0]);
        final Path counters = Path.of(args[1]);
        final int txRingRef = Integer.parseInt(args[2]);
        final int rxRingRef = Integer.parseInt(args[3]);
        final int txPort = Integer.parseInt(args[4]);
        final int rxPort = Integer.parseInt(args[5]);
        final boolean tx = "tx".equals(args[6]);
        final int frameBytes = Integer.parseInt(args[7]);
        final boolean yieldWhenIdle = !"spin".equals(args[8]);
        try (SharedMemory memory = SharedMemory.open(counters, SharedMemory.Access.READ_WRITE);
            SimSystem system = SimSystem.open(directory);
            SimPlatform dom0 = system.join(0);
            Arena arena = Arena.ofConfined())
        {
            final AtomicBuffer shared = memory.buffer();
            final StringBuilder why = new StringBuilder();
            final NetbackQueue queue = NetbackQueue.connect(dom0, 1, txRingRef, rxRingRef, txPort, rxPort,
                new MulticastFilter(), why);
            if (queue == null)
            {
                System.out.println("netback peer cannot connect: " + why);
                // Release: the benchmark's acquire of the control word sees the failure.
                shared.putIntRelease(CONTROL_OFFSET, FAILED);
                System.exit(1);
                return;
            }
            try (queue)
            {
                // Release: the benchmark starts sending or receiving only after the queue is connected.
                shared.putIntRelease(CONTROL_OFFSET, READY);
                final boolean ok = tx ? serveTx(queue, shared, frameBytes, yieldWhenIdle) : serveRx(queue, shared, frameBytes, arena, yieldWhenIdle);
                publish(queue, shared, tx, ok ? 0 : 1);
                if (!ok)
                {
                    System.out.println("netback peer: queue broken: " + queue.brokenReason());
                }
            }
            // Release: the counters above and the unmapped grants are visible before the benchmark reads STOPPED.
            shared.putIntRelease(CONTROL_OFFSET, STOPPED);
        }
    }

    /** Checks frames in sequence; counts wrong ones in {@link NetPeerDescriptor#BAD_OFFSET}. */
    private static final class Checker
    {
        private final int frameBytes;
        long next;
        long bad;

        Checker(final int frameBytes)
        {
            this.frameBytes = frameBytes;
        }

        void onPacket(final NetPacket packet)
        {
            final long sequence = packet.buffer().getLong(NetPacket.DATA_OFFSET + SEQUENCE_OFFSET);
            if (packet.length() != frameBytes || sequence != next)
            {
                bad++;
            }
            next = sequence + 1;
        }
    }

    private static boolean serveTx(
        final NetbackQueue queue, final AtomicBuffer shared, final int frameBytes, final boolean yieldWhenIdle)
    {
        int idleSpins = 0;
        final Checker checker = new Checker(frameBytes);
        final PacketHandler handler = checker::onPacket;
        long lastPackets = -1;
        // Acquire: pairs with the benchmark's release of STOP_REQUESTED.
        while (shared.getIntAcquire(CONTROL_OFFSET) != STOP_REQUESTED)
        {
            final int work = queue.doTx(handler, TX_BUDGET);
            if (queue.isBroken())
            {
                return false;
            }
            if (work == 0)
            {
                idle(++idleSpins, yieldWhenIdle);
                continue;
            }
            idleSpins = 0;
            if (queue.txPackets() != lastPackets)
            {
                lastPackets = queue.txPackets();
                // Release: counters of a finished batch; the benchmark reads them at iteration ends.
                shared.putLongRelease(BAD_OFFSET, checker.bad);
                publish(queue, shared, true, 0);
            }
        }
        // Drain what was published before the stop (the benchmark flushed and waits for the responses).
        while (queue.doTx(handler, TX_BUDGET) > 0)
        {
            Thread.onSpinWait();
        }
        shared.putLongRelease(BAD_OFFSET, checker.bad);
        return !queue.isBroken();
    }

    private static boolean serveRx(
        final NetbackQueue queue, final AtomicBuffer shared, final int frameBytes, final Arena arena,
        final boolean yieldWhenIdle)
    {
        int idleSpins = 0;
        final NetPacket packet = new NetPacket(arena);
        packet.reset().length(frameBytes);
        for (int i = 0; i < frameBytes; i++)
        {
            packet.buffer().putByte(NetPacket.DATA_OFFSET + i, (byte)i);
        }
        long sequence = 0;
        // Acquire: pairs with the benchmark's release of STOP_REQUESTED.
        while (shared.getIntAcquire(CONTROL_OFFSET) != STOP_REQUESTED)
        {
            while (queue.rxBacklog() < NetbackQueue.RX_BACKLOG)
            {
                packet.buffer().putLong(NetPacket.DATA_OFFSET + SEQUENCE_OFFSET, sequence);
                if (!queue.enqueueRx(packet))
                {
                    return false;
                }
                sequence++;
            }
            final int delivered = queue.doRx();
            if (queue.isBroken())
            {
                return false;
            }
            if (delivered == 0)
            {
                idle(++idleSpins, yieldWhenIdle);
                continue;
            }
            idleSpins = 0;
            publish(queue, shared, false, 0);
        }
        return true;
    }

    /**
     * One empty poll: {@code Thread.onSpinWait()}, and with {@code yieldWhenIdle} a {@code Thread.yield()} every
     * 64th consecutive one.
     *
     * @param spins         consecutive empty polls so far.
     * @param yieldWhenIdle whether to yield now and then.
     */
    static void idle(final int spins, final boolean yieldWhenIdle)
    {
        if (yieldWhenIdle && (spins & 63) == 63)
        {
            Thread.yield();
        }
        else
        {
            Thread.onSpinWait();
        }
    }

    private static void publish(final NetbackQueue queue, final AtomicBuffer shared, final boolean tx, final int fail)
    {
        // Release (each): cumulative counters the benchmark reads with acquire at iteration ends.
        shared.putLongRelease(PACKETS_OFFSET, tx ? queue.txPackets() : queue.rxPackets());
        shared.putLongRelease(BYTES_OFFSET, tx ? queue.txBytes() : queue.rxBytes());
        shared.putLongRelease(NOTIFICATIONS_OFFSET, tx ? queue.txNotifications() : queue.rxNotifications());
        shared.putLongRelease(DROPS_OFFSET, queue.txDropped() + queue.rxDropped() + queue.copyFailures() + fail);
    }
}
