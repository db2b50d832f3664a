/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static dev.pvring.xen.store.XsMessageType.GET_PERMS;
import static dev.pvring.xen.store.XsMessageType.READ;
import static dev.pvring.xen.store.XsMessageType.RM;
import static dev.pvring.xen.store.XsMessageType.SET_PERMS;
import static dev.pvring.xen.store.XsMessageType.TRANSACTION_END;
import static dev.pvring.xen.store.XsMessageType.TRANSACTION_START;
import static dev.pvring.xen.store.XsMessageType.WATCH;
import static dev.pvring.xen.store.XsMessageType.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security catalogue T13-T16 (xenstored): floods, resource bounds, permissions, framing. Each test also checks
 * that another client keeps being served.
 */
class XenstoredSecurityTest
{
    /** Writes in the T13 flood; {@code -Dpvring.xenstore.flood=1000000} for the full run. */
    private static final int FLOOD = Integer.getInteger("pvring.xenstore.flood", 100_000);

    @TempDir
    Path dir;

    private Xenstored server;
    private SocketXenStore dom0;

    private void start(final XsQuotas quotas)
    {
        server = XsTestSupport.start(dir, quotas);
        dom0 = XsTestSupport.dom0(server);
    }

    @AfterEach
    void stop()
    {
        if (null != server)
        {
            dom0.close();
            server.close();
            assertThat(server.internalErrors()).isZero();
        }
    }

    /** Another client is served promptly. */
    private void assertOthersServed()
    {
        try (SocketXenStore other = SocketXenStore.connect(server.socket(), 5000, 16))
        {
            final String key = "/served/" + System.nanoTime();
            other.write(key, "yes");
            assertThat(other.readString(key)).isEqualTo("yes");
        }
        assertThat(server.isRunning()).isTrue();
    }

