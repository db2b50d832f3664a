/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Xen io/ring.h request/response rings, console and xenstore byte rings.
 */
package dev.pvring.xen.ring;
