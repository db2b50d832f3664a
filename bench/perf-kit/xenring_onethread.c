/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * C twin of XenRingOneThreadBenchmark: the per-message protocol cost of a Xen io/ring.h ring, with one thread
 * driving both ends, written with the real macros of Debian's libxen-dev (as xenring_anchor.c is). No cache line
 * moves between cores, so the figure does not depend on where the scheduler puts two threads.
 *
 * One round of n = batch messages on a ring that starts empty:
 *   front: n x (RING_FULL check, RING_GET_REQUEST, struct-copy a request template into the slot, stamp the id),
 *          RING_PUSH_REQUESTS[_AND_CHECK_NOTIFY];
 *   back:  read req_prod once (acquire), RING_REQUEST_PROD_OVERFLOW; while not RING_REQUEST_CONS_OVERFLOW:
 *          RING_COPY_REQUEST, check the id of the copy, RING_GET_RESPONSE and write the response in place;
 *          RING_PUSH_RESPONSES[_AND_CHECK_NOTIFY];
 *   front: read rsp_prod once (acquire), RING_RESPONSE_PROD_OVERFLOW; RING_COPY_RESPONSE each, check its id.
 * Shapes (the real structures of the headers): 0 = 64-byte request (u64 seq + 56 bytes) / 8-byte response,
 * 1 = netif_tx_request (12) / netif_tx_response (4), 2 = blkif_request (112) / blkif_response (16).
 *
 * As a library (XenRingOneThreadBenchmark calls it through FFM, one call per 4096 messages):
 *   gcc -O2 -shared -fPIC -I. xenring_onethread.c -o libxenring_onethread.so
 *   void *xr1_open(int shape, int pages, int batch, int checkNotify); long xr1_run(void *, long messages) -> errors;
 *   void xr1_close(void *)
 * Standalone: gcc -O2 -DXR1_MAIN -I. xenring_onethread.c -o xenring_onethread
 *   xenring_onethread SHAPE BATCH release|checkNotify [MESSAGES] [PAGES]   prints ns per message (best of 5)
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "barriers.h"
#include <xen/xen.h>
#include <xen/io/ring.h>
#include <xen/io/netif.h>
#include <xen/io/blkif.h>

struct r64_request { uint64_t seq; uint8_t payload[56]; };
struct r64_response { uint64_t seq; };
DEFINE_RING_TYPES(r64, struct r64_request, struct r64_response);

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
/*
 * Makes the whole private copy live, as a driver that goes on to use its fields makes it: gcc 12 otherwise keeps
 * only the bytes the loop reads (8 of a 64-byte request, 9 of a blkif_request), even through RING_COPY_'s volatile
 * cast (objdump of the twin before this), and the Java side copies every byte.
 */
#define USE(x) __asm__ volatile("" : : "m"(x))

struct xr1
{
    int shape;
    unsigned batch;
    int check_notify;
    void *sring;
    uint64_t next_seq;      /* id of the next request */
    uint64_t next_request;  /* id the back end expects */
    uint64_t next_response; /* id the front end expects */
    long errors;
    struct r64_front_ring r64f; struct r64_back_ring r64b; struct r64_request r64t;
    struct netif_tx_front_ring txf; struct netif_tx_back_ring txb; struct netif_tx_request txt;
    struct blkif_front_ring blkf; struct blkif_back_ring blkb; struct blkif_request blkt;
};

/*
 * One function per shape, generated: T ring type, ID request id field, RSP_SET(rsp, req) writes the response,
 * IDT the id's type (ids are compared modulo its width, as a driver compares them).
 */
#define DEFINE_RUN(T, IDT, ID, RSP_ID, RSP_SET)                                                          \
static long run_##T(struct xr1 *x, struct T##_front_ring *f, struct T##_back_ring *b,                     \
                    const struct T##_request *tmpl, long messages)                                        \
{                                                                                                        \
    uint64_t seq = x->next_seq, expected = x->next_request, answered = x->next_response;                  \
    long errors = 0;                                                                                     \
    for (long done = 0; done < messages; ) {                                                             \
        unsigned n = 0;                                                                                  \
        while (n < x->batch && !RING_FULL(f)) {                                                          \
            struct T##_request *q = RING_GET_REQUEST(f, f->req_prod_pvt);                                \
            *q = *tmpl;                                                                                  \
            q->ID = (IDT)seq;                                                                            \
            f->req_prod_pvt++;                                                                           \
            seq++;                                                                                       \
            n++;                                                                                         \
        }                                                                                                \
        if (x->check_notify) { int notify; RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(f, notify); (void)notify; } \
        else RING_PUSH_REQUESTS(f);                                                                      \
        RING_IDX rp = LOAD(b->sring->req_prod);                                                          \
        rmb();                                                                                           \
        if (RING_REQUEST_PROD_OVERFLOW(b, rp)) return -1;                                                \
        while (b->req_cons != rp && !RING_REQUEST_CONS_OVERFLOW(b, b->req_cons)) {                       \
            struct T##_request r;                                                                        \
            RING_COPY_REQUEST(b, b->req_cons, &r);                                                       \
            USE(r);                                                                                      \
            b->req_cons++;                                                                               \
            if (r.ID != (IDT)expected) errors++;                                                         \
            expected++;                                                                                  \
            struct T##_response *s = RING_GET_RESPONSE(b, b->rsp_prod_pvt);                              \
            RSP_SET(s, r);                                                                               \
            b->rsp_prod_pvt++;                                                                           \
        }                                                                                                \
        if (x->check_notify) { int notify; RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(b, notify); (void)notify; } \
        else RING_PUSH_RESPONSES(b);                                                                     \
        RING_IDX sp = LOAD(f->sring->rsp_prod);                                                          \
        rmb();                                                                                           \
        if (RING_RESPONSE_PROD_OVERFLOW(f, sp)) return -1;                                               \
        while (f->rsp_cons != sp) {                                                                      \
            struct T##_response s;                                                                       \
            RING_COPY_RESPONSE(f, f->rsp_cons, &s);                                                      \
            USE(s);                                                                                      \
            if (s.RSP_ID != (IDT)answered) errors++;                                                     \
            answered++;                                                                                  \
            f->rsp_cons++;                                                                               \
        }                                                                                                \
        done += n;                                                                                       \
    }                                                                                                    \
    x->next_seq = seq; x->next_request = expected; x->next_response = answered;                          \
    return errors;                                                                                       \
}

