/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

/**
 * Layout of one muen-net element: an Ethernet frame (no FCS) followed by its length in the last two bytes.
 * <pre>
 *   0                                                        1514  1516
 *  +--------------------------------------------------------+------+
 *  | data: Ethernet frame, up to 1514 bytes (MTU 1500 + 14)   |length|
 *  +--------------------------------------------------------+------+
 *                                                  u16 little-endian
 * </pre>
 * C equivalent (Solo5 {@code bindings/muen/muen-net.c}): {@code struct net_msg { uint8_t data[1514];
 * uint16_t length; } __attribute__((packed))}, 1516 bytes, byte-compatible with Linux muennet in
 * {@code eth_dev} mode at MTU 1500, whose element is {@code MTU + ETH_HLEN + 2} with the length at the end. Both
 * sides use protocol id {@link #PROTOCOL}. A channel with smaller elements (a smaller MTU) keeps the length in
 * its last two bytes: see {@link #lengthOffset(int)}.
 */
public final class NetMessageDescriptor
{
    /** Protocol id of muen-net channels (Solo5 and Linux muennet {@code writer_protocol}/{@code reader_protocol}). */
    public static final long PROTOCOL = 0x7ade_5c54_9b08_e814L;
    /** Offset of the frame data. */
    public static final int DATA_OFFSET = 0;
    /** Smallest frame: the Ethernet header ({@code ETH_HLEN}); Linux rejects shorter TAP writes with EINVAL. */
    public static final int MIN_FRAME_LENGTH = 14;
    /** Largest frame: MTU 1500 plus the 14-byte Ethernet header. */
    public static final int MAX_FRAME_LENGTH = 1514;
    /** Offset of the u16 frame length in a 1516-byte element. */
    public static final int LENGTH_OFFSET = MAX_FRAME_LENGTH;
    /** Bytes of the length field. */
    public static final int LENGTH_LENGTH = 2;
    /** Bytes per element. */
    public static final int ELEMENT_LENGTH = MAX_FRAME_LENGTH + LENGTH_LENGTH;

    private NetMessageDescriptor()
    {
    }

    /**
     * Offset of the length field in an element of {@code elementSize} bytes: its last two bytes.
     *
     * @param elementSize bytes per element, at least {@link #LENGTH_LENGTH}.
     * @return the offset.
     */
    public static int lengthOffset(final int elementSize)
    {
        return elementSize - LENGTH_LENGTH;
    }
}
