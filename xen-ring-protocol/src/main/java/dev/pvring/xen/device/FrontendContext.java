/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

/**
 * What a {@link FrontendDriver} gets in {@code connect}: the backend's features (peer data, read without
 * exceptions), and helpers that grant rings, allocate ports and collect keys. Every key given here (ring refs,
 * page order, ports, {@link #writeKey}) is written in ONE xenstore transaction after {@code connect} returns
 * (retried on EAGAIN), together with the switch to Initialised.
 */
public interface FrontendContext extends DeviceContext
{
    /**
     * Reads a backend key (features such as {@code feature-split-event-channels}, {@code max-ring-page-order}).
     *
     * @param key key relative to the backend directory.
     * @return its value, or {@code null} if missing or unreadable.
     */
    String backendKey(String key);

    /**
     * Reads a backend key as a non-negative decimal number.
     *
     * @param key          key relative to the backend directory.
     * @param defaultValue returned if the key is missing.
     * @return the number, {@code defaultValue} if missing, or -1 if present but not a non-negative decimal.
     */
    long backendNumber(String key, long defaultValue);

    /**
     * Reads a backend feature flag.
     *
     * @param key key relative to the backend directory.
     * @return true if the key reads {@code 1}.
     */
    boolean backendFlag(String key);

    /**
     * Reads a key of this end's own directory (toolstack keys: {@code mac}, {@code mtu}...).
     *
     * @param key key relative to the frontend directory.
     * @return its value, or {@code null} if missing.
     */
    String frontendKey(String key);

    /**
     * Allocates {@code 2^order} zeroed contiguous pages, grants them writable to the backend and records the keys:
     * with one page {@code refKey}, otherwise {@code orderKey} and {@code refKey + "0".."N-1"} (blkfront's
     * convention; use {@code order <= backendNumber("max-ring-page-order", 0)}).
     *
     * @param refKey   key of the ref (or prefix of the numbered refs), e.g. {@code ring-ref}, {@code queue-0/tx-ring-ref}.
     * @param orderKey key of the page order, e.g. {@code ring-page-order}; may be {@code null} when {@code order} is 0.
     * @param order    page order (0 for one page).
     * @return the ring memory (zeroed: initialise the ring in it), or {@code null} after recording the failure.
     */
    RingPages grantRing(String refKey, String orderKey, int order);

    /**
     * Allocates pages and grants each to the backend, without writing keys (data buffers, vchan ring pages whose
     * refs go into a shared page).
     *
     * @param count    number of pages.
     * @param readOnly whether the backend may only read them.
     * @return the pages, or {@code null} after recording the failure.
     */
    GrantedPages grantPages(int count, boolean readOnly);

    /**
     * Allocates an unbound event channel for the backend and records {@code key} = port; events on it wake the
     * device's data path.
     *
     * @param key e.g. {@code event-channel}, {@code queue-0/event-channel-tx}.
     * @return the local port (positive), or a negative {@link dev.pvring.xen.platform.EventChannels} code after
     *     recording the failure.
     */
    int allocatePort(String key);

    /**
     * Records a key to write in the connect transaction.
     *
     * @param key   key relative to the frontend directory.
     * @param value its value.
     */
    void writeKey(String key, String value);
}
