/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Linux TAP devices through FFM ({@link dev.pvring.core.tap.TapDevice}), with the {@code IFF_VNET_HDR} header
 * ({@link dev.pvring.core.tap.VirtioNetHdrDescriptor}) that carries checksum offload and GSO; used by the muen-net
 * bridge (shmstream) and by netfront/netback.
 */
package dev.pvring.core.tap;
