/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * xenstore: the xs_wire protocol, a XenStore client interface, a Java xenstored (unix socket and ring), and the XenBus device state machine.
 */
package dev.pvring.xen.store;
