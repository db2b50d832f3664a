/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TapDeviceTest
{
    @Test
    void shouldRejectInterfaceNamesLinuxCannotHold()
    {
        assertThatThrownBy(() -> TapDevice.open("a-name-of-16-chr"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("tap name must be 1 to 15 printable ASCII characters: name=a-name-of-16-chr");
        assertThatThrownBy(() -> TapDevice.open(""))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("tap name must be 1 to 15 printable ASCII characters: name=");
        assertThatThrownBy(() -> TapDevice.open("tap 0"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("tap name must be 1 to 15 printable ASCII characters: name=tap 0");
    }
}
