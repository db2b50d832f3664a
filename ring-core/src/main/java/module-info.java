/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * pvring ring-core: shared memory, ring index math, notification and batching.
 */
module dev.pvring.core
{
    requires transitive org.agrona;
    requires static jdk.incubator.vector;

    exports dev.pvring.core;
    exports dev.pvring.core.linux;
    exports dev.pvring.core.tap;
    exports dev.pvring.core.internal to dev.pvring.xen, dev.pvring.shmstream;
}
