/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * pvring netfront: the Xen network protocol (netif.h), frontend and backend data paths.
 */
module dev.pvring.xen.net
{
    requires transitive dev.pvring.xen;

    exports dev.pvring.xen.net;
    exports dev.pvring.xen.net.front;
    exports dev.pvring.xen.net.back;
}
