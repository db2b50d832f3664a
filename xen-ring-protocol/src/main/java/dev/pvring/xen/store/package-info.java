/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * xenstore: the xs_wire protocol, a XenStore client interface, a Java xenstored (unix socket and ring), the XenBus
 * device state machine, and the toolstack's xenstore side as libxl writes it ({@link dev.pvring.xen.store.Toolstack}:
 * domains built, introduced, destroyed and released; {@link dev.pvring.xen.store.XenBus#createDevice} and
 * {@link dev.pvring.xen.store.ToolstackDevices}: device trees with libxl's keys and permissions).
 */
package dev.pvring.xen.store;
