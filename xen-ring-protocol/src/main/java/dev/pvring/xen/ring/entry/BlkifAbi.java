/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring.entry;

/**
 * The two {@code io/blkif.h} ring ABIs: the same structures laid out by an x86_64 (or arm) compiler and by an
 * x86_32 compiler, where {@code uint64_t} is only 4-byte aligned. A backend picks one from the frontend's
 * {@code protocol} key ({@code "x86_64-abi"}, {@code "x86_32-abi"}); offsets below are what gcc gives for
 * Debian's {@code libxen-dev} headers with {@code -m64} and {@code -m32} (checked by the layout test).
 * <pre>
 *  blkif_request     x86_64 (112)                      x86_32 (108)
 *   operation u8      0                                 0
 *   nr_segments u8    1                                 1
 *   handle u16        2                                 2
 *   id u64            8                                 4
 *   sector u64       16                                12
 *   seg[11]          24 (8 each)                       20
 *  blkif_response    x86_64 (16)                       x86_32 (12)
 *   id u64 0, operation u8 8, status i16 10            same offsets
 *  blkif_request_discard  x86_64 (32): flag 1, handle 2, id 8, sector 16, nr_sectors 24
 *                         x86_32 (28): flag 1, handle 2, id 4, sector 12, nr_sectors 20
 *  blkif_request_indirect (64 on both): indirect_op 1, nr_segments u16 2,
 *                         x86_64: id 8, sector 16, handle 24, grefs 28; x86_32: id 4, sector 12, handle 20, grefs 24
 * </pre>
 */
public enum BlkifAbi
{
    /** {@code XEN_IO_PROTO_ABI_X86_64}, also the native ABI of arm. */
    X86_64("x86_64-abi", 112, 8, 16, 24, 16, 32, 8, 16, 24, 8, 16, 24, 28),
    /** {@code XEN_IO_PROTO_ABI_X86_32}. */
    X86_32("x86_32-abi", 108, 4, 12, 20, 12, 28, 4, 12, 20, 4, 12, 20, 24);

    /** {@code blkif_request.operation}. */
    public static final int OPERATION_OFFSET = 0;
    /** {@code blkif_request.nr_segments}. */
    public static final int NR_SEGMENTS_OFFSET = 1;
    /** {@code blkif_request.handle}. */
    public static final int HANDLE_OFFSET = 2;
    /** {@code blkif_response.id}. */
    public static final int RESPONSE_ID_OFFSET = 0;
    /** {@code blkif_response.operation}. */
    public static final int RESPONSE_OPERATION_OFFSET = 8;
    /** {@code blkif_response.status}. */
    public static final int RESPONSE_STATUS_OFFSET = 10;
    /** {@code blkif_request_discard.flag}. */
    public static final int DISCARD_FLAG_OFFSET = 1;
    /** {@code blkif_request_indirect.indirect_op}. */
    public static final int INDIRECT_OP_OFFSET = 1;
    /** {@code blkif_request_indirect.nr_segments} (u16). */
    public static final int INDIRECT_NR_SEGMENTS_OFFSET = 2;
    /** {@code sizeof(struct blkif_request_indirect)} on both ABIs. */
    public static final int INDIRECT_REQUEST_LENGTH = 64;

    /** Value of the frontend's {@code protocol} key. */
    public final String protocol;
    /** {@code sizeof(struct blkif_request)} = {@code sizeof(union blkif_sring_entry)}: the ring's entry size. */
    public final int requestLength;
    /** {@code blkif_request.id}. */
    public final int idOffset;
    /** {@code blkif_request.sector_number}. */
    public final int sectorNumberOffset;
    /** {@code blkif_request.seg[0]}. */
    public final int segmentsOffset;
    /** {@code sizeof(struct blkif_response)}. */
    public final int responseLength;
    /** {@code sizeof(struct blkif_request_discard)}. */
    public final int discardLength;
    /** {@code blkif_request_discard.id}. */
    public final int discardIdOffset;
    /** {@code blkif_request_discard.sector_number}. */
    public final int discardSectorNumberOffset;
    /** {@code blkif_request_discard.nr_sectors}. */
    public final int discardNrSectorsOffset;
    /** {@code blkif_request_indirect.id}. */
    public final int indirectIdOffset;
    /** {@code blkif_request_indirect.sector_number}. */
    public final int indirectSectorNumberOffset;
    /** {@code blkif_request_indirect.handle}. */
    public final int indirectHandleOffset;
    /** {@code blkif_request_indirect.indirect_grefs[0]}. */
    public final int indirectGrefsOffset;

    BlkifAbi(
        final String protocol, final int requestLength, final int idOffset, final int sectorNumberOffset,
        final int segmentsOffset, final int responseLength, final int discardLength, final int discardIdOffset,
        final int discardSectorNumberOffset, final int discardNrSectorsOffset, final int indirectIdOffset,
        final int indirectSectorNumberOffset, final int indirectHandleOffset, final int indirectGrefsOffset)
    {
        this.protocol = protocol;
        this.requestLength = requestLength;
        this.idOffset = idOffset;
        this.sectorNumberOffset = sectorNumberOffset;
        this.segmentsOffset = segmentsOffset;
        this.responseLength = responseLength;
        this.discardLength = discardLength;
        this.discardIdOffset = discardIdOffset;
        this.discardSectorNumberOffset = discardSectorNumberOffset;
        this.discardNrSectorsOffset = discardNrSectorsOffset;
        this.indirectIdOffset = indirectIdOffset;
        this.indirectSectorNumberOffset = indirectSectorNumberOffset;
        this.indirectHandleOffset = indirectHandleOffset;
        this.indirectGrefsOffset = indirectGrefsOffset;
    }

    /**
     * Offset of segment {@code i} of a direct request.
     *
     * @param i segment index, 0..10.
     * @return offset in the request.
     */
    public int segmentOffset(final int i)
    {
        return segmentsOffset + i * BlkifDescriptor.SEGMENT_LENGTH;
    }

    /**
     * The ABI named by a {@code protocol} key; absent or unknown keys are the caller's decision (Xen's default
     * is the backend's native ABI).
     *
     * @param protocol key value, e.g. {@code "x86_32-abi"}.
     * @return the ABI, or {@code null} if unknown.
     */
    public static BlkifAbi fromProtocol(final String protocol)
    {
        for (final BlkifAbi abi : values())
        {
            if (abi.protocol.equals(protocol))
            {
                return abi;
            }
        }
        return null;
    }
}
