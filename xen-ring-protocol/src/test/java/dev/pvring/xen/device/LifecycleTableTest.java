/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The two state tables: every cell is defined, and the cells the XenBus protocol depends on say what the
 * package documents.
 */
class LifecycleTableTest
{
    @Test
    void shouldDefineEveryCellOfTheBackendTable()
    {
        for (final BackendWatcher.Phase phase : BackendWatcher.Phase.values())
        {
            for (final BackendWatcher.Input input : BackendWatcher.Input.values())
            {
                assertThat(BackendWatcher.action(phase, input)).as(phase + " x " + input).isNotNull();
            }
        }
        assertThat(BackendWatcher.action(BackendWatcher.Phase.NEW, BackendWatcher.Input.FRONT_INITIALISING))
            .isEqualTo(BackendWatcher.Action.PUBLISH);
        assertThat(BackendWatcher.action(BackendWatcher.Phase.INIT_WAIT, BackendWatcher.Input.FRONT_INITIALISED))
            .isEqualTo(BackendWatcher.Action.CONNECT);
        assertThat(BackendWatcher.action(BackendWatcher.Phase.INIT_WAIT, BackendWatcher.Input.FRONT_CONNECTED))
            .as("Linux netfront skips Initialised").isEqualTo(BackendWatcher.Action.CONNECT);
        assertThat(BackendWatcher.action(BackendWatcher.Phase.CONNECTED, BackendWatcher.Input.FRONT_INITIALISING))
            .as("frontend restarted").isEqualTo(BackendWatcher.Action.PUBLISH);
        assertThat(BackendWatcher.action(BackendWatcher.Phase.CONNECTED, BackendWatcher.Input.FRONT_GONE))
            .isEqualTo(BackendWatcher.Action.CLOSED);
        assertThat(BackendWatcher.action(BackendWatcher.Phase.CONNECTED, BackendWatcher.Input.OFFLINE))
            .isEqualTo(BackendWatcher.Action.CLOSING);
        assertThat(BackendWatcher.action(BackendWatcher.Phase.CLOSED, BackendWatcher.Input.FRONT_CONNECTED))
            .as("a stale Connected after a close is ignored").isEqualTo(BackendWatcher.Action.NONE);
        for (final BackendWatcher.Input input : BackendWatcher.Input.values())
        {
            assertThat(BackendWatcher.action(BackendWatcher.Phase.REMOVED, input)).isEqualTo(BackendWatcher.Action.NONE);
        }
    }

    @Test
    void shouldDefineEveryCellOfTheFrontendTable()
    {
        for (final FrontendDevice.Phase phase : FrontendDevice.Phase.values())
        {
            for (final FrontendDevice.Input input : FrontendDevice.Input.values())
            {
                assertThat(FrontendDevice.action(phase, input)).as(phase + " x " + input).isNotNull();
            }
        }
        assertThat(FrontendDevice.action(FrontendDevice.Phase.INITIALISING, FrontendDevice.Input.BACK_INIT_WAIT))
            .isEqualTo(FrontendDevice.Action.CONNECT);
        assertThat(FrontendDevice.action(FrontendDevice.Phase.INITIALISING, FrontendDevice.Input.BACK_CONNECTED))
            .as("a stale Connected of a dead backend is not a connection").isEqualTo(FrontendDevice.Action.NONE);
        assertThat(FrontendDevice.action(FrontendDevice.Phase.CONNECTED, FrontendDevice.Input.BACK_INIT_WAIT))
            .as("restarted backend").isEqualTo(FrontendDevice.Action.RESET);
        assertThat(FrontendDevice.action(FrontendDevice.Phase.CONNECTED, FrontendDevice.Input.BACK_GONE))
            .isEqualTo(FrontendDevice.Action.RESET);
        assertThat(FrontendDevice.action(FrontendDevice.Phase.CONNECTED, FrontendDevice.Input.BACK_CLOSING))
            .isEqualTo(FrontendDevice.Action.DETACH);
        assertThat(FrontendDevice.action(FrontendDevice.Phase.CLOSING, FrontendDevice.Input.CLOSE_TIMEOUT))
            .isEqualTo(FrontendDevice.Action.CLOSE_DONE);
        for (final FrontendDevice.Input input : FrontendDevice.Input.values())
        {
            assertThat(FrontendDevice.action(FrontendDevice.Phase.CLOSED, input)).isEqualTo(FrontendDevice.Action.NONE);
        }
    }
}
