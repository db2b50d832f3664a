/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * C twin of ShmStreamOneThreadBenchmark (one thread, called through FFM): a Muen SHMStream v2 channel in a
 * private 1 MiB region, written and read back by one thread with the writer and reader algorithm of the Muen C
 * implementations (Solo5 bindings/muen/{writer,reader}.c, which the Linux muen channel driver follows; see
 * shared/spec/shmstream-v2.md sections 2 and 3):
 *
 *   write: wc := WC; pos := wc % Elements; WSC := wc + 1; memcpy(data[pos], element, Size); WC := wc + 1
 *   read:  Epoch active and unchanged; wc := WC; rc >= wc -> No_Data; wc - rc > Elements -> Overrun;
 *          memcpy(element, data[rc % Elements], Size); WSC - rc > Elements -> Overrun, else Success, rc++;
 *          Epoch re-read after the attempt
 *
 * Header fields move with serialized_copy (one 64-bit volatile access between two compiler barriers), as Muen's
 * C does: correct on x86-64 (TSO) only. Like Solo5, the position is the 64-bit remainder of the counter (a
 * division per write and per read; the Java writer and reader keep a position counter instead).
 *
 * A round writes `batch` elements of `size` bytes (each element's first 8 bytes are its sequence number), then
 * reads them back one at a time and checks each sequence number.
 *
 * gcc -O2 -shared -fPIC shmstream_onethread.c -o libshmstream_onethread.so
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct muchannel_header
{
    uint64_t transport;
    uint64_t epoch;
    uint64_t protocol;
    uint64_t size;
    uint64_t elements;
    uint64_t reserved;
    uint64_t wsc;
    uint64_t wc;
} __attribute__((packed, aligned(8)));

struct muchannel
{
    struct muchannel_header hdr;
    char data[];
} __attribute__((packed, aligned(8)));

struct muchannel_reader
{
    uint64_t epoch;
    uint64_t protocol;
    uint64_t size;
    uint64_t elements;
    uint64_t rc;
};

enum muchannel_reader_result
{
    MUCHANNEL_INACTIVE,
    MUCHANNEL_INCOMPATIBLE_INTERFACE,
    MUCHANNEL_EPOCH_CHANGED,
    MUCHANNEL_NO_DATA,
    MUCHANNEL_OVERRUN_DETECTED,
    MUCHANNEL_SUCCESS
};

#define SHMSTREAM20 0x487312B6B79A9B6DULL
#define NULL_EPOCH 0
#define REGION (1 << 20)
#define PROTOCOL 0xbe9c400000000001ULL

#define barrier() __asm__ __volatile__("" ::: "memory")

/* Solo5 util.h: a single 64-bit copy between compiler barriers. */
static inline void serialized_copy(const uint64_t *const src, uint64_t *dst)
{
    barrier();
    *(volatile uint64_t *)dst = *(const volatile uint64_t *)src;
    barrier();
}

/* ---- writer (Solo5 writer.c) ---- */

static void muen_channel_init_writer(struct muchannel *channel, uint64_t protocol, uint64_t element_size,
    uint64_t channel_size, uint64_t epoch)
{
    uint64_t data_size = channel_size - sizeof(struct muchannel_header);
    uint64_t zero = NULL_EPOCH, marker = SHMSTREAM20, elements = data_size / element_size;
    serialized_copy(&zero, &channel->hdr.epoch);
    memset(channel->data, 0, data_size);
    serialized_copy(&marker, &channel->hdr.transport);
    serialized_copy(&protocol, &channel->hdr.protocol);
    serialized_copy(&element_size, &channel->hdr.size);
    serialized_copy(&elements, &channel->hdr.elements);
    serialized_copy(&zero, &channel->hdr.reserved);
    serialized_copy(&zero, &channel->hdr.wsc);
    serialized_copy(&zero, &channel->hdr.wc);
    serialized_copy(&epoch, &channel->hdr.epoch);
}

static inline void muen_channel_write(struct muchannel *channel, const void *const element)
{
    uint64_t wc, pos, size = channel->hdr.size, elements = channel->hdr.elements;
    serialized_copy(&channel->hdr.wc, &wc);
    pos = wc % elements;
    wc++;
    serialized_copy(&wc, &channel->hdr.wsc);
    memcpy(channel->data + pos * size, element, size);
    serialized_copy(&wc, &channel->hdr.wc);
}

/* ---- reader (Solo5 reader.c) ---- */

static inline int muen_channel_is_active(const struct muchannel *const channel)
{
    uint64_t epoch;
    serialized_copy(&channel->hdr.epoch, &epoch);
    return epoch != NULL_EPOCH;
}

static inline int has_epoch_changed(const struct muchannel *const channel, const struct muchannel_reader *const reader)
{
    uint64_t epoch;
    serialized_copy(&channel->hdr.epoch, &epoch);
    return reader->epoch != epoch;
}

static enum muchannel_reader_result synchronize(const struct muchannel *const channel,
    struct muchannel_reader *reader)
{
    uint64_t transport, protocol;
    serialized_copy(&channel->hdr.transport, &transport);
    serialized_copy(&channel->hdr.protocol, &protocol);
    if (transport != SHMSTREAM20 || protocol != reader->protocol)
        return MUCHANNEL_INCOMPATIBLE_INTERFACE;
    serialized_copy(&channel->hdr.epoch, &reader->epoch);
    serialized_copy(&channel->hdr.size, &reader->size);
    serialized_copy(&channel->hdr.elements, &reader->elements);
    reader->rc = 0;
    return MUCHANNEL_EPOCH_CHANGED;
}

static inline enum muchannel_reader_result muen_channel_read(const struct muchannel *const channel,
    struct muchannel_reader *reader, void *element)
{
    uint64_t pos, wc, wsc;
    enum muchannel_reader_result result;
    if (!muen_channel_is_active(channel)) {
        reader->epoch = NULL_EPOCH;
        return MUCHANNEL_INACTIVE;
    }
    if (reader->epoch == NULL_EPOCH || has_epoch_changed(channel, reader))
        return synchronize(channel, reader);
    serialized_copy(&channel->hdr.wc, &wc);
    if (reader->rc == wc) {
        result = MUCHANNEL_NO_DATA;
    } else if (wc - reader->rc > reader->elements) {
        result = MUCHANNEL_OVERRUN_DETECTED;
    } else {
        pos = reader->rc % reader->elements;
        memcpy(element, channel->data + pos * reader->size, reader->size);
        serialized_copy(&channel->hdr.wsc, &wsc);
        if (wsc - reader->rc > reader->elements) {
            result = MUCHANNEL_OVERRUN_DETECTED;
        } else {
            reader->rc++;
            result = MUCHANNEL_SUCCESS;
        }
    }
    if (has_epoch_changed(channel, reader)) {
        reader->epoch = NULL_EPOCH;
        result = MUCHANNEL_EPOCH_CHANGED;
    }
    return result;
}

/* ---- the benchmark loop ---- */

struct ss1
{
    struct muchannel *channel;
    struct muchannel_reader reader;
    unsigned size;
    unsigned batch;
    uint64_t next_write;
    uint64_t next_read;
    long errors;
    unsigned char src[2048];
    unsigned char dst[2048];
};

void *ss1_open(int size, int batch)
{
    if (size < 8 || size > 2048 || batch < 1 || (long)size * batch > REGION - 64) return NULL;
    struct ss1 *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->channel = aligned_alloc(4096, REGION);
    if (!s->channel) { free(s); return NULL; }
    memset(s->src, 0x5a, sizeof s->src);
    s->size = (unsigned)size;
    s->batch = (unsigned)batch;
    muen_channel_init_writer(s->channel, PROTOCOL, (uint64_t)size, REGION, 0x1234567890abcdefULL);
    s->reader.protocol = PROTOCOL;
    /* join the epoch (Solo5's first read only synchronizes) */
    if (muen_channel_read(s->channel, &s->reader, s->dst) != MUCHANNEL_EPOCH_CHANGED) {
        free(s->channel);
        free(s);
        return NULL;
    }
    return s;
}

/* Runs `messages` elements (a multiple of batch); returns the errors so far. */
long ss1_run(void *ctx, long messages)
{
    struct ss1 *s = ctx;
    for (long done = 0; done < messages; done += s->batch) {
        for (unsigned k = 0; k < s->batch; k++) {
            memcpy(s->src, &s->next_write, 8);
            s->next_write++;
            muen_channel_write(s->channel, s->src);
        }
        for (unsigned k = 0; k < s->batch; k++) {
            if (muen_channel_read(s->channel, &s->reader, s->dst) != MUCHANNEL_SUCCESS) s->errors++;
            uint64_t seq;
            memcpy(&seq, s->dst, 8);
            if (seq != s->next_read) s->errors++;
            s->next_read++;
        }
    }
    return s->errors;
}

void ss1_close(void *ctx)
{
    struct ss1 *s = ctx;
    if (!s) return;
    free(s->channel);
    free(s);
}
