/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class XsFrameDecoderTest
{
    @Test
    void shouldMatchXsdSockmsgLayout()
    {
        assertThat(XsMessageDescriptor.HEADER_LENGTH).isEqualTo(16);
        assertThat(XsMessageDescriptor.PAYLOAD_MAX).isEqualTo(4096);
        assertThat(XsMessageDescriptor.ABS_PATH_MAX).isEqualTo(3072);
        assertThat(XsMessageDescriptor.REL_PATH_MAX).isEqualTo(2048);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        XsMessageDescriptor.putHeader(buffer, 0, 11, 0x01020304, 7, 4096);
        assertThat(buffer.byteArray()).containsExactly(
            11, 0, 0, 0, 4, 3, 2, 1, 7, 0, 0, 0, 0, 16, 0, 0);
        assertThat(XsMessageDescriptor.type(buffer, 0)).isEqualTo(11);
        assertThat(XsMessageDescriptor.reqId(buffer, 0)).isEqualTo(0x01020304);
        assertThat(XsMessageDescriptor.txId(buffer, 0)).isEqualTo(7);
        assertThat(XsMessageDescriptor.length(buffer, 0)).isEqualTo(4096);
    }

    @Test
    void shouldNumberTypesAndErrorsAsXsWireH()
    {
        assertThat(XsMessageType.CONTROL.code()).isZero();
        assertThat(XsMessageType.WATCH_EVENT.code()).isEqualTo(15);
        assertThat(XsMessageType.ERROR.code()).isEqualTo(16);
        assertThat(XsMessageType.SET_TARGET.code()).isEqualTo(19);
        assertThat(XsMessageType.RESET_WATCHES.code()).isEqualTo(21);
        assertThat(XsMessageType.DIRECTORY_PART.code()).isEqualTo(22);
        assertThat(XsMessageType.fromCode(20)).isNull();
        assertThat(XsMessageType.fromCode(23)).isNull();
        assertThat(XsMessageType.fromCode(-1)).isNull();
        assertThat(XsMessageType.fromCode(0xffff)).isNull();
        assertThat(XsError.values()).extracting(Enum::name).startsWith(
            "EINVAL", "EACCES", "EEXIST", "EISDIR", "ENOENT", "ENOMEM", "ENOSPC", "EIO", "ENOTEMPTY", "ENOSYS",
            "EROFS", "EBUSY", "EAGAIN", "EISCONN", "E2BIG", "EPERM");
        assertThat(XsError.fromName("EAGAIN").errno()).isEqualTo(11);
        assertThat(XsError.fromName("EWHATEVER")).isNull();
    }

    @Test
    void shouldFrameMessagesDeliveredOneByteAtATime()
    {
        final byte[] stream = concat(
            RawXs.message(2, 1, 0, RawXs.strings("/a")),
            RawXs.message(11, 2, 5, "/b\0value".getBytes()),
            RawXs.message(6, 3, 0, new byte[0]));
        final XsFrameDecoder decoder = new XsFrameDecoder();
        int messages = 0;
        for (final byte b : stream)
        {
            final ByteBuffer one = ByteBuffer.wrap(new byte[] {b});
            final int result = decoder.decode(one);
            assertThat(one.hasRemaining()).isFalse();
            if (XsFrameDecoder.MESSAGE == result)
            {
                messages++;
                if (2 == messages)
                {
                    assertThat(decoder.type()).isEqualTo(11);
                    assertThat(decoder.reqId()).isEqualTo(2);
                    assertThat(decoder.txId()).isEqualTo(5);
                    assertThat(new String(decoder.payloadArray(), 0, decoder.length())).isEqualTo("/b\0value");
                }
            }
            else
            {
                assertThat(result).isEqualTo(XsFrameDecoder.NEED_MORE);
            }
        }
        assertThat(messages).isEqualTo(3);
        assertThat(decoder.type()).isEqualTo(6);
        assertThat(decoder.length()).isZero();
        assertThat(decoder.isMidMessage()).isFalse();
    }

    @Test
    void shouldStopAtEachMessageBoundaryOfOneBuffer()
    {
        final ByteBuffer src = ByteBuffer.wrap(concat(
            RawXs.message(1, 10, 0, RawXs.strings("/x")), RawXs.message(2, 11, 0, RawXs.strings("/y"))));
        final XsFrameDecoder decoder = new XsFrameDecoder();
        assertThat(decoder.decode(src)).isEqualTo(XsFrameDecoder.MESSAGE);
        assertThat(decoder.reqId()).isEqualTo(10);
        assertThat(src.position()).isEqualTo(19);
        assertThat(decoder.decode(src)).isEqualTo(XsFrameDecoder.MESSAGE);
        assertThat(decoder.reqId()).isEqualTo(11);
        assertThat(decoder.decode(src)).isEqualTo(XsFrameDecoder.NEED_MORE);
    }

    @Test
    void shouldAcceptPayloadOf4096AndReject4097ForGood()
    {
        final XsFrameDecoder decoder = new XsFrameDecoder();
        assertThat(decoder.decode(ByteBuffer.wrap(RawXs.message(11, 1, 0, new byte[4096]))))
            .isEqualTo(XsFrameDecoder.MESSAGE);
        assertThat(decoder.length()).isEqualTo(4096);

        final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(11).putInt(2).putInt(0).putInt(4097).flip();
        assertThat(decoder.decode(header)).isEqualTo(XsFrameDecoder.PAYLOAD_TOO_LONG);
        assertThat(decoder.isBroken()).isTrue();
        assertThat(decoder.rejectedLength()).isEqualTo(4097);
        assertThat(decoder.decode(ByteBuffer.wrap(RawXs.message(2, 3, 0, RawXs.strings("/")))))
            .isEqualTo(XsFrameDecoder.PAYLOAD_TOO_LONG);
        decoder.reset();
        assertThat(decoder.decode(ByteBuffer.wrap(RawXs.message(2, 3, 0, RawXs.strings("/")))))
            .isEqualTo(XsFrameDecoder.MESSAGE);
    }

    @Test
    void shouldTreatLengthAsUnsigned()
    {
        final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(2).putInt(1).putInt(0).putInt(-1).flip();
        final XsFrameDecoder decoder = new XsFrameDecoder();
        assertThat(decoder.decode(header)).isEqualTo(XsFrameDecoder.PAYLOAD_TOO_LONG);
        assertThat(decoder.rejectedLength()).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void shouldReportPartialHeaderAsMidMessage()
    {
        final XsFrameDecoder decoder = new XsFrameDecoder();
        assertThat(decoder.decode(ByteBuffer.wrap(new byte[7]))).isEqualTo(XsFrameDecoder.NEED_MORE);
        assertThat(decoder.isMidMessage()).isTrue();
    }

    @Test
    void shouldNeverThrowOnRandomBytes()
    {
        final Random random = new Random(42);
        final XsFrameDecoder decoder = new XsFrameDecoder();
        int messages = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] chunk = new byte[random.nextInt(64)];
            random.nextBytes(chunk);
            if (random.nextBoolean() && chunk.length >= 16)
            {
                chunk[12] = (byte)random.nextInt(32);
                chunk[13] = 0;
                chunk[14] = 0;
                chunk[15] = 0;
            }
            final ByteBuffer src = ByteBuffer.wrap(chunk);
            while (src.hasRemaining())
            {
                final int result = decoder.decode(src);
                if (XsFrameDecoder.MESSAGE == result)
                {
                    messages++;
                    assertThat(decoder.length()).isBetween(0, 4096);
                }
                else if (XsFrameDecoder.PAYLOAD_TOO_LONG == result)
                {
                    decoder.reset();
                    src.position(src.limit());
                }
            }
        }
        assertThat(messages).isPositive();
    }

    @Test
    void shouldRejectOversizedPayloadWhenSending()
    {
        assertThat(XsMessageDescriptor.checkPayloadLength(4096)).isEqualTo(4096);
        assertThatThrownBy(() -> XsMessageDescriptor.checkPayloadLength(4097))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("xs_wire payload must be 0..4096 bytes: length=4097");
    }

    @Test
    void shouldSplitPayloadStringsAsXenstored()
    {
        final byte[] p = "abc\0de\0tail".getBytes();
        assertThat(XsPayload.countStrings(p, p.length)).isEqualTo(2);
        assertThat(XsPayload.strings(p, p.length)).containsExactly("abc", "de");
        assertThat(XsPayload.oneArg(p, p.length)).isNull();
        assertThat(XsPayload.oneArg("/x\0".getBytes(), 3)).isEqualTo("/x");
        assertThat(XsPayload.oneArg("/x".getBytes(), 2)).isNull();
        assertThat(XsPayload.oneArg(new byte[0], 0)).isNull();
        assertThat(XsPayload.atoi(" 42abc")).isEqualTo(42);
        assertThat(XsPayload.atoi("-7")).isEqualTo(-7);
        assertThat(XsPayload.atoi("x")).isZero();
    }

    @Test
    void shouldParseAndPrintPermissions()
    {
        assertThat(XsPermission.parse("r5")).isEqualTo(new XsPermission(5, XsAccess.READ));
        assertThat(XsPermission.parse("b65535").toString()).isEqualTo("b65535");
        assertThat(XsPermission.parse("n0").access()).isEqualTo(XsAccess.NONE);
        assertThat(XsPermission.parse("x1")).isNull();
        assertThat(XsPermission.parse("r")).isNull();
        assertThat(XsPermission.parse("r1a")).isNull();
        assertThat(XsPermission.parse("r65536")).isNull();
        assertThatThrownBy(() -> new XsPermission(-1, XsAccess.READ))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("domid must be 0..65535: domid=-1");
    }

    private static byte[] concat(final byte[]... parts)
    {
        int n = 0;
        for (final byte[] p : parts)
        {
            n += p.length;
        }
        final byte[] all = new byte[n];
        int off = 0;
        for (final byte[] p : parts)
        {
            System.arraycopy(p, 0, all, off, p.length);
            off += p.length;
        }
        return all;
    }
}
