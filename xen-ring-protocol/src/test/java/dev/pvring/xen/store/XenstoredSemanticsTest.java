/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static dev.pvring.xen.store.XsMessageType.DIRECTORY;
import static dev.pvring.xen.store.XsMessageType.GET_DOMAIN_PATH;
import static dev.pvring.xen.store.XsMessageType.GET_PERMS;
import static dev.pvring.xen.store.XsMessageType.IS_DOMAIN_INTRODUCED;
import static dev.pvring.xen.store.XsMessageType.MKDIR;
import static dev.pvring.xen.store.XsMessageType.READ;
import static dev.pvring.xen.store.XsMessageType.RM;
import static dev.pvring.xen.store.XsMessageType.SET_PERMS;
import static dev.pvring.xen.store.XsMessageType.TRANSACTION_END;
import static dev.pvring.xen.store.XsMessageType.TRANSACTION_START;
import static dev.pvring.xen.store.XsMessageType.UNWATCH;
import static dev.pvring.xen.store.XsMessageType.WATCH;
import static dev.pvring.xen.store.XsMessageType.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request semantics checked against C xenstored's (Xen 4.17+) answers, over real sockets.
 */
class XenstoredSemanticsTest
{
    @TempDir
    Path dir;

    private Xenstored server;
    private SocketXenStore dom0;
    private RawXs raw;

    @BeforeEach
    void start() throws Exception
    {
        server = XsTestSupport.start(dir);
        dom0 = XsTestSupport.dom0(server);
        raw = RawXs.connect(server.socket());
    }

    @AfterEach
    void stop() throws Exception
    {
        raw.close();
        dom0.close();
        server.close();
        assertThat(server.internalErrors()).isZero();
    }

    @Test
    void shouldStartWithXenstoredInitialTree() throws Exception
    {
        assertThat(dom0.directory("/")).containsExactly("tool");
        assertThat(dom0.directory("/tool")).containsExactly("xenstored");
        assertThat(raw.call(GET_PERMS, "/")).isEqualTo("n0");
        assertThat(raw.call(GET_PERMS, "@releaseDomain")).isEqualTo("n0");
        assertThat(raw.call(READ, "@releaseDomain")).isEqualTo("ERROR:EINVAL");
    }

    @Test
    void shouldWriteCreatingParentsWithEmptyValues() throws Exception
    {
        assertThat(raw.call(WRITE, 0, "/a/b/c\0value".split("(?=\0)", 0))).isNotNull();
        dom0.write("/x/y/z", "v");
        assertThat(dom0.readString("/x/y/z")).isEqualTo("v");
        assertThat(dom0.readString("/x/y")).isEmpty();
        assertThat(dom0.directory("/x")).containsExactly("y");
        assertThat(dom0.directory("/x/y/z")).isEmpty();
    }

    @Test
    void shouldAnswerOkAndRawValues() throws Exception
    {
        final RawXs.Msg write = raw.request(WRITE, 0, "/k\0v\0al".getBytes());
        assertThat(write.type()).isEqualTo(WRITE.code());
        assertThat(write.payload()).containsExactly('O', 'K', 0);
        final RawXs.Msg read = raw.request(READ, 0, RawXs.strings("/k"));
        assertThat(read.payload()).containsExactly('v', 0, 'a', 'l');
        final RawXs.Msg dirReply = raw.request(DIRECTORY, 0, RawXs.strings("/"));
        assertThat(new String(dirReply.payload())).isEqualTo("tool\0k\0");
        assertThat(raw.request(DIRECTORY, 0, RawXs.strings("/k")).payload()).isEmpty();
    }

