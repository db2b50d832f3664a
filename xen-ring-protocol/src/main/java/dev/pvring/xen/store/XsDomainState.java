/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

/**
 * Per-domain bookkeeping of xenstored: whether dom0 introduced it, its ring page frame and event channel (as
 * given to {@code INTRODUCE}), its {@code SET_TARGET} domain, and its watch and transaction counts summed over
 * its connections (the quotas are per domain, as in C xenstored).
 */
final class XsDomainState
{
    final int domid;
    boolean introduced;
    long mfn;
    int port;
    int target = -1;
    int watches;
    int transactions;

    XsDomainState(final int domid)
    {
        this.domid = domid;
    }
}
