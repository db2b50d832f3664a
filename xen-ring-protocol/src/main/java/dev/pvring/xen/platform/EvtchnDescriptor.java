/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

/**
 * The ioctl ABI of Linux {@code /dev/xen/evtchn}, from {@code xen/sys/evtchn.h} (Linux
 * {@code include/uapi/xen/evtchn.h}). Bind ioctls return the local port as the ioctl's result; {@code read}
 * yields fired ports as u32s (the kernel masks each until it is written back), {@code write} of a u32 port
 * unmasks it.
 * <pre>
 *  struct ioctl_evtchn_bind_interdomain (8): 0 remote_domain u32   4 remote_port u32
 *  struct ioctl_evtchn_bind_unbound_port (4): 0 remote_domain u32
 *  struct ioctl_evtchn_unbind (4), struct ioctl_evtchn_notify (4): 0 port u32
 * </pre>
 */
public final class EvtchnDescriptor
{
    /** {@code IOCTL_EVTCHN_BIND_INTERDOMAIN}. */
    public static final long IOCTL_BIND_INTERDOMAIN = GntdevDescriptor.ioc('E', 1, 8);
    /** {@code IOCTL_EVTCHN_BIND_UNBOUND_PORT}. */
    public static final long IOCTL_BIND_UNBOUND_PORT = GntdevDescriptor.ioc('E', 2, 4);
    /** {@code IOCTL_EVTCHN_UNBIND}. */
    public static final long IOCTL_UNBIND = GntdevDescriptor.ioc('E', 3, 4);
    /** {@code IOCTL_EVTCHN_NOTIFY}. */
    public static final long IOCTL_NOTIFY = GntdevDescriptor.ioc('E', 4, 4);
    /** {@code IOCTL_EVTCHN_RESET}. */
    public static final long IOCTL_RESET = GntdevDescriptor.ioc('E', 5, 0);

    /** Bind interdomain: remote domain. */
    public static final int BIND_REMOTE_DOMAIN_OFFSET = 0;
    /** Bind interdomain: remote port. */
    public static final int BIND_REMOTE_PORT_OFFSET = 4;
    /** {@code sizeof(struct ioctl_evtchn_bind_interdomain)}. */
    public static final int BIND_INTERDOMAIN_LENGTH = 8;
    /** {@code sizeof} of the one-word requests (unbound port, unbind, notify). */
    public static final int WORD_LENGTH = 4;

    private EvtchnDescriptor()
    {
    }
}
