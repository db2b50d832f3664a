/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Muen SHMStream v2 channels (writer, reader, result codes, queue/flush).
 */
package dev.pvring.shmstream;
