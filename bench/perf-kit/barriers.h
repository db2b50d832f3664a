/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * The barriers io/ring.h leaves to its includer (with the default __XEN_INTERFACE_VERSION__ it maps
 * xen_mb/xen_rmb/xen_wmb to mb/rmb/wmb). Full fence for mb, acquire/release fences for rmb/wmb: on x86 the
 * latter two are compiler barriers, as in Linux and mirage.
 */
#ifndef PVRING_BARRIERS_H
#define PVRING_BARRIERS_H
#define mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif
