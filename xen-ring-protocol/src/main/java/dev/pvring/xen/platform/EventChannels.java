/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import dev.pvring.core.Notifier;
import dev.pvring.core.Waiter;

/**
 * Xen interdomain event channels as a driver sees them, whatever runs underneath.
 * <p>
 * A port has a <em>pending</em> bit and a <em>mask</em> bit, as on Xen: {@link #notify(int)} sets the
 * remote port's pending bit and wakes its waiters unless it is masked; a masked port keeps its pending bit
 * and {@link #unmask(int)} delivers it. Waiting consumes the pending bit; many notifications before a wait
 * coalesce into one, so a notification storm costs the receiver one wake-up per wait, not one per event.
 * <p>
 * Results: anything the peer causes is a return code, never an exception and never a hang. A port number
 * from the peer that is not bindable gives {@link #INVALID_PORT} or {@link #NO_SUCH_DOMAIN}; notifying a port
 * whose peer closed gives {@link #NOT_CONNECTED}; a wait on a port whose peer closed returns
 * {@link #PEER_CLOSED} at once. Local misuse (a port that was never opened by this process, or was closed
 * by it) throws {@link IllegalStateException}; a port number outside the table throws
 * {@link IllegalArgumentException}.
 * <p>
 * Thread safety: all methods may be called from any thread, but a given port should be waited on by one
 * thread at a time. {@link #notify(int)} allocates nothing.
 * <p>
 * Platforms differ where the layer below cannot tell: on Linux {@code /dev/xen/evtchn} a peer's close is not
 * reported (waits time out instead of returning {@link #PEER_CLOSED}); drivers must also watch the peer's
 * XenBus state, as Linux drivers do.
 */
public interface EventChannels
{
    /** {@link #notify(int)}: the event was sent. */
    int OK = 0;
    /** {@link #wait(int, long)}: the port was pending; the pending bit is now consumed. */
    int NOTIFIED = 1;
    /** {@link #wait(int, long)}: nothing arrived before the timeout. */
    int TIMED_OUT = 0;
    /**
     * {@link #notify(int)}: the port has no peer (not bound yet, or the peer closed); the event was dropped,
     * as Xen silently drops a send on an unbound port.
     */
    int NOT_CONNECTED = -1;
    /**
     * {@link #wait(int, long)}: the peer closed its end; returned at once (consuming a pending event), so check
     * the ring one last time, then close the port.
     */
    int PEER_CLOSED = -2;
    /** {@link #wait(int, long)}: the port was closed by this process while waiting. */
    int CLOSED = -3;
    /** {@link #bindInterdomain(int, int)}: the remote domain does not exist. */
    int NO_SUCH_DOMAIN = -4;
    /** {@link #bindInterdomain(int, int)}: the remote port is out of range or not unbound for this domain. */
    int INVALID_PORT = -5;
    /** Allocation or bind: the local port table is full. */
    int NO_FREE_PORT = -6;

    /**
     * The domain whose ports these are.
     *
     * @return the local domid.
     */
    int localDomid();

    /**
     * Allocates a local port that {@code remoteDomid} may bind to ({@code EVTCHNOP_alloc_unbound}); publish
     * its number (e.g. in xenstore) for the peer.
     *
     * @param remoteDomid the only domain allowed to bind.
     * @return the local port (positive), or {@link #NO_FREE_PORT}.
     * @throws IllegalArgumentException if {@code remoteDomid} is not a valid domid.
     */
    int allocateUnbound(int remoteDomid);

    /**
     * Connects a new local port to a port the remote domain allocated unbound for this domain
     * ({@code EVTCHNOP_bind_interdomain}). Both numbers usually come from the peer, so failures are codes.
     *
     * @param remoteDomid the remote domain.
     * @param remotePort  its unbound port.
     * @return the local port (positive), {@link #NO_SUCH_DOMAIN}, {@link #INVALID_PORT} or
     *     {@link #NO_FREE_PORT}.
     */
    int bindInterdomain(int remoteDomid, int remotePort);