    @Test
    void shouldEchoReqIdAndTxIdAndAnswerErrorsWithErrnoNames() throws Exception
    {
        raw.send(READ.code(), 0xCAFE, 0, RawXs.strings("/missing"));
        final RawXs.Msg error = raw.receive(5000);
        assertThat(error.type()).isEqualTo(XsMessageType.ERROR.code());
        assertThat(error.reqId()).isEqualTo(0xCAFE);
        assertThat(error.payload()).containsExactly('E', 'N', 'O', 'E', 'N', 'T', 0);
        raw.send(READ.code(), 7, 12345, RawXs.strings("/tool"));
        final RawXs.Msg unknownTx = raw.receive(5000);
        assertThat(unknownTx.text()).isEqualTo("ENOENT");
        assertThat(unknownTx.txId()).isEqualTo(12345);
    }

    @Test
    void shouldRejectMalformedRequestsWithEinval() throws Exception
    {
        assertThat(raw.call(READ, "/a/")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.call(READ, "/a//b")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.call(READ, "/a b")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.call(READ, "/a", "/b")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.call(MKDIR, "@releaseDomain")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.request(READ, 0, "/no-nul".getBytes()).text()).isEqualTo("EINVAL");
        assertThat(raw.request(WRITE, 0, "/no-nul".getBytes()).text()).isEqualTo("EINVAL");
        assertThat(raw.call(WATCH, "/a")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.call(WATCH, "/a", "t", "extra")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.call(SET_PERMS, "/tool")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.call(SET_PERMS, "/tool", "x0")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.call(TRANSACTION_END, "X")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.call(RM, "/")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.call(GET_DOMAIN_PATH, "1", "2")).isEqualTo("ERROR:EINVAL");
    }

    @Test
    void shouldAnswerEnosysForUnknownTypes() throws Exception
    {
        for (final int type : new int[] {20, 23, 0xffff, -1, XsMessageType.WATCH_EVENT.code(),
            XsMessageType.ERROR.code()})
        {
            raw.send(type, 9, 0, RawXs.strings("/"));
            final RawXs.Msg reply = raw.receive(5000);
            assertThat(reply.type()).isEqualTo(XsMessageType.ERROR.code());
            assertThat(reply.text()).as("type %d", type).isEqualTo("ENOSYS");
        }
    }

    @Test
    void shouldMkdirAndRmAsXenstored() throws Exception
    {
        dom0.write("/m", "keep");
        assertThat(raw.call(MKDIR, "/m")).isEqualTo("OK");
        assertThat(dom0.readString("/m")).isEqualTo("keep");
        assertThat(raw.call(RM, "/missing")).isEqualTo("OK");
        assertThat(raw.call(RM, "/missing/child")).isEqualTo("ERROR:ENOENT");
        dom0.write("/t/a/b", "1");
        dom0.write("/t/c", "2");
        assertThat(raw.call(RM, "/t")).isEqualTo("OK");
        assertThat(raw.call(READ, "/t/a/b")).isEqualTo("ERROR:ENOENT");
        assertThat(dom0.directory("/")).doesNotContain("t");
    }

    @Test
    void shouldResolveRelativePathsAgainstDomainHome() throws Exception
    {
        dom0.write("/local/domain/0/name", "Domain-0");
        assertThat(raw.call(READ, "name")).isEqualTo("Domain-0");
        assertThat(raw.call(GET_DOMAIN_PATH, "5")).isEqualTo("/local/domain/5");
        assertThat(raw.call(GET_DOMAIN_PATH, "junk")).isEqualTo("/local/domain/0");
        try (SocketXenStore dom3 = XsTestSupport.domU(server, dom0, 3))
        {
            dom0.mkdir(0, "/local/domain/3");
            dom0.setPermissions(0, "/local/domain/3", List.of(new XsPermission(3, XsAccess.NONE)));
            dom3.write(0, "data/x", "1");
            assertThat(dom0.readString("/local/domain/3/data/x")).isEqualTo("1");
        }
    }

