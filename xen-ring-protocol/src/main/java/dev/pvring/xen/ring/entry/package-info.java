/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Byte layouts of the entries carried by Xen rings (netif, blkif), checked against the C headers.
 */
package dev.pvring.xen.ring.entry;
