/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import dev.pvring.testkit.ChildJvm;
import dev.pvring.xen.store.XenBus;
import dev.pvring.xen.store.XenStore;
import dev.pvring.xen.store.XenbusDevice;
import dev.pvring.xen.store.XenbusState;
import dev.pvring.xen.store.Xenstored;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The issue-4 end-to-end check: dom0 (this JVM) runs xenstored and acts as the toolstack; a frontend domain
 * and a backend domain run in two further JVMs and talk only through the simulated platform. They complete
 * the XenBus handshake, share the ring page through a grant, bind an event channel, exchange requests with
 * event-index notifications, and close; afterwards no grant, mapping or port is left.
 */
class TwoDomainHandshakeTest
{
    private static final long COUNT = 200_000;

    @Test
    @Timeout(180)
    void shouldHandshakeShareARingAndExchangeRequestsBetweenTwoJvms() throws Exception
    {
        final Path directory = SimFixture.newDirectory();
        final SimDomainConfig small = SimDomainConfig.defaults(0).withPages(64).withGrantEntries(64).withPorts(64)
            .withMaptrackEntries(64);
        try (SimSystem system = SimSystem.create(directory, 8, small);
             SimPlatform dom0 = system.join(0);
             Xenstored xenstored = Xenstored.start(system.xenstoredSocket()))
        {
            dom0.createDomain(SimDomainConfig.defaults(1).withPages(64).withGrantEntries(64).withPorts(64)
                .withMaptrackEntries(64));
            dom0.createDomain(SimDomainConfig.defaults(2).withPages(64).withGrantEntries(64).withPorts(64)
                .withMaptrackEntries(64));
            final XenStore store = dom0.xenStore();
            store.introduceDomain(1, 1, 1);
            store.introduceDomain(2, 1, 1);
            final XenbusDevice device = XenbusDevice.of(HandshakePeer.TYPE, 0, 2, 1);
            XenBus.createDevice(store, device);

            try (ChildJvm back = ChildJvm.start(HandshakePeer.class, "back", directory.toString(), "1",
                     Long.toString(COUNT));
                 ChildJvm front = ChildJvm.start(HandshakePeer.class, "front", directory.toString(), "2",
                     Long.toString(COUNT)))
            {
                assertThat(front.waitFor(150)).as(front.output()).isZero();
                assertThat(back.waitFor(60)).as(back.output()).isZero();
                assertThat(front.output()).contains("front ok pairs=" + COUNT);
                assertThat(back.output()).contains("back ok pairs=" + COUNT);
                System.out.println(front.output().trim() + " | " + back.output().trim());
            }
            assertThat(XenBus.readState(store, XenBus.statePath(device.frontendPath()))).isEqualTo(XenbusState.CLOSED);
            assertThat(XenBus.readState(store, XenBus.statePath(device.backendPath()))).isEqualTo(XenbusState.CLOSED);
            final SimInspector inspector = new SimInspector(system);
            assertThat(inspector.grants(2)).as("frontend grants ended").isEmpty();
            assertThat(inspector.mappings(1)).as("backend mappings released").noneMatch(SimInspector.MappingInfo::mapped);
            assertThat(inspector.ports(1)).as("backend port closed")
                .noneMatch(p -> p.state() == SimEventChannelDescriptor.STATE_INTERDOMAIN);
            assertThat(inspector.ports(2)).as("frontend port closed")
                .noneMatch(p -> p.state() == SimEventChannelDescriptor.STATE_INTERDOMAIN ||
                    p.state() == SimEventChannelDescriptor.STATE_UNBOUND);
        }
        finally
        {
            SimSystem.delete(directory);
        }
    }
}
