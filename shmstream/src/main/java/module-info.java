/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * pvring shmstream: Muen SHMStream v2 channels.
 */
module dev.pvring.shmstream
{
    requires transitive dev.pvring.core;

    exports dev.pvring.shmstream;
}
