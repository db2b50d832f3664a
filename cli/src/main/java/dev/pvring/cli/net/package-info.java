/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * {@code pvring netback} and {@code pvring netfront}: the Xen network drivers bridged to TAP devices.
 */
package dev.pvring.cli.net;
