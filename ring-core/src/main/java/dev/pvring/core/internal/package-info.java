/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Unchecked memory access shared by pvring's modules; not API (the module exports it only to them).
 */
package dev.pvring.core.internal;
