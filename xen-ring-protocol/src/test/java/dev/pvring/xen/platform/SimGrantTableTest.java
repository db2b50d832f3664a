/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.pvring.core.ReadOnlyAtomicBuffer;
import dev.pvring.core.ReadOnlyMappingException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimGrantTableTest
{
    private SimFixture sim;
    private GrantTable front;
    private GrantTable back;
    private LocalPage page;

    @BeforeEach
    void setUp()
    {
        sim = new SimFixture();
        front = sim.dom1.grantTable();
        back = sim.dom0.grantTable();
        page = sim.dom1.localPages().allocate();
    }

    @AfterEach
    void tearDown()
    {
        sim.close();
    }

    private GrantMapBatch mapOne(final int domid, final int ref, final boolean readOnly)
    {
        final GrantMapBatch batch = new GrantMapBatch(1);
        batch.add(domid, ref, readOnly);
        back.map(batch);
        return batch;
    }

    @Test
    void shouldGrantAboveTheReservedRefsAndWriteAV1Entry()
    {
        final int ref = front.grantAccess(0, page.frame(), true);

        assertThat(ref).isGreaterThanOrEqualTo(GrantTable.NR_RESERVED_ENTRIES);
        final SimInspector.GrantInfo info = new SimInspector(sim.system).grants(1).get(0);
        assertThat(info.ref()).isEqualTo(ref);
        assertThat(info.grantee()).isZero();
        assertThat(info.frame()).isEqualTo(page.frame());
        assertThat(info.flags())
            .isEqualTo(GrantEntryV1Descriptor.GTF_PERMIT_ACCESS | GrantEntryV1Descriptor.GTF_READONLY);
        assertThat(info.mapCount()).isZero();
    }

    @Test
    void shouldShareWritesBothWaysThroughAWritableMapping()
    {
        final int ref = front.grantAccess(0, page.frame(), false);
        page.buffer().putLong(128, 0x1122334455667788L);

        final GrantMapBatch batch = mapOne(1, ref, false);

        assertThat(batch.status(0)).isEqualTo(GrantStatus.OKAY);
        assertThat(batch.buffer(0).capacity()).isEqualTo(GrantTable.PAGE_SIZE);
        assertThat(batch.buffer(0).getLong(128)).isEqualTo(0x1122334455667788L);
        batch.buffer(0).putInt(4000, 42);
        assertThat(page.buffer().getInt(4000)).isEqualTo(42);
        assertThat(back.unmap(batch)).isEqualTo(1);
    }

    @Test
    void shouldMapReadOnlyGrantsWithoutWriteAccess()
    {
        final int ref = front.grantAccess(0, page.frame(), true);
        page.buffer().putInt(0, 7);

        final GrantMapBatch batch = mapOne(1, ref, true);

        assertThat(batch.buffer(0)).isInstanceOf(ReadOnlyAtomicBuffer.class);
        assertThat(batch.buffer(0).getInt(0)).isEqualTo(7);
        assertThatThrownBy(() -> batch.buffer(0).putInt(0, 1)).isInstanceOf(ReadOnlyMappingException.class);
        assertThat(batch.mapping(0).isReadOnly()).isTrue();
        // The page itself is mapped PROT_READ (not only wrapped in a throwing buffer); the writable one is not.
        final long readOnlyAddress = batch.buffer(0).addressOffset();
        assertThat(protection(readOnlyAddress)).isEqualTo("r--s");
        final GrantMapBatch writable = mapOne(1, front.grantAccess(0, page.frame(), false), false);
        assertThat(protection(writable.buffer(0).addressOffset())).isEqualTo("rw-s");
        back.unmap(writable);
        back.unmap(batch);
        assertThat(protection(readOnlyAddress)).as("unmapped").isNull();
    }

    /** The permissions column of the /proc/self/maps line that starts at {@code address}, or null if unmapped. */
    private static String protection(final long address)
    {
        final String start = Long.toHexString(address) + "-";
        try
        {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.startsWith(start))
                .map(line -> line.split(" ")[1])
                .findFirst()
                .orElse(null);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Test
    void shouldRefuseAWritableMappingOfAReadOnlyGrant()
    {
        final int ref = front.grantAccess(0, page.frame(), true);

        final GrantMapBatch batch = mapOne(1, ref, false);

        assertThat(batch.status(0)).isEqualTo(GrantStatus.PERMISSION_DENIED);
        assertThat(batch.mapping(0)).isNull();
        assertThat(front.tryEndAccess(ref)).isTrue();
    }

    @Test
    void shouldFailEndAccessWhileMappedAndSucceedAfterUnmap()
    {
        final int ref = front.grantAccess(0, page.frame(), false);
        final GrantMapBatch batch = mapOne(1, ref, false);

        assertThat(front.tryEndAccess(ref)).isFalse();
        assertThat(new SimInspector(sim.system).grants(1).get(0).flags() & GrantEntryV1Descriptor.GTF_PERMIT_ACCESS)
            .isNotZero();
        back.unmap(batch);
        assertThat(front.tryEndAccess(ref)).isTrue();
        assertThat(new SimInspector(sim.system).grants(1)).isEmpty();
    }

    @Test
    void shouldCountEveryMappingOfOneRef()
    {
        final int ref = front.grantAccess(0, page.frame(), false);
        final GrantMapBatch batch = new GrantMapBatch(3);
        batch.add(1, ref, true);
        batch.add(1, ref, false);
        batch.add(1, ref, true);

        assertThat(back.map(batch)).isEqualTo(3);
        final SimInspector.GrantInfo info = new SimInspector(sim.system).grants(1).get(0);
        assertThat(info.readOnlyPins()).isEqualTo(2);
        assertThat(info.writablePins()).isEqualTo(1);
        assertThat(info.flags() & GrantEntryV1Descriptor.GTF_WRITING).isNotZero();
        back.unmap(batch.mapping(1));
        assertThat(new SimInspector(sim.system).grants(1).get(0).flags() & GrantEntryV1Descriptor.GTF_WRITING).isZero();
        assertThat(front.tryEndAccess(ref)).isFalse();
        assertThat(back.unmap(batch)).isEqualTo(2);
        assertThat(front.tryEndAccess(ref)).isTrue();
        batch.clear();
    }

    @Test
    void shouldReportAClearStatusForEveryBadRef()
    {
        final int granted = front.grantAccess(0, page.frame(), false);
        final int toOther = front.grantAccess(5, page.frame(), false);
        final int revoked = front.grantAccess(0, page.frame(), false);
        assertThat(front.tryEndAccess(revoked)).isTrue();
        final GrantMapBatch batch = new GrantMapBatch(8);
        batch.add(1, 40, false);
        batch.add(1, revoked, false);
        batch.add(1, toOther, false);
        batch.add(1, -1, false);
        batch.add(1, 64, false);
        batch.add(7, granted, false);
        batch.add(9999, granted, false);
        batch.add(1, granted, false);

        assertThat(back.map(batch)).isEqualTo(1);

        assertThat(batch.status(0)).as("never granted").isEqualTo(GrantStatus.BAD_GNTREF);
        assertThat(batch.status(1)).as("revoked").isEqualTo(GrantStatus.BAD_GNTREF);
        assertThat(batch.status(2)).as("granted to dom5").isEqualTo(GrantStatus.PERMISSION_DENIED);
        assertThat(batch.status(3)).as("negative").isEqualTo(GrantStatus.BAD_GNTREF);
        assertThat(batch.status(4)).as("past the table").isEqualTo(GrantStatus.BAD_GNTREF);
        assertThat(batch.status(5)).as("no such domain").isEqualTo(GrantStatus.BAD_DOMAIN);
        assertThat(batch.status(6)).as("domid out of range").isEqualTo(GrantStatus.BAD_DOMAIN);
        assertThat(batch.status(7)).isEqualTo(GrantStatus.OKAY);
        assertThat(GrantStatus.name(batch.status(1))).isEqualTo("GNTST_bad_gntref");
        assertThat(back.unmap(batch)).isEqualTo(1);
    }

    @Test
    void shouldRejectAGrantEntryNamingAFrameOutsideTheDomain()
    {
        final int ref = front.grantAccess(0, page.frame(), false);
        final SimDomainView view = sim.system.view(1);
        view.grants.putInt(view.entryOffset(ref) + GrantEntryV1Descriptor.FRAME_OFFSET, 1_000_000);

        assertThat(mapOne(1, ref, false).status(0)).isEqualTo(GrantStatus.BAD_PAGE);
        assertThat(new SimInspector(sim.system).grants(1).get(0).flags() & GrantEntryV1Descriptor.GTF_READING)
            .as("bits released").isZero();
    }

    @Test
    void shouldRunOutOfMaptrackSlotsWithAStatus()
    {
        final int ref = front.grantAccess(0, page.frame(), true);
        final GrantMapBatch batch = new GrantMapBatch(65);
        for (int i = 0; i < 65; i++)
        {
            batch.add(1, ref, true);
        }

        assertThat(back.map(batch)).isEqualTo(64);
        assertThat(batch.status(64)).isEqualTo(GrantStatus.NO_SPACE);
        assertThat(back.unmap(batch)).isEqualTo(64);
    }

    @Test
    void shouldReturnNoSpaceWhenTheTableIsFull()
    {
        for (int i = GrantTable.NR_RESERVED_ENTRIES; i < 64; i++)
        {
            assertThat(front.grantAccess(0, page.frame(), true)).isEqualTo(i);
        }
        assertThat(front.grantAccess(0, page.frame(), true)).isEqualTo(GrantStatus.NO_SPACE);
        assertThat(front.tryEndAccess(20)).isTrue();
        assertThat(front.grantAccess(0, page.frame(), true)).isEqualTo(20);
    }

    @Test
    void shouldGrantReservedRefsForConsoleAndXenstore()
    {
        front.grantReserved(GrantTable.RESERVED_XENSTORE, 0, page.frame(), false);

        assertThat(mapOne(1, GrantTable.RESERVED_XENSTORE, false).status(0)).isEqualTo(GrantStatus.OKAY);
        assertThatThrownBy(() -> front.grantReserved(GrantTable.RESERVED_XENSTORE, 0, page.frame(), false))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("grant ref already in use: ref=1 owner=");
        assertThatThrownBy(() -> front.grantReserved(8, 0, page.frame(), false))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("reserved grant ref out of range: ref=8 reserved=8");
    }

    @Test
    void shouldExplainMisuseOfEndAccessAndGrant()
    {
        assertThatThrownBy(() -> front.tryEndAccess(64))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("grant ref out of range: ref=64 entries=64");
        assertThatThrownBy(() -> front.tryEndAccess(9))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("grant ref is not granted (never granted, or access already ended): ref=9 domid=1");
        final int ref = front.grantAccess(0, page.frame(), true);
        assertThat(front.tryEndAccess(ref)).isTrue();
        assertThatThrownBy(() -> front.tryEndAccess(ref))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("grant ref is not granted");
        assertThatThrownBy(() -> front.grantAccess(0x7FF0, page.frame(), true))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("domid out of range: domid=32752 max=32751");
        assertThatThrownBy(() -> front.grantAccess(0, 64, true))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("frame out of range: frame=64 pages=64");
    }

    @Test
    void shouldRefuseEndAccessOfARefHeldByAnotherProcess()
    {
        final int ref = front.grantAccess(0, page.frame(), true);
        final SimDomainView view = sim.system.view(1);
        view.grants.putInt(view.activeOffset(ref) + SimGrantTableDescriptor.ACTIVE_OWNER_OFFSET, 1);

        assertThatThrownBy(() -> front.tryEndAccess(ref))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("grant ref is held by another process: ref=" + ref + " owner=1 pid=");
    }

    @Test
    void shouldUnmapIdempotentlyAndDetachTheBuffer()
    {
        final int ref = front.grantAccess(0, page.frame(), false);
        final GrantMapBatch batch = mapOne(1, ref, false);
        final GrantMapping mapping = batch.mapping(0);
        final org.agrona.concurrent.AtomicBuffer stale = mapping.buffer();

        back.unmap(mapping);
        back.unmap(mapping);

        assertThat(mapping.isMapped()).isFalse();
        assertThat(stale.capacity()).isZero();
        assertThatThrownBy(mapping::buffer)
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("grant mapping is unmapped: domid=1 ref=" + ref);
        assertThatThrownBy(() -> batch.buffer(0))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("map batch entry is not mapped: index=0 status=GNTST_okay");
        assertThat(back.unmap(batch)).isZero();
        assertThat(front.tryEndAccess(ref)).isTrue();
    }

    @Test
    void shouldRefuseToUnmapAnotherTablesMapping()
    {
        final int ref = front.grantAccess(0, page.frame(), false);
        final GrantMapBatch batch = mapOne(1, ref, false);

        assertThatThrownBy(() -> front.unmap(batch.mapping(0)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(
                "mapping was not made by this grant table: mapping=GrantMapping{domid=1, ref=" + ref);
        back.unmap(batch);
    }

    @Test
    void shouldExplainBatchMisuse()
    {
        final GrantMapBatch batch = new GrantMapBatch(1);
        batch.add(1, 8, true);
        assertThatThrownBy(() -> batch.add(1, 9, true))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("map batch is full: capacity=1");
        assertThatThrownBy(() -> batch.status(1))
            .isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessage("map batch index out of range: index=1 size=1");
        assertThatThrownBy(() -> new GrantMapBatch(0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("map batch capacity must be positive: capacity=0");
        final int ref = front.grantAccess(0, page.frame(), true);
        final GrantMapBatch mapped = mapOne(1, ref, true);
        assertThatThrownBy(mapped::clear)
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("map batch still holds mappings: mapped=1 size=1");
        back.unmap(mapped);
        mapped.clear();
        assertThat(mapped.size()).isZero();
    }

    @Test
    void shouldCopyBothWaysAndReportEachSegment()
    {
        final int writable = front.grantAccess(0, page.frame(), false);
        final LocalPage other = sim.dom1.localPages().allocate();
        final int readOnly = front.grantAccess(0, other.frame(), true);
        other.buffer().putStringWithoutLengthAscii(100, "from front");
        final UnsafeBuffer local = new UnsafeBuffer(new byte[64]);
        local.putStringWithoutLengthAscii(0, "from back");
        final GrantCopyBatch batch = new GrantCopyBatch(6);
        batch.addToForeign(local, 0, 1, writable, 4087, 9);
        batch.addFromForeign(1, readOnly, 100, local, 20, 10);
        batch.addToForeign(local, 0, 1, readOnly, 0, 4);
        batch.addFromForeign(1, writable, 4090, local, 0, 7);
        batch.addFromForeign(1, 50, 0, local, 0, 1);
        batch.addFromForeign(1, writable, -1, local, 0, 1);

        assertThat(back.copy(batch)).isEqualTo(2);

        assertThat(page.buffer().getStringWithoutLengthAscii(4087, 9)).isEqualTo("from back");
        assertThat(local.getStringWithoutLengthAscii(20, 10)).isEqualTo("from front");
        assertThat(batch.status(2)).as("write to a read-only grant").isEqualTo(GrantStatus.PERMISSION_DENIED);
        assertThat(batch.status(3)).as("crosses the page").isEqualTo(GrantStatus.BAD_COPY_ARG);
        assertThat(batch.status(4)).isEqualTo(GrantStatus.BAD_GNTREF);
        assertThat(batch.status(5)).isEqualTo(GrantStatus.BAD_COPY_ARG);
        assertThat(new SimInspector(sim.system).grants(1)).allSatisfy(g -> assertThat(g.mapCount()).isZero());
        assertThat(front.tryEndAccess(writable)).isTrue();
        assertThat(front.tryEndAccess(readOnly)).isTrue();
    }

    @Test
    void shouldNotRepeatProcessedCopySegments()
    {
        final int ref = front.grantAccess(0, page.frame(), false);
        final UnsafeBuffer local = new UnsafeBuffer(new byte[8]);
        final GrantCopyBatch batch = new GrantCopyBatch(2);
        batch.addToForeign(local, 0, 1, ref, 0, 8);
        assertThat(back.copy(batch)).isEqualTo(1);
        batch.addToForeign(local, 0, 1, ref, 8, 8);

        assertThat(back.copy(batch)).as("only the new segment").isEqualTo(1);
        batch.clear();
        assertThat(batch.size()).isZero();
    }

    @Test
    void shouldExplainCopyBatchMisuse()
    {
        final UnsafeBuffer local = new UnsafeBuffer(new byte[16]);
        final GrantCopyBatch batch = new GrantCopyBatch(1);
        assertThatThrownBy(() -> batch.addFromForeign(1, 8, 0, local, 10, 7))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("copy segment outside the local buffer: offset=10 length=7 capacity=16");
        assertThatThrownBy(() -> batch.addToForeign(local, 0, 1, 8, 0, -1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("copy segment outside the local buffer: offset=0 length=-1 capacity=16");
        batch.addToForeign(local, 0, 1, 8, 0, 16);
        assertThatThrownBy(() -> batch.addToForeign(local, 0, 1, 8, 0, 16))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("copy batch is full: capacity=1");
        assertThatThrownBy(() -> new GrantCopyBatch(-2))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("copy batch capacity must be positive: capacity=-2");
    }

    @Test
    void shouldClearTheByteAndNotifyOnUnmapAndOnEndOfAccess()
    {
        final EventChannels backEvents = sim.dom0.eventChannels();
        final EventChannels frontEvents = sim.dom1.eventChannels();
        final int backPort = backEvents.allocateUnbound(1);
        final int frontPort = frontEvents.bindInterdomain(0, backPort);
        final int ref = front.grantAccess(0, page.frame(), false);
        page.buffer().putByte(100, (byte)1);
        page.buffer().putByte(200, (byte)1);
        final GrantMapBatch batch = mapOne(1, ref, false);

        back.setUnmapNotify(batch.mapping(0), 100, backPort);
        back.unmap(batch);

        assertThat(page.buffer().getByteVolatile(100)).isZero();
        assertThat(frontEvents.wait(frontPort, 0)).isEqualTo(EventChannels.NOTIFIED);
        front.setEndNotify(ref, 200, frontPort);
        front.setEndNotify(ref, 200, frontPort);
        assertThat(front.tryEndAccess(ref)).isTrue();
        assertThat(page.buffer().getByteVolatile(200)).isZero();
        assertThat(backEvents.wait(backPort, 0)).isEqualTo(EventChannels.NOTIFIED);
        assertThat(backEvents.wait(backPort, 0)).as("fired once").isEqualTo(EventChannels.TIMED_OUT);
    }

    @Test
    void shouldNotifyWithoutClearingOrClearWithoutNotifying()
    {
        final int backPort = sim.dom0.eventChannels().allocateUnbound(1);
        final int frontPort = sim.dom1.eventChannels().bindInterdomain(0, backPort);
        final int ref = front.grantAccess(0, page.frame(), true);
        page.buffer().putByte(0, (byte)1);
        final GrantMapBatch batch = mapOne(1, ref, true);

        back.setUnmapNotify(batch.mapping(0), -1, backPort);
        back.unmap(batch);
        front.setEndNotify(ref, 0, 0);
        assertThat(front.tryEndAccess(ref)).isTrue();

        assertThat(sim.dom1.eventChannels().wait(frontPort, 0)).isEqualTo(EventChannels.NOTIFIED);
        assertThat(page.buffer().getByteVolatile(0)).isZero();
        assertThat(sim.dom0.eventChannels().wait(backPort, 0)).isEqualTo(EventChannels.TIMED_OUT);
    }

    @Test
    void shouldExplainNotifyMisuse()
    {
        final int ref = front.grantAccess(0, page.frame(), true);
        final GrantMapBatch batch = mapOne(1, ref, true);
        assertThatThrownBy(() -> back.setUnmapNotify(batch.mapping(0), 0, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("clearing a byte on unmap needs a writable mapping: domid=1 ref=" + ref);
        assertThatThrownBy(() -> back.setUnmapNotify(batch.mapping(0), 4096, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("byte to clear out of range: clearByteOffset=4096 pageSize=4096");
        assertThatThrownBy(() -> back.setUnmapNotify(batch.mapping(0), -1, -1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("port must not be negative: port=-1");
        final GrantMapping mapping = batch.mapping(0);
        back.unmap(batch);
        assertThatThrownBy(() -> back.setUnmapNotify(mapping, -1, 1))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("grant mapping is unmapped: domid=1 ref=" + ref);
        assertThatThrownBy(() -> front.setEndNotify(9, 0, 1))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("grant ref is not granted by this process: ref=9 domid=1");
        assertThatThrownBy(() -> front.setEndNotify(64, 0, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("grant ref out of range: ref=64 entries=64");
    }

    @Test
    void shouldRefuseOperationsAfterClose()
    {
        sim.dom1.close();

        assertThatThrownBy(() -> front.grantAccess(0, 0, true))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("platform is closed: domid=1");
    }

    @Test
    void shouldEndItsGrantsAndUnmapOnClose()
    {
        final int ended = front.grantAccess(0, page.frame(), true);
        final LocalPage other = sim.dom0.localPages().allocate();
        final int backGrant = back.grantAccess(1, other.frame(), true);
        final GrantMapBatch batch = new GrantMapBatch(1);
        batch.add(0, backGrant, true);
        assertThat(front.map(batch)).isEqualTo(1);

        sim.dom1.close();

        assertThat(new SimInspector(sim.system).grants(1)).as("ref " + ended + " ended").isEmpty();
        assertThat(batch.mapping(0)).isNull();
        assertThat(back.tryEndAccess(backGrant)).isTrue();
    }
}