    private void homeFor(final int domid)
    {
        dom0.mkdir(0, "/local/domain/" + domid);
        dom0.setPermissions(0, "/local/domain/" + domid, List.of(new XsPermission(domid, XsAccess.NONE)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // T13 watch flood (XSA-349)

    @Test
    void shouldCoalesceWatchFloodOnOneNode() throws Exception
    {
        start(XsQuotas.DEFAULTS);
        homeFor(5);
        try (RawXs backend = RawXs.connect(server.socket());
             RawXs frontend = XsTestSupport.rawDomU(server, dom0, 5))
        {
            assertThat(backend.call(WATCH, "/local/domain/5/state", "be")).isEqualTo("OK");
            final byte[] write = RawXs.message(WRITE.code(), 1, 0, "state\0x".getBytes());
            final int batch = 16;
            final byte[] batchBytes = new byte[write.length * batch];
            for (int i = 0; i < batch; i++)
            {
                System.arraycopy(write, 0, batchBytes, i * write.length, write.length);
            }
            final long start = System.nanoTime();
            for (int sent = 0; sent < FLOOD; sent += batch)
            {
                frontend.sendRaw(batchBytes);
                for (int i = 0; i < batch; i++)
                {
                    assertThat(frontend.receive(5000).text()).isEqualTo("OK");
                }
            }
            final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // The backend never read: at most one event per (path, token) is pending in xenstored.
            assertThat(server.inspect(XenstoredCore::maxPendingEvents)).isLessThanOrEqualTo(1);
            assertOthersServed();
            final int received = backend.drainEvents(500).size();
            assertThat(received).isGreaterThan(0).isLessThan(FLOOD / 4);
            System.out.println("T13 flood: writes=" + FLOOD + " millis=" + millis + " eventsDelivered=" + received);
        }
    }

    @Test
    void shouldCollapseFloodOfDistinctPathsIntoWatchedPath() throws Exception
    {
        start(XsQuotas.DEFAULTS.withPendingWatchEvents(64));
        homeFor(5);
        try (RawXs backend = RawXs.connect(server.socket());
             SocketXenStore frontend = XsTestSupport.domU(server, dom0, 5))
        {
            assertThat(backend.call(WATCH, "/local/domain/5/data", "be")).isEqualTo("OK");
            for (int i = 0; i < 20_000; i++)
            {
                frontend.write(0, "data/k" + i, "v");
                frontend.rm(0, "data/k" + i);
            }
            assertThat(server.inspect(XenstoredCore::maxPendingEvents)).isLessThanOrEqualTo(65);
            assertThat(server.inspect(XenstoredCore::maxQueuedBytes)).isLessThan(65 * 200);
            assertOthersServed();
            final List<RawXs.Msg> events = backend.drainEvents(500);
            assertThat(events).extracting(m -> m.strings().get(0)).contains("/local/domain/5/data");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // T14 resources (XSA-326/416/418/419/421/440)

    @Test
    void shouldStopReadingAClientThatDoesNotReadReplies() throws Exception
    {
        start(XsQuotas.DEFAULTS);
        try (RawXs greedy = XsTestSupport.rawDomU(server, dom0, 5))
        {
            final byte[] read = RawXs.message(READ.code(), 3, 0, RawXs.strings("/tool"));
            final int requests = 2000;
            final byte[] all = new byte[read.length * requests];
            for (int i = 0; i < requests; i++)
            {
                System.arraycopy(read, 0, all, i * read.length, read.length);
            }
            greedy.sendRaw(all);
            Thread.sleep(300);
            assertThat(server.inspect(XenstoredCore::maxOutstandingReplies)).isLessThanOrEqualTo(20);
            assertOthersServed();
            int replies = 0;
            RawXs.Msg m;
            while (replies < requests && null != (m = greedy.receive(5000)))
            {
                assertThat(m.text()).isEqualTo("ERROR:EACCES".substring(6));
                replies++;
            }
            assertThat(replies).isEqualTo(requests);
        }
    }

    @Test
    void shouldEnforceNodeQuotaAndNodeSize() throws Exception
    {
        start(XsQuotas.DEFAULTS.withNodesPerDomain(50));
        homeFor(5);
        try (RawXs dom5 = XsTestSupport.rawDomU(server, dom0, 5))
        {
            int created = 0;
            String last;
            while ("OK".equals(last = dom5.call(WRITE, 0, "n" + created)))
            {
                created++;
            }
            // /local/domain/5 itself is owned by dom5: 49 more nodes fit in a quota of 50.
            assertThat(created).isEqualTo(49);
            assertThat(last).isEqualTo("ERROR:ENOSPC");
            assertThat(dom5.call(WRITE, 0, "n0/deeper/path")).isEqualTo("ERROR:ENOSPC");
            final String big = "v".repeat(2100);
            assertThat(dom5.request(WRITE, 0, ("n1\0" + big).getBytes()).text()).isEqualTo("ENOSPC");
            dom0.write("/dom0/big", big);
            assertThat(dom0.readString("/dom0/big")).hasSize(2100);
            assertThat(dom5.call(RM, "n0")).isEqualTo("OK");
            assertThat(dom5.call(WRITE, 0, "again")).isEqualTo("OK");
            assertOthersServed();
        }
    }

    @Test
    void shouldEnforceWatchAndTransactionQuotas() throws Exception
    {
        start(XsQuotas.DEFAULTS);
        homeFor(5);
        try (RawXs dom5 = XsTestSupport.rawDomU(server, dom0, 5))
        {
            for (int i = 0; i < 128; i++)
            {
                assertThat(dom5.call(WATCH, "w" + i, "t")).isEqualTo("OK");
            }
            assertThat(dom5.call(WATCH, "w128", "t")).isEqualTo("ERROR:E2BIG");
            final List<Integer> txs = new ArrayList<>();
            for (int i = 0; i < 10; i++)
            {
                txs.add(Integer.parseInt(dom5.call(TRANSACTION_START, "")));
            }
            assertThat(dom5.call(TRANSACTION_START, "")).isEqualTo("ERROR:ENOSPC");
            assertThat(dom5.call(TRANSACTION_END, txs.get(0), "F")).isEqualTo("OK");
            assertThat(dom5.call(TRANSACTION_START, "")).matches("[0-9]+");
            dom5.drainEvents(100);
        }
        // dom0 has no such quotas
        for (int i = 0; i < 200; i++)
        {
            dom0.watch("/w" + i, "t");
        }
        assertOthersServed();
    }

    @Test
    void shouldBoundNodesPerTransactionAndFailTheTransaction() throws Exception
    {
        start(XsQuotas.DEFAULTS.withTransactionNodes(20));
        homeFor(5);
        try (RawXs dom5 = XsTestSupport.rawDomU(server, dom0, 5))
        {
            final int tx = Integer.parseInt(dom5.call(TRANSACTION_START, ""));
            String result = "OK";
            int i = 0;
            while ("OK".equals(result))
            {
                result = dom5.call(WRITE, tx, "t" + i++);
            }
            assertThat(result).isEqualTo("ERROR:ENOSPC");
            assertThat(dom5.call(TRANSACTION_END, tx, "T")).isEqualTo("ERROR:ENOMEM");
            assertThat(dom5.call(READ, "t0")).isEqualTo("ERROR:ENOENT");
        }
    }

    @Test
    void shouldKeepQuotaAccountingExactUnderConflictingTransactions() throws Exception
    {
        start(XsQuotas.DEFAULTS.withNodesPerDomain(30));
        homeFor(5);
        try (SocketXenStore a = XsTestSupport.domU(server, dom0, 5);
             SocketXenStore b = SocketXenStore.connect(Xenstored.domainSocketPath(server.socket(), 5)))
        {
            a.write(0, "counter", "0");
            final Thread[] threads = new Thread[2];
            final SocketXenStore[] clients = {a, b};
            for (int t = 0; t < 2; t++)
            {
                final SocketXenStore c = clients[t];
                threads[t] = new Thread(() ->
                {
                    for (int i = 0; i < 100; i++)
                    {
                        c.transaction(1000, tx ->
                        {
                            final int v = Integer.parseInt(c.readString(tx, "counter"));
                            c.write(tx, "tmp", "x");
                            c.rm(tx, "tmp");
                            c.write(tx, "counter", Integer.toString(v + 1));
                            return null;
                        });
                    }
                });
                threads[t].start();
            }
            for (final Thread t : threads)
            {
                t.join(60_000);
            }
            assertThat(a.readString("counter")).isEqualTo("200");
            // home + counter = 2 nodes: exactly 28 more must fit, no drift from conflicting commits.
            int created = 0;
            try
            {
                while (created < 100)
                {
                    a.write(0, "fill" + created, "x");
                    created++;
                }
            }
            catch (final XenStoreException ex)
            {
                assertThat(ex.errorName()).isEqualTo("ENOSPC");
            }
            assertThat(created).isEqualTo(28);
        }
    }

    @Test
    void shouldDeleteDeepAndWideTreesWithoutRecursion() throws Exception
    {
        start(XsQuotas.DEFAULTS);
        final StringBuilder deep = new StringBuilder("/deep");
        while (deep.length() < 2040)
        {
            deep.append("/d");
        }
        dom0.write(deep.toString(), "bottom");
        dom0.watch(deep.toString(), "bottom");
        assertThat(dom0.awaitWatchEvent("bottom", 5, TimeUnit.SECONDS)).isNotNull();
        final int tx = dom0.transactionStart();
        for (int i = 0; i < 2000; i++)
        {
            dom0.write(tx, "/wide/n" + i + "/x", "v");
        }
        assertThat(dom0.transactionEnd(tx, true)).isTrue();
        dom0.rm(0, "/deep");
        dom0.rm(0, "/wide");
        assertThat(dom0.awaitWatchEvent("bottom", 5, TimeUnit.SECONDS))
            .isEqualTo(new XsWatchEvent(deep.toString(), "bottom"));
        assertThat(dom0.directory("/")).containsExactly("tool");
        assertOthersServed();
    }

    // ---------------------------------------------------------------------------------------------------------
    // T15 permissions (XSA-115/322/352/353/417)

    @Test
    void shouldNotLeakEventsOfUnreadableNodes() throws Exception
    {
        start(XsQuotas.DEFAULTS);
        dom0.write("/secret/key", "s");
        try (RawXs dom5 = XsTestSupport.rawDomU(server, dom0, 5))
        {
            assertThat(dom5.call(WATCH, "/secret", "spy")).isEqualTo("OK");
            assertThat(dom5.drainEvents(150)).extracting(m -> m.strings().get(0)).containsExactly("/secret");
            dom0.write("/secret/key", "changed");
            dom0.write("/secret/new", "x");
            dom0.rm(0, "/secret/key");
            assertThat(dom5.drainEvents(200)).isEmpty();
            dom0.setPermissions(0, "/secret/new", List.of(new XsPermission(0, XsAccess.NONE),
                new XsPermission(5, XsAccess.READ)));
            assertThat(dom5.drainEvents(200)).extracting(m -> m.strings().get(0)).containsExactly("/secret/new");
        }
        assertOthersServed();
    }

    @Test
    void shouldKeepReleaseDomainEventsFromUnprivilegedDomains() throws Exception
    {
        start(XsQuotas.DEFAULTS);
        try (RawXs dom5 = XsTestSupport.rawDomU(server, dom0, 5);
             RawXs toolstack = RawXs.connect(server.socket()))
        {
            assertThat(dom5.call(WATCH, "@releaseDomain", "r")).isEqualTo("OK");
            assertThat(toolstack.call(WATCH, "@releaseDomain", "r")).isEqualTo("OK");
            dom5.drainEvents(100);
            toolstack.drainEvents(100);
            dom0.introduceDomain(6, 1, 1);
            dom0.releaseDomain(6);
            assertThat(dom5.drainEvents(200)).isEmpty();
            assertThat(toolstack.drainEvents(200)).hasSize(1);
            dom0.setPermissions(0, "@releaseDomain", List.of(new XsPermission(0, XsAccess.NONE),
                new XsPermission(5, XsAccess.READ)));
            dom0.introduceDomain(6, 1, 1);
            dom0.releaseDomain(6);
            assertThat(dom5.drainEvents(200)).extracting(m -> m.strings().get(0))
                .contains("@releaseDomain");
        }
    }

    @Test
    void shouldRevokeStaleAclsOnDomidReuse() throws Exception
    {
        start(XsQuotas.DEFAULTS);
        dom0.write("/shared", "for-7");
        dom0.setPermissions(0, "/shared", List.of(new XsPermission(0, XsAccess.NONE),
            new XsPermission(7, XsAccess.BOTH)));
        try (RawXs old7 = XsTestSupport.rawDomU(server, dom0, 7))
        {
            assertThat(old7.call(READ, "/shared")).isEqualTo("for-7");
        }
        dom0.releaseDomain(7);
        try (RawXs new7 = XsTestSupport.rawDomU(server, dom0, 7))
        {
            assertThat(new7.call(READ, "/shared")).isEqualTo("ERROR:EACCES");
        }
        assertThat(dom0.getPermissions(0, "/shared")).containsExactly(new XsPermission(0, XsAccess.NONE));
    }

    @Test
    void shouldRefuseRootWritesAndChownByNonOwners() throws Exception
    {
        start(XsQuotas.DEFAULTS);
        dom0.write("/owned-by-0", "x");
        dom0.setPermissions(0, "/owned-by-0", List.of(new XsPermission(0, XsAccess.NONE),
            new XsPermission(5, XsAccess.BOTH)));
        homeFor(5);
        try (RawXs dom5 = XsTestSupport.rawDomU(server, dom0, 5))
        {
            assertThat(dom5.request(WRITE, 0, "/\0x".getBytes()).text()).isEqualTo("EACCES");
            assertThat(dom5.call(WRITE, 0, "/new-top")).isEqualTo("ERROR:EACCES");
            assertThat(dom5.call(RM, "/tool")).isEqualTo("ERROR:EACCES");
            assertThat(dom5.call(SET_PERMS, "/owned-by-0", "b5")).isEqualTo("ERROR:EACCES");
            assertThat(dom5.call(SET_PERMS, "/owned-by-0", "n0", "b5")).isEqualTo("ERROR:EACCES");
            assertThat(dom5.call(SET_PERMS, "/", "b5")).isEqualTo("ERROR:EACCES");
            assertThat(dom5.call(WRITE, 0, "mine")).isEqualTo("OK");
            assertThat(dom5.call(SET_PERMS, "mine", "n0")).isEqualTo("ERROR:EPERM");
            assertThat(dom5.call(GET_PERMS, "mine")).isEqualTo("n5");
        }
        assertOthersServed();
    }

    // ---------------------------------------------------------------------------------------------------------
    // T16 framing (XSA-38/323)

    @Test
    void shouldDropClientSendingPayloadAbove4096() throws Exception
    {
        start(XsQuotas.DEFAULTS);
        try (RawXs bad = XsTestSupport.rawDomU(server, dom0, 5))
        {
            final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(READ.code()).putInt(1).putInt(0).putInt(4097);
            bad.sendRaw(header.array());
            assertThat(bad.awaitClosedByPeer(5000)).isTrue();
        }
        assertThat(server.protocolErrors()).isEqualTo(1);
        assertOthersServed();
    }

    @Test
    void shouldCleanUpClientDisconnectingMidMessage() throws Exception
    {
        start(XsQuotas.DEFAULTS);
        homeFor(5);
        final int watchesBefore = server.inspect(XenstoredCore::watchCount);
        final int connectionsBefore = server.connections();
        try (RawXs leaving = XsTestSupport.rawDomU(server, dom0, 5))
        {
            for (int i = 0; i < 10; i++)
            {
                assertThat(leaving.call(WATCH, "x" + i, "t")).isEqualTo("OK");
                assertThat(leaving.call(TRANSACTION_START, "")).matches("[0-9]+");
            }
            final byte[] message = RawXs.message(WRITE.code(), 5, 0, "partial\0value".getBytes());
            leaving.sendRaw(java.util.Arrays.copyOf(message, 7));
        }
        final long deadline = System.currentTimeMillis() + 5000;
        while (server.connections() > connectionsBefore && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(10);
        }
        assertThat(server.connections()).isEqualTo(connectionsBefore);
        assertThat(server.inspect(XenstoredCore::watchCount)).isEqualTo(watchesBefore);
        assertThat(server.inspect(XenstoredCore::transactionCount)).isZero();
        try (RawXs again = XsTestSupport.rawDomU(server, dom0, 5))
        {
            for (int i = 0; i < 10; i++)
            {
                assertThat(again.call(TRANSACTION_START, "")).as("transaction quota released").matches("[0-9]+");
            }
        }
        assertOthersServed();
    }

    @Test
    void shouldAnswerBadFramesWithProtocolErrors() throws Exception
    {
        start(XsQuotas.DEFAULTS);
        homeFor(5);
        try (RawXs dom5 = XsTestSupport.rawDomU(server, dom0, 5))
        {
            assertThat(dom5.request(READ, 0, "/tool".getBytes()).text()).isEqualTo("EINVAL");
            assertThat(dom5.request(WRITE, 0, "no-nul-at-all".getBytes()).text()).isEqualTo("EINVAL");
            assertThat(dom5.request(READ, 0, new byte[0]).text()).isEqualTo("EINVAL");
            dom5.send(99, 4, 0, RawXs.strings("/tool"));
            final RawXs.Msg unknown = dom5.receive(5000);
            assertThat(unknown.type()).isEqualTo(XsMessageType.ERROR.code());
            assertThat(unknown.text()).isEqualTo("ENOSYS");
            assertThat(dom5.call(READ, "x".repeat(2049))).isEqualTo("ERROR:EINVAL");
            final String longest = ("y".repeat(99) + "/").repeat(20) + "z".repeat(48);
            assertThat(longest).hasSize(2048);
            assertThat(dom5.call(WRITE, 0, longest)).isEqualTo("OK");
            assertThat(dom5.call(WRITE, 0, longest + "z")).isEqualTo("ERROR:EINVAL");
            assertThat(dom5.call(READ, "/local/domain/5/" + "x".repeat(2049))).isEqualTo("ERROR:EINVAL");
            assertThat(dom5.call(READ, 4242, "/tool")).isEqualTo("ERROR:ENOENT");
            assertThat(dom5.call(READ, "/a\u00ff")).isEqualTo("ERROR:EINVAL");
        }
        assertOthersServed();
    }
}
