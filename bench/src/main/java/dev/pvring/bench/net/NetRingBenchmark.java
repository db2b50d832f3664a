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

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import dev.pvring.bench.ring.PeerProcess;
import dev.pvring.core.SharedMemory;
import dev.pvring.xen.net.NetPacket;
import dev.pvring.xen.net.PacketHandler;
import dev.pvring.xen.net.front.NetfrontQueue;
import dev.pvring.xen.platform.SimDomainConfig;
import dev.pvring.xen.platform.SimPlatform;
import dev.pvring.xen.platform.SimSystem;

/**
 * Netfront to netback ring to ring across processes on the simulated Xen platform, no TAP: netfront runs in the
 * JMH thread as dom1, netback in a second JVM ({@link NetbackPeer}) as dom0; packets are handed to
 * {@link NetfrontQueue#send} / taken from {@link NetfrontQueue#receive} and netback's handler / backlog directly.
 * Both sides poll (no blocking waits; {@code idle=yield} yields the CPU every 64th empty poll); every
 * notification the protocol asks for is still sent and counted.
 * <ul>
 *   <li>{@code tx}: one op = one frame accepted by {@code send} (flushed every {@code batch} frames, as Linux
 *       does with {@code xmit_more}); netback checks length and sequence of every frame.</li>
 *   <li>{@code rx}: one op = one frame delivered by {@code receive}; netback fills the RX ring from a
 *       non-full backlog, so nothing is refused; netfront checks length and sequence.</li>
 * </ul>
 * Throughput: JMH thrpt in ops/s = packets/s; Gbit/s = packets/s x {@code frameBytes} x 8 / 1e9 (frame bytes,
 * no Ethernet preamble or FCS). Secondary results per iteration ({@code @AuxCounters}, counts: JMH sums them over
 * iterations): packets, notifications sent by netfront and by netback (divide by packets for notifications per
 * packet), packets the other side counted, and frames lost or out of sequence. The trial's totals and ratios are
 * printed at its end in a {@code # pvring-net} line.
 * At the end of the trial every frame sent must have been counted at the other end (the trial fails otherwise).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class NetRingBenchmark
{
    /**
     * netfront sends one frame (TX, front to back).
     *
     * @param link the connected pair and the counters.
     * @return the frame's sequence number (consumed by JMH).
     */
    @Benchmark
    public long tx(final Link link)
    {
        return link.sendOne();
    }

    /**
     * netfront receives one frame (RX, back to front).
     *
     * @param link the connected pair and the counters.
     * @return the frames left of the current receive batch (consumed by JMH).
     */
    @Benchmark
    public int rx(final Link link)
    {
        return link.receiveOne();
    }

    /**
     * The simulated system, netfront's queue (dom1, this JVM), netback's process (dom0) and the counters. Its
     * public methods are JMH secondary results per iteration ({@code @AuxCounters}).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Link
    {
        private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
        private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
        private static final int SPINS_BETWEEN_LIVENESS_CHECKS = 1 << 20;
        private static final int RX_LIMIT = 64;

        /** Frame length in bytes (Ethernet header included). */
        @Param({"64", "1500"})
        private int frameBytes;

        /**
         * What a side does when it finds nothing to do: {@code yield} (spin, and {@code Thread.yield()} every 64th
         * empty poll, so a side sharing its CPU with the other lets it run) or {@code spin} (only
         * {@code Thread.onSpinWait()}).
         */
        @Param({"yield"})
        private String idle;

        /** Frames queued per {@code flush()} (TX). */
        @Param({"32"})
        private int batch;

        private Path directory;
        private Path countersFile;
        private SimSystem system;
        private SimPlatform dom1;
        private SharedMemory shared;
        private AtomicBuffer counters;
        private PeerProcess peer;
        private NetfrontQueue front;
        private Arena arena;
        private NetPacket packet;
        private boolean tx;
        private boolean yieldWhenIdle;
        private String label;

        private long sequence;
        private int queued;
        private int pending;
        private long expected;
        private long frontBad;
        /** One handler for every receive (a method reference per call would allocate). */
        private final PacketHandler checker = this::check;

        /** Totals of the trial, set by {@link #tearDown} (tests read them). */
        long trialSent;
        long trialReceived;
        long trialBad;

        private final long[] start = new long[Counter.COUNT];
        private final long[] end = new long[Counter.COUNT];

        /** Counters sampled at iteration boundaries. */
        private static final class Counter
        {
            static final int FRONT_PACKETS = 0;
            static final int FRONT_NOTIFICATIONS = 1;
            static final int PEER_PACKETS = 2;
            static final int PEER_NOTIFICATIONS = 3;
            static final int BAD = 4;
            static final int COUNT = 5;
        }

        /**
         * Creates the system, allocates netfront's queue in dom1 and starts netback in a child JVM as dom0.
         *
         * @param params JMH's description of this run (which benchmark: tx or rx).
         * @throws IOException          if the counters file or the child cannot be created.
         * @throws InterruptedException if interrupted while waiting for the peer.
         */
        @Setup(Level.Trial)
        public void setUp(final BenchmarkParams params) throws IOException, InterruptedException
        {
            open(params.getBenchmark().endsWith(".tx"));
        }

        /**
         * {@link #setUp} without JMH (tests): the parameters are set by {@link #configure}.
         *
         * @param tx true for front to back, false for back to front.
         * @throws IOException          if the counters file or the child cannot be created.
         * @throws InterruptedException if interrupted while waiting for the peer.
         */
        void open(final boolean tx) throws IOException, InterruptedException
        {
            this.tx = tx;
            yieldWhenIdle = switch (idle)
            {
                case "yield" -> true;
                case "spin" -> false;
                default -> throw new IllegalArgumentException("idle must be yield or spin: idle=" + idle);
            };
            label = "NetRingBenchmark." + (tx ? "tx" : "rx") + " frameBytes=" + frameBytes + " idle=" + idle +
                (tx ? " batch=" + batch : "");
            if (frameBytes < 14 + 8 || frameBytes > 1514)
            {
                throw new IllegalArgumentException("frame out of range 22..1514: frameBytes=" + frameBytes);
            }
            final String id = "i12-netbench-" + UUID.randomUUID();
            directory = Path.of("/dev/shm/pvring-bench", id);
            system = SimSystem.create(directory, 4, SimDomainConfig.defaults(0).withPages(1024));
            final SimPlatform dom0 = system.join(0);
            dom0.createDomain(SimDomainConfig.defaults(1).withPages(1024));
            dom0.close();
            dom1 = system.join(1);
            front = NetfrontQueue.allocate(dom1, 0, true);
            arena = Arena.ofShared();
            packet = new NetPacket(arena);
            packet.reset().length(frameBytes);
            for (int i = 0; i < frameBytes; i++)
            {
                packet.buffer().putByte(NetPacket.DATA_OFFSET + i, (byte)i);
            }
            countersFile = Path.of("/dev/shm", id + ".counters");
            shared = SharedMemory.create(countersFile, NetPeerDescriptor.REGION_LENGTH);
            counters = shared.buffer();
            peer = PeerProcess.start(NetbackPeer.class, directory.toString(), countersFile.toString(),
                Integer.toString(front.txRingRef()), Integer.toString(front.rxRingRef()),
                Integer.toString(front.txPort()), Integer.toString(front.rxPort()), tx ? "tx" : "rx",
                Integer.toString(frameBytes), idle);
            final long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
            int control;
            // Acquire: pairs with the peer's release of READY after it connected.
            while ((control = counters.getIntAcquire(CONTROL_OFFSET)) != READY)
            {
                if (control == FAILED || !peer.isAlive() || System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("netback peer did not connect: control=" + control +
                        " output:\n" + peer.output());
                }
                TimeUnit.MILLISECONDS.sleep(1);
            }
            // Push every posted RX buffer now that the backend is connected.
            front.refillRx();
            snapshot(end);
        }

        /**
         * Sets the parameters JMH would inject (tests).
         *
         * @param frameBytes frame length.
         * @param batch      frames per flush.
         * @return this.
         */
        Link configure(final int frameBytes, final int batch)
        {
            this.frameBytes = frameBytes;
            this.batch = batch;
            this.idle = "yield";
            return this;
        }

        /** Takes the counter baseline of an iteration. */
        @Setup(Level.Iteration)
        public void startIteration()
        {
            snapshot(start);
            System.arraycopy(start, 0, end, 0, Counter.COUNT);
        }

        /** Takes the counter readings of an iteration (JMH reads the secondary results after this). */
        @TearDown(Level.Iteration)
        public void endIteration()
        {
            if (tx)
            {
                // Publish what is queued so the peer's count can catch up with this iteration's sends.
                front.flush();
                queued = 0;
            }
            snapshot(end);
        }

        long sendOne()
        {
            final NetfrontQueue q = front;
            final NetPacket p = packet;
            final long s = sequence;
            p.buffer().putLong(NetPacket.DATA_OFFSET + SEQUENCE_OFFSET, s);
            int r = q.send(p);
            int spins = 0;
            while (r != NetfrontQueue.SENT)
            {
                if (r != NetfrontQueue.BUSY)
                {
                    throw new IllegalStateException("send failed: result=" + r + " " + q.brokenReason());
                }
                q.flush();
                queued = 0;
                q.collectTxResponses();
                if (++spins == SPINS_BETWEEN_LIVENESS_CHECKS)
                {
                    spins = 0;
                    checkPeer();
                }
                r = q.send(p);
                if (r == NetfrontQueue.BUSY)
                {
                    NetbackPeer.idle(spins, yieldWhenIdle);
                }
            }
            sequence = s + 1;
            if (++queued >= batch)
            {
                q.flush();
                queued = 0;
                q.collectTxResponses();
            }
            return s;
        }

        int receiveOne()
        {
            if (pending == 0)
            {
                int spins = 0;
                while ((pending = front.receive(checker, RX_LIMIT)) == 0)
                {
                    if (++spins == SPINS_BETWEEN_LIVENESS_CHECKS)
                    {
                        spins = 0;
                        checkPeer();
                    }
                    NetbackPeer.idle(spins, yieldWhenIdle);
                }
            }
            return --pending;
        }

        /**
         * Tests: makes one frame look lost to the receiver (TX: a sequence number is never sent; RX: netfront
         * expects one more than it gets), so the trial must fail.
         */
        void loseOneFrame()
        {
            if (tx)
            {
                sequence++;
            }
            else
            {
                expected++;
            }
        }

        private void check(final NetPacket p)
        {
            final long s = p.buffer().getLong(NetPacket.DATA_OFFSET + SEQUENCE_OFFSET);
            if (p.length() != frameBytes || s != expected)
            {
                frontBad++;
            }
            expected = s + 1;
        }

        private void checkPeer()
        {
            if (!peer.isAlive() || counters.getIntAcquire(CONTROL_OFFSET) == FAILED || front.isBroken())
            {
                throw new IllegalStateException("netback peer gone or queue broken: alive=" + peer.isAlive() +
                    " front=" + front + " output:\n" + peer.output());
            }
        }

        /**
         * Drains, stops the peer, checks that every frame sent was counted at the other end, prints the trial's
         * totals and deletes everything.
         *
         * @throws IOException          if a file cannot be deleted.
         * @throws InterruptedException if interrupted while waiting.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException
        {
            String verdict = "";
            try
            {
                final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
                if (tx)
                {
                    front.flush();
                    // Acquire: the peer's counters of the frames it took.
                    while ((counters.getLongAcquire(PACKETS_OFFSET) < front.txPackets() || front.txInFlightSlots() > 0)
                        && System.nanoTime() - deadline < 0 && peer.isAlive())
                    {
                        front.collectTxResponses();
                        Thread.onSpinWait();
                    }
                }
                // Release: the peer's acquire of the control word ends its loop.
                counters.putIntRelease(CONTROL_OFFSET, STOP_REQUESTED);
                while (counters.getIntAcquire(CONTROL_OFFSET) != STOPPED && peer.isAlive() &&
                    System.nanoTime() - deadline < 0)
                {
                    TimeUnit.MILLISECONDS.sleep(1);
                }
                if (!tx)
                {
                    // Frames the peer put in the ring before it stopped are still to be received.
                    while (front.rxPackets() < counters.getLongAcquire(PACKETS_OFFSET) && System.nanoTime() - deadline < 0)
                    {
                        front.receive(checker, RX_LIMIT);
                    }
                }
                final long sent = tx ? front.txPackets() : counters.getLongAcquire(PACKETS_OFFSET);
                final long received = tx ? counters.getLongAcquire(PACKETS_OFFSET) : front.rxPackets();
                final long bad = counters.getLongAcquire(BAD_OFFSET) + frontBad;
                final long drops = counters.getLongAcquire(DROPS_OFFSET) + front.txErrors() + front.rxErrors();
                trialSent = sent;
                trialReceived = received;
                trialBad = bad + drops;
                final long frontNotifications = tx ? front.txNotifications() : front.rxNotifications();
                final long peerNotifications = counters.getLongAcquire(NOTIFICATIONS_OFFSET);
                System.out.printf(Locale.ROOT, "%n# pvring-net %s: sent=%d received=%d bad=%d drops=%d " +
                    "frontNotifications=%d (%.4f/packet) backNotifications=%d (%.4f/packet) peerBytes=%d%n",
                    label, sent, received, bad, drops, frontNotifications, frontNotifications / (double)Math.max(1, sent),
                    peerNotifications, peerNotifications / (double)Math.max(1, sent),
                    counters.getLongAcquire(BYTES_OFFSET));
                if (sent != received || bad != 0 || drops != 0 || front.isBroken())
                {
                    verdict = "frames lost or wrong: sent=" + sent + " received=" + received + " bad=" + bad +
                        " drops=" + drops + " front=" + front + " peer output:\n" + peer.output();
                }
            }
            finally
            {
                peer.waitFor(10);
                front.close();
                dom1.close();
                system.close();
                SimSystem.delete(directory);
                shared.close();
                Files.deleteIfExists(countersFile);
                arena.close();
                peer.close();
            }
            if (!verdict.isEmpty())
            {
                throw new IllegalStateException(verdict);
            }
        }

        private void snapshot(final long[] counts)
        {
            counts[Counter.FRONT_PACKETS] = tx ? front.txPackets() : front.rxPackets();
            counts[Counter.FRONT_NOTIFICATIONS] = tx ? front.txNotifications() : front.rxNotifications();
            // Acquire: the peer's counters as of its last finished batch.
            counts[Counter.PEER_PACKETS] = counters.getLongAcquire(PACKETS_OFFSET);
            counts[Counter.PEER_NOTIFICATIONS] = counters.getLongAcquire(NOTIFICATIONS_OFFSET);
            counts[Counter.BAD] = counters.getLongAcquire(BAD_OFFSET) + frontBad + counters.getLongAcquire(DROPS_OFFSET);
        }

        private long delta(final int counter)
        {
            return end[counter] - start[counter];
        }

        private long packetsOfIteration()
        {
            return tx ? delta(Counter.FRONT_PACKETS) : delta(Counter.PEER_PACKETS);
        }

        /**
         * JMH sums {@code EVENTS} counters over iterations, so the secondary results are counts and the ratios
         * are taken from the sums: notifications per packet = {@code frontNotifications / packets}.
         *
         * @return packets of the iteration (TX: accepted by netfront's {@code send}; RX: put in netfront's ring by
         *         netback).
         */
        public long packets()
        {
            return packetsOfIteration();
        }

        /**
         * @return event-channel notifications netfront sent in the iteration (TX: request pushes; RX: RX-buffer
         *         refill pushes).
         */
        public long frontNotifications()
        {
            return delta(Counter.FRONT_NOTIFICATIONS);
        }

        /**
         * @return event-channel notifications netback sent in the iteration (TX: response pushes; RX: RX-response
         *         pushes).
         */
        public long backNotifications()
        {
            return delta(Counter.PEER_NOTIFICATIONS);
        }

        /** @return netfront's notifications per packet in the iteration (tests; JMH would sum it). */
        double frontNotificationsPerPacket()
        {
            return delta(Counter.FRONT_NOTIFICATIONS) / (double)Math.max(1, packetsOfIteration());
        }

        /** @return netback's notifications per packet in the iteration (tests; JMH would sum it). */
        double backNotificationsPerPacket()
        {
            return delta(Counter.PEER_NOTIFICATIONS) / (double)Math.max(1, packetsOfIteration());
        }

        /**
         * @return packets counted at the receiving end in the iteration (TX: by netback; RX: by netfront).
         */
        public long receivedPackets()
        {
            return tx ? delta(Counter.PEER_PACKETS) : delta(Counter.FRONT_PACKETS);
        }

        /**
         * @return frames lost, dropped, out of sequence or of the wrong length in the iteration (must be 0).
         */
        public long badPackets()
        {
            return delta(Counter.BAD);
        }
    }
}
