/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

/**
 * Where a {@link ShmStreamReader} resumes after {@link ReadResult#OVERRUN_DETECTED}. Either way the elements
 * passed over are counted exactly ({@link ShmStreamReader#lastSkipped()}, {@link ShmStreamReader#elementsSkipped()})
 * and the read counter never moves backwards.
 */
public enum OverrunRecovery
{
    /**
     * {@code RC := WC}: skip to the newest data, as the Ada reference, Linux and Genode do. The next read finds
     * No_Data until the writer writes again, so a reader that idles on No_Data may be lapped again before it looks,
     * and under a writer that laps it continuously it can go on reporting overruns without reading anything.
     */
    NEWEST,

    /**
     * {@code RC := WC - ceil(Elements / 2)} (but never below the old RC): resume at a recent element that is still
     * in the ring, so the next read delivers at once and the writer must write half a ring more before that slot
     * is overwritten. A reader lapped continuously keeps delivering elements between overruns, and the last
     * elements of a writer that has stopped are still read (an end-of-stream element, for instance).
     */
    RECENT
}
