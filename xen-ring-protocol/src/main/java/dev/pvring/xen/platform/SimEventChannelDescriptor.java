/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import dev.pvring.core.FutexEventDescriptor;

/**
 * Layout of a simulated domain's event channel file {@code dom<d>.gen<g>.evtchn} ({@link SimSystem}): the
 * domain's port table, one 64-byte (cache line) entry per port so ports never share a line, plus one
 * domain-wide doorbell (the "upcall") that wakes a thread waiting on any port. Little-endian; a pvring-only
 * layout (Xen keeps this state inside the hypervisor).
 * <pre>
 *   0 magic "PVRSIMEV" (u64)   8 version (u32)   12 domid (u32)   16 ports (u32)
 *  64 upcall doorbell: {@link FutexEventDescriptor} (sequence u32, waiters u32)
 * 128 port entries [ports], port p at 128 + 64 * p (port 0 is never used, as on Xen)
 *   0 +-------+-------+---------------+-------------------------------+
 *     | state | rsvd  | remote domid  |        remote port (u32)      |   binding word (u64)
 *     | (u8)  | (u8)  | (u16)         |                               |
 *   8 +-------+-------+---------------+-------------------------------+
 *     | flags (u32: PENDING 1, MASKED 2)| owner (u32: pid, 0 = none)  |
 *  16 +-------------------------------+-------------------------------+
 *     | doorbell: {@link FutexEventDescriptor} (sequence u32, waiters u32) |
 *  24 +---------------------------------------------------------------+
 *     |                       reserved (40)                           |
 *  64 +---------------------------------------------------------------+
 * </pre>
 * The binding word is read and changed as one u64 (acquire loads, compare-and-set), so a notifier always sees
 * a consistent state, remote domain and remote port. Binding a remote port is one compare-and-set of the
 * remote's binding word from {@code (UNBOUND, me, 0)} to {@code (INTERDOMAIN, me, myPort)}; closing is one
 * compare-and-set of the peer's word from {@code (INTERDOMAIN, me, myPort)} to {@code (PEER_CLOSED, me,
 * myPort)}. The doorbell's sequence counts deliveries (notifications that found the port not yet pending).
 */
public final class SimEventChannelDescriptor
{
    /** "PVRSIMEV" little-endian. */
    public static final long MAGIC = 0x56454D4953525650L;
    /** Layout version. */
    public static final int VERSION = 1;
    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the domid. */
    public static final int DOMID_OFFSET = 12;
    /** Offset of the port count. */
    public static final int PORTS_OFFSET = 16;
    /** Offset of the domain-wide doorbell. */
    public static final int UPCALL_OFFSET = 64;
    /** Offset of port 0's entry. */
    public static final int PORTS_BASE = 128;

    /** Bytes per port entry. */
    public static final int PORT_LENGTH = 64;
    /** Port entry: the binding word (u64). */
    public static final int PORT_BINDING_OFFSET = 0;
    /** Port entry: PENDING/MASKED flags (u32). */
    public static final int PORT_FLAGS_OFFSET = 8;
    /** Port entry: pid of the process that opened the port (u32). */
    public static final int PORT_OWNER_OFFSET = 12;
    /** Port entry: the port's doorbell ({@link FutexEventDescriptor}). */
    public static final int PORT_EVENT_OFFSET = 16;

    /** Flag: an event arrived and was not consumed yet. */
    public static final int FLAG_PENDING = 1;
    /** Flag: events set {@link #FLAG_PENDING} but wake nobody. */
    public static final int FLAG_MASKED = 2;

    /** State: the port is free. */
    public static final int STATE_FREE = 0;
    /** State: claimed by a process that is setting it up or tearing it down. */
    public static final int STATE_RESERVED = 1;
    /** State: allocated for a remote domain that has not bound yet. */
    public static final int STATE_UNBOUND = 2;
    /** State: connected to a remote port. */
    public static final int STATE_INTERDOMAIN = 3;
    /** State: was connected, the peer closed its end; only a local close frees it. */
    public static final int STATE_PEER_CLOSED = 4;

    /** Most ports per domain. */
    public static final int MAX_PORTS = 1 << 17;

    private SimEventChannelDescriptor()
    {
    }

    /**
     * Offset of a port's entry.
     *
     * @param port the port.
     * @return the offset.
     */
    public static int portOffset(final int port)
    {
        return PORTS_BASE + port * PORT_LENGTH;
    }

    /**
     * File length for a number of ports.
     *
     * @param ports ports (including the unused port 0).
     * @return bytes.
     */
    public static int fileLength(final int ports)
    {
        return SimSystemDescriptor.pageAlign(PORTS_BASE + (long)ports * PORT_LENGTH);
    }

    /**
     * Whether a port count is in range (for validating a copy of a header another process wrote).
     *
     * @param ports port count.
     * @return true if {@link #checkPorts} would accept it.
     */
    public static boolean portsInRange(final int ports)
    {
        return ports >= 2 && ports <= MAX_PORTS;
    }

    /**
     * Checks a port count.
     *
     * @param ports requested ports.
     * @return {@code ports}.
     */
    public static int checkPorts(final int ports)
    {
        if (ports < 2 || ports > MAX_PORTS)
        {
            throw new IllegalArgumentException("ports out of range: ports=" + ports + " min=2 max=" + MAX_PORTS);
        }
        return ports;
    }

    /**
     * Builds a binding word.
     *
     * @param state       {@code STATE_*}.
     * @param remoteDomid remote domain.
     * @param remotePort  remote port.
     * @return the word.
     */
    public static long binding(final int state, final int remoteDomid, final int remotePort)
    {
        return (state & 0xFFL) | ((remoteDomid & 0xFFFFL) << 16) | ((long)remotePort << 32);
    }

    /**
     * The state of a binding word.
     *
     * @param binding the word.
     * @return {@code STATE_*}.
     */
    public static int state(final long binding)
    {
        return (int)(binding & 0xFF);
    }

    /**
     * The remote domain of a binding word.
     *
     * @param binding the word.
     * @return the domid.
     */
    public static int remoteDomid(final long binding)
    {
        return (int)((binding >>> 16) & 0xFFFF);
    }

    /**
     * The remote port of a binding word.
     *
     * @param binding the word.
     * @return the port.
     */
    public static int remotePort(final long binding)
    {
        return (int)(binding >>> 32);
    }

    /**
     * Name of a state, for tools.
     *
     * @param state {@code STATE_*}.
     * @return e.g. {@code "interdomain"}.
     */
    public static String describeState(final int state)
    {
        return switch (state)
        {
            case STATE_FREE -> "free";
            case STATE_RESERVED -> "reserved";
            case STATE_UNBOUND -> "unbound";
            case STATE_INTERDOMAIN -> "interdomain";
            case STATE_PEER_CLOSED -> "peer-closed";
            default -> "unknown(" + state + ")";
        };
    }
}
