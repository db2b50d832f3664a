/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * jcstress proofs of the simulated platform's shared-memory protocols: the grant revoke race (pin versus end
 * access), copy visibility at unpin, the end-and-regrant ABA, and the event channel pending/mask handshake.
 */
package dev.pvring.stress.platform;