    @Test
    void shouldEnforcePermissionsLikeXenstored() throws Exception
    {
        dom0.write("/secret", "s");
        dom0.write("/public/v", "p");
        dom0.setPermissions(0, "/public", List.of(new XsPermission(0, XsAccess.READ)));
        dom0.setPermissions(0, "/public/v", List.of(new XsPermission(0, XsAccess.NONE),
            new XsPermission(5, XsAccess.BOTH)));
        try (RawXs dom5 = XsTestSupport.rawDomU(server, dom0, 5))
        {
            assertThat(dom5.call(READ, "/secret")).isEqualTo("ERROR:EACCES");
            assertThat(dom5.call(READ, "/nothing")).isEqualTo("ERROR:EACCES");
            assertThat(dom5.call(READ, "/public")).isEmpty();
            assertThat(dom5.call(READ, "/public/missing")).isEqualTo("ERROR:ENOENT");
            assertThat(dom5.call(WRITE, 0, "/public/new")).isEqualTo("ERROR:EACCES");
            assertThat(dom5.call(READ, "/public/v")).isEqualTo("p");
            assertThat(dom5.request(WRITE, 0, "/public/v\0q".getBytes()).text()).isEqualTo("OK");
            assertThat(dom5.call(WRITE, 0, "/")).isEqualTo("ERROR:EACCES");
            assertThat(dom5.call(GET_PERMS, "/public/v")).isEqualTo("n0\0b5");
            assertThat(dom5.call(SET_PERMS, "/public/v", "n5")).isEqualTo("ERROR:EACCES");
            assertThat(dom5.call(XsMessageType.INTRODUCE, "6", "1", "1")).isEqualTo("ERROR:EACCES");
            assertThat(dom5.call(XsMessageType.CONTROL, "help")).isEqualTo("ERROR:EACCES");
        }
    }

    @Test
    void shouldLetDomainsOwnWhatTheyCreateButNotGiveItAway() throws Exception
    {
        dom0.mkdir(0, "/local/domain/4");
        dom0.setPermissions(0, "/local/domain/4", List.of(new XsPermission(4, XsAccess.NONE)));
        try (RawXs dom4 = XsTestSupport.rawDomU(server, dom0, 4))
        {
            assertThat(dom4.request(WRITE, 0, "data/a\0x".getBytes()).text()).isEqualTo("OK");
            assertThat(dom4.call(GET_PERMS, "data/a")).isEqualTo("n4");
            assertThat(dom4.call(SET_PERMS, "data/a", "n4", "r7")).isEqualTo("OK");
            assertThat(dom4.call(SET_PERMS, "data/a", "n7")).isEqualTo("ERROR:EPERM");
            assertThat(dom4.call(SET_PERMS, "data/a", "n4", "r1", "r2", "r3", "r5", "r6"))
                .isEqualTo("ERROR:ENOSPC");
        }
        dom0.write("/local/domain/0/x", "1");
        assertThat(raw.call(SET_PERMS, "/local/domain/0/x", "n9")).isEqualTo("OK");
        assertThat(raw.call(GET_PERMS, "/local/domain/0/x")).isEqualTo("n9");
    }

    @Test
    void shouldCommitAbortAndDetectConflicts() throws Exception
    {
        dom0.write("/c/x", "0");
        final int tx = dom0.transactionStart();
        assertThat(dom0.readString(tx, "/c/x")).isEqualTo("0");
        dom0.write(tx, "/c/y", "in-tx");
        assertThat(dom0.readStringOrNull(0, "/c/y")).isNull();
        assertThat(dom0.transactionEnd(tx, true)).isTrue();
        assertThat(dom0.readString("/c/y")).isEqualTo("in-tx");

        final int aborted = dom0.transactionStart();
        dom0.write(aborted, "/c/z", "never");
        assertThat(dom0.transactionEnd(aborted, false)).isTrue();
        assertThat(dom0.readStringOrNull(0, "/c/z")).isNull();

        final int conflicting = dom0.transactionStart();
        assertThat(dom0.readString(conflicting, "/c/x")).isEqualTo("0");
        try (SocketXenStore other = XsTestSupport.dom0(server))
        {
            other.write("/c/x", "1");
        }
        dom0.write(conflicting, "/c/w", "lost");
        assertThat(dom0.transactionEnd(conflicting, true)).isFalse();
        assertThat(dom0.readStringOrNull(0, "/c/w")).isNull();
        assertThatThrownBy(() -> dom0.transactionEnd(conflicting, true))
            .isInstanceOf(XenStoreException.class).hasMessage("ENOENT: transaction end " + conflicting);
    }

