/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

/**
 * The outcome of one {@link ShmStreamReader#read} call. The constants are declared in the order of the Ada
 * {@code Muchannel.Readers.Result_Type} and the C {@code enum muchannel_reader_result}, which is also their
 * precedence: when several apply, the earliest wins. {@link #ordinal()} equals the C enum value.
 */
public enum ReadResult
{
    /** The channel's Epoch is 0: no writer is active. Try again later. */
    INACTIVE,
    /**
     * The header does not describe a channel this reader can use (marker, protocol, element size or
     * dimensions), or the writer broke the protocol in this epoch (RC &gt; WC). The reader waits for a new epoch.
     */
    INCOMPATIBLE_INTERFACE,
    /** The writer started a new epoch (or the epoch changed during the read): data was discarded, RC restarts. */
    EPOCH_CHANGED,
    /** Nothing new to read (RC = WC). */
    NO_DATA,
    /** The writer overwrote elements before they were read; the reader skipped to the newest data (RC := WC). */
    OVERRUN_DETECTED,
    /** One element was copied out and confirmed untorn. */
    SUCCESS
}
