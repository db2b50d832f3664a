/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security catalogue T13 (XSA-349): a frontend rewrites a node its backend watches over and over while the backend
 * does not poll. The backend's pending events stay bounded (coalesced per path and token, here and in xenstored),
 * draining them is little work, and the backend then sees the last state.
 */
@Timeout(600)
class WatchFloodTest
{
    /** Writes by the hostile frontend ({@code -Dpvring.watchFlood.writes}, 1e6 in the issue; 2e5 by default here). */
    private static final int WRITES = Integer.getInteger("pvring.watchFlood.writes", 200_000);
    private static final String STATE = "/local/domain/7/device/vif/0/state";

    @TempDir
    Path dir;

    @Test
    void shouldCoalesceAFloodOfWritesToAWatchedNode()
    {
        try (Xenstored server = XsTestSupport.start(dir);
            SocketXenStore backend = SocketXenStore.connect(server.socket(), 60_000, 64);
            SocketXenStore frontend = XsTestSupport.domU(server, backend, 7))
        {
            backend.write(STATE, "1");
            backend.setPermissions(XenStore.NO_TRANSACTION, STATE, List.of(XsPermission.parse("n7")));
            backend.watch(STATE, "fe-state");
            backend.watch("/local/domain/7/device", "fe-dir");
            final XsWatchEvent initial = backend.awaitWatchEvent("fe-state", 10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(initial).isEqualTo(new XsWatchEvent(STATE, "fe-state"));
            backend.awaitWatchEvent("fe-dir", 10, java.util.concurrent.TimeUnit.SECONDS);

            final long start = System.nanoTime();
            for (int i = 0; i < WRITES; i++)
            {
                frontend.write(STATE, Integer.toString(i % 9));
                if (i % 50_000 == 0)
                {
                    // Peeking at the count does not read the socket: the backend still does not poll.
                    assertThat(backend.pendingWatchEvents()).isLessThanOrEqualTo(64 + 2);
                }
            }
            frontend.write(STATE, "4");
            final long floodNanos = System.nanoTime() - start;

            int drained = 0;
            int stateEvents = 0;
            int maxPending = 0;
            final long drainStart = System.nanoTime();
            for (int idle = 0; idle < 20; )
            {
                maxPending = Math.max(maxPending, backend.pendingWatchEvents());
                final XsWatchEvent event = backend.awaitWatchEvent(null, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (event == null)
                {
                    idle++;
                    continue;
                }
                drained++;
                if (event.path().equals(STATE))
                {
                    stateEvents++;
                }
            }
            final long drainNanos = System.nanoTime() - drainStart;

            System.out.printf("watch flood: writes=%d flood=%d ms drained=%d (state=%d) coalesced=%d maxPending=%d " +
                "drain=%d ms%n", WRITES + 1, floodNanos / 1_000_000, drained, stateEvents, backend.coalescedEvents(),
                maxPending, drainNanos / 1_000_000);
            assertThat(stateEvents).as("at least one event tells the backend the node changed").isPositive();
            assertThat(drained).as("events the backend handles for %d writes", WRITES + 1)
                .isLessThan(WRITES / 20);
            assertThat(maxPending).isLessThanOrEqualTo(64 + 2);
            assertThat(backend.droppedEvents()).isZero();
            assertThat(backend.readInt(STATE, -1)).as("the backend sees the last state").isEqualTo(4);
        }
    }
}
