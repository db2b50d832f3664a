/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The platform PV drivers run on: grant tables, event channels and shareable pages behind one interface
 * ({@link dev.pvring.xen.platform.Platform}, {@link dev.pvring.xen.platform.GrantTable},
 * {@link dev.pvring.xen.platform.EventChannels}, {@link dev.pvring.xen.platform.LocalPages}), so a driver never
 * knows what runs underneath and a unikernel runtime can implement it itself.
 * <p>
 * Implementations:
 * <ul>
 * <li>{@link dev.pvring.xen.platform.SimSystem}: a simulated Xen system for any Linux machine, many processes,
 * no daemon: per domain a memory file, a version-1 grant table with the hypervisor's pin state and maptrack
 * ({@link dev.pvring.xen.platform.SimGrantTableDescriptor}, protocol in
 * {@link dev.pvring.xen.platform.SimGrantProtocol}), and a port table with a pending bit, a mask bit and a futex
 * doorbell per port ({@link dev.pvring.xen.platform.SimEventChannelDescriptor},
 * {@link dev.pvring.xen.platform.SimEventProtocol}).</li>
 * <li>{@link dev.pvring.xen.platform.LinuxPlatform}: Linux {@code /dev/xen/gntalloc}, {@code gntdev} and
 * {@code evtchn} (untested against real Xen).</li>
 * </ul>
 * Grants for data paths, on every platform:
 * <ul>
 * <li>{@link dev.pvring.xen.platform.GrantTable#mapRegion}: N refs of one domain mapped into one contiguous
 * {@link dev.pvring.xen.platform.GrantRegion} (multi-page rings, vchan rings up to 256 pages), all or nothing, the
 * failing entry named in a {@link dev.pvring.xen.platform.GrantMapFailure}; the granting side allocates
 * {@link dev.pvring.xen.platform.LocalPages#allocateContiguous contiguous pages} and grants them in one call.</li>
 * <li>{@link dev.pvring.xen.platform.GrantPagePool}: a frontend's data pages, granted once and reused LIFO,
 * ended exactly once at close (a page the backend still maps is quarantined, never reused).</li>
 * <li>{@link dev.pvring.xen.platform.PersistentGrantCache}: a backend's persistent mappings, mapped once, LRU
 * bounded, unmapped exactly once at disconnect; {@link dev.pvring.xen.platform.GrantMapBatch} for per-request
 * maps, reusable without allocation.</li>
 * </ul>
 * Everything a peer controls yields a status ({@link dev.pvring.xen.platform.GrantStatus}, the result codes of
 * {@link dev.pvring.xen.platform.EventChannels}); exceptions mean local misuse.
 */
package dev.pvring.xen.platform;
