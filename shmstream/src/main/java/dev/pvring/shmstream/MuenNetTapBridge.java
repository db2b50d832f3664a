/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.pvring.core.tap.TapDevice;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Moves Ethernet frames between a {@link TapDevice} and a {@link MuenNetLink}, so Linux traffic crosses a muen-net
 * channel pair. An Agrona {@link Agent}: the caller runs {@link #doWork()} in its own duty cycle (e.g. an
 * {@code AgentRunner} with a backoff idle strategy); the bridge owns no thread.
 * <p>
 * Per work cycle: up to {@code batch} frames from the TAP device are queued into the outgoing channel and flushed
 * with one event, then up to {@code batch} frames from the incoming channel are written to the TAP device. Frames
 * longer than {@link NetMessageDescriptor#MAX_FRAME_LENGTH} (a TAP MTU above 1500) or shorter than an Ethernet
 * header are dropped and counted. Nothing the peer writes into the incoming channel stops the bridge: malformed
 * elements are counted and skipped, and a frame the kernel refuses is dropped ({@link #tapDrops()}).
 * <p>
 * If a peer truncates a channel file under its mapping, the access faults ({@code SIGBUS}, an {@link InternalError}
 * from the JVM, see {@link ShmStreamReader}): {@link #doWork()} then marks the bridge {@link #isBroken() broken}
 * and does nothing more. The error can surface a little after the faulting access, so a caller's loop should catch
 * {@code InternalError} as well.
 */
public final class MuenNetTapBridge implements Agent
{
    /** Default frames per direction and work cycle. */
    public static final int DEFAULT_BATCH = 64;
    private static final int TAP_READ_LENGTH = 65536;

    private final TapDevice tap;
    private final MuenNetLink link;
    private final int batch;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment txSegment = arena.allocate(TAP_READ_LENGTH, 64);
    private final UnsafeBuffer txBuffer = new UnsafeBuffer(txSegment.address(), TAP_READ_LENGTH);
    private final MemorySegment rxSegment = arena.allocate(NetMessageDescriptor.ELEMENT_LENGTH, 64);
    private final UnsafeBuffer rxBuffer = new UnsafeBuffer(rxSegment.address(), NetMessageDescriptor.ELEMENT_LENGTH);
    private long oversizedFrames;
    private long tapDrops;
    private long overruns;
    private long epochChanges;
    private long incompatible;
    private InternalError fault;

    /**
     * @param tap   the TAP device.
     * @param link  the muen-net link (started by the caller).
     * @param batch frames per direction and work cycle, positive.
     */
    public MuenNetTapBridge(final TapDevice tap, final MuenNetLink link, final int batch)
    {
        if (batch < 1)
        {
            throw new IllegalArgumentException("batch must be positive: batch=" + batch);
        }
        this.tap = tap;
        this.link = link;
        this.batch = batch;
    }

    /**
     * Moves up to {@code batch} frames each way. Never throws on what the peer writes; after a memory fault (a
     * channel file truncated by the peer) it returns 0 and {@link #isBroken()} is true.
     *
     * @return frames handled.
     */
    @Override
    public int doWork()
    {
        if (fault != null)
        {
            return 0;
        }
        try
        {
            return tapToChannel() + channelToTap();
        }
        catch (final InternalError ex)
        {
            // SIGBUS: a channel file was truncated under its mapping; nothing in it can be trusted any more.
            fault = ex;
            return 0;
        }
    }

    /**
     * Whether a memory fault in a channel (a file truncated by the peer) stopped the bridge.
     *
     * @return true once broken.
     */
    public boolean isBroken()
    {
        return fault != null;
    }

    /**
     * The memory fault that broke the bridge.
     *
     * @return the JVM's error, or null if not broken.
     */
    public InternalError fault()
    {
        return fault;
    }

    private int tapToChannel()
    {
        int frames = 0;
        while (frames < batch)
        {
            final int length = tap.read(txSegment, TAP_READ_LENGTH);
            if (length < 0)
            {
                break;
            }
            frames++;
            if (length < NetMessageDescriptor.MIN_FRAME_LENGTH || length > NetMessageDescriptor.MAX_FRAME_LENGTH)
            {
                oversizedFrames++;
                continue;
            }
            link.queue(txBuffer, 0, length);
        }
        link.flush();
        return frames;
    }

    private int channelToTap()
    {
        int work = 0;
        while (work < batch)
        {
            final ReadResult result = link.receive(rxBuffer, 0);
            switch (result)
            {
                case SUCCESS ->
                {
                    if (!tap.write(rxSegment, link.frameLength()))
                    {
                        tapDrops++;
                    }
                }
                case OVERRUN_DETECTED -> overruns++;
                case EPOCH_CHANGED -> epochChanges++;
                case INCOMPATIBLE_INTERFACE ->
                {
                    incompatible++;
                    return work;
                }
                default ->
                {
                    return work;
                }
            }
            work++;
        }
        return work;
    }

    @Override
    public void onClose()
    {
        arena.close();
    }

    @Override
    public String roleName()
    {
        return "muennet-" + tap.name();
    }

    /**
     * @return frames from the TAP device dropped because they were longer than a muen-net element holds (or
     *     shorter than an Ethernet header).
     */
    public long oversizedFrames()
    {
        return oversizedFrames;
    }

    /**
     * @return received frames the TAP device refused (queue full, device down, or the kernel rejected the frame).
     */
    public long tapDrops()
    {
        return tapDrops;
    }

    /**
     * @return overruns on the incoming channel (frames lost because this side fell behind).
     */
    public long overruns()
    {
        return overruns;
    }

    /**
     * @return epoch changes seen on the incoming channel (peer restarts).
     */
    public long epochChanges()
    {
        return epochChanges;
    }

    /**
     * @return Incompatible_Interface results (wrong header or malformed frames).
     */
    public long incompatible()
    {
        return incompatible;
    }

    /**
     * The link (frame counters).
     *
     * @return the link.
     */
    public MuenNetLink link()
    {
        return link;
    }
}
