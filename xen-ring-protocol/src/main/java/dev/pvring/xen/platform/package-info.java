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
 * Everything a peer controls yields a status ({@link dev.pvring.xen.platform.GrantStatus}, the result codes of
 * {@link dev.pvring.xen.platform.EventChannels}); exceptions mean local misuse.
 */
package dev.pvring.xen.platform;
