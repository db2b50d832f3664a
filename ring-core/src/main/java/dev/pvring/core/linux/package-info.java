/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Linux system calls through the FFM API ({@code java.lang.foreign}): mmap, futex, open/read/write/ioctl.
 * No JNI; errno is captured with each call.
 */
package dev.pvring.core.linux;
