/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.pvring.core.SharedMemory;
import dev.pvring.core.tap.TapDevice;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TAP side of muen-net against a real TAP device (needs root or CAP_NET_ADMIN and {@code /dev/net/tun}; the
 * test fails saying so otherwise): whatever the peer puts into the incoming channel, the bridge goes on.
 */
class MuenNetTapBridgeTest
{
    private static final int REGION = 1 << 20;

    @Test
    void shouldDropAFrameTheKernelRefusesInsteadOfFailing()
    {
        try (TapDevice tap = openTap(); Arena arena = Arena.ofConfined())
        {
            final MemorySegment runt = arena.allocate(NetMessageDescriptor.MIN_FRAME_LENGTH - 1);

            assertThat(tap.write(runt, 5)).as("EINVAL: shorter than an Ethernet header").isFalse();
            assertThat(tap.write(runt, 0)).isFalse();
        }
    }

    @Test
    void shouldSkipShortFramesFromThePeerAndKeepBridging()
    {
        try (TapDevice tap = openTap();
             SharedMemory toPeer = SharedMemory.anonymous(REGION);
             SharedMemory fromPeer = SharedMemory.anonymous(REGION))
        {
            final ShmStreamWriter peer = new ShmStreamWriter(fromPeer.buffer());
            peer.initialize(NetMessageDescriptor.PROTOCOL, NetMessageDescriptor.ELEMENT_LENGTH);
            final UnsafeBuffer element = new UnsafeBuffer(new byte[NetMessageDescriptor.ELEMENT_LENGTH]);
            for (final int length : new int[] {5, 1, 13, 60})
            {
                element.putShort(NetMessageDescriptor.LENGTH_OFFSET, (short)length, ByteOrder.LITTLE_ENDIAN);
                peer.write(element, 0, element.capacity());
            }
            final MuenNetLink link = new MuenNetLink(toPeer.buffer(), null, fromPeer.buffer());
            link.start();
            final MuenNetTapBridge bridge = new MuenNetTapBridge(tap, link, 64);
            try
            {
                int work = 0;
                for (int i = 0; i < 8; i++)
                {
                    work += bridge.doWork();
                }

                assertThat(work).as("the valid frame was handled").isPositive();
                assertThat(link.malformedFrames()).isEqualTo(3);
                assertThat(bridge.incompatible()).isEqualTo(3);
                assertThat(link.framesReceived()).as("the 60-byte frame went to the TAP device").isOne();
                assertThat(link.reader().elementsRead()).isEqualTo(4);
            }
            finally
            {
                bridge.onClose();
            }
        }
    }

    @Test
    void shouldStopAsBrokenWhenThePeerTruncatesTheIncomingChannelFile(@TempDir final Path dir) throws Exception
    {
        final Path in = dir.resolve("in");
        try (TapDevice tap = openTap();
             SharedMemory toPeer = SharedMemory.anonymous(REGION);
             SharedMemory fromPeer = SharedMemory.create(in, REGION))
        {
            new ShmStreamWriter(fromPeer.buffer()).initialize(
                NetMessageDescriptor.PROTOCOL, NetMessageDescriptor.ELEMENT_LENGTH);
            final MuenNetLink link = new MuenNetLink(toPeer.buffer(), null, fromPeer.buffer());
            link.start();
            final MuenNetTapBridge bridge = new MuenNetTapBridge(tap, link, 64);
            try
            {
                bridge.doWork();
                assertThat(bridge.isBroken()).isFalse();
                try (FileChannel file = FileChannel.open(in, StandardOpenOption.WRITE))
                {
                    file.truncate(0);
                }

                int work = 0;
                for (int i = 0; i < 4; i++)
                {
                    work += bridge.doWork();
                }

                assertThat(bridge.isBroken()).isTrue();
                assertThat(bridge.fault()).isInstanceOf(InternalError.class);
                assertThat(work).isZero();
            }
            finally
            {
                bridge.onClose();
            }
        }
    }

    /** A fresh TAP device, up (a down device answers every write with EIO before looking at the frame). */
    static TapDevice openTap()
    {
        final String name = "pvtap" + ProcessHandle.current().pid() % 100_000;
        final TapDevice tap;
        try
        {
            tap = TapDevice.open(name);
        }
        catch (final IllegalStateException ex)
        {
            throw new AssertionError("this test needs a TAP device: run as root (or with CAP_NET_ADMIN) with " +
                "/dev/net/tun present (modprobe tun): " + ex.getMessage(), ex);
        }
        try
        {
            final Process up = new ProcessBuilder("ip", "link", "set", "dev", tap.name(), "up")
                .redirectErrorStream(true).start();
            final String output = new String(up.getInputStream().readAllBytes());
            if (up.waitFor() != 0)
            {
                tap.close();
                throw new AssertionError("cannot bring " + tap.name() + " up: " + output);
            }
            return tap;
        }
        catch (final IOException ex)
        {
            tap.close();
            throw new AssertionError("this test needs iproute2 (apt-get install -y iproute2): " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            tap.close();
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
