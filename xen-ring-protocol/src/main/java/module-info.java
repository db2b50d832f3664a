/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * pvring xen-ring-protocol: io/ring.h rings, console and xenstore rings, xenstore and the platform.
 */
module dev.pvring.xen
{
    requires transitive dev.pvring.core;

    exports dev.pvring.xen.ring;
    exports dev.pvring.xen.ring.entry;
    exports dev.pvring.xen.store;
    exports dev.pvring.xen.platform;
    exports dev.pvring.xen.device;
}