    @Test
    void shouldAnswerTransactionErrorsAsXenstored() throws Exception
    {
        assertThat(raw.call(TRANSACTION_END, "T")).isEqualTo("ERROR:ENOENT");
        final String id = raw.call(TRANSACTION_START, "");
        assertThat(id).matches("[1-9][0-9]*");
        final int tx = Integer.parseInt(id);
        assertThat(raw.call(TRANSACTION_START, tx, "")).isEqualTo("ERROR:EBUSY");
        assertThat(raw.call(WRITE, tx, "/tx/a")).isEqualTo("OK");
        assertThat(raw.call(WATCH, tx, "/tx", "tok")).isEqualTo("OK");
        assertThat(raw.call(TRANSACTION_END, tx, "T")).isEqualTo("OK");
        assertThat(raw.call(TRANSACTION_END, tx, "T")).isEqualTo("ERROR:ENOENT");
        assertThat(raw.call(READ, 999, "/tx/a")).isEqualTo("ERROR:ENOENT");
    }

    @Test
    void shouldRetryTransactionBodiesOnEagain() throws Exception
    {
        dom0.write("/counter", "0");
        try (SocketXenStore other = XsTestSupport.dom0(server))
        {
            final int[] attempts = {0};
            final String result = dom0.transaction(tx ->
            {
                final int value = Integer.parseInt(dom0.readString(tx, "/counter"));
                if (attempts[0]++ < 2)
                {
                    other.write("/counter", Integer.toString(value + 10));
                }
                dom0.write(tx, "/counter", Integer.toString(value + 1));
                return "done";
            });
            assertThat(result).isEqualTo("done");
            assertThat(attempts[0]).isEqualTo(3);
            assertThat(dom0.readString("/counter")).isEqualTo("21");
        }
    }

    @Test
    void shouldFireInitialEventThenChangesIncludingSubtreeRemoval() throws Exception
    {
        dom0.write("/w/a/b", "1");
        assertThat(raw.call(WATCH, "/w", "tok")).isEqualTo("OK");
        assertThat(paths(raw.drainEvents(200))).containsExactly("/w");
        dom0.write("/w/a/b", "2");
        dom0.write("/elsewhere", "x");
        assertThat(paths(raw.drainEvents(200))).containsExactly("/w/a/b");
        assertThat(raw.call(WATCH, "/w/a/b", "exact")).isEqualTo("OK");
        raw.drainEvents(100);
        dom0.rm(0, "/w/a");
        final List<RawXs.Msg> events = raw.drainEvents(200);
        assertThat(events).extracting(m -> m.strings().get(0) + " " + m.strings().get(1))
            .containsExactlyInAnyOrder("/w/a/b exact", "/w/a tok");
        assertThat(raw.call(WATCH, "/w", "tok")).isEqualTo("ERROR:EEXIST");
        assertThat(raw.call(UNWATCH, "/w", "tok")).isEqualTo("OK");
        assertThat(raw.call(UNWATCH, "/w", "tok")).isEqualTo("ERROR:ENOENT");
        dom0.write("/w/z", "1");
        assertThat(raw.drainEvents(150)).isEmpty();
    }

    @Test
    void shouldReportRelativeEventPathsForRelativeWatches() throws Exception
    {
        assertThat(raw.call(WATCH, "device", "rel")).isEqualTo("OK");
        assertThat(paths(raw.drainEvents(150))).containsExactly("device");
        dom0.write("/local/domain/0/device/vif/0/state", "1");
        assertThat(paths(raw.drainEvents(150))).containsExactly("device/vif/0/state");
    }

