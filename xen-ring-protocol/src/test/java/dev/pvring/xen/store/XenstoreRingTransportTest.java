/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import dev.pvring.core.ParkingEvent;
import dev.pvring.core.SharedMemory;
import dev.pvring.xen.ring.DuplexByteRing;
import dev.pvring.xen.ring.XenstoreRing;
import dev.pvring.xen.ring.XenstoreRingDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xenstored serving a guest through a xenstore ring page ({@code struct xenstore_domain_interface}).
 */
class XenstoreRingTransportTest
{
    @TempDir
    Path dir;

    @Test
    void shouldServeAGuestOverTheRingPageIncludingMessagesLargerThanTheRing() throws Exception
    {
        try (Xenstored server = XsTestSupport.start(dir);
             SocketXenStore dom0 = XsTestSupport.dom0(server);
             SharedMemory page = SharedMemory.anonymous(4096))
        {
            dom0.mkdir(XenStore.NO_TRANSACTION, "/local/domain/7");
            dom0.setPermissions(XenStore.NO_TRANSACTION, "/local/domain/7", java.util.List.of(XsPermission.parse("n7")));
            final AtomicBuffer buffer = page.buffer();
            final ParkingEvent toGuest = new ParkingEvent();
            final XsTransportHandle handle = server.attach(new XenstoreRingTransport(buffer, 0, toGuest), 7);
            final DuplexByteRing guest = XenstoreRing.guest(buffer, 0);
            assertThat(buffer.getIntVolatile(XenstoreRingDescriptor.SERVER_FEATURES_OFFSET))
                .isEqualTo(XenstoreRingDescriptor.SERVER_FEATURE_ERROR);

            final String value = "v".repeat(1900); // within the 2 KiB node quota, larger than the 1 KiB rings
            final RawXs.Msg write = exchange(guest, handle, toGuest, RawXs.message(XsMessageType.WRITE.code(), 1, 0,
                concat(RawXs.strings("data/big"), value.getBytes())));
            assertThat(write.messageType()).as(write.text()).isEqualTo(XsMessageType.WRITE);
            assertThat(dom0.readString("/local/domain/7/data/big")).isEqualTo(value);
            final RawXs.Msg read = exchange(guest, handle, toGuest, RawXs.message(XsMessageType.READ.code(), 2, 0,
                RawXs.strings("data/big")));
            assertThat(read.reqId()).isEqualTo(2);
            assertThat(read.text()).isEqualTo(value);
            final RawXs.Msg denied = exchange(guest, handle, toGuest, RawXs.message(XsMessageType.READ.code(), 3, 0,
                RawXs.strings("/tool")));
            assertThat(denied.messageType()).isEqualTo(XsMessageType.ERROR);
            assertThat(toGuest.notificationsSent()).as("xenstored rang the guest's doorbell").isPositive();
            handle.close();
        }
    }

    @Test
    void shouldFlagCorruptIndicesAndDropTheGuest() throws Exception
    {
        try (Xenstored server = XsTestSupport.start(dir);
             SharedMemory page = SharedMemory.anonymous(4096))
        {
            final AtomicBuffer buffer = page.buffer();
            final XsTransportHandle handle = server.attach(new XenstoreRingTransport(buffer, 0, new ParkingEvent()), 9);
            buffer.putIntVolatile(XenstoreRingDescriptor.REQ_PROD_OFFSET, 5000); // T16: prod - cons > 1024
            handle.signal();
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (handle.isOpen() && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertThat(handle.isOpen()).isFalse();
            assertThat(buffer.getIntVolatile(XenstoreRingDescriptor.ERROR_OFFSET))
                .isEqualTo(XenstoreRingDescriptor.ERROR_RINGIDX);
        }
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static RawXs.Msg exchange(
        final DuplexByteRing guest, final XsTransportHandle handle, final ParkingEvent toGuest, final byte[] request)
        throws InterruptedException
    {
        final UnsafeBuffer out = new UnsafeBuffer(request);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[8192]);
        int sent = 0;
        int received = 0;
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final int token = toGuest.prepareWait();
            if (sent < request.length)
            {
                final int n = guest.write(out, sent, request.length - sent);
                assertThat(n).isNotNegative();
                sent += n;
                if (n > 0)
                {
                    handle.signal();
                }
            }
            final int r = guest.read(in, received, in.capacity() - received);
            assertThat(r).isNotNegative();
            if (r > 0)
            {
                received += r;
                handle.signal(); // space freed in rsp
            }
            if (received >= XsMessageDescriptor.HEADER_LENGTH)
            {
                final int len = in.getInt(XsMessageDescriptor.LEN_OFFSET, XsMessageDescriptor.BYTE_ORDER);
                if (received >= XsMessageDescriptor.HEADER_LENGTH + len)
                {
                    final byte[] payload = new byte[len];
                    in.getBytes(XsMessageDescriptor.HEADER_LENGTH, payload);
                    return new RawXs.Msg(in.getInt(0, XsMessageDescriptor.BYTE_ORDER),
                        in.getInt(4, XsMessageDescriptor.BYTE_ORDER), in.getInt(8, XsMessageDescriptor.BYTE_ORDER),
                        payload);
                }
            }
            if (r == 0)
            {
                toGuest.await(token, 1_000_000);
            }
        }
        throw new AssertionError("no reply over the ring: sent=" + sent + " received=" + received);
    }
}
