/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The {@code pvring shmstream send|recv} pipes and the {@code pvring muennet} TAP bridge.
 */
package dev.pvring.cli.shmstream;