    @Test
    void shouldFireWatchesOfTransactionsOnlyAtCommit() throws Exception
    {
        assertThat(raw.call(WATCH, "/txw", "t")).isEqualTo("OK");
        raw.drainEvents(100);
        final int tx = dom0.transactionStart();
        dom0.write(tx, "/txw/a", "1");
        assertThat(raw.drainEvents(150)).isEmpty();
        assertThat(dom0.transactionEnd(tx, true)).isTrue();
        assertThat(paths(raw.drainEvents(150))).containsExactly("/txw/a");
    }

    @Test
    void shouldDemultiplexEventsArrivingBetweenRequestAndReply() throws Exception
    {
        dom0.watch("/demux", "mine");
        assertThat(dom0.awaitWatchEvent("mine", 5, TimeUnit.SECONDS)).isEqualTo(new XsWatchEvent("/demux", "mine"));
        // xenstored queues the write's event before the write's reply: the client must still match the reply.
        raw.send(WATCH.code(), 77, 0, RawXs.strings("/demux", "raw"));
        raw.receive(5000);
        raw.receive(5000);
        raw.send(WRITE.code(), 78, 0, "/demux/k\0v".getBytes());
        final RawXs.Msg first = raw.receive(5000);
        final RawXs.Msg second = raw.receive(5000);
        assertThat(first.messageType()).isEqualTo(XsMessageType.WATCH_EVENT);
        assertThat(first.strings()).containsExactly("/demux/k", "raw");
        assertThat(second.messageType()).isEqualTo(WRITE);
        assertThat(second.reqId()).isEqualTo(78);
        for (int i = 0; i < 50; i++)
        {
            dom0.write("/demux/n" + i, Integer.toString(i));
            assertThat(dom0.readString("/demux/n" + i)).isEqualTo(Integer.toString(i));
        }
        final List<String> seen = new ArrayList<>();
        XsWatchEvent event;
        while (null != (event = dom0.pollWatchEvent()))
        {
            seen.add(event.path());
        }
        assertThat(seen).contains("/demux/n0", "/demux/n49").hasSize(51);
    }

