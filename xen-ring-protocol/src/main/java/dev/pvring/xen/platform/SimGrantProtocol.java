/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static dev.pvring.xen.platform.GrantEntryV1Descriptor.FRAME_OFFSET;
import static dev.pvring.xen.platform.GrantEntryV1Descriptor.GTF_PERMIT_ACCESS;
import static dev.pvring.xen.platform.GrantEntryV1Descriptor.GTF_READING;
import static dev.pvring.xen.platform.GrantEntryV1Descriptor.GTF_READONLY;
import static dev.pvring.xen.platform.GrantEntryV1Descriptor.GTF_TYPE_MASK;
import static dev.pvring.xen.platform.GrantEntryV1Descriptor.GTF_WRITING;
import static dev.pvring.xen.platform.SimGrantTableDescriptor.ACTIVE_FRAME_OFFSET;
import static dev.pvring.xen.platform.SimGrantTableDescriptor.ACTIVE_LOCK_OFFSET;
import static dev.pvring.xen.platform.SimGrantTableDescriptor.ACTIVE_PINS_OFFSET;
import static dev.pvring.xen.platform.SimGrantTableDescriptor.PIN_MAX;
import static dev.pvring.xen.platform.SimGrantTableDescriptor.PIN_READ_ONLY;
import static dev.pvring.xen.platform.SimGrantTableDescriptor.PIN_WRITABLE;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The lock-free and locked steps of the simulated grant table, as stateless functions over a grant file
 * buffer ({@link SimGrantTableDescriptor}), so that the same code runs in {@link SimGrantTable} and in the
 * jcstress tests of {@code dev.pvring.stress.platform}. Offsets are absolute: {@code entryOffset} of the
 * {@code grant_entry_v1}, {@code activeOffset} of its active entry.
 *
 * <h2>The revoke race (XSA-396, XSA-230)</h2>
 * The granting domain ends access with one compare-and-set of the entry's header word (flags and domid,
 * {@link #tryEnd}) that succeeds only while neither {@code GTF_reading} nor {@code GTF_writing} is set. The
 * simulated hypervisor, before the first pin of a ref, sets those bits with one compare-and-set of the same
 * word that succeeds only while the header still says {@code permit_access} for the mapping domain
 * ({@link #pin}). Both start from the same observed value {@code H}, so:
 * <pre>
 *   mapper (holds the ref's pin lock)              granter (no lock)
 *   h = header (volatile)                           h = header (volatile)
 *   check permit, domid, readonly on h              if h has reading|writing: return BUSY
 *   CAS(header, h, h | reading [| writing])         CAS(header, h, h with flags 0)
 *   frame = entry.frame (read once, AFTER the CAS)
 * </pre>
 * Outcomes (mapped, ended): (1, 0) mapper's CAS first, the granter's fails and its retry sees the bits;
 * (0, 1) granter's CAS first, the mapper's fails and its retry sees no permit; (1, 1) is impossible because
 * two compare-and-sets expecting the same {@code h} cannot both succeed, and (0, 0) is impossible with no
 * third writer because a CAS fails only if another one succeeded. The frame is read only after the bits are
 * set, so an end-and-regrant of the same ref between the mapper's first read and its CAS (ABA on a header
 * with identical flags and domid) yields the <em>new</em>, validly granted frame, never the old one. While
 * a bit is set the granter cannot end access, so the frame and the page stay valid until the last pin is
 * dropped, and the caller drops it only after {@code munmap} (or after a copy finished).
 * <p>
 * Pin counts live in the active entry and are changed only under a per-ref lock word (the pid of the holder),
 * like Xen's per-active-entry spinlock; the granter never takes the lock, so a slow or dead mapper can never
 * block a revocation attempt, only make it fail.
 */
public final class SimGrantProtocol
{
    /** {@link #tryEnd}: access ended. */
    public static final int END_OK = 0;
    /** {@link #tryEnd}: the grant is pinned (mapped or being copied); nothing changed. */
    public static final int END_BUSY = 1;
    /** {@link #tryEnd}: the entry does not permit access (never granted or already ended). */
    public static final int END_NOT_GRANTED = 2;

    private static final int PIN_BITS = GTF_READING | GTF_WRITING;

    private SimGrantProtocol()
    {
    }

    /**
     * Writes a grant: the frame first, then the header with release semantics, so a mapper that sees
     * {@code permit_access} also sees the frame (Xen's {@code wmb()} before writing {@code flags}). The caller
     * owns the (free) ref.
     *
     * @param grants      grant file buffer.
     * @param entryOffset offset of the entry.
     * @param domid       grantee.
     * @param frame       granted frame.
     * @param readOnly    read-only grant.
     */
    public static void publish(
        final AtomicBuffer grants, final int entryOffset, final int domid, final int frame, final boolean readOnly)
    {
        grants.putInt(entryOffset + FRAME_OFFSET, frame);
        // Release: the frame store above is visible to a pinning hypervisor before the permit flag.
        grants.putIntRelease(
            entryOffset, GrantEntryV1Descriptor.header(GTF_PERMIT_ACCESS | (readOnly ? GTF_READONLY : 0), domid));
    }

    /**
     * Ends access unless the grant is pinned: one compare-and-set of the header that clears the flags (the
     * domid is kept, as Xen's guest does).
     *
     * @param grants      grant file buffer.
     * @param entryOffset offset of the entry.
     * @return {@link #END_OK}, {@link #END_BUSY} or {@link #END_NOT_GRANTED}.
     */
    public static int tryEnd(final AtomicBuffer grants, final int entryOffset)
    {
        int header = grants.getIntVolatile(entryOffset);
        while (true)
        {
            final int flags = GrantEntryV1Descriptor.flags(header);
            if ((flags & GTF_TYPE_MASK) != GTF_PERMIT_ACCESS)
            {
                return END_NOT_GRANTED;
            }
            if ((flags & PIN_BITS) != 0)
            {
                return END_BUSY;
            }
            // Full fence: a mapper's CAS that set a pin bit before this either made this fail (we retry and
            // see the bit) or comes after and fails on the cleared flags.
            final int witness = grants.compareAndExchangeInt(entryOffset, header, header & 0xFFFF_0000);
            if (witness == header)
            {
                return END_OK;
            }
            header = witness;
        }
    }

    /**
     * Tries to take a ref's pin lock.
     *
     * @param grants       grant file buffer.
     * @param activeOffset offset of the active entry.
     * @param pid          this process's pid (non-zero).
     * @return true if taken.
     */
    public static boolean tryLock(final AtomicBuffer grants, final int activeOffset, final int pid)
    {
        // CAS = acquire: pins and the pinned frame written by the previous holder are visible.
        return grants.compareAndSetInt(activeOffset + ACTIVE_LOCK_OFFSET, 0, pid);
    }

    /**
     * The pid holding a ref's pin lock.
     *
     * @param grants       grant file buffer.
     * @param activeOffset offset of the active entry.
     * @return the pid, 0 if unlocked.
     */
    public static int lockHolderVolatile(final AtomicBuffer grants, final int activeOffset)
    {
        return grants.getIntVolatile(activeOffset + ACTIVE_LOCK_OFFSET);
    }

    /**
     * Takes over a lock whose holder died.
     *
     * @param grants       grant file buffer.
     * @param activeOffset offset of the active entry.
     * @param deadPid      the holder found dead.
     * @param pid          this process's pid.
     * @return true if taken (then {@link #repair} the entry before unlocking).
     */
    public static boolean casLockHolder(
        final AtomicBuffer grants, final int activeOffset, final int deadPid, final int pid)
    {
        return grants.compareAndSetInt(activeOffset + ACTIVE_LOCK_OFFSET, deadPid, pid);
    }

    /**
     * Releases a ref's pin lock.
     *
     * @param grants       grant file buffer.
     * @param activeOffset offset of the active entry.
     */
    public static void unlock(final AtomicBuffer grants, final int activeOffset)
    {
        // Release: pins and the pinned frame are visible to the next holder.
        grants.putIntRelease(activeOffset + ACTIVE_LOCK_OFFSET, 0);
    }

    /**
     * Pins a grant for a mapping or a copy. The caller holds the ref's pin lock. Checks, on one read of the
     * header, that the entry permits access, names {@code mapperDomid}, and allows writing if asked; sets
     * {@code GTF_reading} (and {@code GTF_writing}) with a compare-and-set if the ref was not pinned yet;
     * reads the frame once (from the entry at the first pin, from the active entry for later pins) and checks it
     * against {@code pages} in both cases; counts the pin. The granting domain can write every word of its grant
     * file, the pins and the pinned frame included: each is read once into a local and only the checked copy is
     * used.
     *
     * @param grants       grant file buffer.
     * @param entryOffset  offset of the grant entry.
     * @param activeOffset offset of the active entry.
     * @param mapperDomid  the domain mapping or copying.
     * @param readOnly     whether only reading is needed.
     * @param pages        number of frames of the granting domain.
     * @return the pinned frame (non-negative, below {@code pages}), or {@link GrantStatus#BAD_GNTREF} (not granted
     *     or revoked), {@link GrantStatus#PERMISSION_DENIED} (other domain, or write on a read-only grant),
     *     {@link GrantStatus#BAD_PAGE} (frame outside the domain), {@link GrantStatus#NO_SPACE} (pin counter
     *     full).
     */
    public static int pin(
        final AtomicBuffer grants, final int entryOffset, final int activeOffset, final int mapperDomid,
        final boolean readOnly, final int pages)
    {
        final int pins = grants.getIntOpaque(activeOffset + ACTIVE_PINS_OFFSET);
        if ((readOnly ? pins & 0xFFFF : pins >>> 16) == PIN_MAX)
        {
            return GrantStatus.NO_SPACE;
        }
        final int want = GTF_READING | (readOnly ? 0 : GTF_WRITING);
        int header = grants.getIntVolatile(entryOffset);
        while (true)
        {
            final int flags = GrantEntryV1Descriptor.flags(header);
            if ((flags & GTF_TYPE_MASK) != GTF_PERMIT_ACCESS)
            {
                return GrantStatus.BAD_GNTREF;
            }
            if (GrantEntryV1Descriptor.domid(header) != mapperDomid)
            {
                return GrantStatus.PERMISSION_DENIED;
            }
            if (!readOnly && (flags & GTF_READONLY) != 0)
            {
                return GrantStatus.PERMISSION_DENIED;
            }
            if ((flags & want) == want)
            {
                // Earlier pins hold the bits: the granter cannot end access while they are set.
                break;
            }
            // Full fence; see the class comment for the race with tryEnd.
            final int witness = grants.compareAndExchangeInt(entryOffset, header, header | want);
            if (witness == header)
            {
                break;
            }
            header = witness;
        }
        final boolean first = pins == 0;
        // Read once, after the bits are set: the frame cannot legitimately change under a pin. Later pins take the
        // frame recorded at the first one, which the granter can overwrite too: it is checked all the same.
        final int frame = first ? grants.getIntVolatile(entryOffset + FRAME_OFFSET) :
            grants.getIntOpaque(activeOffset + ACTIVE_FRAME_OFFSET);
        if (Integer.compareUnsigned(frame, pages) >= 0)
        {
            if (first)
            {
                clearBits(grants, entryOffset, PIN_BITS);
            }
            return GrantStatus.BAD_PAGE;
        }
        if (first)
        {
            grants.putInt(activeOffset + ACTIVE_FRAME_OFFSET, frame);
        }
        grants.putInt(activeOffset + ACTIVE_PINS_OFFSET, pins + (readOnly ? PIN_READ_ONLY : PIN_WRITABLE));
        return frame;
    }

    /**
     * Drops a pin taken by {@link #pin}; the caller holds the pin lock and has already stopped touching the
     * page (unmapped it, or finished the copy). Clearing the last bit is what lets the granter end access.
     *
     * @param grants       grant file buffer.
     * @param entryOffset  offset of the grant entry.
     * @param activeOffset offset of the active entry.
     * @param readOnly     the kind of pin taken.
     */
    public static void unpin(
        final AtomicBuffer grants, final int entryOffset, final int activeOffset, final boolean readOnly)
    {
        final int pins =
            grants.getIntOpaque(activeOffset + ACTIVE_PINS_OFFSET) - (readOnly ? PIN_READ_ONLY : PIN_WRITABLE);
        grants.putInt(activeOffset + ACTIVE_PINS_OFFSET, pins);
        if (pins == 0)
        {
            clearBits(grants, entryOffset, PIN_BITS);
        }
        else if ((pins >>> 16) == 0)
        {
            clearBits(grants, entryOffset, GTF_WRITING);
        }
    }

    /**
     * Sets a ref's pins to recomputed counts and makes the header bits agree (after taking over the lock of
     * a dead process, or when reclaiming a dead mapper's maptrack entries). The caller holds the pin lock.
     *
     * @param grants       grant file buffer.
     * @param entryOffset  offset of the grant entry.
     * @param activeOffset offset of the active entry.
     * @param readOnlyPins read-only mappings found in the maptrack.
     * @param writablePins writable mappings found in the maptrack.
     */
    public static void repair(
        final AtomicBuffer grants, final int entryOffset, final int activeOffset, final int readOnlyPins,
        final int writablePins)
    {
        grants.putInt(activeOffset + ACTIVE_PINS_OFFSET, readOnlyPins | writablePins << 16);
        final int want = (readOnlyPins + writablePins > 0 ? GTF_READING : 0) | (writablePins > 0 ? GTF_WRITING : 0);
        int header = grants.getIntVolatile(entryOffset);
        while (true)
        {
            final int repaired = (header & ~PIN_BITS) | want;
            if (repaired == header)
            {
                return;
            }
            final int witness = grants.compareAndExchangeInt(entryOffset, header, repaired);
            if (witness == header)
            {
                return;
            }
            header = witness;
        }
    }

    /**
     * Current pins of a ref (read-only in bits 0-15, writable in 16-31).
     *
     * @param grants       grant file buffer.
     * @param activeOffset offset of the active entry.
     * @return the pin word.
     */
    public static int pinsVolatile(final AtomicBuffer grants, final int activeOffset)
    {
        return grants.getIntVolatile(activeOffset + ACTIVE_PINS_OFFSET);
    }

    private static void clearBits(final AtomicBuffer grants, final int entryOffset, final int bits)
    {
        int header = grants.getIntVolatile(entryOffset);
        while ((header & bits) != 0)
        {
            // Full fence: everything this process did with the page (munmap, copy) happens before the granter
            // can observe the bit cleared and end access.
            final int witness = grants.compareAndExchangeInt(entryOffset, header, header & ~bits);
            if (witness == header)
            {
                return;
            }
            header = witness;
        }
    }
}
