/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The platform drivers run on: grant tables and event channels (simulated multi-process system, later Linux /dev/xen).
 */
package dev.pvring.xen.platform;