#define R64_SET(s, r) ((s)->seq = (r).seq)
#define TX_SET(s, r) do { (s)->id = (r).id; (s)->status = NETIF_RSP_OKAY; } while (0)
#define BLK_SET(s, r) do { (s)->id = (r).id; (s)->operation = (r).operation; (s)->status = BLKIF_RSP_OKAY; } while (0)
DEFINE_RUN(r64, uint64_t, seq, seq, R64_SET)
DEFINE_RUN(netif_tx, uint16_t, id, id, TX_SET)
DEFINE_RUN(blkif, uint64_t, id, id, BLK_SET)

void *xr1_open(int shape, int pages, int batch, int check_notify)
{
    if (shape < 0 || shape > 2 || pages < 1 || batch < 0) return NULL;
    struct xr1 *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    size_t bytes = (size_t)pages * 4096;
    x->sring = aligned_alloc(4096, bytes);
    if (!x->sring) { free(x); return NULL; }
    memset(x->sring, 0, bytes);
    x->shape = shape;
    x->check_notify = check_notify;
    unsigned size;
    switch (shape) {
    case 0:
        XEN_FRONT_RING_INIT(&x->r64f, (struct r64_sring *)x->sring, bytes);
        BACK_RING_ATTACH(&x->r64b, (struct r64_sring *)x->sring, 0, bytes);
        memset(x->r64t.payload, 0xab, sizeof x->r64t.payload);
        size = RING_SIZE(&x->r64f);
        break;
    case 1:
        XEN_FRONT_RING_INIT(&x->txf, (struct netif_tx_sring *)x->sring, bytes);
        BACK_RING_ATTACH(&x->txb, (struct netif_tx_sring *)x->sring, 0, bytes);
        x->txt.gref = 8; x->txt.offset = 64; x->txt.flags = 0; x->txt.size = 1514;
        size = RING_SIZE(&x->txf);
        break;
    default:
        XEN_FRONT_RING_INIT(&x->blkf, (struct blkif_sring *)x->sring, bytes);
        BACK_RING_ATTACH(&x->blkb, (struct blkif_sring *)x->sring, 0, bytes);
        x->blkt.operation = BLKIF_OP_READ; x->blkt.nr_segments = 1; x->blkt.handle = 0xca00;
        x->blkt.sector_number = 2048; x->blkt.seg[0].gref = 9; x->blkt.seg[0].first_sect = 0;
        x->blkt.seg[0].last_sect = 7;
        size = RING_SIZE(&x->blkf);
        break;
    }
    x->batch = batch == 0 || (unsigned)batch > size ? size : (unsigned)batch;
    return x;
}

/* Runs `messages` messages (rounds of `batch`); returns the id errors so far, or -1 on a ring overflow. */
long xr1_run(void *ctx, long messages)
{
    struct xr1 *x = ctx;
    long e;
    switch (x->shape) {
    case 0: e = run_r64(x, &x->r64f, &x->r64b, &x->r64t, messages); break;
    case 1: e = run_netif_tx(x, &x->txf, &x->txb, &x->txt, messages); break;
    default: e = run_blkif(x, &x->blkf, &x->blkb, &x->blkt, messages); break;
    }
    if (e < 0) return -1;
    x->errors += e;
    return x->errors;
}

/* The ring size the batch was clamped to, so callers can check it matches theirs. */
int xr1_batch(void *ctx)
{
    return (int)((struct xr1 *)ctx)->batch;
}

void xr1_close(void *ctx)
{
    struct xr1 *x = ctx;
    if (!x) return;
    free(x->sring);
    free(x);
}

#ifdef XR1_MAIN
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: xenring_onethread SHAPE(0=64B,1=netif-tx,2=blkif) BATCH release|checkNotify [MESSAGES] [PAGES]\n");
        return 2;
    }
    int shape = atoi(argv[1]), batch = atoi(argv[2]), check = !strcmp(argv[3], "checkNotify");
    long messages = argc > 4 ? strtol(argv[4], 0, 0) : 100000000L;
    int pages = argc > 5 ? atoi(argv[5]) : 16;
    void *x = xr1_open(shape, pages, batch, check);
    if (!x) { fprintf(stderr, "bad arguments\n"); return 2; }
    messages -= messages % xr1_batch(x);
    double best = 1e30;
    for (int round = 0; round < 5; round++) {
        double t0 = now();
        long e = xr1_run(x, messages);
        double t1 = now();
        if (e != 0) { fprintf(stderr, "errors: %ld\n", e); return 1; }
        double ns = (t1 - t0) * 1e9 / messages;
        if (ns < best) best = ns;
    }
    printf("xenring-onethread shape=%d batch=%d push=%s %.3f ns/msg\n", shape, xr1_batch(x), argv[3], best);
    xr1_close(x);
    return 0;
}
#endif
