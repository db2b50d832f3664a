/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Muen SHMStream v2 channels (writer, reader, result codes, queue/flush), the muen-net link, and pvring pipes.
 * <h2>Channels</h2>
 * {@link dev.pvring.shmstream.ShmStreamWriter} and {@link dev.pvring.shmstream.ShmStreamReader} are byte-exact with
 * Muen's SHMStream v2 ({@link dev.pvring.shmstream.ShmStreamDescriptor}): one writer that never blocks, any number
 * of read-only readers, no back channel. A reader that falls more than a ring behind detects an overrun and
 * resumes where its {@link dev.pvring.shmstream.OverrunRecovery} says: at WC (Ada's choice) or half a ring behind
 * it, so that under a writer that laps it continuously it still delivers elements between overruns.
 * <h2>Pipes: a byte stream inside the elements</h2>
 * A pipe carries an arbitrary byte stream between two pvring ends over an ordinary channel (the channel's header
 * and slots are untouched, so any SHMStream tool can still inspect it). Each element holds
 * ({@link dev.pvring.shmstream.PipeElementDescriptor}, little-endian):
 * <pre>
 *   offset 0   u64  position  stream offset of the first payload byte (payload bytes sent before this element)
 *   offset 8   u32  word      bits 0-29 payload length, bit 31 END (end of stream), bit 30 INTERRUPTED (with END)
 *   offset 12       payload   length bytes, then zero padding to the element size
 * </pre>
 * The length keeps trailing zero bytes (raw elements cannot tell padding from data). The last element of a
 * stream is an END element with no payload whose position is the stream's length; INTERRUPTED says the writer
 * stopped before its input ended. {@link dev.pvring.shmstream.ShmStreamPipeWriter} writes this;
 * {@link dev.pvring.shmstream.ShmStreamPipeReader} reads it and accounts for every element and byte: elements
 * skipped by overruns are counted by the channel reader, bytes lost follow from the position of the next element
 * read, and the END element gives the totals ({@code delivered + lost = sent}, for elements and for bytes). A
 * writer restart (new epoch) before END cuts a stream short by an amount nobody can know, and is counted as such.
 * <p>
 * The writer cannot know what a reader lost: SHMStream gives it no way to see readers. Honest reporting is
 * therefore split: the writer reports what it sent, and each reader what it delivered and lost.
 */
package dev.pvring.shmstream;
