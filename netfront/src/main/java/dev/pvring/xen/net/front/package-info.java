/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Netfront: the guest side of a vif. {@link dev.pvring.xen.net.front.NetfrontQueue} is one TX/RX ring pair with
 * its granted pages and event channel(s), independent of the XenBus lifecycle.
 */
package dev.pvring.xen.net.front;
