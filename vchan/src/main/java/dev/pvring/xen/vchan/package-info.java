/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Xen vchan byte streams (libxenvchan). Planned; see the project issues.
 */
package dev.pvring.xen.vchan;
