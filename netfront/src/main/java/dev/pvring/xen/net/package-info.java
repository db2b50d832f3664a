/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The Xen network driver (netif.h): frontend and backend. Planned; see the project issues.
 */
package dev.pvring.xen.net;
