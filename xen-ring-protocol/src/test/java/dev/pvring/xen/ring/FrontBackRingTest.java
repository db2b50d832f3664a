/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvring.xen.ring.entry.BlkifAbi;
import dev.pvring.xen.ring.entry.NetifTxRequestDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrontBackRingTest
{
    private final UnsafeBuffer page = new UnsafeBuffer(new byte[4096 * 2]);
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[64]);

    @Test
    void shouldSizeRingsLikeRingSize()
    {
        assertThat(SharedRingDescriptor.ringSize(4096, 12)).isEqualTo(256);
        assertThat(SharedRingDescriptor.ringSize(4096, 112)).isEqualTo(32);
        assertThat(SharedRingDescriptor.ringSize(4096, BlkifAbi.X86_32.requestLength)).isEqualTo(32);
        assertThat(SharedRingDescriptor.ringSize(65536, 112)).isEqualTo(512);
        assertThat(SharedRingDescriptor.ringBytes(4)).isEqualTo(65536);
        assertThatThrownBy(() -> SharedRingDescriptor.ringBytes(5))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("ring page order out of range: pageOrder=5 max=4");
        assertThatThrownBy(() -> SharedRingDescriptor.ringSize(64, 8))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("ring must hold its header and positive entries: ringBytes=64 entrySize=8");
        assertThatThrownBy(() -> SharedRingDescriptor.ringSize(4096, 5000))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("no entry fits in the ring: ringBytes=4096 entrySize=5000");
    }

    @Test
    void shouldRejectRingsOutsideTheBuffer()
    {
        assertThatThrownBy(() -> FrontRing.init(page, 4096 + 8, 4096, 64))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("ring does not fit the buffer: offset=4104 ringBytes=4096 capacity=8192");
        assertThatThrownBy(() -> BackRing.attach(page, 2, 4096, 64, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("offset=2");
    }

    @Test
    void shouldInitialiseTheHeaderLikeSharedRingInit()
    {
        page.setMemory(0, 4096, (byte)0x5A);
        FrontRing.init(page, 0, 4096, 64);
        assertThat(page.getInt(SharedRingDescriptor.REQ_PROD_OFFSET)).isZero();
        assertThat(page.getInt(SharedRingDescriptor.REQ_EVENT_OFFSET)).isEqualTo(1);
        assertThat(page.getInt(SharedRingDescriptor.RSP_PROD_OFFSET)).isZero();
        assertThat(page.getInt(SharedRingDescriptor.RSP_EVENT_OFFSET)).isEqualTo(1);
        for (int i = SharedRingDescriptor.PRIVATE_OFFSET; i < SharedRingDescriptor.HEADER_LENGTH; i++)
        {
            assertThat(page.getByte(i)).as("header byte %d", i).isZero();
        }
        assertThat(page.getByte(SharedRingDescriptor.HEADER_LENGTH)).as("entries untouched").isEqualTo((byte)0x5A);
    }

    @Test
    void shouldNotTouchSharedMemoryWhenABackEndAttaches()
    {
        final FrontRing front = FrontRing.init(page, 0, 4096, 64);
        fill(front, 3);
        front.pushRequests();
        final byte[] before = new byte[4096];
        page.getBytes(0, before);
        final BackRing back = BackRing.attach(page, 0, 4096, 64);
        final byte[] after = new byte[4096];
        page.getBytes(0, after);
        assertThat(after).isEqualTo(before);
        assertThat(back.unconsumedRequests()).as("requests posted before attach survive").isEqualTo(3);
    }

    @Test
    void shouldReportFullAsAReturnCode()
    {
        final FrontRing front = FrontRing.init(page, 0, 4096, NetifTxRequestDescriptor.ENTRY_LENGTH);
        assertThat(front.size()).isEqualTo(256);
        for (int i = 0; i < 256; i++)
        {
            assertThat(front.claimRequest()).isEqualTo(64 + (i * 12));
        }
        assertThat(front.isFull()).isTrue();
        assertThat(front.freeRequests()).isZero();
        assertThat(front.claimRequest()).isEqualTo(RingStatus.FULL);
        assertThat(RingStatus.toString(RingStatus.FULL)).isEqualTo("FULL");
    }

    @Test
    void shouldRoundTripAcrossTheWrapWithBatchedNotifications()
    {
        final int start = 0xFFFF_FFF0;
        final FrontRing front = FrontRing.init(page, 0, 4096, 64, start);
        final BackRing back = BackRing.attach(page, 0, 4096, 64, start);
        int notifications = 0;
        long checksum = 0;
        long expected = 0;
        for (int round = 0; round < 100; round++)
        {
            // back end sleeps until 8 requests are queued
            assertThat(back.finalCheckForRequests(8)).isFalse();
            for (int i = 0; i < 8; i++)
            {
                final int slot = front.claimRequest();
                page.putLong(slot, round * 8L + i);
                expected += round * 8L + i;
                if (i < 7 && front.pushRequestsAndCheckNotify())
                {
                    notifications++;
                }
            }
            assertThat(front.pushRequestsAndCheckNotify()).as("8th request passes req_event").isTrue();
            final int n = back.unconsumedRequests();
            assertThat(n).isEqualTo(8);
            for (int i = 0; i < n; i++)
            {
                assertThat(back.copyRequest(copy, 0, 8)).isTrue();
                final int slot = back.claimResponse();
                page.putLong(slot, copy.getLong(0));
            }
            assertThat(back.copyRequest(copy, 0, 8)).isFalse();
            back.pushResponsesAndCheckNotify();
            final int r = front.unconsumedResponses();
            for (int i = 0; i < r; i++)
            {
                assertThat(front.copyResponse(copy, 0, 8)).isTrue();
                checksum += copy.getLong(0);
            }
        }
        assertThat(notifications).as("no notification before the 8th request").isZero();
        assertThat(checksum).isEqualTo(expected);
        assertThat(Integer.toUnsignedLong(front.rspCons())).isEqualTo((start + 800) & 0xFFFF_FFFFL);
        assertThat(front.isBroken()).isFalse();
        assertThat(back.isBroken()).isFalse();
    }

    @ParameterizedTest(name = "req_prod = cons + {0}")
    @ValueSource(longs = {33, -1, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL})
    void shouldBreakInsteadOfConsumingBogusRequestIndices(final long delta)
    {
        // T2 (XSA-39): a front end publishing an impossible req_prod halts processing, nothing is consumed
        final FrontRing front = FrontRing.init(page, 0, 4096, 64, 1000);
        final BackRing back = BackRing.attach(page, 0, 4096, 64, 1000);
        fill(front, 4);
        front.pushRequests();
        assertThat(back.unconsumedRequests()).isEqualTo(4);
        page.putInt(SharedRingDescriptor.REQ_PROD_OFFSET, (int)(1000 + delta));
        assertThat(back.unconsumedRequests()).isZero();
        assertThat(back.fault()).isEqualTo(RingFault.REQUEST_PROD_OVERFLOW);
        assertThat(back.copyRequest(copy, 0, 64)).isFalse();
        assertThat(back.claimResponse()).isEqualTo(RingStatus.BROKEN);
        assertThat(back.finalCheckForRequests()).isFalse();
        assertThat(back.reqCons()).isEqualTo(1000);
    }

    @Test
    void shouldNeverConsumeMoreRequestsThanFreeResponseSlots()
    {
        // RING_REQUEST_CONS_OVERFLOW: a back end that has not answered cannot read past one ring's worth
        final FrontRing front = FrontRing.init(page, 0, 4096, 64);
        final BackRing back = BackRing.attach(page, 0, 4096, 64, 0);
        fill(front, 32);
        front.pushRequests();
        assertThat(back.unconsumedRequests()).isEqualTo(32);
        for (int i = 0; i < 32; i++)
        {
            assertThat(back.copyRequest(copy, 0, 64)).isTrue();
        }
        // a lying front end claims 32 more requests without any response having been consumed
        page.putInt(SharedRingDescriptor.REQ_PROD_OFFSET, 64);
        assertThat(back.unconsumedRequests()).isZero();
        assertThat(back.fault()).isEqualTo(RingFault.REQUEST_PROD_OVERFLOW);
    }

    @Test
    void shouldStopAtOwedResponsesEvenWithinTheRing()
    {
        final FrontRing front = FrontRing.init(page, 0, 4096, 64);
        final BackRing back = BackRing.attach(page, 0, 4096, 64, 0);
        fill(front, 20);
        front.pushRequests();
        assertThat(back.unconsumedRequests()).isEqualTo(20);
        for (int i = 0; i < 20; i++)
        {
            back.copyRequest(copy, 0, 64);
        }
        assertThat(back.owedResponses()).isEqualTo(20);
        assertThat(back.unconsumedRequests()).isZero();
        assertThatThrownBy(() ->
        {
            for (int i = 0; i < 21; i++)
            {
                back.claimResponse();
            }
        }).isInstanceOf(IllegalStateException.class).hasMessage("no consumed request to answer: rspProdPvt=20 reqCons=20");
    }

    @ParameterizedTest(name = "rsp_prod = cons + {0}")
    @ValueSource(longs = {5, 33, -1, 0x8000_0000L})
    void shouldBreakOnBogusResponseIndices(final long delta)
    {
        // T3 (XSA-376): responses for requests never published break the front end, without throwing
        final FrontRing front = FrontRing.init(page, 0, 4096, 64);
        fill(front, 4);
        front.pushRequests();
        page.putInt(SharedRingDescriptor.RSP_PROD_OFFSET, (int)delta);
        assertThat(front.unconsumedResponses()).isZero();
        assertThat(front.fault()).isEqualTo(RingFault.RESPONSE_PROD_OVERFLOW);
        assertThat(front.claimRequest()).isEqualTo(RingStatus.BROKEN);
        assertThat(front.copyResponse(copy, 0, 64)).isFalse();
        assertThat(front.finalCheckForResponses()).isFalse();
    }

    @Test
    void shouldCopyEachResponseOnceSoRewritesDoNotReachTheCopy()
    {
        // T1: the consumer validates its private copy; a peer rewriting the slot afterwards changes nothing
        final FrontRing front = FrontRing.init(page, 0, 4096, 64);
        final BackRing back = BackRing.attach(page, 0, 4096, 64, 0);
        fill(front, 1);
        front.pushRequests();
        back.unconsumedRequests();
        back.copyRequest(copy, 0, 64);
        final int slot = back.claimResponse();
        page.putLong(slot, 42);
        back.pushResponses();
        final UnsafeBuffer mine = new UnsafeBuffer(new byte[64]);
        assertThat(front.unconsumedResponses()).isEqualTo(1);
        assertThat(front.copyResponse(mine, 0, 64)).isTrue();
        page.putLong(slot, 666);
        assertThat(mine.getLong(0)).isEqualTo(42);
        assertThatThrownBy(() -> front.copyResponse(mine, 0, 65)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectEventCountsBelowOne()
    {
        final FrontRing front = FrontRing.init(page, 0, 4096, 64);
        assertThatThrownBy(() -> front.finalCheckForResponses(0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("event count must be at least 1: count=0");
    }

    @Test
    void shouldClaimAndCopyExactlyWhatTheIndicesAllowAcrossManyLapsAndTheWrap()
    {
        // The fast paths compare against cached bounds (claim: rsp_cons + size; copy: req_prod seen); this
        // checks every claim and copy result against the index arithmetic itself, in random chunks, over the wrap.
        final int start = -1000;
        final FrontRing front = FrontRing.init(page, 0, 4096, 64, start);
        final BackRing back = BackRing.attach(page, 0, 4096, 64, start);
        final int size = front.size();
        final UnsafeBuffer mine = new UnsafeBuffer(new byte[64]);
        final java.util.Random random = new java.util.Random(7);
        int nextRequest = 0;
        int nextEcho = 0;
        for (int round = 0; round < 5_000; round++)
        {
            final int toClaim = random.nextInt(size + 2);
            for (int i = 0; i < toClaim; i++)
            {
                final boolean free = front.freeRequests() > 0;
                final int slot = front.claimRequest();
                if (!free)
                {
                    assertThat(slot).as("claim with no free slot, round %d", round).isEqualTo(RingStatus.FULL);
                    break;
                }
                assertThat(slot).as("claim with a free slot, round %d", round).isNotNegative();
                page.putInt(slot, nextRequest++);
            }
            front.pushRequests();
            final int pending = back.unconsumedRequests();
            final int toCopy = random.nextInt(pending + 2);
            for (int i = 0; i < toCopy; i++)
            {
                final boolean available = i < pending;
                assertThat(back.copyRequest(copy, 0, 64)).as("copy %d of %d, round %d", i, pending, round)
                    .isEqualTo(available);
                if (!available)
                {
                    break;
                }
                page.putInt(back.claimResponse(), copy.getInt(0));
            }
            back.pushResponses();
            final int responses = front.unconsumedResponses();
            for (int i = 0; i < responses; i++)
            {
                assertThat(front.copyResponse(mine, 0, 64)).isTrue();
                assertThat(mine.getInt(0)).isEqualTo(nextEcho++);
            }
            assertThat(front.copyResponse(mine, 0, 64)).isFalse();
        }
        assertThat(nextEcho).isGreaterThan(50_000);
        assertThat(Integer.compareUnsigned(back.reqCons(), start)).as("indices crossed 2^32").isLessThan(0);
        assertThat(front.isBroken() || back.isBroken()).isFalse();
    }

    @Test
    void shouldClaimAndCopyBatchesExactlyWhatTheIndicesAllowAcrossManyLapsAndTheWrap()
    {
        // The batch calls (claimRequests, copyRequests, claimResponses, copyResponses) mixed at random with the
        // per-message calls: every count is checked against the index arithmetic, every copy against its id.
        final int start = -1000;
        final FrontRing front = FrontRing.init(page, 0, 4096, 64, start);
        final BackRing back = BackRing.attach(page, 0, 4096, 64, start);
        final int size = front.size();
        final UnsafeBuffer requests = new UnsafeBuffer(new byte[size * 64]);
        final UnsafeBuffer responses = new UnsafeBuffer(new byte[size * 8]);
        final java.util.Random random = new java.util.Random(11);
        int nextRequest = 0;
        int nextCopied = 0;
        int nextEcho = 0;
        for (int round = 0; round < 5_000; round++)
        {
            final int want = random.nextInt(size + 2);
            final int free = front.freeRequests();
            final int first = front.reqProdPvt();
            final int claimed = front.claimRequests(want);
            assertThat(claimed).as("claimRequests(%d) with %d free, round %d", want, free, round)
                .isEqualTo(Math.min(want, free));
            for (int k = 0; k < claimed; k++)
            {
                page.putInt(front.slotOffset(first + k), nextRequest++);
            }
            if (random.nextBoolean() && front.freeRequests() == 0)
            {
                assertThat(front.claimRequest()).as("per-message claim after a batch filled the ring")
                    .isEqualTo(RingStatus.FULL);
            }
            front.pushRequests();
            final int pending = back.unconsumedRequests();
            final int max = random.nextInt(pending + 2);
            final int copied = back.copyRequests(requests, 0, 64, 64, max);
            assertThat(copied).as("copyRequests(max %d) with %d pending, round %d", max, pending, round)
                .isEqualTo(Math.min(max, pending));
            final int firstResponse = back.rspProdPvt();
            final int answer = random.nextInt(copied + 1);
            assertThat(back.claimResponses(answer)).isEqualTo(answer);
            for (int k = 0; k < copied; k++)
            {
                assertThat(requests.getInt(k * 64)).as("request copy %d, round %d", k, round).isEqualTo(nextCopied++);
            }
            for (int k = 0; k < answer; k++)
            {
                page.putInt(back.slotOffset(firstResponse + k), requests.getInt(k * 64));
            }
            for (int k = answer; k < copied; k++)
            {
                page.putInt(back.claimResponse(), requests.getInt(k * 64));
            }
            assertThat(back.claimResponses(5)).as("nothing owed").isZero();
            back.pushResponses();
            final int responsesPending = front.unconsumedResponses();
            int taken = 0;
            while (taken < responsesPending)
            {
                final int n = front.copyResponses(responses, 0, 8, 4, 1 + random.nextInt(size));
                assertThat(n).isPositive();
                for (int k = 0; k < n; k++)
                {
                    assertThat(responses.getInt(k * 8)).isEqualTo(nextEcho++);
                }
                taken += n;
            }
            assertThat(taken).isEqualTo(responsesPending);
            assertThat(front.copyResponses(responses, 0, 8, 4, size)).isZero();
        }
        assertThat(nextEcho).isGreaterThan(50_000);
        assertThat(Integer.compareUnsigned(back.reqCons(), start)).as("indices crossed 2^32").isLessThan(0);
        assertThat(front.isBroken() || back.isBroken()).isFalse();
    }

    @Test
    void shouldTakeEntriesAndCopyThemByIndexExactlyAsTheCopyCallsDoAcrossManyLapsAndTheWrap()
    {
        // consumeRequests/consumeResponses with copyEntry, mixed at random with copyRequests/copyResponses and the
        // per-message copies: every count is checked against the index arithmetic, every copy against its id.
        final int start = -1000;
        final FrontRing front = FrontRing.init(page, 0, 4096, 64, start);
        final BackRing back = BackRing.attach(page, 0, 4096, 64, start);
        final int size = front.size();
        final UnsafeBuffer requests = new UnsafeBuffer(new byte[size * 64]);
        final UnsafeBuffer one = new UnsafeBuffer(new byte[64 + 3]);
        final java.util.Random random = new java.util.Random(12);
        int nextRequest = 0;
        int nextCopied = 0;
        int nextEcho = 0;
        for (int round = 0; round < 5_000; round++)
        {
            final int first = front.reqProdPvt();
            final int claimed = front.claimRequests(random.nextInt(size + 2));
            for (int k = 0; k < claimed; k++)
            {
                front.putEntryLong(first + k, 0, nextRequest);
                front.putEntryLong(first + k, 56, ~(long)nextRequest++);
            }
            front.pushRequests();
            final int pending = back.unconsumedRequests();
            final int max = random.nextInt(pending + 2);
            final int firstRequest = back.reqCons();
            final int taken;
            if (random.nextBoolean())
            {
                taken = back.consumeRequests(max);
                for (int k = 0; k < taken; k++)
                {
                    back.copyEntry(firstRequest + k, requests, k * 64, 64);
                }
            }
            else
            {
                taken = back.copyRequests(requests, 0, 64, 64, max);
            }
            assertThat(taken).as("max %d with %d pending, round %d", max, pending, round)
                .isEqualTo(Math.min(max, pending));
            assertThat(back.reqCons()).isEqualTo(firstRequest + taken);
            final int firstResponse = back.rspProdPvt();
            assertThat(back.claimResponses(taken)).isEqualTo(taken);
            for (int k = 0; k < taken; k++)
            {
                final long id = requests.getLong(k * 64);
                assertThat(id).as("request copy %d, round %d", k, round).isEqualTo(nextCopied++);
                assertThat(requests.getLong(k * 64 + 56)).isEqualTo(~id);
                back.putEntryLong(firstResponse + k, 0, id);
            }
            back.pushResponses();
            final int responsesPending = front.unconsumedResponses();
            int got = 0;
            while (got < responsesPending)
            {
                final int firstTaken = front.rspCons();
                final int n = front.consumeResponses(1 + random.nextInt(size));
                assertThat(n).isPositive();
                for (int k = 0; k < n; k++)
                {
                    // an odd destination offset: the copy is not tied to aligned slots in the caller's buffer
                    front.copyEntry(firstTaken + k, one, 3, 8);
                    assertThat(one.getLong(3)).isEqualTo(nextEcho++);
                }
                got += n;
            }
            assertThat(got).isEqualTo(responsesPending);
            assertThat(front.consumeResponses(size)).isZero();
        }
        assertThat(nextEcho).isGreaterThan(50_000);
        assertThat(Integer.compareUnsigned(back.reqCons(), start)).as("indices crossed 2^32").isLessThan(0);
        assertThat(front.isBroken() || back.isBroken()).isFalse();
    }

    @Test
    void shouldCopyTheMaskedSlotOfAnyIndexAndRefuseCopiesOutsideTheEntryOrTheBuffer()
    {
        final FrontRing front = FrontRing.init(page, 0, 4096, 64);
        final int size = front.size();
        for (int slot = 0; slot < size; slot++)
        {
            front.putEntryLong(slot, 0, 1000 + slot);
        }
        final UnsafeBuffer out = new UnsafeBuffer(new byte[16]);
        for (final int index : new int[] {0, size - 1, size, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
        {
            front.copyEntry(index, out, 8, 8);
            assertThat(out.getLong(8)).as("index %d", index).isEqualTo(1000 + (index & (size - 1)));
        }
        assertThatThrownBy(() -> front.copyEntry(0, out, 0, 65)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("copy length must be within the entry: length=65 entrySize=64");
        assertThatThrownBy(() -> front.copyEntry(0, out, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> front.copyEntry(0, out, 9, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> front.copyEntry(0, out, -1, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(out.getLong(0)).as("nothing written by a refused copy").isZero();
    }

    @Test
    void shouldRejectNegativeBatchCountsAndCopyNothingFromABrokenRing()
    {
        final FrontRing front = FrontRing.init(page, 0, 4096, 64);
        final BackRing back = BackRing.attach(page, 0, 4096, 64, 0);
        assertThatThrownBy(() -> front.claimRequests(-1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("count must not be negative: count=-1");
        assertThatThrownBy(() -> back.claimResponses(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> back.copyRequests(copy, 0, 64, 64, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> front.copyResponses(copy, 0, 64, 65, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> back.consumeRequests(-1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("maxCount must not be negative: maxCount=-1");
        assertThatThrownBy(() -> front.consumeResponses(-1)).isInstanceOf(IllegalArgumentException.class);
        fill(front, 2);
        front.pushRequests();
        // a hostile front end publishes req_prod far ahead: the back end breaks and copies nothing
        page.putIntRelease(SharedRingDescriptor.REQ_PROD_OFFSET, 1_000_000);
        assertThat(back.unconsumedRequests()).isZero();
        assertThat(back.copyRequests(copy, 0, 64, 64, 1)).isZero();
        assertThat(back.consumeRequests(1)).isZero();
        assertThat(back.claimResponses(1)).isEqualTo(RingStatus.BROKEN);
        // a hostile back end publishes rsp_prod ahead of the requests: the front end breaks and copies nothing
        page.putIntRelease(SharedRingDescriptor.RSP_PROD_OFFSET, 5);
        assertThat(front.unconsumedResponses()).isZero();
        assertThat(front.copyResponses(copy, 0, 8, 8, 1)).isZero();
        assertThat(front.consumeResponses(1)).isZero();
        assertThat(front.claimRequests(1)).isEqualTo(RingStatus.BROKEN);
    }

    private void fill(final FrontRing front, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            final int slot = front.claimRequest();
            assertThat(slot).isNotNegative();
            page.putInt(slot, i);
        }
    }
}