    /**
     * Sends an event to the peer of a local port ({@code EVTCHNOP_send}). Allocates nothing; issues a wake-up
     * system call only when the peer port was not already pending and somebody sleeps on it.
     *
     * @param port an open local port.
     * @return {@link #OK} or {@link #NOT_CONNECTED}.
     * @throws IllegalStateException if the port is not open in this process.
     */
    int notify(int port);

    /**
     * Waits until the port is pending and unmasked, then consumes the pending bit.
     *
     * @param port         an open local port.
     * @param timeoutNanos longest wait; 0 polls, negative waits without limit.
     * @return {@link #NOTIFIED}, {@link #TIMED_OUT}, {@link #PEER_CLOSED} or {@link #CLOSED}.
     * @throws IllegalStateException if the port is not open in this process.
     */
    int wait(int port, long timeoutNanos);

    /**
     * Consumes the port's pending bit if it is set and the port is unmasked, without blocking.
     *
     * @param port an open local port.
     * @return true if an event was pending.
     * @throws IllegalStateException if the port is not open in this process.
     */
    boolean poll(int port);

    /**
     * Collects the pending, unmasked ports of this process without blocking, consuming their pending bits, so
     * one driver loop can serve several ports. Ports beyond {@code ports.length} stay pending.
     *
     * @param ports receives the port numbers.
     * @return how many were written.
     */
    int pollPending(int[] ports);

    /**
     * Like {@link #pollPending(int[])}, but blocks until at least one port of this process is pending, or
     * the timeout.
     *
     * @param ports        receives the port numbers.
     * @param timeoutNanos longest wait; 0 polls, negative waits without limit.
     * @return how many were written (0 on timeout).
     */
    int waitPending(int[] ports, long timeoutNanos);

    /**
     * Masks a port: notifications still set its pending bit but wake nobody.
     *
     * @param port an open local port.
     * @throws IllegalStateException if the port is not open in this process.
     */
    void mask(int port);

    /**
     * Unmasks a port and, if it became pending while masked, delivers that event now.
     *
     * @param port an open local port.
     * @throws IllegalStateException if the port is not open in this process.
     */
    void unmask(int port);

    /**
     * Closes a local port ({@code EVTCHNOP_close}). The peer's port becomes unbound: its waiters wake with
     * {@link #PEER_CLOSED} and its notifications return {@link #NOT_CONNECTED}. A waiter on this port in
     * another thread returns {@link #CLOSED}.
     *
     * @param port an open local port.
     * @throws IllegalStateException if the port is not open in this process.
     */
    void close(int port);

    /**
     * Whether the port is bound to a live peer port.
     *
     * @param port an open local port.
     * @return true if interdomain-bound.
     * @throws IllegalStateException if the port is not open in this process.
     */
    boolean isConnected(int port);

    /**
     * A {@link Notifier} view of a port, for code written against ring-core doorbells (allocated once, at
     * set-up).
     *
     * @param port an open local port.
     * @return a notifier whose {@link Notifier#notifyPeer()} calls {@link #notify(int)}.
     */
    Notifier notifier(int port);

    /**
     * A {@link Waiter} view of a port, e.g. for {@link dev.pvring.core.SpinYieldBlockIdleStrategy}: taking a
     * token consumes the pending bit, and a notification after the token ends the next wait at once. One
     * thread per waiter.
     *
     * @param port an open local port.
     * @return the waiter.
     */
    Waiter waiter(int port);

    /**
     * The name of a result code, for messages.
     *
     * @param code a value returned by this interface.
     * @return e.g. {@code "NOT_CONNECTED"}.
     */
    static String describe(final int code)
    {
        return switch (code)
        {
            case OK -> "OK";
            case NOTIFIED -> "NOTIFIED";
            case NOT_CONNECTED -> "NOT_CONNECTED";
            case PEER_CLOSED -> "PEER_CLOSED";
            case CLOSED -> "CLOSED";
            case NO_SUCH_DOMAIN -> "NO_SUCH_DOMAIN";
            case INVALID_PORT -> "INVALID_PORT";
            case NO_FREE_PORT -> "NO_FREE_PORT";
            default -> code > 0 ? "port " + code : "UNKNOWN(" + code + ")";
        };
    }
}
