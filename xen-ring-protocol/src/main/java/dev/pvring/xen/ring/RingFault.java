/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

/**
 * Why a ring stopped: the peer published an index no well-behaved peer can publish. A broken ring never
 * throws on peer data; it stops consuming and reports this to the caller, which marks the device broken
 * (Linux: "Frontend provided bogus ring requests... Halting ring processing", netfront {@code broken}).
 */
public enum RingFault
{
    /** Healthy. */
    NONE,
    /**
     * {@code RING_REQUEST_PROD_OVERFLOW}: {@code (req_prod - rsp_prod_pvt) > size}, the front claims more
     * outstanding requests than the ring holds (XSA-39 class).
     */
    REQUEST_PROD_OVERFLOW,
    /**
     * {@code RING_RESPONSE_PROD_OVERFLOW}: {@code (rsp_prod - rsp_cons) > size}, the back claims responses for
     * slots that were never requested (XSA-376 hardening).
     */
    RESPONSE_PROD_OVERFLOW,
    /**
     * Byte ring: {@code prod - cons} exceeds the ring size (console, xenstore).
     */
    BYTE_RING_INDEX_OVERFLOW
}
