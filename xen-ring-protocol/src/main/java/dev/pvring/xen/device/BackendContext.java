/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

/**
 * What a {@link BackendDriver} gets in {@code connect}: the frontend's keys (peer data: read once here, parsed
 * without exceptions), and mapping and binding helpers that record every resource for the framework to release.
 * Keys are relative to the frontend directory and may name a queue's subdirectory ({@code queue-1/tx-ring-ref}).
 */
public interface BackendContext extends DeviceContext
{
    /**
     * Reads a frontend key.
     *
     * @param key key relative to the frontend directory.
     * @return its value, or {@code null} if missing or unreadable.
     */
    String frontendKey(String key);

    /**
     * Reads a frontend key as a non-negative decimal number.
     *
     * @param key          key relative to the frontend directory.
     * @param defaultValue returned if the key is missing.
     * @return the number, {@code defaultValue} if missing, or -1 if present but not a non-negative decimal.
     */
    long frontendNumber(String key, long defaultValue);

    /**
     * Reads a frontend feature flag.
     *
     * @param key key relative to the frontend directory.
     * @return true if the key reads {@code 1}.
     */
    boolean frontendFlag(String key);

    /**
     * Reads a key of this end's own directory (toolstack keys: {@code params}, {@code mac}, {@code mode}...).
     *
     * @param key key relative to the backend directory.
     * @return its value, or {@code null} if missing.
     */
    String backendKey(String key);

    /**
     * Maps a ring the frontend granted: with {@code orderKey} present, {@code 2^order} refs from
     * {@code refKey + "0"..} (order at most {@code maxOrder}); otherwise one ref from {@code refKey}
     * (blkif: {@code mapRing("ring-ref", "ring-page-order", 4)}; netif: {@code mapRing("tx-ring-ref", null, 0)}).
     * The pages are mapped writable and contiguous.
     *
     * @param refKey   key of the ref (or prefix of the numbered refs).
     * @param orderKey key of the page order, or {@code null} if the protocol has none.
     * @param maxOrder largest order accepted (what the backend published as {@code max-ring-page-order}).
     * @return the ring memory, or {@code null} after recording the failure ({@link #failure()}).
     */
    RingPages mapRing(String refKey, String orderKey, int maxOrder);

    /**
     * Maps pages the frontend granted by ref (vchan-style rings whose refs live in a shared page), contiguous.
     *
     * @param refs     grant refs of the frontend domain (peer data: validated by the grant table).
     * @param readOnly whether to map read-only.
     * @return the memory, or {@code null} after recording which ref failed ({@link #failure()}).
     */
    RingPages mapPages(int[] refs, boolean readOnly);

    /**
     * Binds the frontend's event channel named by a key; events on it wake the device's data path.
     *
     * @param key key holding the frontend's unbound port ({@code event-channel}, {@code event-channel-tx}...).
     * @return the local port (positive), or a negative {@link dev.pvring.xen.platform.EventChannels} code after
     *     recording the failure.
     */
    int bindPort(String key);
}
