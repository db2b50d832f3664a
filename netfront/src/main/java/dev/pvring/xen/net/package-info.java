/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The Xen network protocol ({@code io/netif.h}): wire layouts and constants ({@link dev.pvring.xen.net.Netif});
 * the frontend data path is in {@code dev.pvring.xen.net.front}, the backend's in {@code dev.pvring.xen.net.back}.
 */
package dev.pvring.xen.net;
