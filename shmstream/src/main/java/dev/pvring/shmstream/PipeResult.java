/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.shmstream;

/**
 * What one {@link ShmStreamPipeReader#read()} found.
 */
public enum PipeResult
{
    /** The channel is inactive (Epoch 0): no writer yet, or it deactivated the channel. */
    INACTIVE,
    /** The channel's header does not match this reader (see {@link ShmStreamReader}); nothing was read. */
    INCOMPATIBLE_INTERFACE,
    /** The writer restarted; a stream not yet ended was cut short (counted in the reader's loss). */
    EPOCH_CHANGED,
    /** Nothing new to read. */
    NO_DATA,
    /** The writer lapped the reader: elements were skipped and counted; reading goes on at a recent element. */
    LOST,
    /** An element that does not follow {@link PipeElementDescriptor} was skipped (the writer does not frame). */
    MALFORMED,
    /** Payload bytes are available: {@link ShmStreamPipeReader#payloadLength()} of them. */
    DATA,
    /** The end element: the stream is over (see {@link ShmStreamPipeReader#isInterrupted()}). */
    END
}
