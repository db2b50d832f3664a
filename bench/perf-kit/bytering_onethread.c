/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * C twins of ByteRingOneThreadBenchmark and SmallCopyOneThreadBenchmark (one thread, called through FFM).
 *
 * Byte ring: the console ring (struct xencons_interface of Debian's io/console.h, "out" direction, 2048 bytes)
 * with the flex-ring helpers of io/ring.h (xencons_queued, xencons_write_packet, xencons_read_packet). A round
 * writes `batch` messages of `size` bytes (each: read out_cons once, check the space, write the packet, wmb,
 * publish out_prod), then reads them back one message at a time (read out_prod once, check what is queued, read
 * the packet, mb, publish out_cons) and checks each message's first 8 bytes (its sequence number).
 *
 * Small copy: copies `length` bytes out of consecutive 128-byte slots of a 64 KiB area into a private buffer (the
 * struct copy of RING_COPY_REQUEST, via memcpy of a run-time length as a generic copy is) and sums the first 8
 * bytes of each copy.
 *
 * gcc -O2 -shared -fPIC -I. bytering_onethread.c -o libbytering_onethread.so
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "barriers.h"
#include <xen/xen.h>
#include <xen/io/ring.h>
#define XEN_WANT_FLEX_CONSOLE_RING
#include <xen/io/console.h>

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)

struct br1
{
    struct xencons_interface *intf;
    unsigned size;
    unsigned batch;
    uint64_t next_write;
    uint64_t next_read;
    long errors;
    unsigned char src[2048];
    unsigned char dst[2048];
};

void *br1_open(int size, int batch)
{
    if (size < 8 || size > 2048 || batch < 1 || (long)size * batch > 2048) return NULL;
    struct br1 *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->intf = aligned_alloc(4096, 4096);
    if (!b->intf) { free(b); return NULL; }
    memset(b->intf, 0, 4096);
    memset(b->src, 0x5a, sizeof b->src);
    b->size = (unsigned)size;
    b->batch = (unsigned)batch;
    return b;
}

/* Runs `messages` messages (a multiple of batch); returns the errors so far, -1 if the ring misbehaved. */
long br1_run(void *ctx, long messages)
{
    struct br1 *b = ctx;
    struct xencons_interface *intf = b->intf;
    const RING_IDX ring_size = sizeof intf->out;
    for (long done = 0; done < messages; done += b->batch) {
        for (unsigned k = 0; k < b->batch; k++) {
            RING_IDX cons = LOAD(intf->out_cons), prod = intf->out_prod;
            rmb();
            if (ring_size - xencons_queued(prod, cons, ring_size) < b->size) return -1;
            memcpy(b->src, &b->next_write, 8);
            b->next_write++;
            RING_IDX masked_prod = xencons_mask(prod, ring_size);
            xencons_write_packet((unsigned char *)intf->out, b->src, b->size, &masked_prod, xencons_mask(cons, ring_size), ring_size);
            wmb();
            __atomic_store_n(&intf->out_prod, prod + b->size, __ATOMIC_RELAXED);
        }
        for (unsigned k = 0; k < b->batch; k++) {
            RING_IDX prod = LOAD(intf->out_prod), cons = intf->out_cons;
            rmb();
            if (xencons_queued(prod, cons, ring_size) < b->size) return -1;
            RING_IDX masked_cons = xencons_mask(cons, ring_size);
            xencons_read_packet(b->dst, (const unsigned char *)intf->out, b->size, xencons_mask(prod, ring_size), &masked_cons, ring_size);
            mb();
            __atomic_store_n(&intf->out_cons, cons + b->size, __ATOMIC_RELAXED);
            uint64_t seq;
            memcpy(&seq, b->dst, 8);
            if (seq != b->next_read) b->errors++;
            b->next_read++;
        }
    }
    return b->errors;
}

void br1_close(void *ctx)
{
    struct br1 *b = ctx;
    if (!b) return;
    free(b->intf);
    free(b);
}

struct sc1
{
    unsigned char *area;
    unsigned char dst[256];
    unsigned length;
    unsigned slot;
};

void *sc1_open(int length)
{
    if (length < 8 || length > 128) return NULL;
    struct sc1 *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->area = aligned_alloc(4096, 65536);
    if (!s->area) { free(s); return NULL; }
    for (int i = 0; i < 65536; i++) s->area[i] = (unsigned char)(i * 7 + 1);
    s->length = (unsigned)length;
    return s;
}

/* `copies` copies out of consecutive slots; returns the sum of the copies' first 8 bytes. */
long sc1_run(void *ctx, long copies)
{
    struct sc1 *s = ctx;
    volatile unsigned length = s->length; /* a run-time length, as the Java side's */
    unsigned n = length, slot = s->slot;
    long sum = 0;
    for (long i = 0; i < copies; i++) {
        memcpy(s->dst, s->area + (size_t)(slot & 511) * 128, n);
        __asm__ volatile("" ::: "memory"); /* each copy is a separate RING_COPY: no merging across copies */
        long first;
        memcpy(&first, s->dst, 8);
        sum += first;
        slot++;
    }
    s->slot = slot;
    return sum;
}

void sc1_close(void *ctx)
{
    struct sc1 *s = ctx;
    if (!s) return;
    free(s->area);
    free(s);
}
