/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device.echo;

/**
 * Wire layout of the example "echo" device (ours, not a Xen header): an {@code io/ring.h} ring of 16-byte
 * entries in one granted page, plus a pool of data pages the frontend grants once per connection.
 * <pre>
 *   request  (16 B): id u32 @0 | gref u32 @4 | offset u16 @8 | length u16 @10 | pad u32 @12
 *   response (16 B): id u32 @0 | status i32 @4 (bytes echoed, or -1) | pad u64 @8
 * </pre>
 * The backend grant-copies {@code length} bytes at {@code offset} of {@code gref}, XORs each byte with
 * {@link #XOR}, copies them back into the same place and answers. Frontend keys: {@code ring-ref},
 * {@code event-channel}; backend keys: {@code feature-echo=1}.
 */
final class EchoProtocol
{
    static final String TYPE = "pvring-echo";
    static final int ENTRY = 16;
    static final int ID_OFFSET = 0;
    static final int GREF_OFFSET = 4;
    static final int DATA_OFFSET_OFFSET = 8;
    static final int LENGTH_OFFSET = 10;
    static final int STATUS_OFFSET = 4;
    static final int STATUS_ERROR = -1;
    static final int XOR = 0x5A;

    private EchoProtocol()
    {
    }
}
