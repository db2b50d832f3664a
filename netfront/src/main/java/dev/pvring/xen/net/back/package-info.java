/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Netback: the driver-domain side of a vif. {@link dev.pvring.xen.net.back.NetbackQueue} serves one TX/RX ring
 * pair by grant copy, validating every request as Linux's netback does; {@link dev.pvring.xen.net.back.NetbackVif}
 * groups the queues of one vif, picks a queue by hash and serves the control ring; a vif that misbehaves is
 * marked broken and stops being served, others are unaffected.
 */
package dev.pvring.xen.net.back;