    @Test
    void shouldKeepOtherTokensQueuedWhileAwaitingOne() throws Exception
    {
        dom0.watch("/p", "a");
        dom0.watch("/q", "b");
        assertThat(dom0.awaitWatchEvent("b", 5, TimeUnit.SECONDS)).isEqualTo(new XsWatchEvent("/q", "b"));
        assertThat(dom0.awaitWatchEvent("a", 5, TimeUnit.SECONDS)).isEqualTo(new XsWatchEvent("/p", "a"));
        assertThat(dom0.awaitWatchEvent("a", 50, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void shouldFallBackToDirectoryPartForLongChildLists() throws Exception
    {
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++)
        {
            final String name = "child-with-a-long-name-" + i;
            expected.add(name);
            dom0.mkdir(0, "/big/" + name);
        }
        assertThat(raw.call(DIRECTORY, "/big")).isEqualTo("ERROR:E2BIG");
        assertThat(dom0.directory("/big")).containsExactlyElementsOf(expected);
        final RawXs.Msg part = raw.request(XsMessageType.DIRECTORY_PART, 0, RawXs.strings("/big", "0"));
        assertThat(part.payload().length).isLessThanOrEqualTo(4096);
        assertThat(part.strings().get(1)).isEqualTo("child-with-a-long-name-0");
        final RawXs.Msg past = raw.request(XsMessageType.DIRECTORY_PART, 0, RawXs.strings("/big", "999999"));
        assertThat(past.strings()).hasSize(2).element(1).isEqualTo("");
    }

    @Test
    void shouldIntroduceAndReleaseDomainsFiringSpecialWatches() throws Exception
    {
        assertThat(raw.call(WATCH, "@introduceDomain", "i")).isEqualTo("OK");
        assertThat(raw.call(WATCH, "@releaseDomain", "r")).isEqualTo("OK");
        assertThat(paths(raw.drainEvents(100))).containsExactlyInAnyOrder("@introduceDomain", "@releaseDomain");
        assertThat(raw.call(IS_DOMAIN_INTRODUCED, "8")).isEqualTo("F");
        assertThat(raw.call(IS_DOMAIN_INTRODUCED, "0")).isEqualTo("T");
        assertThat(raw.call(XsMessageType.INTRODUCE, "8", "1234", "0")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.call(XsMessageType.INTRODUCE, "8", "1234", "7")).isEqualTo("OK");
        assertThat(paths(raw.drainEvents(150))).containsExactly("@introduceDomain");
        assertThat(raw.call(IS_DOMAIN_INTRODUCED, "8")).isEqualTo("T");

        dom0.mkdir(0, "/local/domain/8");
        dom0.setPermissions(0, "/local/domain/8", List.of(new XsPermission(8, XsAccess.NONE)));
        dom0.write("/shared", "s");
        dom0.setPermissions(0, "/shared", List.of(new XsPermission(0, XsAccess.NONE),
            new XsPermission(8, XsAccess.READ)));
        final SocketXenStore dom8 = SocketXenStore.connect(Xenstored.domainSocketPath(server.socket(), 8));
        dom8.write(0, "data/mine", "m");
        assertThat(raw.call(XsMessageType.RELEASE, "0")).isEqualTo("ERROR:EINVAL");
        assertThat(raw.call(XsMessageType.RELEASE, "9")).isEqualTo("ERROR:ENOENT");
        assertThat(raw.call(XsMessageType.RELEASE, "8")).isEqualTo("OK");
        assertThat(paths(raw.drainEvents(150))).containsExactly("@releaseDomain");
        assertThat(raw.call(IS_DOMAIN_INTRODUCED, "8")).isEqualTo("F");
        assertThat(dom0.readStringOrNull(0, "/local/domain/8")).isNull();
        assertThat(raw.call(GET_PERMS, "/shared")).isEqualTo("n0");
        assertThatThrownBy(() -> dom8.read("/shared"))
            .isInstanceOf(XenStoreException.class)
            .satisfies(ex -> assertThat(((XenStoreException)ex).isConnectionBroken()).isTrue());
        dom8.close();
        assertThat(Xenstored.domainSocketPath(server.socket(), 8)).doesNotExist();
    }

    @Test
    void shouldAnswerControlCommands() throws Exception
    {
        assertThat(dom0.control("help")).contains("quota");
        assertThat(dom0.control("check")).isEqualTo("OK");
        assertThat(dom0.control("quota")).contains("nodes             : 1000");
        assertThatThrownBy(() -> dom0.control("bogus")).isInstanceOf(XenStoreException.class)
            .hasMessage("EINVAL: control bogus");
    }

    @Test
    void shouldResetWatchesAndTransactions() throws Exception
    {
        assertThat(raw.call(WATCH, "/r", "t")).isEqualTo("OK");
        final int tx = Integer.parseInt(raw.call(TRANSACTION_START, ""));
        assertThat(raw.call(XsMessageType.RESET_WATCHES, "")).isEqualTo("OK");
        raw.drainEvents(100);
        assertThat(raw.call(TRANSACTION_END, tx, "T")).isEqualTo("ERROR:ENOENT");
        dom0.write("/r/x", "1");
        assertThat(raw.drainEvents(150)).isEmpty();
    }

    private static List<String> paths(final List<RawXs.Msg> events)
    {
        final List<String> result = new ArrayList<>();
        for (final RawXs.Msg m : events)
        {
            result.add(m.strings().get(0));
        }
        return result;
    }
}
